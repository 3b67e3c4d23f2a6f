/**
 * `diagnose debug flow` traces next to sniffer output (../shared/spec/debug-flow.md): the grammar
 * (`classifyTraceLine`, `TraceLineJoiner`), assembly into one record per traced packet
 * (`TraceAssembler`), matching to sniffer packets (`matchTraces`), verdicts and their supersede
 * rules (`traceVerdicts`, `mergeVerdicts`), and the flow `trace` facts (`flowTrace`).
 */
export { classifyTraceLine, parsePacketMessage, precleanTrace, TraceLineJoiner, type TraceLineInput } from "../../grammars/debugflow/index.js";
export type { PacketLineShape, TraceLineShape, TraceRecordShape } from "../../grammars/debugflow/index.js";
export { TraceAssembler, type TraceInputLine } from "./assemble.js";
export { classifyMessage, type TraceEvent } from "./messages.js";
export { matchTraces, icmpIdSeqFromBytes, MATCH_KEYS, type MatchKey, type TraceMatch } from "./match.js";
export {
  traceVerdicts,
  mergeVerdicts,
  verdictCodeOf,
  flowTrace,
  traceSummaries,
  unitAddresses,
  DROP_CODES,
  type TraceVerdictContext,
  type TraceVerdicts,
  type FlowTrace,
  type TraceSummary,
} from "./verdicts.js";
export { readTraces, withoutTraceLines, analyzeTraces, type TraceReading, type TraceAnalysis } from "./pipeline.js";
export * from "./records.js";
