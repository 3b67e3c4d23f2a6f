/**
 * The paste area. Up to LARGE characters: a plain textarea (no wrapping, so input line N is row
 * N) beside a line-number gutter that draws only the rows in view. Larger inputs would make the
 * browser lay out megabytes of textarea on the main thread (seconds of a frozen page), so they
 * are shown read-only in a viewer that draws only the lines in view; pasting there replaces
 * the text. Either way a highlight band marks the line an evidence link points at.
 *
 * Line numbers are the contract's: a lone `\r` is not a line break. A textarea turns a lone `\r`
 * into a line break, so text is shown with each lone `\r` as `␍` (U+240D) and read back with
 * `\r` again (`displayText`, `analysisText`).
 */

/** The visible stand-in for a carriage return that does not end a line. */
export const CR_MARK = "\u240d";

/** Inputs longer than this are shown in the read-only viewer instead of the textarea. */
export const LARGE = 512 * 1024;

/** The viewer's scroll height stays below what browsers can lay out; longer texts scroll scaled. */
const MAX_SCROLL_HEIGHT = 8_000_000;

/** Text as the textarea shows it: lone `\r` → `␍` (a textarea would make it a line break). */
export function displayText(text: string): string {
  return text.includes("\r") ? text.replace(/\r(?!\n)/g, CR_MARK) : text;
}

/** The shown text as the analysis reads it: `␍` → `\r`. */
export function analysisText(shown: string): string {
  return shown.includes(CR_MARK) ? shown.split(CR_MARK).join("\r") : shown;
}

/** Offsets of line `line` (1-based) in `text`: start and end (before its `\n`); null past the end. */
export function lineRange(text: string, line: number): { start: number; end: number } | null {
  if (!Number.isInteger(line) || line < 1) return null;
  let start = 0;
  for (let n = 1; n < line; n++) {
    const nl = text.indexOf("\n", start);
    if (nl < 0) return null;
    start = nl + 1;
  }
  // the empty remainder after a final `\n` is not a line
  if (line > 1 && start === text.length) return null;
  const nl = text.indexOf("\n", start);
  return { start, end: nl < 0 ? text.length : nl };
}

/** Lines of the text as the contract counts them (the empty remainder after a final `\n` is none). */
export function countLines(text: string): number {
  if (text.length === 0) return 0;
  let n = 0;
  let at = -1;
  while ((at = text.indexOf("\n", at + 1)) >= 0) n++;
  return text.endsWith("\n") ? n : n + 1;
}

/** Where each line starts, and the longest line's length. */
function indexLines(text: string): { starts: number[]; longest: number } {
  const starts = [0];
  let longest = 0;
  let at = 0;
  for (;;) {
    const nl = text.indexOf("\n", at);
    if (nl < 0) break;
    longest = Math.max(longest, nl - at);
    at = nl + 1;
    starts.push(at);
  }
  longest = Math.max(longest, text.length - at);
  // the empty remainder after a final `\n` is not a line
  if (starts.length > 1 && at === text.length) starts.pop();
  return { starts, longest };
}

export type ChangeKind = "typed" | "pasted";

export class Editor {
  readonly textarea: HTMLTextAreaElement;
  private readonly viewer: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rows: HTMLElement;
  private readonly gutter: HTMLElement;
  private readonly gutterInner: HTMLElement;
  private readonly mark: HTMLElement;
  private readonly band: HTMLElement;
  private lines = 1;
  private highlighted: number | null = null;
  private lineHeight = 20;
  private padTop = 8;
  private charWidth = 7.5;
  private frame = 0;
  /** the large text the viewer shows (null: textarea mode) */
  private big: { text: string; starts: number[]; height: number } | null = null;
  /** called after every change of the text by the user (typing, paste) */
  onChange: (kind: ChangeKind) => void = () => {};

