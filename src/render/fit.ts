/**
 * Terminal text that fits: tables sized to the terminal's width (cli-table3 `colWidths` +
 * `wordWrap`, widths measured with string-width so wide characters count twice) and prose wrapped
 * without splitting a number from its unit or a `code span`.
 */
import Table from "cli-table3";
import stringWidth from "string-width";

/** The largest number of a list, 0 for none (a reduce: a list of any length, no spread). */
function maxOf(xs: readonly number[]): number {
  let m = 0;
  for (const x of xs) if (x > m) m = x;
  return m;
}

/** Keeps "5.64 ms", "3 requests", "UDP/53" and `code spans` whole when wrapping. */
const GLUE = "\u2060"; // WORD JOINER stands in for a space that must not break
const UNIT = /(\d) (ms|µs|s|B|KB|MB|GB|bytes?|packets?|requests?|replies|servers?|times?|%)(?=$|[\s,.;:)–\-/])/g;

function glue(text: string): string {
  return text.replace(/`[^`\n]+`/g, (span) => span.replace(/ /g, GLUE)).replace(UNIT, `$1${GLUE}$2`);
}

function unglue(text: string): string {
  return text.replace(new RegExp(GLUE, "g"), " ");
}

/** Display width (wide characters count twice, escape codes count nothing). */
export function displayWidth(text: string): number {
  return stringWidth(text.replace(new RegExp(GLUE, "g"), " "));
}

/** Tokens longer than this may break across lines (a long path); shorter ones never do. */
const LONG_TOKEN = 30;

/** A word wider than `max` columns (a path) in pieces of at most `max` columns. */
function breakWord(word: string, max: number): string[] {
  // a token up to LONG_TOKEN columns (an address, an escaped control sequence, a code span) stays whole;
  // a table column widens for it rather than cut it
  if (displayWidth(word) <= max || max < 4 || displayWidth(word) <= LONG_TOKEN) return [word];
  // a longer code span breaks at its own spaces; a number keeps its unit
  if (word.includes(GLUE)) {
    const out: string[] = [];
    let line = "";
    for (const part of word.split(GLUE)) {
      if (line !== "" && displayWidth(`${line} ${part}`) > max) {
        out.push(line);
        line = part;
      } else line = line === "" ? part : `${line}${GLUE}${part}`;
    }
    if (line !== "") out.push(line);
    return out;
  }

  const out: string[] = [];
  let piece = "";
  for (const ch of word) {
    if (displayWidth(piece + ch) > max) {
      out.push(piece);
      piece = "";
    }
    piece += ch;
  }
  if (piece !== "") out.push(piece);
  return out;
}

/** Word-wrap to `width` columns with `indent` spaces before every line; numbers keep their units. */
export function wrap(text: string, width: number, indent: number): string[] {
  const out: string[] = [];
  for (const para of text.split("\n")) {
    let line = "";
    for (const word of glue(para).split(/ +/).flatMap((w) => breakWord(w, Math.max(1, width - indent)))) {
      if (line.length > 0 && indent + displayWidth(line) + 1 + displayWidth(word) > width) {
        out.push(" ".repeat(indent) + unglue(line));
        line = word;
      } else line = line.length > 0 ? `${line} ${word}` : word;
    }
    out.push(" ".repeat(indent) + unglue(line));
  }
  return out;
}


export interface FitOptions {
  head: string[];
  rows: string[][];
  /** the width to fit (terminal columns) */
  width: number;
  color: boolean;
  /** no box drawing: columns separated by two spaces (plain text for ticket systems) */
  plain?: boolean;
}

const PLAIN_CHARS = {
  top: "",
  "top-mid": "",
  "top-left": "",
  "top-right": "",
  bottom: "",
  "bottom-mid": "",
  "bottom-left": "",
  "bottom-right": "",
  left: "",
  "left-mid": "",
  mid: "",
  "mid-mid": "",
  right: "",
  "right-mid": "",
  middle: "  ",
};

/**
 * Column widths (including cli-table3's one-space padding on each side) that fit `width`: the
 * natural widths when they fit, else the widest columns are narrowed first, never below their
 * longest unbreakable word (or 8 columns).
 */
export function fitWidths(head: string[], rows: string[][], width: number, plain = false): number[] {
  const n = head.length;
  const pad = plain ? 0 : 2;
  const natural = head.map((h, i) => rows.reduce((w, r) => Math.max(w, maxOf(String(r[i] ?? "").split("\n").map(displayWidth))), displayWidth(h)) + pad);
  // a token up to LONG_TOKEN columns (a number with its unit, an address, a code span) never breaks
  const tokenMin = (t: string) => Math.min(LONG_TOKEN, displayWidth(t));
  const minimum = head.map((h, i) =>
    Math.min(natural[i] ?? 0, Math.max(6, displayWidth(h) + pad, maxOf(rows.map((r) => maxOf(glue(String(r[i] ?? "")).split(/[\s\n]+/).map(tokenMin)) + pad)))),
  );
  const borders = plain ? 2 * (n - 1) : n + 1;
  const widths = [...natural];
  let total = widths.reduce((a, b) => a + b, 0) + borders;
  while (total > width) {
    // narrow the widest column that can still give; the first column (what the row is: an input's
    // path, a service) gives last, so paths stay whole while the prose beside them can wrap
    let best = -1;
    for (let pass = 0; pass < 2 && best < 0; pass++) {
      let wide = 0;
      widths.forEach((w, i) => {
        if (pass === 0 && i === 0) return;
        if (w > (minimum[i] ?? 0) && w > wide) {
          wide = w;
          best = i;
        }
      });
    }
    if (best < 0) break;
    widths[best] = (widths[best] ?? 0) - 1;
    total--;
  }
  return widths;
}

/** Rows as blocks of `name: value` lines: for a terminal too narrow for the columns. */
function stacked(o: FitOptions): string {
  const label = o.head.reduce((w, h) => Math.max(w, displayWidth(h)), -Infinity);
  const blocks = o.rows.map((r) =>
    o.head
      .flatMap((h, i) => {
        const value = String(r[i] ?? "").split("\n").join(", ");
        const [first = "", ...rest] = wrap(value, Math.max(10, o.width - label - 2), 0);
        return [`${h.padEnd(label)}  ${first}`, ...rest.map((l) => `${" ".repeat(label + 2)}${l}`)];
      })
      .join("\n"),
  );
  return blocks.join("\n\n");
}

/** A table that fits `width` (wrapped cells), boxed or plain; rows stacked when the columns cannot fit. */
export function fitTable(o: FitOptions): string {
  const widths = fitWidths(o.head, o.rows, o.width, o.plain);
  if (widths.reduce((a, b) => a + b, 0) + (o.plain ? 2 * (widths.length - 1) : widths.length + 1) > o.width) return stacked(o);
  // cells are wrapped here (numbers keep their units, long paths break) rather than by cli-table3, which cuts long words
  const pad = o.plain ? 0 : 2;
  const cell = (text: string, i: number) => text.split("\n").flatMap((l) => wrap(l, Math.max(1, (widths[i] ?? 10) - pad), 0)).join("\n");
  const cells = o.rows.map((r) => r.map(cell));
  // a cell is never cut: a column whose wrapped text is still wider (an unbreakable token) widens
  cells.forEach((r) => r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, maxOf(c.split("\n").map((l) => displayWidth(l) + pad))))));
  const table = new Table({
    head: o.head,
    colWidths: widths,
    style: o.plain ? { head: [], border: [], "padding-left": 0, "padding-right": 0 } : o.color ? { head: ["bold"], border: ["grey"] } : { head: [], border: [] },
    ...(o.plain ? { chars: PLAIN_CHARS } : {}),
  });
  for (const r of cells) table.push(r);
  const text = table.toString();
  return o.plain ? text.split("\n").map((l) => l.trimEnd()).filter((l) => l !== "").join("\n") : text;
}
