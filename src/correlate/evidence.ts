/**
 * Evidence sampling: the lines a verdict quotes. One helper for every rule (sniffer and debug
 * flow): distinct input lines in input order, at most `max`, the first `max - 1` and the last kept.
 */
import type { Evidence } from "../contract/report.js";

/** Sniffer verdicts quote at most 5 lines; debug-flow verdicts 6 (they quote both outputs). */
export const MAX_EVIDENCE = 5;
export const MAX_TRACE_EVIDENCE = 6;

export function sampleEvidence(items: readonly Evidence[], max = MAX_EVIDENCE): Evidence[] {
  const seen = new Set<number>();
  const unique = items.filter((e) => e.line > 0 && (seen.has(e.line) ? false : (seen.add(e.line), true))).sort((a, b) => a.line - b.line);
  if (unique.length <= max) return unique;
  return [...unique.slice(0, max - 1), unique[unique.length - 1] as Evidence];
}
