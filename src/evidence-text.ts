/**
 * Evidence quoted verbatim: the analysis quotes each evidence line as it re-renders the packet
 * (`<NAS-IP>` for `<NAS-IP>.XXXXX`, a normalised time); the caller, who still has the input, swaps
 * in the input's own line, cleaned only of paste noise (markdown quote prefixes, terminal escapes)
 * as the parser saw it (packet and trailer lines; trace lines keep their reader's text). Pure: the caller supplies the lines (the CLI re-reads the file, the web
 * page has the text).
 */
import { classifyLine } from "../grammars/sniffer/index.js";
import { cleanLine } from "./input/clean.js";
import { LineSplitter } from "./input/lines.js";
import type { Verdict } from "./report.js";

/** The input lines the verdicts quote, by input. */
export function wantedLines(verdicts: readonly Pick<Verdict, "source" | "evidence">[]): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (const v of verdicts) {
    let set = out.get(v.source);
    if (set === undefined) {
      set = new Set();
      out.set(v.source, set);
    }
    for (const e of v.evidence) set.add(e.line);
  }
  return out;
}

/** Swap each evidence text of `source` for its input line (when that line was found and is not blank). */
export function quoteVerbatim(verdicts: readonly Pick<Verdict, "source" | "evidence">[], source: string, lines: ReadonlyMap<number, string>): void {
  for (const v of verdicts) {
    if (v.source !== source) continue;
    for (const e of v.evidence) {
      const raw = lines.get(e.line);
      if (raw === undefined) continue;
      const text = cleanLine(raw).text;
      // packet and trailer lines only: a debug-flow trace line is quoted by its own reader, which undoes PDF wrapping
      const kind = text === "" ? null : classifyLine(text).shape.kind;
      if (kind === "header" || kind === "trailer") e.text = text;
    }
  }
}

/** Collects the wanted lines of a text fed in chunks (numbered as the parser numbers them). */
export class LinePicker {
  private readonly splitter = new LineSplitter();
  private readonly last: number;
  readonly lines = new Map<number, string>();

  constructor(private readonly wanted: ReadonlySet<number>) {
    let last = 0;
    for (const w of wanted) if (w > last) last = w;
    this.last = last;
  }

  /** false once every wanted line was seen (the rest of the input need not be read) */
  push(text: string): boolean {
    for (const l of this.splitter.push(text)) if (this.wanted.has(l.no)) this.lines.set(l.no, l.text);
    return this.splitter.count < this.last;
  }

  end(): Map<number, string> {
    for (const l of this.splitter.end()) if (this.wanted.has(l.no)) this.lines.set(l.no, l.text);
    return this.lines;
  }
}

/** The wanted lines of a whole text. */
export function pickLines(text: string, wanted: ReadonlySet<number>): Map<number, string> {
  const p = new LinePicker(wanted);
  p.push(text);
  return p.end();
}
