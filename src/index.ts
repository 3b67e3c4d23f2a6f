/**
 * sniffdiag's library: the stable surface (`import … from "sniffdiag"`). Every type these
 * signatures use is exported here too (test/package.test.ts checks it). The pieces the CLI, the
 * web page and the benchmarks drive (line classes, splitters, the streaming analyzer, exporters)
 * are in `sniffdiag/internal` (`src/internal.ts`), which makes no promise between versions.
 */

// analyse: text in, report out (with the built-in service catalogue unless told otherwise)
export { analyze, type AnalyzeOptions } from "./analyze.js";
export { formatReport, formatReportPieces, DOCUMENT_FORMATS, type DocumentFormat, type FormatOptions } from "./render/format.js";

// parse: text or chunks in, records out
export { parseCapture, parseStream, createParser, type ParseOptions, type ParseResult, type AssembledRecord, type TrailerRecord } from "./parse.js";
export * from "./records.js";
export type { TraceRecord, TracePacket, TraceProto, TraceCheck, TraceRoute, TraceIpsec, TraceStep } from "./contract/trace-record.js";

// the report (JSON contract `sniffdiag.report/1`): its types, verdict codes and JSON Schema
export * from "./report.js";
export { reportSchema } from "./schema.js";

// the service catalogue: the built-in one, merged with a user's entries, looked up
export {
  builtinCatalogue,
  mergeCatalogue,
  mergeCatalogueText,
  lookupService,
  catalogueRows,
  type Catalogue,
  type CatalogueRow,
  type LookupContext,
  type MatchReason,
  type MergeResult,
  type ServiceMatch,
  type ServiceEntry,
  type ServiceProto,
  type ServiceDirection,
  type MulticastHandling,
  type BroadcastHandling,
} from "./catalogue/index.js";

export { VERSION } from "./version.js";
