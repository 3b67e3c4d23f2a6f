/**
 * Assembly: numbered lines in, records out. Groups lines into captures (several per input),
 * packets with their continuation notes and hex rows (joined by offset), and diagnostics; counts
 * every line in exactly one class. Streaming: memory holds one packet and one capture at a time.
 */
import { classifyLine, decodeHexRow, type HeaderShape, type LineShape, type PreambleItem } from "../../grammars/sniffer/index.js";
import { hexRowScan, scanHeader, scanHexRow } from "../../grammars/sniffer/fast.js";
import { keepDump } from "./dumps.js";
import { cleanLine } from "../input/clean.js";
import { MAX_LINE_CHARS, type RawLine } from "../input/lines.js";
import {
  LINE_CLASSES,
  type CaptureRecord,
  type DiagnosticCode,
  type DiagnosticRecord,
  type LineClass,
  type PacketRecord,
  type ParseRecord,
  type SummaryRecord,
  type Verbose,
} from "../records.js";
import { packetFromHeader, parseTimestamp, timestampProblem } from "./fields.js";
import { controlName } from "../safe-text.js";
import { TraceAssembler } from "./trace/assemble.js";
import type { TraceRecord } from "../contract/trace-record.js";

/** Trailer counters, reported when a capture's trailer has been read. */
export interface TrailerRecord {
  type: "trailer";
  source: string;
  capture: number;
  line: number;
  received: number | null;
  dropped: number | null;
}

export type AssembledRecord = ParseRecord | TrailerRecord | TraceRecord;

/** A capture's clock never runs backwards by more than this; when it does, another run begins. */
const BACKWARDS_GAP = 1;

/** Continuation lines kept under one header at most (spec §3.9). */
const MAX_NOTES = 3;

/**
 * The most bytes one packet's hex dump can hold when the command does not say (`frame size`):
 * the largest IP packet plus an Ethernet header with two VLAN tags. A row offset past a packet's
 * snap length is not filled with zeros: the packet keeps what was printed and a diagnostic says so.
 */
export const MAX_SNAPLEN = 65535 + 22;

interface OpenPacket {
  record: PacketRecord;
  headerIndent: number;
  hexLines: number[];
  /** bytes joined so far (in the assembler's `dump`) */
  size: number;
  notes: string[];
  /** diagnostics on the packet's own lines, emitted after it so output stays in input order */
  after: AssembledRecord[];
}

interface OpenCapture {
  record: CaptureRecord;
  /** captures are emitted once their first packet is complete (verbose can then be inferred) */
  emitted: boolean;
  packets: number;
  hasPreamble: boolean;
  sawInterfaces: boolean;
  sawFilters: boolean;
  verboseFromCommand: boolean;
  closed: boolean;
  /** the latest packet time seen */
  lastTs: number;
  /** the command's `frame size`, when it gives one */
  snaplen: number | null;
}

interface PendingCommand {
  line: number;
  command: string;
  args: string[];
}

export interface AssemblerOptions {
  /** read every line with the grammar, never the hand scanners (`SNIFFDIAG_GRAMMAR_ONLY=1`) */
  grammarOnly?: boolean;
  /** keep each packet's dump bytes beside its record for the exporter (`dumpBytes`) */
  keepDumps?: boolean;
}

/** `SNIFFDIAG_GRAMMAR_ONLY=1` in the environment (Node); false where there is no environment. */
export function grammarOnlyFromEnv(): boolean {
  return typeof process !== "undefined" && typeof process.env === "object" && process.env["SNIFFDIAG_GRAMMAR_ONLY"] === "1";
}

const utf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** The hex digits of bytes, two lowercase digits a byte. */
const HEX_DIGITS = new Uint8Array(16).map((_, i) => "0123456789abcdef".charCodeAt(i));

/** The `frame size` argument of a capture's command, as a bound on one packet's dump. */
function snapLength(cap: OpenCapture | null): number {
  const frame = cap?.snaplen ?? null;
  return frame !== null && frame > 0 && frame <= MAX_SNAPLEN ? frame : MAX_SNAPLEN;
}

