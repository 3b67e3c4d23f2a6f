/**
 * The parser's public entry points: a whole text, or a stream of chunks (strings or bytes).
 * Pure: no Node imports, so the same code runs in Node, workers and the browser.
 */
import { Assembler, type AssembledRecord, type TrailerRecord } from "./assembly/assemble.js";
import { StreamDecoder, stripBom } from "./input/decode.js";
import { LineSplitter } from "./input/lines.js";
import type { CaptureRecord, DiagnosticRecord, PacketRecord, SummaryRecord } from "./records.js";

export type { AssembledRecord, TrailerRecord };

export interface ParseOptions {
  /** the input's name in records and messages (a file name, `-` for stdin) */
  source?: string;
}

export interface ParseResult {
  source: string;
  captures: CaptureRecord[];
  packets: PacketRecord[];
  diagnostics: DiagnosticRecord[];
  summary: SummaryRecord;
  /** every record in input order, as `parse --format jsonl` prints them */
  records: AssembledRecord[];
}

/** Parse a whole text (or bytes: UTF-8/UTF-16 with BOM are decoded). */
export function parseCapture(input: string | Uint8Array, options: ParseOptions = {}): ParseResult {
  const source = options.source ?? "input";
  const assembler = new Assembler(source);
  const splitter = new LineSplitter();
  const records: AssembledRecord[] = [];
  const text = typeof input === "string" ? stripBom(input) : decodeAll(input);
  for (const line of splitter.push(text)) for (const r of assembler.push(line)) records.push(r);
  for (const line of splitter.end()) for (const r of assembler.push(line)) records.push(r);
  for (const r of assembler.end()) records.push(r);
  return collect(source, records);
}

function decodeAll(bytes: Uint8Array): string {
  const d = new StreamDecoder();
  return d.push(bytes) + d.end();
}

export function collect(source: string, records: AssembledRecord[]): ParseResult {
  const captures: CaptureRecord[] = [];
  const packets: PacketRecord[] = [];
  const diagnostics: DiagnosticRecord[] = [];
  let summary: SummaryRecord | null = null;
  for (const r of records) {
    switch (r.type) {
      case "capture":
        captures.push(r);
        break;
      case "packet":
        packets.push(r);
        break;
      case "diagnostic":
        diagnostics.push(r);
        break;
      case "summary":
        summary = r;
        break;
      case "trailer":
      case "trace":
        break;
    }
  }
  if (summary === null) throw new Error("internal: the assembler ended without a summary");
  return { source, captures, packets, diagnostics, summary, records };
}

/**
 * Parse a stream of chunks, yielding records as soon as they are complete. Memory stays flat in
 * the input size: one line, one packet and one capture are held at a time.
 */
export async function* parseStream(
  chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  options: ParseOptions = {},
): AsyncGenerator<AssembledRecord> {
  const source = options.source ?? "input";
  const assembler = new Assembler(source);
  const splitter = new LineSplitter();
  const decoder = new StreamDecoder();
  let first = true;
  for await (const chunk of chunks) {
    let text = typeof chunk === "string" ? chunk : decoder.push(chunk);
    if (first && text.length > 0) {
      text = stripBom(text);
      first = false;
    }
    for (const line of splitter.push(text)) yield* assembler.push(line);
  }
  const tail = decoder.end();
  for (const line of splitter.push(tail)) yield* assembler.push(line);
  for (const line of splitter.end()) yield* assembler.push(line);
  yield* assembler.end();
}

/** Synchronous line-by-line driver for callers that already hold lines (workers, benchmarks). */
export function createParser(source: string): { push(text: string): AssembledRecord[]; end(): AssembledRecord[] } {
  const assembler = new Assembler(source);
  const splitter = new LineSplitter();
  let first = true;
  return {
    push(text: string): AssembledRecord[] {
      const out: AssembledRecord[] = [];
      const t = first ? stripBom(text) : text;
      if (text.length > 0) first = false;
      for (const line of splitter.push(t)) for (const r of assembler.push(line)) out.push(r);
      return out;
    },
    end(): AssembledRecord[] {
      const out: AssembledRecord[] = [];
      for (const line of splitter.end()) for (const r of assembler.push(line)) out.push(r);
      for (const r of assembler.end()) out.push(r);
      return out;
    },
  };
}
