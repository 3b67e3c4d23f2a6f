/**
 * `sniffdiag/internal`: the public surface plus the pieces the CLI, the web page, the tests and
 * the benchmarks drive directly — line classification, splitting and decoding, the streaming
 * analyzer, the exporters, the filter. No promise between versions: build on `sniffdiag`.
 */
export * from "./index.js";
export { classifyLine, decodeHexRow, hexToBytes } from "../grammars/sniffer/index.js";
export type { LineShape, HeaderShape, SummaryShape } from "../grammars/sniffer/index.js";
export { cleanLine } from "./input/clean.js";
export { splitLines, LineSplitter, type RawLine } from "./input/lines.js";
export { decodeBytes, StreamDecoder } from "./input/decode.js";
export { analyzeText, buildReport, InputAnalyzer, type AnalyzerOptions, type InputReport } from "./analyze.js";
export { builtinAnalyzeOptions } from "./services.js";
export { renderMarkdown } from "./render/markdown.js";
export { renderHtml } from "./render/html.js";
export { exportCapture, Exporter, ExportError, type ExportOptions } from "./export/export.js";
export { PcapngWriter } from "./export/pcapng.js";
export { PcapWriter } from "./export/pcap.js";
export { compileFilter, couldMatchReply, FilterSyntaxError, type Filter } from "./filter/index.js";
