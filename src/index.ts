/** sniffdiag's public library surface. */
export { parseCapture, parseStream, createParser, type ParseOptions, type ParseResult, type AssembledRecord, type TrailerRecord } from "./parse.js";
export * from "./records.js";
export { classifyLine, decodeHexRow, hexToBytes } from "../grammars/sniffer/index.js";
export type { LineShape, HeaderShape, SummaryShape } from "../grammars/sniffer/index.js";
export { cleanLine } from "./input/clean.js";
export { splitLines, LineSplitter, type RawLine } from "./input/lines.js";
export { decodeBytes, StreamDecoder } from "./input/decode.js";
export { VERSION } from "./version.js";