export class Assembler {
  readonly source: string;
  private readonly grammarOnly: boolean;
  private readonly keepDumps: boolean;
  /** the open packet's dump bytes (one packet is open at a time) */
  private dump = new Uint8Array(4096);
  /** scratch for the hex digits of a dump, and for one hex row */
  private digits = new Uint8Array(8192);
  private readonly row = new Uint8Array(32);
  private out: AssembledRecord[] = [];
  /** records held back until the open capture's record is emitted, so output stays in input order */
  private held: AssembledRecord[] = [];
  private classes: Record<LineClass, number>;
  private lines = 0;
  /** lines counted in a class so far */
  private counted = 0;
  private captureCount = 0;
  private packetCount = 0;
  private capture: OpenCapture | null = null;
  private command: PendingCommand | null = null;
  private packet: OpenPacket | null = null;
  /** `diagnose debug flow` lines pasted with the capture: their own grammar and records */
  private readonly traces: TraceAssembler;
  /** orphan hex rows (no header): first line of the current run */
  private orphanRun: { first: number; rows: number } | null = null;

  constructor(source: string, options: AssemblerOptions = {}) {
    this.source = source;
    this.grammarOnly = options.grammarOnly ?? grammarOnlyFromEnv();
    this.keepDumps = options.keepDumps ?? false;
    this.traces = new TraceAssembler(source);
    this.classes = Object.fromEntries(LINE_CLASSES.map((c) => [c, 0])) as Record<LineClass, number>;
  }

  /**
   * Feed one line; returns the records it completed. A fault while reading the line costs that
   * line only: it is counted as unrecognized with a diagnostic naming it, and the input goes on.
   */
  push(line: RawLine): AssembledRecord[] {
    this.lines = Math.max(this.lines, line.no);
    const before = this.counted;
    try {
      this.handle(line);
    } catch (err) {
      if (this.counted === before) this.count("unrecognized");
      const why = err instanceof Error ? err.message : String(err);
      this.diagnostic(line.no, "internal-error", `this line could not be read (${why}); it was skipped`, line.text.slice(0, 200), "error");
    }
    return this.drain();
  }

  /**
   * Feed one line as UTF-8 bytes: `buf[start, end)` without its `\n` (see ByteLineReader). Hex
   * rows and well-formed headers of plain ASCII lines are read by the hand scanners (which read
   * exactly what the grammar reads, or decline); every other line is decoded and read as text.
   * Records collect until `take()`.
   */
  pushBytes(buf: Uint8Array, start: number, end: number, no: number, overflow: boolean): void {
    this.lines = Math.max(this.lines, no);
    if (!overflow && end - start <= MAX_LINE_CHARS) {
      if (!this.grammarOnly && this.fastLine(buf, start, end, no)) return;
      let e = end;
      while (e > start && buf[e - 1] === 13) e--;
      this.handle({ no, text: utf8.decode(buf.subarray(start, e)) });
      return;
    }
    const whole = utf8.decode(buf.subarray(start, end));
    const cut = overflow || whole.length > MAX_LINE_CHARS;
    let text = cut ? whole.slice(0, MAX_LINE_CHARS) : whole;
    let e = text.length;
    while (e > 0 && text.charCodeAt(e - 1) === 13) e--;
    if (e < text.length) text = text.slice(0, e);
    this.handle(cut ? { no, text, cut: true } : { no, text });
  }

  /** The records completed since the last call. */
  take(): AssembledRecord[] {
    return this.drain();
  }

