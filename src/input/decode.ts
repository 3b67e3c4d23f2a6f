/**
 * Bytes to text. UTF-8 with or without BOM; UTF-16 LE/BE when a BOM says so (decoded, not
 * rejected). Streaming: multi-byte sequences split across chunks are kept whole.
 */

export type TextEncodingName = "utf-8" | "utf-16le" | "utf-16be";

export function sniffEncoding(head: Uint8Array): { encoding: TextEncodingName; bomLength: number } {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { encoding: "utf-8", bomLength: 3 };
  }
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf-16le", bomLength: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf-16be", bomLength: 2 };
  return { encoding: "utf-8", bomLength: 0 };
}

/** A streaming decoder that picks its encoding from the first bytes it sees. */
export class StreamDecoder {
  private decoder: TextDecoder | null = null;
  private pending: Uint8Array | null = null;
  encoding: TextEncodingName = "utf-8";

  push(chunk: Uint8Array): string {
    let bytes = chunk;
    if (this.decoder === null) {
      if (this.pending !== null) {
        const joined = new Uint8Array(this.pending.length + chunk.length);
        joined.set(this.pending, 0);
        joined.set(chunk, this.pending.length);
        bytes = joined;
        this.pending = null;
      }
      if (bytes.length < 3) {
        this.pending = bytes;
        return "";
      }
      const { encoding, bomLength } = sniffEncoding(bytes);
      this.encoding = encoding;
      this.decoder = new TextDecoder(encoding, { fatal: false, ignoreBOM: true });
      bytes = bytes.subarray(bomLength);
    }
    return this.decoder.decode(bytes, { stream: true });
  }

  end(): string {
    if (this.decoder === null) {
      const rest = this.pending ?? new Uint8Array(0);
      this.pending = null;
      const { encoding, bomLength } = sniffEncoding(rest);
      this.encoding = encoding;
      return new TextDecoder(encoding, { fatal: false, ignoreBOM: true }).decode(rest.subarray(bomLength));
    }
    return this.decoder.decode();
  }
}

export function decodeBytes(bytes: Uint8Array): string {
  const decoder = new StreamDecoder();
  return decoder.push(bytes) + decoder.end();
}

/** A text that starts with U+FEFF (a BOM decoded as text) loses it. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