  constructor(root: HTMLElement) {
    const q = <T extends HTMLElement>(sel: string) => root.querySelector(sel) as T;
    this.textarea = q<HTMLTextAreaElement>("textarea");
    this.viewer = q(".viewer");
    this.spacer = q(".viewer-spacer");
    this.rows = q(".viewer-rows");
    this.gutter = q(".gutter");
    this.gutterInner = q(".gutter-inner");
    this.mark = q(".gutter-mark");
    this.band = q(".hl-line");
    let pasting = false;
    this.textarea.addEventListener("scroll", () => this.schedule());
    // the jumped-to line is selected but drawn by the band alone, until the user moves on
    const ownSelection = () => root.classList.remove("jumped");
    this.textarea.addEventListener("mousedown", ownSelection);
    this.textarea.addEventListener("keydown", ownSelection);
    this.viewer.addEventListener("scroll", () => this.schedule());
    this.textarea.addEventListener("input", () => {
      this.clearHighlight();
      this.recount();
      this.onChange(pasting ? "pasted" : "typed");
    });
    const onPaste = (event: ClipboardEvent) => {
      const text = event.clipboardData?.getData("text/plain");
      if (text === undefined || text === "") return;
      // inserted by hand so a lone `\r` stays one (`␍`) instead of becoming a line break
      event.preventDefault();
      pasting = true;
      try {
        this.insert(text);
      } finally {
        pasting = false;
      }
    };
    this.textarea.addEventListener("paste", onPaste);
    this.viewer.addEventListener("paste", onPaste);
    new ResizeObserver(() => this.schedule()).observe(root);
    this.measure();
    this.recount();
  }

  /** The text as shown (lone `\r` as `␍`). */
  get value(): string {
    return this.big !== null ? this.big.text : this.textarea.value;
  }

  /** The text is too large to edit and is shown read-only. */
  get readOnly(): boolean {
    return this.big !== null;
  }

  /** Replace the whole text (switching inputs, files); no change event. */
  setValue(shown: string): void {
    this.clearHighlight();
    if (shown.length > LARGE) {
      const { starts, longest } = indexLines(shown);
      this.measure();
      const height = Math.min(MAX_SCROLL_HEIGHT, starts.length * this.lineHeight) + 2 * this.padTop;
      this.big = { text: shown, starts, height };
      this.textarea.value = "";
      this.textarea.hidden = true;
      this.viewer.hidden = false;
      this.spacer.style.height = `${height}px`;
      this.spacer.style.width = `${Math.min(4000, longest) * this.charWidth + 40}px`;
      this.viewer.scrollTop = 0;
      this.viewer.scrollLeft = 0;
    } else {
      const focused = document.activeElement === this.viewer;
      this.big = null;
      this.viewer.hidden = true;
      this.rows.textContent = "";
      this.textarea.hidden = false;
      this.textarea.value = shown;
      this.textarea.scrollTop = 0;
      this.textarea.scrollLeft = 0;
      if (focused) this.textarea.focus();
    }
    this.recount();
  }

  focus(): void {
    (this.big !== null ? this.viewer : this.textarea).focus();
  }

