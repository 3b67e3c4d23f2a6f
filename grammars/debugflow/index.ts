/**
 * The debug-flow line grammar's entry points (../shared/spec/debug-flow.md §2):
 *
 * - `classifyTraceLine(text)`: the records on one line, or null when the line is not debug-flow
 *   output (the sniffer grammar keeps it). Stateless: an unterminated message is returned as a
 *   record with `closed: false`.
 * - `TraceLineJoiner`: the same, line after line, re-joining what a PDF or a blog hard-wrapped
 *   inside `msg="` (S12, S15, the 5.0 help) and a `msg=` split from its value by a blank line
 *   (S04). Each line gets a shape; `kind: "other"` marks a line that is not debug-flow output but
 *   ended a record left open on an earlier line (the record is delivered with it).
 * - `parsePacketMessage(msg)`: the fields of a `received a packet` message.
 *
 * The lexers and the parser are built once at module load and reused for every line.
 */
import { packetLexer, traceLexer } from "./tokens.js";
import { NO_TRACE_ID, traceLineParser, type TraceLineParse } from "./parser.js";
import type { PacketLineShape, TraceLineShape, TraceRecordShape } from "./shapes.js";

export type { PacketLineShape, TraceLineShape, TraceRecordShape } from "./shapes.js";
export { splitLastColon, NO_TRACE_ID } from "./parser.js";

/** A record's message is re-joined over at most this many continuation lines. */
export const MAX_CONTINUATIONS = 3;
/** ... and up to this many characters. */
const MAX_JOINED = 2048;
/** A continuation line without the closing quote is at most this long (a wrapped PDF line). */
const MAX_OPEN_CONTINUATION = 200;

/**
 * Light clean-up for text that did not go through `cleanLine`: HTML entities (`-&gt;`, S06),
 * smart quotes, non-breaking spaces, Markdown bold (`**...**`, S04), surrounding blanks.
 */
