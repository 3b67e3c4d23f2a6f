/**
 * `diagnose debug flow` traces next to sniffer output (../shared/spec/debug-flow.md), gathered for
 * callers that want the debug-flow side alone. The code lives in the pipeline's stages: the grammar
 * (`grammars/debugflow`), assembly into one record per traced packet (`src/assembly/trace`),
 * matching to sniffer packets (`src/correlate/trace-match.ts`), verdicts and their supersede rules
 * and the flow `trace` facts (`src/verdicts/trace.ts`). Nothing in the pipeline imports this file.
 */
export { classifyTraceLine, parsePacketMessage, precleanTrace, TraceLineJoiner, type TraceLineInput } from "../../grammars/debugflow/index.js";
export type { PacketLineShape, TraceLineShape, TraceRecordShape } from "../../grammars/debugflow/index.js";
export { TraceAssembler, type TraceInputLine } from "../assembly/trace/assemble.js";
export { classifyMessage, type TraceEvent } from "../assembly/trace/messages.js";
export { matchTraces, icmpIdSeqFromBytes, MATCH_KEYS, type MatchKey, type TraceMatch } from "../correlate/trace-match.js";
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
} from "../verdicts/trace.js";
export { analyzeTraces, type TraceAnalysis } from "../verdicts/trace-pipeline.js";
export * from "../contract/trace-record.js";
