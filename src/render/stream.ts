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
