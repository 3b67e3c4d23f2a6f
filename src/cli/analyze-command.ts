/** `sniffdiag [analyze]` and `sniffdiag flows`: read inputs, analyse, render, exit status. */
import { buildReport, InputAnalyzer, type AnalyzerOptions, type InputReport } from "../analyze.js";
import { parseStream } from "../parse.js";
import { SEVERITY_RANK, type FlowSummary, type Report, type Severity } from "../report.js";
import { renderFlowsTable, renderTable } from "../render/table.js";
import { flowsCsvPieces, flowsJsonPieces } from "../render/stream.js";
import { formatReportPieces, type DocumentFormat } from "../render/format.js";
import { describeFsError, InputError, openInput, type InputRef } from "./inputs.js";
import type { Catalogue } from "../catalogue/index.js";
import { builtinAnalyzeOptions } from "../services.js";
import { compileFilter } from "../filter/index.js";
import type { PacketRecord } from "../records.js";
import { jsonSafe, safeStrings } from "../safe-text.js";
import { maskInput, type MaskSettings } from "./mask-command.js";
import { noSnifferOutputMessage } from "../input/foreign.js";
import { LinePicker, quoteVerbatim, wantedLines } from "../evidence-text.js";
import { StreamDecoder } from "../input/decode.js";

export type ReportFormat = "table" | "text" | DocumentFormat;
export type FlowsFormat = "table" | "json" | "csv";
export type FailOn = "error" | "warning" | "never";

export interface InputAnalysis {
  ref: InputRef;
  report: InputReport | null;
  /** why the input gave no analysis: unreadable, or no sniffer output */
  problem: string | null;
  unreadable: boolean;
}

/** What an analysis needs, as plain data (it crosses to worker threads). */
export interface AnalyzeSettings {
  catalogue: Catalogue;
  timeout?: number;
  /** `--unit-address`: the unit's own addresses */
  unitAddresses?: string[];
  /** `--filter EXPR`, already checked for syntax */
  filter?: string;
  /** `--max-input-bytes`: stop reading an input past this many bytes (after decompression) */
  maxInputBytes?: number;
  /** `--mask`: analyse the capture with its addresses pseudonymised, so every output is masked */
  mask?: MaskSettings;
}

export function optionsFrom(settings: AnalyzeSettings): AnalyzerOptions {
  const options: AnalyzerOptions = builtinAnalyzeOptions(settings.catalogue);
  if (settings.timeout !== undefined) options.timeout = settings.timeout;
  if (settings.unitAddresses !== undefined) options.unitAddresses = settings.unitAddresses;
  if (settings.filter !== undefined) options.keepPacket = packetFilter(settings.filter);
  return options;
}

/** `--filter`: packets the expression says yes to, and those it cannot decide on from the text. */
export function packetFilter(expr: string): (p: PacketRecord) => boolean {
  const f = compileFilter(expr);
  return (p) => f.match(p) !== false;
}

/** Up to this many bytes of an input's start are kept to name other tools' output. */
const HEAD_BYTES = 16 * 1024;

/** Pass chunks through, keeping the first HEAD_BYTES of them in `head`. */
async function* keepHead(chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>, head: (string | Uint8Array)[]): AsyncGenerator<string | Uint8Array> {
  let kept = 0;
  for await (const c of chunks) {
    if (kept < HEAD_BYTES) {
      head.push(c.slice(0, HEAD_BYTES - kept));
      kept += Math.min(c.length, HEAD_BYTES - kept);
    }
    yield c;
  }
}

/**
 * Standard input is kept for its verbatim evidence lines up to this many bytes (it cannot be read
 * a second time); past it the kept chunks are let go and the evidence stays as the parser
 * rendered it (cleaned: the same packets, without pasted noise), so memory stays bounded.
 */
export const KEEP_STDIN_BYTES = 64 * 1024 * 1024;

/** Chunks kept for verbatim evidence, up to a bound. */
interface Kept {
  chunks: (string | Uint8Array)[];
  bytes: number;
  /** past the bound: nothing kept any more */
  overflow: boolean;
}

