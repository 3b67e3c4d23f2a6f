/**
 * Dropped or opened files to text, in the page: gzip (known by its magic bytes, whatever the
 * name) is inflated with `DecompressionStream`; the bytes are decoded as the CLI decodes them
 * (UTF-8, UTF-16 with a BOM).
 */
import { decodeBytes } from "../input/decode.js";
import { concat } from "../export/export.js";

export interface LoadedFile {
  name: string;
  text: string;
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

export async function readFileText(file: File): Promise<LoadedFile> {
  let bytes: Uint8Array = new Uint8Array(await file.arrayBuffer());
  if (isGzip(bytes)) {
    try {
      bytes = await gunzip(bytes);
    } catch {
      throw new Error(`${file.name}: cannot read: corrupt gzip data`);
    }
  }
  return { name: file.name, text: decodeBytes(bytes), modified: file.lastModified / 1000 };
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