  /**
   * A plain ASCII line (no control characters but TAB, nothing `cleanLine` would change but the
   * blanks around it, not debug-flow output) read without the grammar when it is blank, a hex row
   * that extends the open packet, or a header `scanHeader` knows. False (nothing done) for every
   * other line. `&` and `*` (entities, markdown bold: cleaning rewrites the text from there on) are
   * allowed only in a hex row's ASCII column, past everything the row scanner reads.
   */
  private fastLine(buf: Uint8Array, start: number, end: number, no: number): boolean {
    if (this.traces.joining) return false;
    let e = end;
    while (e > start && buf[e - 1] === 13) e--;
    let special = -1;
    for (let i = start; i < e; i++) {
      const c = buf[i] as number;
      if (c < 32) {
        if (c !== 9) return false;
      } else if (c > 126) return false;
      else if (c === 38 || c === 42) {
        // `&#10;` would become a line break inside the line, which the HexRow token stops at
        if (c === 38 && buf[i + 1] === 35) return false;
        if (special < 0) special = i;
      }
      // `trace_id=`: the debug-flow grammar's line
      else if (c === 61 && i - start >= 8 && buf[i - 1] === 100 && buf[i - 2] === 105 && buf[i - 3] === 95 && buf[i - 8] === 116) return false;
    }
    let s = start;
    let indent = 0;
    while (s < e) {
      const c = buf[s] as number;
      if (c === 32) indent++;
      else if (c === 9) indent = indent + 8 - (indent % 8);
      else break;
      s++;
    }
    let t = e;
    while (t > s && (buf[t - 1] === 32 || buf[t - 1] === 9)) t--;
    if (special >= 0) {
      // only a hex row whose scan ends (with a byte to spare) before the first `&` or `*`
      if (!scanHexRow(buf, s, t, this.row) || special <= hexRowScan.last + 1) return false;
      return this.fastHexRow(no, hexRowScan.offset, hexRowScan.count);
    }
    if (s === t) {
      this.count("blank");
      return true;
    }
    const first = buf[s] as number;
    if (first < 48 || first > 57) return false;
    if (scanHexRow(buf, s, t, this.row)) return this.fastHexRow(no, hexRowScan.offset, hexRowScan.count);
    const rawText = utf8.decode(buf.subarray(start, e));
    const text = s === start && t === e ? rawText : rawText.slice(s - start, t - start);
    const raw: RawLine = { no, text: rawText };
    const header = scanHeader(text);
    if (header === null) this.handle(raw);
    else this.header(raw, text, indent, header, null, -1);
    return true;
  }

  /** A hex row read by the scanner: appended when it simply continues the open packet; false otherwise. */
  private fastHexRow(no: number, offset: number, count: number): boolean {
    const p = this.packet;
    if (p === null || offset !== p.size || (offset === 0 && p.size > 0) || offset + count > snapLength(this.capture)) return false;
    this.count("hexRow");
    this.append(this.row, count);
    p.hexLines.push(no);
    return true;
  }

  /** Append bytes to the open packet's dump. */
  private append(bytes: Uint8Array, count: number): void {
    const p = this.packet as OpenPacket;
    const need = p.size + count;
    if (need > this.dump.length) {
      const grown = new Uint8Array(Math.max(need, this.dump.length * 2));
      grown.set(this.dump.subarray(0, p.size));
      this.dump = grown;
    }
    this.dump.set(count === bytes.length ? bytes : bytes.subarray(0, count), p.size);
    p.size = need;
  }