/** Pass chunks through, keeping them in `kept` (when not null) while they fit its bound. */
async function* keepAll(chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>, kept: Kept | null, limit: number): AsyncGenerator<string | Uint8Array> {
  for await (const c of chunks) {
    if (kept !== null && !kept.overflow) {
      kept.bytes += c.length;
      if (kept.bytes > limit) {
        kept.overflow = true;
        kept.chunks = [];
      } else kept.chunks.push(c);
    }
    yield c;
  }
}

/** Evidence quoted as the input has it (src/evidence-text.ts): from the kept chunks, or the file read again up to the last line needed. */
async function quoteEvidence(report: InputReport, ref: InputRef, kept: Kept | null, maxInputBytes: number | undefined): Promise<void> {
  const wanted = wantedLines(report.verdicts).get(ref.name);
  if (wanted === undefined || wanted.size === 0 || kept?.overflow === true) return;
  const picker = new LinePicker(wanted);
  const decoder = new StreamDecoder();
  const feed = (c: string | Uint8Array) => picker.push(typeof c === "string" ? c : decoder.push(c));
  if (kept !== null) {
    for (const c of kept.chunks) if (!feed(c)) break;
  } else {
    try {
      for await (const c of await openInput(ref, maxInputBytes)) if (!feed(c)) break;
    } catch {
      return; // the file changed or vanished since: keep the rendered evidence
    }
  }
  picker.push(decoder.end());
  quoteVerbatim(report.verdicts, ref.name, picker.end());
}

/** "no sniffer output found", naming the tool when the input is another tool's output. */
function noSnifferOutput(head: (string | Uint8Array)[]): string {
  if (head.every((c) => typeof c === "string")) return noSnifferOutputMessage(head.join(""));
  const bytes = head.map((c) => (typeof c === "string" ? new TextEncoder().encode(c) : c));
  const joined = new Uint8Array(bytes.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of bytes) {
    joined.set(c, at);
    at += c.length;
  }
  return noSnifferOutputMessage(joined);
}

/** An error from reading (file system, gzip, the size cap), as opposed to a fault in the analysis. */
function isReadError(err: unknown): boolean {
  return err instanceof InputError || typeof (err as { code?: unknown }).code === "string";
}

/**
 * One input to its report part. Never throws: a read failure or a fault inside the analysis is the
 * input's problem (exit 2), and the other inputs of a batch go on.
 */
/**
 * Where an input's flows go while it is analysed (the JSON report or the flow table written as the
 * flows finish, src/render/stream.ts): the report's own `flows` is then empty.
 */
export interface FlowStream {
  onFlow(flow: FlowSummary): void;
  /** characters waiting to be written */
  readonly backlog: number;
  /** write what waits */
  drain(): Promise<void>;
}

/** A flow stream is drained once this much text waits (the analysis pauses for the write). */
const FLOW_BACKLOG = 1 << 20;

export async function analyzeInput(ref: InputRef, settings: AnalyzeSettings, onRead?: (bytes: number) => void, keepStdinBytes = KEEP_STDIN_BYTES, flows?: FlowStream): Promise<InputAnalysis> {
  let report: InputReport;
  const head: (string | Uint8Array)[] = [];
  try {
    const analyzer = new InputAnalyzer({ ...optionsFrom(settings), source: ref.name, ...(flows === undefined ? {} : { onFlow: (f: FlowSummary) => flows.onFlow(f) }) });
    const chunks = settings.mask === undefined ? await openInput(ref, settings.maxInputBytes, onRead) : [(await maskInput(ref, settings.mask, settings.maxInputBytes)).text];
    // standard input cannot be read twice: its chunks are kept for the evidence lines (the masked text is a string already)
    // (bounded: past KEEP_STDIN_BYTES the evidence stays as parsed; the masked text is kept whole by its maker anyway)
    const kept: Kept | null = ref.path === null || settings.mask !== undefined ? { chunks: [], bytes: 0, overflow: false } : null;
    const limit = settings.mask !== undefined ? Infinity : keepStdinBytes;
    for await (const r of parseStream(keepHead(keepAll(chunks, kept, limit), head), { source: ref.name })) {
      analyzer.push(r);
      if (flows !== undefined && flows.backlog > FLOW_BACKLOG) await flows.drain();
    }
    report = analyzer.end();
    if (flows !== undefined) await flows.drain();
    await quoteEvidence(report, ref, kept, settings.maxInputBytes);
  } catch (err) {
    const problem = isReadError(err) ? describeFsError(err) : `internal error while analysing: ${String((err as Error)?.message ?? err)}`;
    return { ref, report: null, problem, unreadable: true };
  }
  if (!report.hasCapture) return { ref, report: null, problem: noSnifferOutput(head), unreadable: false };
  return { ref, report, problem: null, unreadable: false };
}

