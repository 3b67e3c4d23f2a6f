/**
 * Outputs written piece by piece, so no output of a big capture is ever one giant string: the
 * JSON report with every array's elements one at a time (a 10M-packet capture's flows made a
 * 400 MB string), the flow table as JSON or CSV one row at a time. Each generator yields exactly
 * the text the whole-value serialiser gives (`JSON.stringify(value, null, 2)`, `renderFlowsCsv`),
 * in pieces; the caller writes them as they come (and applies `jsonSafe` per piece: it replaces
 * single characters, so per piece equals whole).
 */
import type { FlowSummary, Report } from "../report.js";
import { csvHeader, csvRow } from "./csv.js";

/** `JSON.stringify(value, null, 2)` of a value nested `depth` levels deep (its lines indented to match). */
function nested(value: unknown, depth: number): string {
  const s = JSON.stringify(value, null, 2) ?? "null";
  return depth === 0 || !s.includes("\n") ? s : s.replace(/\n/g, "\n" + "  ".repeat(depth));
}

/** Whether JSON.stringify writes an object's property with this value (it skips these). */
function written(value: unknown): boolean {
  return value !== undefined && typeof value !== "function" && typeof value !== "symbol";
}

/** The elements of an array at `depth`, as `JSON.stringify(array, null, 2)` writes them, one piece per element. */
function* arrayPieces(items: Iterable<unknown>, depth: number): Generator<string> {
  const pad = "  ".repeat(depth + 1);
  let first = true;
  for (const item of items) {
    yield (first ? "[\n" : ",\n") + pad + nested(item, depth + 1);
    first = false;
  }
  yield first ? "[]" : "\n" + "  ".repeat(depth) + "]";
}

/**
 * The report as `JSON.stringify(report, null, 2) + "\n"`, in pieces: the top-level properties in
 * their order, arrays (inputs, services, flows, verdicts, exchanges, traces) element by element.
 */
export function* reportJsonPieces(report: Report): Generator<string> {
  let first = true;
  for (const [key, value] of Object.entries(report)) {
    if (!written(value)) continue;
    yield (first ? "{\n" : ",\n") + "  " + JSON.stringify(key) + ": ";
    first = false;
    if (Array.isArray(value)) yield* arrayPieces(value, 1);
    else yield nested(value, 1);
  }
  yield first ? "{}\n" : "\n}\n";
}

/** The flow table as `JSON.stringify(flows, null, 2) + "\n"`, one flow per piece. */
export function* flowsJsonPieces(flows: Iterable<FlowSummary>): Generator<string> {
  yield* arrayPieces(flows, 0);
  yield "\n";
}

/** The flow table as CSV (`renderFlowsCsv`), one row per piece. */
export function* flowsCsvPieces(flows: Iterable<FlowSummary>): Generator<string> {
  yield csvHeader() + "\n";
  for (const f of flows) yield csvRow(f) + "\n";
}

/**
 * Flows written as the analysis hands them over (`AnalyzeOptions.onFlow`), before the rest of the
 * report exists: `onFlow` turns each flow into its text at once (nothing else of it is kept) and
 * queues it; the writer takes the queue with `take()` whenever `backlog` grows, and at the end.
 *
 * - `report-json`: the report's `flows` array (depth 1); `reportJsonHead` comes before it and
 *   `reportJsonTail` after, so the whole is the report with `flows` moved up to third place —
 *   the same JSON value as `JSON.stringify(report, null, 2)` (the key order differs).
 * - `flows-json`: the flow table as `JSON.stringify(flows, null, 2) + "\n"`.
 * - `flows-csv`: the flow table as `renderFlowsCsv` writes it (header first).
 *
 * `safe` is applied to each piece of JSON (`jsonSafe`) or each flow before its CSV row (`safeStrings`).
 */
export type FlowPiecesKind = "report-json" | "flows-json" | "flows-csv";

export class FlowPieces {
  private queue: string[] = [];
  private queued = 0;
  private count = 0;

  constructor(
    readonly kind: FlowPiecesKind,
    private readonly safeJson: (s: string) => string,
    private readonly safeFlow: (f: FlowSummary) => FlowSummary,
  ) {
    if (kind === "flows-csv") this.push(csvHeader() + "\n");
  }

  private push(piece: string): void {
    this.queue.push(piece);
    this.queued += piece.length;
  }

  readonly onFlow = (flow: FlowSummary): void => {
    if (this.kind === "flows-csv") {
      this.push(csvRow(this.safeFlow(flow)) + "\n");
    } else {
      const depth = this.kind === "report-json" ? 1 : 0;
      this.push(this.safeJson((this.count === 0 ? "[\n" : ",\n") + "  ".repeat(depth + 1) + nested(flow, depth + 1)));
    }
    this.count++;
  };

  /** characters queued and not yet taken */
  get backlog(): number {
    return this.queued;
  }

  /** flows handed over so far */
  get flows(): number {
    return this.count;
  }

  /** the queued text, in order; the queue starts again empty */
  take(): string[] {
    const out = this.queue;
    this.queue = [];
    this.queued = 0;
    return out;
  }

  /** the end of the flows: the array's close for JSON (and the line break after a flow table) */
  end(): string {
    if (this.kind === "flows-csv") return "";
    const depth = this.kind === "report-json" ? 1 : 0;
    const close = this.count === 0 ? "[]" : "\n" + "  ".repeat(depth) + "]";
    return this.kind === "flows-json" ? close + "\n" : close;
  }
}

/** The report's first properties up to the opening of `flows` (its value follows from FlowPieces). */
export function reportJsonHead(schema: string, generator: Report["generator"]): string {
  return "{\n" + `  "schema": ${JSON.stringify(schema)},\n` + `  "generator": ${nested(generator, 1)},\n` + `  "flows": `;
}

/** The rest of the report after the streamed flows: every property but schema, generator and flows, then the close. */
export function* reportJsonTail(report: Report): Generator<string> {
  for (const [key, value] of Object.entries(report)) {
    if (key === "schema" || key === "generator" || key === "flows" || !written(value)) continue;
    yield ",\n  " + JSON.stringify(key) + ": ";
    if (Array.isArray(value)) yield* arrayPieces(value, 1);
    else yield nested(value, 1);
  }
  yield "\n}\n";
}