  /** Append lowercase hex digits (from `decodeHexRow`) to the open packet's dump. */
  private appendHex(hex: string): void {
    const count = hex.length >> 1;
    const bytes = count <= this.row.length ? this.row : new Uint8Array(count);
    for (let i = 0; i < count; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    this.append(bytes, count);
  }

  /** The open packet's dump as lowercase hex digits. */
  private dumpHex(size: number): string {
    if (this.digits.length < 2 * size) this.digits = new Uint8Array(2 * size);
    const d = this.digits;
    const b = this.dump;
    for (let i = 0, j = 0; i < size; i++, j += 2) {
      const v = b[i] as number;
      d[j] = HEX_DIGITS[v >> 4] as number;
      d[j + 1] = HEX_DIGITS[v & 15] as number;
    }
    return utf8.decode(d.subarray(0, 2 * size));
  }

  /** Feed one line of text; records collect until `take()`. */
  handleLine(line: RawLine): void {
    this.lines = Math.max(this.lines, line.no);
    this.handle(line);
  }

  /** Finish the input: close what is open and append the summary record. */
  end(): AssembledRecord[] {
    this.closePacket();
    this.closeOrphans();
    this.closeCapture();
    this.flushHeld();
    for (const t of this.traces.end()) this.out.push(t);
    const summary: SummaryRecord = {
      type: "summary",
      source: this.source,
      lines: this.lines,
      captures: this.captureCount,
      packets: this.packetCount,
      classes: this.classes,
    };
    this.out.push(summary);
    return this.drain();
  }

  private drain(): AssembledRecord[] {
    const r = this.out;
    this.out = [];
    return r;
  }

  private emit(record: AssembledRecord): void {
    if (this.packet !== null) this.packet.after.push(record);
    else if (this.capture !== null && !this.capture.emitted) this.held.push(record);
    else this.out.push(record);
  }

  private count(cls: LineClass): void {
    this.classes[cls]++;
    this.counted++;
  }

  private diagnostic(line: number, code: DiagnosticCode, message: string, text: string, severity: "warning" | "error" = "warning"): void {
    const d: DiagnosticRecord = { type: "diagnostic", source: this.source, line, severity, code, message, text };
    this.emit(d);
  }

  private handle(raw: RawLine): void {
    if (raw.cut !== true && this.traces.line(raw)) {
      this.count("trace");
      return;
    }
    const clean = cleanLine(raw.text);
    if (raw.cut === true) {
      this.count("unrecognized");
      this.diagnostic(raw.no, "line-too-long", `line longer than ${raw.text.length} characters; only its start was read`, raw.text.slice(0, 200));
      return;
    }
    if (clean.control >= 0) {
      this.diagnostic(raw.no, "control-character", `control character ${controlName(clean.control)} in the line; read as a space`, raw.text);
    }
    if (clean.text.length === 0) {
      this.count("blank");
      return;
    }
    if (clean.fence) {
      this.count("noise");
      return;
    }
    const { shape, comment, commentStart } = classifyLine(clean.text);
    switch (shape.kind) {
      case "hexRow":
        this.hexRow(raw, shape.image);
        return;
      case "header":
        this.header(raw, clean.text, clean.indent, shape.header, comment, commentStart);
        return;
      case "command":
        this.count("command");
        this.closePacket();
        this.closeOrphans();
        this.closeCapture();
        this.command = { line: raw.no, command: clean.text.slice(shape.startOffset, commentStart >= 0 ? commentStart : undefined).trim(), args: shape.args };
        return;
      case "preamble":
        this.count("preamble");
        this.preamble(raw.no, shape.items);
        return;
      case "trailer":
        this.count("trailer");
        this.trailer(raw.no, shape.field, shape.count);
        return;
      case "prompt":
        // back at the CLI prompt: whatever capture was running has ended
        this.count("noise");
        this.closePacket();
        this.closeOrphans();
        this.closeCapture();
        this.command = null;
        return;
      case "noise":
      case "unrecognized":
        this.leftover(raw, clean.text, clean.indent, shape);
        return;
    }
  }

  // ---- captures ------------------------------------------------------------------------------------

  private openCapture(line: number): OpenCapture {
    const cmd = this.command;
    this.command = null;
    const record: CaptureRecord = {
      type: "capture",
      source: this.source,
      index: this.captureCount++,
      line: cmd?.line ?? line,
      command: cmd?.command ?? null,
      interfaces: null,
      filter: null,
      verbose: null,
      timestamps: null,
      count: null,
      received: null,
      dropped: null,
      endLine: line,
    };
    let verboseFromCommand = false;
    let snaplen: number | null = null;
    if (cmd !== null) {
      const args = commandArgs(cmd.args);
      record.interfaces = args.iface;
      record.filter = args.filter;
      record.verbose = args.verbose;
      verboseFromCommand = args.verbose !== null;
      record.count = args.count;
      if (args.tsformat === "a" || args.tsformat === "l") record.timestamps = "absolute";
      snaplen = args.frameSize;
    }
    this.capture = {
      record,
      emitted: false,
      packets: 0,
      hasPreamble: false,
      sawInterfaces: false,
      sawFilters: false,
      verboseFromCommand,
      closed: false,
      lastTs: -Infinity,
      snaplen,
    };
    return this.capture;
  }

  private ensureCapture(line: number): OpenCapture {
    if (this.capture === null || this.capture.closed) {
      if (this.capture !== null) this.closeCapture();
      return this.openCapture(line);
    }
    return this.capture;
  }

  private emitCapture(cap: OpenCapture): void {
    if (cap.emitted) return;
    cap.emitted = true;
    this.out.push(cap.record);
    this.flushHeld();
  }

  private flushHeld(): void {
    if (this.held.length === 0) return;
    for (const r of this.held) this.out.push(r);
    this.held = [];
  }

  private closeCapture(): void {
    const cap = this.capture;
    if (cap === null) return;
    this.closePacket();
    this.emitCapture(cap);
    this.capture = null;
  }

  private preamble(line: number, items: PreambleItem[]): void {
    this.closePacket();
    this.closeOrphans();
    for (const item of items) {
      let cap = this.capture;
      const repeats =
        cap !== null &&
        (cap.closed || cap.packets > 0 || (item.field === "interfaces" && cap.sawInterfaces) || (item.field === "filters" && cap.sawFilters));
      if (cap === null || repeats) {
        if (cap !== null) this.closeCapture();
        cap = this.openCapture(line);
      }
      cap.hasPreamble = true;
      cap.record.endLine = line;
      switch (item.field) {
        case "interfaces":
          cap.sawInterfaces = true;
          cap.record.interfaces = item.value;
          break;
        case "filters":
          cap.sawFilters = true;
          cap.record.filter = item.value === "" || item.value === "none" ? null : item.value;
          break;
        default:
          break;
      }
    }
  }

  private trailer(line: number, field: "received" | "dropped" | "ctrl-c", count: number | null): void {
    this.closePacket();
    this.closeOrphans();
    const cap = this.capture;
    if (cap === null) return;
    cap.record.endLine = line;
    if (field === "received") cap.record.received = count;
    if (field === "dropped") {
      cap.record.dropped = count;
      cap.closed = true;
      this.emitCapture(cap);
      this.emit({ type: "trailer", source: this.source, capture: cap.record.index, line, received: cap.record.received, dropped: count });
    }
  }

  // ---- packets --------------------------------------------------------------------------------------

  private header(raw: RawLine, text: string, indent: number, header: HeaderShape, comment: string | null, commentStart: number): void {
    const badTime = header.absolute ? timestampProblem(header.timestamp) : null;
    if (badTime !== null) {
      // `2024-99-99`: not something a unit prints; the line is not read as a packet
      this.closePacket();
      this.closeOrphans();
      this.count("unrecognized");
      this.diagnostic(raw.no, "invalid-timestamp", `packet header with an impossible timestamp (${badTime}); line not read as a packet`, raw.text);
      return;
    }
    this.count("packet");
    this.closePacket();
    this.closeOrphans();
    let cap = this.ensureCapture(raw.no);
    // a header without its timestamp takes the time of the packet before it (nothing is timed then)
    const stamped = header.timestamp !== "";
    const ts = stamped ? parseTimestamp(header.timestamp, header.absolute) : cap.packets > 0 ? cap.lastTs : 0;
    if (cap.packets > 0 && ts < cap.lastTs - BACKWARDS_GAP) {
      // time went back: the rest is another run pasted after this one (or the same one twice)
      this.closeCapture();
      cap = this.openCapture(raw.no);
    }
    cap.lastTs = Math.max(cap.lastTs, ts);
    cap.packets++;
    this.packetCount++;
    cap.record.endLine = raw.no;
    const summaryEnd = commentStart >= 0 ? commentStart : text.length;
    const record = packetFromHeader(header, text, summaryEnd, this.source, cap.record.index, raw.no);
    record.ts = ts;
    if (comment !== null) record.comment = comment;
    if (stamped && (cap.record.timestamps === null || cap.packets === 1)) cap.record.timestamps = header.absolute ? "absolute" : "relative";
    this.packet = { record, headerIndent: indent, hexLines: [], size: 0, notes: [], after: [] };
  }

  private closePacket(): void {
    const p = this.packet;
    if (p === null) return;
    this.packet = null;
    const cap = this.capture;
    if (p.hexLines.length > 0) {
      p.record.bytes = this.dumpHex(p.size);
      if (this.keepDumps) keepDump(p.record, this.dump.slice(0, p.size));
      p.record.hexLines = p.hexLines;
    }
    if (p.notes.length > 0) p.record.notes = p.notes;
    if (cap !== null && !cap.emitted) {
      if (!cap.verboseFromCommand) cap.record.verbose = inferVerbose(p.record);
      this.emitCapture(cap);
    }
    this.out.push(p.record);
    for (const r of p.after) this.emit(r);
    this.checkTruncated(p, cap);
  }

  private checkTruncated(p: OpenPacket, cap: OpenCapture | null): void {
    const hex = p.record.bytes;
    if (hex === null) return;
    const l3 = l3Offset(hex, cap?.record.verbose ?? null);
    if (l3 < 0 || hex.length < (l3 + 4) * 2) return;
    const version = parseInt(hex.slice(l3 * 2, l3 * 2 + 1), 16);
    if (version !== 4) return;
    const total = parseInt(hex.slice(l3 * 2 + 4, l3 * 2 + 8), 16);
    const have = hex.length / 2 - l3;
    if (have < total) {
      const last = p.hexLines[p.hexLines.length - 1] ?? p.record.line;
      this.emit({
        type: "diagnostic",
        source: this.source,
        line: last,
        severity: "warning",
        code: "truncated-packet",
        message: `packet at line ${p.record.line}: the IP header says ${total} bytes but the dump holds ${have}`,
        text: "",
      });
    }
  }

  private hexRow(raw: RawLine, image: string): void {
    this.count("hexRow");
    const row = decodeHexRow(image);
    if ("error" in row) {
      this.diagnostic(raw.no, "hex-row-malformed", `hex row that could not be read: ${row.error}`, raw.text);
      return;
    }
    const p = this.packet;
    if (p === null || (row.offset === 0 && p.size > 0)) {
      // rows without a header: a dump whose header line is missing
      this.closePacket();
      if (this.orphanRun === null || row.offset === 0) {
        this.closeOrphans();
        this.orphanRun = { first: raw.no, rows: 0 };
      }
      this.orphanRun.rows++;
      return;
    }
    const expected = p.size;
    const snaplen = snapLength(this.capture);
    if (row.offset >= expected && row.offset + row.bytes > snaplen) {
      // a gap no capture can have (`0x8000000`, `0xffffffff`): keep what was printed, fill nothing
      this.diagnostic(
        raw.no,
        "hex-offset-beyond-snaplen",
        `hex row offset 0x${hex4(row.offset)} lies past the largest packet this capture holds (${snaplen} bytes); row ignored, the packet keeps its ${expected} bytes`,
        raw.text,
      );
      p.hexLines.push(raw.no);
      return;
    }
    if (row.offset === expected) {
      this.appendHex(row.hex);
    } else if (row.offset < expected) {
      this.diagnostic(raw.no, "hex-offset-duplicate", `hex row offset 0x${hex4(row.offset)} repeats bytes already read (expected 0x${hex4(expected)}); row ignored`, raw.text);
      p.hexLines.push(raw.no);
      return;
    } else {
      const missing = row.offset - expected;
      this.diagnostic(
        raw.no,
        "hex-offset-gap",
        `hex row offset 0x${hex4(row.offset)} leaves a gap of ${missing} bytes after 0x${hex4(expected)}; the gap is filled with zeros`,
        raw.text,
      );
      this.appendHex("00".repeat(missing) + row.hex);
    }
    p.hexLines.push(raw.no);
  }

  private closeOrphans(): void {
    const run = this.orphanRun;
    if (run === null) return;
    this.orphanRun = null;
    this.diagnostic(run.first, "hex-without-header", `${run.rows} hex row${run.rows === 1 ? "" : "s"} without a packet header`, "");
  }

  private leftover(raw: RawLine, text: string, indent: number, shape: Extract<LineShape, { kind: "noise" | "unrecognized" }>): void {
    const p = this.packet;
    if (p !== null && p.hexLines.length === 0 && indent > p.headerIndent && p.notes.length < MAX_NOTES) {
      this.count("continuation");
      p.notes.push(text);
      return;
    }
    if (shape.kind === "noise") {
      this.count("noise");
      return;
    }
    this.count("unrecognized");
    this.diagnostic(raw.no, "unrecognized-line", shape.reason, raw.text);
  }
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, "0");
}

