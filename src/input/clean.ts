/**
 * Per-line clean-up of what pasting does to sniffer output, before the grammar sees the line:
 * terminal edit sequences (backspace, ANSI CSI/OSC), HTML entities, non-breaking and other
 * Unicode spaces, smart quotes, markdown residue (`>` quote prefixes, `**bold**`, code fences)
 * and indentation (kept as a number so continuation lines can still be told apart).
 *
 * Pure and line-local, so it streams. The fast path (plain ASCII line) allocates nothing new.
 */

export interface CleanLine {
  /** the cleaned text, without leading and trailing white space */
  text: string;
  /** columns of leading white space (tabs count 8) after quote prefixes are removed */
  indent: number;
  /** a markdown code fence line (```` ``` ````, `~~~`) */
  fence: boolean;
  /**
   * The first control character found in the line that is not a terminal edit (NUL, a lone CR,
   * NEL U+0085, a bidi override…), as a code point, or -1. Each such character was read as a
   * space; the assembler reports it, so the change of meaning is never silent.
   */
  control: number;
}

// Characters that send a line down the slow path.
// eslint-disable-next-line no-control-regex
const NEEDS_WORK = /[\x00-\x08\x0b-\x1f\x7f-\x9f&\u00a0\u2000-\u200f\u2018\u2019\u201c\u201d\u2028-\u202f\u2066-\u2069\u3000\ufeff*]/;

/**
 * Control characters that are not terminal edits: each is read as a space and reported. C0 except
 * TAB, BS and ESC (replayed as terminal edits), DEL, C1 (NEL U+0085, CSI U+009B…), the line and
 * paragraph separators, the bidi controls.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x07\x0a-\x1a\x1c-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const CONTROL_ALL = /[\x00-\x07\x0a-\x1a\x1c-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

export function cleanLine(raw: string): CleanLine {
  let s = raw;
  let control = -1;
  if (NEEDS_WORK.test(s)) {
    // eslint-disable-next-line no-control-regex
    if (/[\x08\x1b]/.test(s)) s = replayTerminalEdits(s);
    const m = CONTROL.exec(s);
    if (m !== null) {
      control = m[0].charCodeAt(0);
      s = s.replace(CONTROL_ALL, " ");
    }
    s = slowClean(s);
  } else if (startsWithQuote(s)) s = stripQuotePrefix(s);
  let i = 0;
  let indent = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 32) indent++;
    else if (c === 9) indent = indent + 8 - (indent % 8);
    else break;
    i++;
  }
  let end = s.length;
  while (end > i) {
    const c = s.charCodeAt(end - 1);
    if (c !== 32 && c !== 9) break;
    end--;
  }
  const text = i === 0 && end === s.length ? s : s.slice(i, end);
  const fence = text.startsWith("```") || text.startsWith("~~~");
  return { text, indent, fence, control };
}

function slowClean(input: string): string {
  let s = input;
  // what is left of terminal edits (a stray BS or ESC) and byte-order marks carry no meaning
  // eslint-disable-next-line no-control-regex
  s = s.replace(/[\x08\x1b\ufeff]/g, "");
  if (s.includes("&")) s = decodeEntities(s);
  s = s.replace(/[\u00a0\u2000-\u200a\u202f\u3000]/g, " ").replace(/\u200b/g, "");
  s = s.replace(/[\u201c\u201d]/g, '"').replace(/[\u2018\u2019]/g, "'");
  s = stripQuotePrefix(s);
  if (s.includes("**")) s = s.replace(/\*\*([^*\s][^*]*?)\*\*/g, "$1");
  return s;
}

function startsWithQuote(s: string): boolean {
  const c = s.charCodeAt(0);
  if (c === 62) return true;
  return (c === 32 || c === 9) && s.trimStart().startsWith(">");
}

/** `> `, `>`, `> > ` markdown quote prefixes (only before text that could be capture output). */
function stripQuotePrefix(s: string): string {
  let i = 0;
  while (i < s.length && (s[i] === " " || s[i] === "\t")) i++;
  if (s[i] !== ">") return s;
  let j = i;
  while (j < s.length && (s[j] === ">" || s[j] === " ")) j++;
  // a quoted empty line (`>` alone) is an empty line; `-> ` never starts a line
  return s.slice(0, i) + s.slice(j);
}

const NAMED_ENTITIES: Record<string, string> = {
  gt: ">",
  lt: "<",
  amp: "&",
  quot: '"',
  apos: "'",
  nbsp: " ",
  "#39": "'",
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,6}|#39);/g, (whole, name: string) => {
    const named = NAMED_ENTITIES[name];
    if (named !== undefined) return named;
    if (name.startsWith("#x")) return safeFromCodePoint(parseInt(name.slice(2), 16), whole);
    if (name.startsWith("#")) return safeFromCodePoint(parseInt(name.slice(1), 10), whole);
    return whole;
  });
}

