/**
 * Dropped or opened files to text, in the page: gzip (known by its magic bytes, whatever the
 * name) is inflated with `DecompressionStream`; the bytes are decoded as the CLI decodes them
 * (UTF-8, UTF-16 with a BOM).
 */
import { StreamDecoder } from "../input/decode.js";
import { concat } from "../export/export.js";

export interface LoadedFile {
  name: string;
  text: string;
  /** the file itself: what the analysis reads while the text shown is unchanged */
  file: Blob;
  /** epoch seconds of the file's modification time (relative timestamps count from it in pcapng) */
  modified: number;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("gzip"));
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return concat(chunks);
}

/**
 * A file read as a stream and decoded as its pieces arrive (a 100 MB `arrayBuffer()` and one
 * decode of it held the page's main thread for a third of a second); gzip is inflated first.
 */
export async function readFileText(file: File): Promise<LoadedFile> {
  const reader = file.stream().getReader();
  const chunks: Uint8Array[] = [];
  const decoder = new StreamDecoder();
  const parts: string[] = [];
  let gzip: boolean | null = null;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    // kept only while gzip is undecided, or to inflate it
    if (gzip !== false) chunks.push(value);
    // the first piece says whether it is gzip (two magic bytes; a piece of one byte waits for the next)
    if (gzip === null) {
      const head = chunks.length === 1 ? value : concat(chunks);
      if (head.length < 2) continue;
      gzip = isGzip(head);
      if (!gzip) for (const c of chunks) parts.push(decoder.push(c));
      continue;
    }
    if (!gzip) parts.push(decoder.push(value));
  }
  if (gzip === true) {
    let bytes: Uint8Array;
    try {
      bytes = await gunzip(concat(chunks));
    } catch {
      throw new Error(`${file.name}: cannot read: corrupt gzip data`);
    }
    return { name: file.name, text: await decodeInSlices(bytes), modified: file.lastModified / 1000, file };
  }
  if (gzip === null) parts.push(decoder.push(concat(chunks)));
  parts.push(decoder.end());
  await nextTask();
  return { name: file.name, text: parts.join(""), modified: file.lastModified / 1000, file };
}

/** Bytes decoded per step: a few milliseconds of the page's main thread. */
const DECODE_SLICE = 4 << 20;

function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * `decodeBytes(bytes)`, a slice at a time with the page free to draw and answer between slices
 * (decoding 100 MB at once held the main thread for a third of a second).
 */
export async function decodeInSlices(bytes: Uint8Array, pause: () => Promise<void> = nextTask): Promise<string> {
  const decoder = new StreamDecoder();
  const parts: string[] = [];
  for (let at = 0; at < bytes.length; at += DECODE_SLICE) {
    if (at > 0) await pause();
    parts.push(decoder.push(bytes.subarray(at, at + DECODE_SLICE)));
  }
  parts.push(decoder.end());
  return parts.join("");
}

/** Names made unique (`a.txt`, `a.txt (2)`): verdicts point at their input by name. */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  const taken = new Set(names);
  return names.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    if (n === 1) return name;
    let k = n;
    let candidate = `${name} (${k})`;
    while (taken.has(candidate)) candidate = `${name} (${++k})`;
    taken.add(candidate);
    return candidate;
  });
}