interface CommandArgs {
  iface: string | null;
  filter: string | null;
  verbose: Verbose | null;
  count: number | null;
  tsformat: string | null;
  /** `frame size`: bytes printed per packet before truncation */
  frameSize: number | null;
}

/** `diagnose sniffer packet <interface> '<filter>' <verbose> <count> <tsformat> <frame size>` */
export function commandArgs(args: string[]): CommandArgs {
  const [iface, filter, verbose, count, tsformat, frameSize] = args;
  const v = verbose !== undefined && /^[1-6]$/.test(verbose) ? (Number(verbose) as Verbose) : null;
  const c = count !== undefined && /^\d+$/.test(count) ? Number(count) : null;
  return {
    iface: iface ?? null,
    filter: filter === undefined || filter === "" || filter === "none" ? null : filter,
    // an omitted level (the CLI's default is 1) is inferred from the packets instead
    verbose: v,
    count: c === null || c === 0 ? null : c,
    tsformat: tsformat ?? null,
    frameSize: frameSize !== undefined && /^\d{1,6}$/.test(frameSize) && Number(frameSize) > 0 ? Number(frameSize) : null,
  };
}

/** Verbose level from what the first packet shows (interface column; hex; L2 or L3 first). */
export function inferVerbose(p: PacketRecord): Verbose {
  const named = p.iface !== null;
  if (p.bytes === null) return named ? 4 : 1;
  const l3 = l3Offset(p.bytes, null);
  if (l3 === 0) return named ? 5 : 2;
  return named ? 6 : 3;
}

/**
 * Where the network-layer header starts in a dump: 0 for verbose 2/5 and tunnel interfaces
 * (the dump starts `45..`, `6...`, or the ARP header `0001 0800 0604`), 14 after an Ethernet or
 * pseudo-Ethernet header, -1 when unknown.
 */
export function l3Offset(hex: string, verbose: Verbose | null): number {
  if (verbose === 2 || verbose === 5) return 0;
  const first = hex.slice(0, 2);
  const looksIp = (first >= "45" && first <= "4f") || (first[0] === "6" && verbose !== 3 && verbose !== 6);
  if (hex.startsWith("000108000604")) return 0;
  const ethertype = hex.slice(24, 28);
  if (ethertype === "0800" || ethertype === "86dd" || ethertype === "0806" || ethertype === "8100") return 14;
  if (looksIp) return 0;
  return verbose === 3 || verbose === 6 ? 14 : -1;
}

/** The records of a whole text's lines (convenience for tests and small inputs). */
export function assembleLines(source: string, lines: Iterable<RawLine>): AssembledRecord[] {
  const a = new Assembler(source);
  const out: AssembledRecord[] = [];
  for (const l of lines) for (const r of a.push(l)) out.push(r);
  for (const r of a.end()) out.push(r);
  return out;
}
