/**
 * Bytes to numbered lines without making strings: UTF-8 (or ASCII) input is split at `\n` bytes
 * with `indexOf`, and each line is handed on as a range of the chunk it lies in. Whoever takes the
 * line decides from its bytes whether it needs a string at all (hex rows do not).
 *
 * Numbering and cutting follow `LineSplitter` exactly (a line is 1 + the number of `\n` before
 * it; a lone `\r` is not a break; the empty rest after a final `\n` is not a line). `\n` never
 * occurs inside a UTF-8 sequence, so decoding line by line gives the same text as decoding the
 * whole stream and splitting it. UTF-16 input does not come here (`ChunkParser` sends it down the
 * text path).
 */
import { MAX_LINE_CHARS } from "./lines.js";

/**
 * Bytes of one line kept at most. Every UTF-16 unit of decoded UTF-8 (a replacement character
 * included) comes from at most three bytes, so this many bytes always decode to more than
 * MAX_LINE_CHARS units: whether the line is cut is known without holding the rest of it.
 */
export const MAX_LINE_BYTES = 3 * MAX_LINE_CHARS + 3;

/**
 * Receives each line: `buf[start, end)` without its `\n` (trailing `\r`s still there). `overflow`
 * says bytes past MAX_LINE_BYTES were dropped. The range is only valid during the call.
 */
export type ByteLineSink = (buf: Uint8Array, start: number, end: number, no: number, overflow: boolean) => void;

export class ByteLineReader {
  private carry = new Uint8Array(1024);
  private carryLength = 0;
  private carryOverflow = false;
  private next = 1;

  constructor(private readonly sink: ByteLineSink) {}

  /** Feed a chunk; every line it completes goes to the sink before this returns. */
  push(chunk: Uint8Array): void {
    let start = 0;
    const n = chunk.length;
    if (this.carryLength > 0 || this.carryOverflow) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.keep(chunk, 0, n);
        return;
      }
      this.keep(chunk, 0, nl);
      this.sink(this.carry, 0, this.carryLength, this.next++, this.carryOverflow);
      this.carryLength = 0;
      this.carryOverflow = false;
      start = nl + 1;
    }
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      if (nl - start > MAX_LINE_BYTES) this.sink(chunk, start, start + MAX_LINE_BYTES, this.next++, true);
      else this.sink(chunk, start, nl, this.next++, false);
      start = nl + 1;
    }
    if (start < n) this.keep(chunk, start, n);
  }

  /** The last line when the input does not end with `\n`. */
  end(): void {
    if (this.carryLength === 0 && !this.carryOverflow) return;
    this.sink(this.carry, 0, this.carryLength, this.next++, this.carryOverflow);
    this.carryLength = 0;
    this.carryOverflow = false;
  }

  /** Lines handed out so far. */
  get count(): number {
    return this.next - 1;
  }

  /** Hold the start of an unfinished line (at most MAX_LINE_BYTES of it). */
  private keep(chunk: Uint8Array, from: number, to: number): void {
    const room = MAX_LINE_BYTES - this.carryLength;
    let take = to - from;
    if (take > room) {
      this.carryOverflow = true;
      take = room;
    }
    if (take <= 0) return;
    const need = this.carryLength + take;
    if (need > this.carry.length) {
      const grown = new Uint8Array(Math.min(MAX_LINE_BYTES, Math.max(need, this.carry.length * 2)));
      grown.set(this.carry.subarray(0, this.carryLength));
      this.carry = grown;
    }
    this.carry.set(chunk.subarray(from, from + take), this.carryLength);
    this.carryLength = need;
  }
}