export function precleanTrace(text: string): string {
  let s = text;
  if (s.includes("&")) s = s.replace(/&(gt|lt|amp|quot|apos|#39|#34|nbsp);/g, (_, name: string) => ENTITIES[name] ?? "");
  if (/[\u00a0\u2018\u2019\u201c\u201d]/.test(s)) s = s.replace(/\u00a0/g, " ").replace(/[\u201c\u201d]/g, '"').replace(/[\u2018\u2019]/g, "'");
  if (s.includes("**")) s = s.replace(/\*\*+/g, "");
  return s.trim();
}

const ENTITIES: Record<string, string> = { gt: ">", lt: "<", amp: "&", quot: '"', apos: "'", "#39": "'", "#34": '"', nbsp: " " };

/**
 * A record copied without its `id=... trace_id=...` prefix: `func=F line=N msg="..."` or a bare
 * `msg="..."` at the start of the line (KB pastes).
 */
const PREFIXLESS = /^(?:(?:func=[^\s"]+|line=\d+)\s+)*msg="/;

/** Lex and parse one (cleaned) text as debug-flow records; null when it is not. */
function parseTraceText(text: string): TraceLineParse | null {
  if (!text.includes("trace_id=") && !PREFIXLESS.test(text)) return null;
  const lexed = traceLexer.tokenize(text);
  if (lexed.errors.length > 0 || lexed.tokens.length === 0) return null;
  traceLineParser.input = lexed.tokens;
  const parsed = traceLineParser.traceLine();
  if (traceLineParser.errors.length > 0) return null;
  return parsed;
}

/** The fields of a `received a packet` message; null when the message is something else. */
export function parsePacketMessage(msg: string): PacketLineShape | null {
  if (!msg.includes("received a packet")) return null;
  const lexed = packetLexer.tokenize(msg);
  if (lexed.errors.length > 0) return null;
  traceLineParser.input = lexed.tokens;
  const shape = traceLineParser.packetMessage();
  if (traceLineParser.errors.length > 0) return null;
  return shape;
}

/** Where each physical line starts in a joined text. */
interface Segment {
  no: number;
  start: number;
}

function finishRecords(records: TraceRecordShape[], text: string, segments: Segment[]): TraceRecordShape[] {
  for (const r of records) {
    r.text = text.slice(r.start, r.end);
    r.packet = parsePacketMessage(r.msg);
    if (segments.length > 0) r.lines = linesOf(segments, r.start, r.end, text.length);
  }
  return records;
}

function linesOf(segments: Segment[], start: number, end: number, length: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i] as Segment;
    const segEnd = segments[i + 1]?.start ?? length;
    if (s.start < end && segEnd > start) out.push(s.no);
  }
  return out;
}

/**
 * The records on one line, or null when the line is not debug-flow output. Text is expected as
 * `cleanLine` leaves it; raw pasted text works too (see `precleanTrace`).
 */
export function classifyTraceLine(text: string): TraceLineShape | null {
  const clean = precleanTrace(text);
  const parsed = parseTraceText(clean);
  if (parsed === null) return null;
  // without `trace_id=`, only a `received a packet` record starts a trace (the joiner numbers the rest)
  const records = finishRecords(parsed.records, clean, []).filter((r) => r.traceId !== NO_TRACE_ID || r.packet !== null);
  if (records.length === 0) return null;
  return { kind: "trace", records, open: parsed.open, continuation: false, comment: parsed.comment };
}

/** Sniffer output, prompts, headings: never the rest of a wrapped message. */
const OTHER_OUTPUT =
  /^(?:\d{1,10}\.\d{1,9}\s|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d|0x[0-9a-fA-F]{4}\s|interfaces=\[|filters=\[|#|[A-Za-z0-9][\w.-]{0,40}(?: \([^)]{0,40}\))? ?[#$]\s)/;

/** Printable ASCII only. */
const PLAIN = /^[\x20-\x7e]+$/;

/** A tuple cut inside its `->` (`(proto=1, 10.1.1.10:512-`). */
const WRAPPED_ARROW = /\(proto=\d{1,3},\s*[0-9A-Za-z.:]{1,60}:\d{1,5}-$/;

interface Pending {
  /** the open record's text so far (from its first character) */
  text: string;
  segments: Segment[];
  continuations: number;
  /** `msg=` with no value yet (S04: the value follows after a blank line) */
  empty: boolean;
}

/** One physical line as the joiner sees it. */
export interface TraceLineInput {
  no: number;
  text: string;
}

/**
 * Line-by-line classification with wrapped messages re-joined. Feed every line in order (blank
 * lines may be fed or skipped: they never end an open record); call `end()` after the last one.
 */
export class TraceLineJoiner {
  private pending: Pending | null = null;
  /** records without `trace_id=`: each `received a packet` starts the next one (-1, -2, ...) */
  private unnumbered = 0;

  /** A record is waiting for the rest of its message. */
  get open(): boolean {
    return this.pending !== null;
  }

  push(line: TraceLineInput): TraceLineShape | null {
    const text = precleanTrace(line.text);
    const p = this.pending;
    if (p === null) return this.own(line.no, text);
    if (text === "") return null;
    const own = parseTraceText(text);
    if (own === null && this.continues(p, text)) {
      const joined = this.join(p, line.no, text);
      if (joined !== null) return joined;
    }
    const flushed = this.flush();
    const read = own === null ? null : this.shapeOf(own, text, [{ no: line.no, start: 0 }], false);
    const shape = read !== null && read.records.length === 0 && !read.open ? null : read;
    if (shape === null) return flushed.length === 0 ? null : { kind: "other", records: flushed, open: false, continuation: false, comment: null };
    if (flushed.length > 0) {
      // in place (the array may be shared), without a spread
      const rest = shape.records.splice(0);
      for (const r of flushed) shape.records.push(r);
      for (const r of rest) shape.records.push(r);
    }
    return shape;
  }

  /** The record still open at the end of the input, as read. */
  end(): TraceRecordShape[] {
    return this.flush();
  }

  private own(no: number, text: string): TraceLineShape | null {
    const parsed = parseTraceText(text);
    if (parsed === null) return null;
    const shape = this.shapeOf(parsed, text, [{ no, start: 0 }], false);
    return shape.records.length === 0 && !shape.open ? null : shape;
  }

  /**
   * Number the records printed without `trace_id=`: each `received a packet` starts a trace. Such
   * records before the first of them are loose quotes (a KB's list of error messages), not a trace.
   */
  private number(records: TraceRecordShape[]): TraceRecordShape[] {
    const kept: TraceRecordShape[] = [];
    for (const r of records) {
      if (r.traceId === NO_TRACE_ID) {
        if (r.packet !== null) this.unnumbered++;
        if (this.unnumbered === 0) continue;
        r.traceId = -this.unnumbered;
      }
      kept.push(r);
    }
    return kept;
  }

  private shapeOf(parsed: TraceLineParse, text: string, segments: Segment[], continuation: boolean): TraceLineShape {
    const all = finishRecords(parsed.records, text, segments);
    if (parsed.open) {
      // the open record is numbered once its message is complete (join or flush)
      const last = all.pop() as TraceRecordShape;
      this.hold(last, text, segments, 0);
    }
    return { kind: "trace", records: this.number(all), open: parsed.open, continuation, comment: parsed.comment };
  }

  private hold(record: TraceRecordShape, text: string, segments: Segment[], continuations: number): void {
    const start = record.start;
    const kept: Segment[] = [];
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i] as Segment;
      const segEnd = segments[i + 1]?.start ?? text.length;
      if (segEnd > start) kept.push({ no: s.no, start: Math.max(0, s.start - start) });
    }
    this.pending = { text: text.slice(start), segments: kept, continuations, empty: record.msg === "" };
  }

  private continues(p: Pending, text: string): boolean {
    if (OTHER_OUTPUT.test(text)) return false;
    if (p.empty) return text.startsWith('"');
    if (text.includes('"')) return true;
    // without the closing quote: a short, plain-ASCII line (a wrapped PDF line, not prose in another script)
    return p.continuations + 1 < MAX_CONTINUATIONS && text.length <= MAX_OPEN_CONTINUATION && PLAIN.test(text);
  }

  private join(p: Pending, no: number, text: string): TraceLineShape | null {
    // a break right after `-` is inside a word (`session-` / `00029409`, `512-` / `>10.2.2.10:8)`);
    // `cleanLine` takes the `>` of a wrapped `->` for a Markdown quote marker: put it back
    const sep = p.empty ? "" : p.text.endsWith("-") ? (WRAPPED_ARROW.test(p.text) && !text.startsWith(">") ? ">" : "") : " ";
    const joined = p.text + sep + text;
    const parsed = parseTraceText(joined);
    if (parsed === null) return null;
    const segments = [...p.segments, { no, start: p.text.length + sep.length }];
    this.pending = null;
    const records = finishRecords(parsed.records, joined, segments);
    let open = parsed.open;
    if (open) {
      const last = records[records.length - 1] as TraceRecordShape;
      if (p.continuations + 1 >= MAX_CONTINUATIONS || joined.length > MAX_JOINED) open = false;
      else {
        records.pop();
        this.hold(last, joined, segments, p.continuations + 1);
      }
    }
    return { kind: "trace", records: this.number(records), open, continuation: true, comment: parsed.comment };
  }

  private flush(): TraceRecordShape[] {
    const p = this.pending;
    if (p === null) return [];
    this.pending = null;
    const parsed = parseTraceText(p.text);
    if (parsed === null) return [];
    return this.number(finishRecords(parsed.records, p.text, p.segments));
  }
}
