/**
 * The debug-flow side of one input's verdicts: the traces matched to the sniffer's packets, judged,
 * and merged with the sniffer's findings (`InputAnalyzer` calls it once the input has ended).
 */
import type { PacketRecord } from "../records.js";
import type { Finding, FlowSummary, FlowTrace, TraceSummary } from "../contract/report.js";
import type { TraceRecord } from "../contract/trace-record.js";
import { matchTraces, type TraceMatch } from "../correlate/trace-match.js";
import type { ServiceInfoLookup } from "./engine.js";
import { flowTrace, mergeVerdicts, traceSummaries, traceVerdicts, type TraceVerdicts } from "./trace.js";

export interface TraceAnalysis {
  matches: TraceMatch[];
  /** the trace verdicts and the sniffer verdicts they replace */
  trace: TraceVerdicts;
  /** the sniffer verdicts that stand, then the trace verdicts */
  verdicts: Finding[];
  /** the contract's flow `trace` field, per flow that has one */
  flows: Map<FlowSummary, FlowTrace>;
  /** every trace with its match or the reason it has none */
  traces: TraceSummary[];
}

/** Match the traces to the packets, judge them and merge with the sniffer's verdicts. */
export function analyzeTraces(
  source: string,
  traces: readonly TraceRecord[],
  packets: readonly PacketRecord[],
  sniffer: { verdicts?: readonly Finding[]; flows?: readonly FlowSummary[]; info?: ServiceInfoLookup | undefined } = {},
): TraceAnalysis {
  const matches = matchTraces(traces, packets);
  const snifferVerdicts = sniffer.verdicts ?? [];
  const trace = traceVerdicts(matches, { source, snifferVerdicts, packets, ...(sniffer.info === undefined ? {} : { info: sniffer.info }) });
  const flows = new Map<FlowSummary, FlowTrace>();
  for (const f of sniffer.flows ?? []) {
    const t = flowTrace(f, matches);
    if (t !== null) flows.set(f, t);
  }
  return { matches, trace, verdicts: mergeVerdicts(snifferVerdicts, trace), flows, traces: traceSummaries(matches) };
}
