/**
 * The parser's public entry points: a whole text, or a stream of chunks (strings or bytes).
 * Pure: no Node imports, so the same code runs in Node, workers and the browser.
 */
import { Assembler, type AssembledRecord, type AssemblerOptions, type TrailerRecord } from "./assembly/assemble.js";
import { ByteLineReader } from "./input/bytes.js";
import { sniffEncoding, StreamDecoder, stripBom } from "./input/decode.js";
import { LineSplitter } from "./input/lines.js";
import type { CaptureRecord, DiagnosticRecord, PacketRecord, SummaryRecord } from "./records.js";

export type { AssembledRecord, TrailerRecord };

export interface ParseOptions {
  /** the input's name in records and messages (a file name, `-` for stdin) */
  source?: string;
  /**
   * Read every line with the chevrotain grammar, never the hand scanners of the byte path (the
   * default comes from `SNIFFDIAG_GRAMMAR_ONLY=1`; for the differential test and bug reports).
   */
  grammarOnly?: boolean;
  /** keep each packet's dump bytes for the exporter (`dumpBytes` in src/assembly/dumps.ts) */
  keepDumps?: boolean;
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
  const parser = new ChunkParser(source, options);
  const records = parser.push(input);
  for (const r of parser.end()) records.push(r);
  return collect(source, records);
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
  const parser = new ChunkParser(options.source ?? "input", options);
  for await (const chunk of chunks) {
    const records = parser.push(chunk);
    if (records.length > 0) yield* records;
  }
  yield* parser.end();
}

/** Synchronous chunk-by-chunk driver (workers, benchmarks): text or bytes in, records out. */
export function createParser(source: string, options: Omit<ParseOptions, "source"> = {}): { push(chunk: string | Uint8Array): AssembledRecord[]; end(): AssembledRecord[] } {
  return new ChunkParser(source, options);
}

/**
 * Chunks to records. Bytes take the byte path (ByteLineReader → Assembler.pushBytes: no string
 * for hex rows, the hand scanners for hex rows and headers) unless they are UTF-16 (a BOM says
 * so), which is decoded and split as text like string chunks. The first non-empty chunk decides;
 * a later chunk of the other kind is converted (bytes decoded, text encoded as UTF-8).
 */
export class ChunkParser {
  private readonly assembler: Assembler;
  private mode: "undecided" | "bytes" | "text" = "undecided";
  /** bytes held until the encoding can be sniffed (3 bytes) */
  private head: Uint8Array | null = null;
  private readonly reader: ByteLineReader;
  private readonly splitter = new LineSplitter();
  private readonly decoder = new StreamDecoder();
  private firstText = true;
  /**
   * After a UTF-8 BOM, the bytes that may be a second one (the text path strips a decoded U+FEFF
   * at the start too); null once decided.
   */
  private bomHold: Uint8Array | null = null;

  constructor(source: string, options: Omit<ParseOptions, "source"> = {}) {
    const assemblerOptions: AssemblerOptions = {};
    if (options.grammarOnly !== undefined) assemblerOptions.grammarOnly = options.grammarOnly;
    if (options.keepDumps !== undefined) assemblerOptions.keepDumps = options.keepDumps;
    this.assembler = new Assembler(source, assemblerOptions);
    const a = this.assembler;
    this.reader = new ByteLineReader((buf, start, end, no, overflow) => a.pushBytes(buf, start, end, no, overflow));
  }

  push(chunk: string | Uint8Array): AssembledRecord[] {
    if (typeof chunk === "string") {
      if (this.mode === "undecided" && this.head !== null && chunk.length > 0) {
        const head = this.head;
        this.head = null;
        this.decide(head);
      }
      if (this.mode === "bytes") this.bytes(new TextEncoder().encode(chunk));
      else {
        if (chunk.length > 0) this.mode = "text";
        this.text(chunk);
      }
      return this.assembler.take();
    }
    if (this.mode === "text") {
      this.text(this.decoder.push(chunk));
      return this.assembler.take();
    }
    if (this.mode === "bytes") {
      this.bytes(chunk);
      return this.assembler.take();
    }
    let head = chunk;
    if (this.head !== null) {
      head = new Uint8Array(this.head.length + chunk.length);
      head.set(this.head, 0);
      head.set(chunk, this.head.length);
      this.head = null;
    }
    if (head.length < 3) {
      this.head = head;
      return [];
    }
    this.decide(head);
    return this.assembler.take();
  }

  end(): AssembledRecord[] {
    if (this.mode === "undecided" && this.head !== null) {
      const head = this.head;
      this.head = null;
      this.decide(head);
    }
    if (this.mode === "bytes") {
      if (this.bomHold !== null) this.reader.push(this.bomHold);
      this.bomHold = null;
      this.reader.end();
    } else {
      this.text(this.decoder.end());
      for (const line of this.splitter.end()) this.assembler.handleLine(line);
    }
    return this.assembler.end();
  }

  private decide(head: Uint8Array): void {
    const { encoding, bomLength } = sniffEncoding(head);
    if (encoding === "utf-8") {
      this.mode = "bytes";
      if (bomLength > 0) this.bomHold = new Uint8Array(0);
      this.bytes(head.subarray(bomLength));
    } else {
      this.mode = "text";
      this.text(this.decoder.push(head));
    }
  }

  private bytes(chunk: Uint8Array): void {
    const held = this.bomHold;
    if (held === null) {
      this.reader.push(chunk);
      return;
    }
    let c = chunk;
    if (held.length > 0) {
      c = new Uint8Array(held.length + chunk.length);
      c.set(held, 0);
      c.set(chunk, held.length);
    }
    const BOM = [0xef, 0xbb, 0xbf];
    let k = 0;
    while (k < 3 && k < c.length && c[k] === BOM[k]) k++;
    if (k < 3 && k === c.length) {
      this.bomHold = c; // all a BOM could start with: wait for more
      return;
    }
    this.bomHold = null;
    this.reader.push(k === 3 ? c.subarray(3) : c);
  }

  private text(chunk: string): void {
    let t = chunk;
    if (this.firstText && t.length > 0) {
      t = stripBom(t);
      this.firstText = false;
    }
    for (const line of this.splitter.push(t)) this.assembler.handleLine(line);
  }
}