/** The batch as one report; inputs without analysis are listed with their problem. */
export function reportOf(results: InputAnalysis[]): Report {
  const parts = results.filter((r) => r.report !== null).map((r) => r.report as InputReport);
  const report = buildReport(parts);
  for (const r of results) {
    if (r.report === null) report.inputs.push({ source: r.ref.name, lines: 0, packets: 0, unrecognized: 0, captures: [], error: r.problem ?? "not analysed" });
  }
  return report;
}

/**
 * The report with only the verdicts at `min` or worse (`--quiet`, `--min-severity`): the summary
 * still counts them all, the exchanges follow their verdicts.
 */
export function withMinSeverity(report: Report, min: Severity): Report {
  const keep = report.verdicts.map((v) => SEVERITY_RANK[v.severity] >= SEVERITY_RANK[min]);
  if (keep.every(Boolean)) return report;
  const index = new Map<number, number>();
  const verdicts = report.verdicts.filter((v, i) => {
    if (!keep[i]) return false;
    index.set(i, index.size);
    return true;
  });
  const out: Report = { ...report, verdicts };
  if (report.exchanges !== undefined) {
    out.exchanges = report.exchanges.filter((e) => index.has(e.verdict)).map((e) => ({ ...e, verdict: index.get(e.verdict) ?? -1 }));
  }
  return out;
}

export function exitStatus(results: InputAnalysis[], report: Report, failOn: FailOn): number {
  if (results.some((r) => r.unreadable) || results.every((r) => r.report === null)) return 2;
  if (failOn === "never") return 0;
  const bad = failOn === "error" ? report.summary.errors : report.summary.errors + report.summary.warnings;
  return bad > 0 ? 1 : 0;
}

/** How a report is shown beyond its format. */
export interface RenderSettings {
  color: boolean;
  width: number;
  /** `--top-flows`: flows listed by table, markdown and HTML (0: all); JSON and CSV keep them all */
  topFlows?: number;
}

/**
 * The report in a format, in pieces to write as they come: the documents (JSON an element at a
 * time, so a capture with hundreds of thousands of flows never becomes one giant string) are
 * `formatReportPieces`; the terminal's formats, fitted to its width, are here. Every human-facing
 * format gets the text through safeStrings, so nothing from the input (ESC, OSC, C1, bidi
 * overrides) reaches a terminal or a document as anything but visible escapes.
 */
export function* renderReportPieces(data: Report, format: ReportFormat, settings: RenderSettings): Generator<string> {
  switch (format) {
    case "text":
      yield renderTable(safeStrings(data), { color: false, width: settings.width, plain: true });
      return;
    case "table":
      yield renderTable(safeStrings(data), { color: settings.color, width: settings.width });
      return;
    default:
      yield* formatReportPieces(data, format, settings.topFlows === undefined ? {} : { topFlows: settings.topFlows });
  }
}

/** The whole report in a format, as one string (the pieces joined). */
export function renderReport(data: Report, format: ReportFormat, color: boolean, width: number): string {
  return [...renderReportPieces(data, format, { color, width })].join("");
}

/** The flow table: JSON and CSV a flow at a time, the terminal table the top flows and a count of the rest. */
export function* renderFlowsPieces(report: Report, format: FlowsFormat, settings: RenderSettings): Generator<string> {
  switch (format) {
    case "json":
      for (const piece of flowsJsonPieces(report.flows)) yield jsonSafe(piece);
      return;
    case "csv":
      // each flow made safe before it becomes a row (as renderFlowsCsv(safeStrings(flows)))
      yield* flowsCsvPieces(safeEach(report.flows));
      return;
    case "table":
      yield renderFlowsTable(safeStrings(report.flows), settings.color, settings.width, settings.topFlows);
      return;
  }
}

function* safeEach<T>(items: Iterable<T>): Generator<T> {
  for (const item of items) yield safeStrings(item);
}

export function renderFlows(report: Report, format: FlowsFormat, color: boolean, width = 100): string {
  return [...renderFlowsPieces(report, format, { color, width })].join("");
}
