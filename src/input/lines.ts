/**
 * Text to numbered lines, as the contract counts them: a line number is 1 + the number of `\n`
 * before it; a lone `\r` is not a line break; the empty remainder after a final `\n` is not a line.
 * Streaming: text arrives in chunks of any size.
 */

export interface RawLine {
  /** 1-based line number */
  no: number;
  /** the line without its `\n` and without trailing `\r`s */
  text: string;
  /** set when the line was longer than MAX_LINE_CHARS and `text` holds only its start */
  cut?: true;
}

/** Past this many characters a line is cut for classification (the rest is still counted). */
export const MAX_LINE_CHARS = 64 * 1024;

export class LineSplitter {
  private carry = "";
  private carryTooLong = false;
  private next = 1;

  /** Feed a chunk; returns the complete lines it finished. */
  push(chunk: string): RawLine[] {
    const out: RawLine[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf("\n", start);
      if (nl < 0) break;
      let piece = chunk.slice(start, Math.min(nl, start + MAX_LINE_CHARS));
      let cut = nl - start > MAX_LINE_CHARS;
      if (this.carry.length > 0 || this.carryTooLong) {
        cut = cut || this.carryTooLong || this.carry.length + piece.length > MAX_LINE_CHARS;
        piece = (this.carry + piece).slice(0, MAX_LINE_CHARS);
        this.carry = "";
        this.carryTooLong = false;
      }
      out.push(cut ? { no: this.next++, text: trimCarriageReturns(piece), cut: true } : { no: this.next++, text: trimCarriageReturns(piece) });
      start = nl + 1;
    }
    if (start < chunk.length) {
      // Keep at most MAX_LINE_CHARS of an unfinished line: a 1 GB line must not be held whole.
      const room = MAX_LINE_CHARS - this.carry.length;
      const restLength = chunk.length - start;
      if (restLength > room) this.carryTooLong = true;
      if (room > 0) this.carry += chunk.slice(start, start + Math.min(room, restLength));
    }
    return out;
  }

  /** The last line when the text does not end with `\n`. */
  end(): RawLine[] {
    if (this.carry.length === 0 && !this.carryTooLong) return [];
    const text = trimCarriageReturns(this.carry);
    const cut = this.carryTooLong;
    this.carry = "";
    this.carryTooLong = false;
    return [cut ? { no: this.next++, text, cut: true } : { no: this.next++, text }];
  }

  /** Lines handed out so far. */
  get count(): number {
    return this.next - 1;
  }
}

function trimCarriageReturns(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 13) end--;
  return own(end === s.length ? s : s.slice(0, end));
}

/**
 * A line that does not keep its whole chunk alive. Engines return slices of a string as views of
 * the original; a record that outlives its chunk (a flow's address) would then pin every chunk it
 * came from. Concatenating first makes the line its own string.
 */
function own(s: string): string {
  return (" " + s).slice(1);
}

/** All lines of a whole text (convenience over LineSplitter). */
export function splitLines(text: string): RawLine[] {
  const splitter = new LineSplitter();
  const lines = splitter.push(text);
  for (const l of splitter.end()) lines.push(l);
  return lines;
}