  /**
   * Insert pasted text at the selection (replacing the whole text in the read-only viewer).
   * Ordinary sizes go through the editing commands, so undo works.
   */
  insert(text: string): void {
    const shown = displayText(text);
    const ta = this.textarea;
    if (this.big !== null) {
      this.setValue(shown);
      this.focus();
      this.onChange("pasted");
      return;
    }
    const total = ta.value.length - (ta.selectionEnd - ta.selectionStart) + shown.length;
    if (total > LARGE) {
      this.setValue(ta.value.slice(0, ta.selectionStart) + shown + ta.value.slice(ta.selectionEnd));
      this.focus();
      this.onChange("pasted");
      return;
    }
    ta.focus();
    let done: boolean;
    try {
      done = document.execCommand("insertText", false, shown);
    } catch {
      done = false;
    }
    if (!done) {
      ta.setRangeText(shown, ta.selectionStart, ta.selectionEnd, "end");
      ta.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  /**
   * Select line `line`, scroll it into view (a third from the top) and draw the band over it.
   * Keyboard focus stays where it is (on the evidence line), so the next one is a Tab away.
   */
  showLine(line: number): boolean {
    this.measure();
    if (this.big !== null) {
      if (!Number.isInteger(line) || line < 1 || line > this.big.starts.length) return false;
      const v = this.viewer;
      const visible = v.clientHeight / this.lineHeight;
      const target = Math.max(0, line - 1 - visible / 3);
      v.scrollTop = this.scaled() ? (target / Math.max(1, this.lines - visible)) * (this.big.height - v.clientHeight) : target * this.lineHeight;
      v.scrollLeft = 0;
    } else {
      const ta = this.textarea;
      const range = lineRange(ta.value, line);
      if (range === null) return false;
      // selected (Tab into the text, or Ctrl+C after a click, takes that line), but focus stays
      // where the user is; backward: the caret at the line's start keeps the view at its left
      ta.setSelectionRange(range.start, range.end, "backward");
      ta.scrollTop = Math.max(0, (line - 1) * this.lineHeight - ta.clientHeight / 3);
      ta.scrollLeft = 0;
    }
    // panes stacked (narrow window): bring the paste area into view
    const box = this.gutter.parentElement?.getBoundingClientRect();
    if (box !== undefined && (box.top < 0 || box.top > window.innerHeight - 80)) window.scrollBy(0, box.top - 8);
    this.highlighted = line;
    this.gutter.parentElement?.classList.add("jumped");
    this.band.hidden = false;
    this.band.dataset["line"] = String(line);
    this.draw();
    return true;
  }

  clearHighlight(): void {
    if (this.highlighted === null) return;
    this.highlighted = null;
    this.gutter.parentElement?.classList.remove("jumped");
    this.band.hidden = true;
    delete this.band.dataset["line"];
    this.schedule();
  }

  private scaled(): boolean {
    return this.big !== null && this.big.starts.length * this.lineHeight > MAX_SCROLL_HEIGHT;
  }

  private recount(): void {
    this.lines = this.big !== null ? this.big.starts.length : Math.max(1, countLines(this.textarea.value));
    const digits = String(this.lines).length;
    this.gutter.style.width = `${Math.max(3, digits) + 2}ch`;
    this.schedule();
  }

  private measure(): void {
    const style = getComputedStyle(this.textarea.hidden ? this.rows : this.textarea);
    const lh = parseFloat(style.lineHeight);
    if (Number.isFinite(lh) && lh > 0) this.lineHeight = lh;
    const pad = parseFloat(getComputedStyle(this.textarea).paddingTop);
    if (Number.isFinite(pad)) this.padTop = pad;
    const fontSize = parseFloat(style.fontSize);
    if (Number.isFinite(fontSize) && fontSize > 0) this.charWidth = fontSize * 0.61;
  }

  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** Gutter numbers, the viewer's rows and the band, for the rows in view. */
  private draw(): void {
    const lh = this.lineHeight;
    const scroller = this.big !== null ? this.viewer : this.textarea;
    const scrollTop = scroller.scrollTop;
    const visible = Math.ceil(scroller.clientHeight / lh) + 1;
    // first: the first line drawn; top: where it sits in the scroller's content
    let first: number;
    let top: number;
    if (this.big !== null && this.scaled()) {
      const room = Math.max(1, this.big.height - scroller.clientHeight);
      first = Math.min(this.lines, Math.floor((scrollTop / room) * Math.max(0, this.lines - visible + 1)) + 1);
      top = scrollTop;
    } else {
      first = Math.max(1, Math.floor(scrollTop / lh) + 1);
      top = this.padTop + (first - 1) * lh;
    }
    const last = Math.min(this.lines, first + visible);
    const numbers: string[] = [];
    for (let n = first; n <= last; n++) numbers.push(String(n));
    this.gutterInner.textContent = numbers.join("\n");
    this.gutterInner.style.lineHeight = `${lh}px`;
    this.gutterInner.style.transform = `translateY(${top - scrollTop}px)`;
    if (this.big !== null) {
      const { text, starts } = this.big;
      const out: string[] = [];
      for (let n = first; n <= last; n++) {
        const start = starts[n - 1] ?? text.length;
        const end = n < starts.length ? (starts[n] ?? text.length) - 1 : text.length;
        // a very long line is drawn to its first 4000 characters
        out.push(text.slice(start, Math.min(end, start + 4000)));
      }
      this.rows.textContent = out.join("\n");
      this.rows.style.transform = `translateY(${top}px)`;
    }
    if (this.highlighted !== null) {
      const y = top - scrollTop + (this.highlighted - first) * lh;
      this.band.style.transform = `translateY(${y}px)`;
      this.band.style.height = `${lh}px`;
      this.mark.hidden = false;
      this.mark.textContent = String(this.highlighted);
      this.mark.style.transform = `translateY(${y}px)`;
      this.mark.style.height = `${lh}px`;
      this.mark.style.lineHeight = `${lh}px`;
    } else {
      this.mark.hidden = true;
    }
  }
}
