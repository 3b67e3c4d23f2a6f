/**
 * The reference integration of the debug-flow side for one input, for callers that hold the whole
 * text (tests, the lead's wiring). Streaming callers feed `TraceAssembler.line()` from their own
 * line loop instead and give the lines it claims to no other grammar.
 */
import { splitLines } from "../input/lines.js";
import type { PacketRecord } from "../records.js";
import type { Finding, FlowSummary } from "../contract/report.js";
import type { ServiceInfoLookup } from "../verdicts/engine.js";
import { TraceAssembler } from "./assemble.js";
import { matchTraces, type TraceMatch } from "./match.js";
import type { TraceRecord } from "./records.js";
import { flowTrace, mergeVerdicts, traceSummaries, traceVerdicts, type FlowTrace, type TraceSummary, type TraceVerdicts } from "./verdicts.js";

export interface TraceReading {
  traces: TraceRecord[];
  /** the input lines that are debug-flow output (the line class `trace`) */
  traceLines: Set<number>;
}

/** The traces of a whole text. */
export function readTraces(text: string, source = "input"): TraceReading {
  const assembler = new TraceAssembler(source);
  const traceLines = new Set<number>();
  for (const line of splitLines(text)) if (assembler.line(line)) traceLines.add(line.no);
  return { traces: assembler.end(), traceLines };
}

/** The text with the trace lines blanked (numbering kept), for a sniffer parser not yet wired to the trace grammar. */
export function withoutTraceLines(text: string, traceLines: ReadonlySet<number>): string {
  if (traceLines.size === 0) return text;
  return splitLines(text)
    .map((l) => (traceLines.has(l.no) ? "" : l.text))
    .join("\n")
    .concat(text.endsWith("\n") ? "\n" : "");
}

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
