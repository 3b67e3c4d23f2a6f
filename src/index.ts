/** sniffdiag's public library surface. */
export { parseCapture, parseStream, createParser, type ParseOptions, type ParseResult, type AssembledRecord, type TrailerRecord } from "./parse.js";
export * from "./records.js";
export { classifyLine, decodeHexRow, hexToBytes } from "../grammars/sniffer/index.js";
export type { LineShape, HeaderShape, SummaryShape } from "../grammars/sniffer/index.js";
export { cleanLine } from "./input/clean.js";
export { splitLines, LineSplitter, type RawLine } from "./input/lines.js";
export { decodeBytes, StreamDecoder } from "./input/decode.js";
export { VERSION } from "./version.js";
export { analyze, analyzeText, buildReport, InputAnalyzer, type AnalyzeOptions, type InputReport } from "./analyze.js";
export { builtinAnalyzeOptions } from "./services.js";
export * from "./report.js";
export { reportSchema } from "./schema.js";
export { builtinCatalogue, mergeCatalogue, mergeCatalogueText, catalogueRows, lookupService, type Catalogue, type ServiceEntry } from "./catalogue/index.js";
export { renderMarkdown } from "./render/markdown.js";
