/**
 * Saving and copying without a server: a download is a blob: URL clicked through an
 * `<a download>` (a blob: URL is memory of this page, not a request); copying uses the
 * asynchronous clipboard and falls back to the selection-based copy command.
 */

export function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.rel = "noopener";
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // the download has taken its copy by the next turn; a minute is generous
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard !== undefined) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // not allowed here (no focus, or a browser that refuses): try the old way
  }
  const focused = document.activeElement as HTMLElement | null;
  const ta = document.createElement("textarea");
  ta.value = text;
  ta.setAttribute("readonly", "");
  ta.style.position = "fixed";
  ta.style.opacity = "0";
  ta.style.pointerEvents = "none";
  document.body.append(ta);
  ta.select();
  let ok: boolean;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  ta.remove();
  focused?.focus({ preventScroll: true });
  return ok;
}

/** A file name stem from an input name: `tickets/a.txt.gz` → `a`. */
export function stem(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  const s = base.replace(/\.gz$/i, "").replace(/\.(txt|log|cap|out)$/i, "");
  const safe = s.replace(/[^\w.-]+/g, "_").replace(/^[._]+|_+$/g, "");
  return safe === "" ? "capture" : safe;
}