function safeFromCodePoint(cp: number, fallback: string): string {
  return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : fallback;
}

/** The widest line a replay builds: a terminal's row, generously (sniffer lines are < 200 columns). */
export const MAX_REPLAY_COLUMNS = 4096;

/**
 * Inserts and deletes (`ESC[n@`, `ESC[nP`) replayed per line; each shifts the rest of the line.
 * An echoed command holds a handful; past this many the line is not a terminal's echo and the
 * further ones are dropped like other sequences, so a line costs at most this × the width.
 */
export const MAX_REPLAY_SHIFTS = 256;

/**
 * Replays what a terminal did with the echoed command: characters overwrite at the cursor,
 * backspace and `ESC[nD` move left, `ESC[nC` right, `ESC[K` erases to the end, `ESC[nP` deletes,
 * `ESC[n@` inserts blanks; other CSI and OSC (window title) sequences are dropped.
 *
 * Like a terminal, the replay has a width: the line's own length, at most MAX_REPLAY_COLUMNS.
 * Counts in sequences (`ESC[2000000000C`) are clamped to it and nothing is written past it, so
 * the result is never longer than the input; at most MAX_REPLAY_SHIFTS inserts/deletes are
 * replayed, so the work is linear in the line's length plus a bounded amount.
 */
export function replayTerminalEdits(s: string): string {
  const width = Math.min(s.length, MAX_REPLAY_COLUMNS);
  let shifts = 0;
  const buf: string[] = [];
  let cursor = 0;
  let i = 0;
  const put = (ch: string): void => {
    if (cursor >= width) return;
    if (cursor < buf.length) buf[cursor] = ch;
    else {
      while (buf.length < cursor) buf.push(" ");
      buf.push(ch);
    }
    cursor++;
  };
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 8) {
      if (cursor > 0) cursor--;
      i++;
      continue;
    }
    if (c === 0x1b) {
      const next = s[i + 1];
      if (next === "[") {
        let j = i + 2;
        let n = 0;
        let digits = true;
        while (j < s.length) {
          const d = s.charCodeAt(j);
          if (d >= 48 && d <= 57) {
            // clamped as it is read: a count never exceeds the width
            if (digits) n = Math.min(width, n * 10 + (d - 48));
          } else if (d === 59 || d === 63) digits = false; // `;` `?`: only the first parameter counts
          else break;
          j++;
        }
        const final = s[j];
        n = Math.max(1, n);
        switch (final) {
          case "K":
            buf.length = Math.min(buf.length, cursor);
            break;
          case "D":
            cursor = Math.max(0, cursor - n);
            break;
          case "C":
            // like a terminal: the cursor stops at the last column
            cursor = Math.min(Math.max(0, width - 1), cursor + n);
            break;
          case "P":
            if (cursor < buf.length && shifts++ < MAX_REPLAY_SHIFTS) buf.splice(cursor, n);
            break;
          case "@":
            if (shifts++ < MAX_REPLAY_SHIFTS) insertBlanks(buf, cursor, n, width);
            break;
          default:
            break;
        }
        i = final === undefined ? j : j + 1;
        continue;
      }
      if (next === "]") {
        // OSC: up to BEL or ESC \
        let j = i + 2;
        while (j < s.length && s.charCodeAt(j) !== 7 && !(s.charCodeAt(j) === 0x1b && s[j + 1] === "\\")) j++;
        i = j < s.length ? (s.charCodeAt(j) === 7 ? j + 1 : j + 2) : j;
        continue;
      }
      i += next === undefined ? 1 : 2;
      continue;
    }
    put(s[i] as string);
    i++;
  }
  return buf.join("");
}

/** `ESC[n@` at the cursor: blanks shift the rest right; what passes the width falls off. */
function insertBlanks(buf: string[], cursor: number, n: number, width: number): void {
  if (cursor >= buf.length) return; // nothing to shift: the cursor already stands past the text
  const oldLength = buf.length;
  const newLength = Math.min(width, oldLength + n);
  while (buf.length < newLength) buf.push(" ");
  // shift right from the end, in place (no spread, no temporary array)
  for (let k = newLength - 1; k >= cursor + n; k--) buf[k] = buf[k - n] as string;
  for (let k = cursor; k < Math.min(cursor + n, newLength); k++) buf[k] = " ";
}
