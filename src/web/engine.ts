/**
 * The page's analysis engine: the same pure core the CLI runs (parser → InputAnalyzer →
 * buildReport, with the built-in catalogue), over texts held in memory. Runs unchanged on the
 * page's main thread and in its worker; no DOM, no Node.
 *
 * Like `sniffdiag analyze FILE...`, each input is one part of one report, and an input without
 * sniffer output is listed with the problem "no sniffer output found" and judged no further.
 */
import { buildReport, InputAnalyzer, type InputReport } from "../analyze.js";
import { concat, exportCapture, ExportError, type ExportSummary } from "../export/export.js";
import { createParser, type AssembledRecord } from "../parse.js";
import type { Report } from "../report.js";
import { builtinAnalyzeOptions } from "../services.js";
import { noSnifferOutputMessage } from "../input/foreign.js";
import { LinePicker, pickLines, quoteVerbatim, wantedLines } from "../evidence-text.js";
import { StreamDecoder } from "../input/decode.js";

export interface WebInput {
  /** the input's name in the report (a dropped file's name, or `pasted`) */
  name: string;
  /** the text (ignored when `file` is given) */
  text: string;
  /**
   * An opened file, while the page shows it unchanged: the analysis reads the file itself (gzip
   * inflated), as the CLI does. A File crosses to the worker as a handle, where a 100 MB string
   * was cloned on the page's main thread; the worker reads it off that thread.
   */
  file?: Blob;
}

/** An input's size in its own units (bytes of the file as stored, or characters): for progress and limits. */
export function inputSize(input: WebInput): number {
  return input.file !== undefined ? input.file.size : input.text.length;
}

/** The bytes of an opened file, gzip inflated, as they stream in. */
async function* fileChunks(file: Blob): AsyncGenerator<Uint8Array> {
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  const stream = gzip ? file.stream().pipeThrough(new DecompressionStream("gzip")) : file.stream();
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** An input's records: a text slice by slice (`records`), a file as its bytes stream in. */
export async function* recordsOf(input: WebInput, onSlice?: (done: number) => void, keepDumps = false): AsyncGenerator<AssembledRecord> {
  const { file } = input;
  if (file === undefined) {
    yield* records(input, onSlice, keepDumps);
    return;
  }
  const parser = createParser(input.name, { keepDumps });
  let done = 0;
  for await (const chunk of fileChunks(file)) {
    yield* parser.push(chunk);
    done += chunk.length;
    onSlice?.(Math.min(done, file.size));
  }
  yield* parser.end();
}

export interface InputFacts {
  name: string;
  /** the input held at least one capture */
  hasCapture: boolean;
  /** at least one packet came with hex rows: a pcapng export has something to write */
  hasHex: boolean;
  /** why the input gave no analysis, as the CLI says it */
  problem: string | null;
}

export interface Analysis {
  report: Report;
  inputs: InputFacts[];
  /** milliseconds the analysis took */
  ms: number;
}

/** Text is fed to the parser in slices of this many characters (so progress can be told). */
const SLICE = 1 << 20;

let options: ReturnType<typeof builtinAnalyzeOptions> | null = null;
function catalogueOptions(): ReturnType<typeof builtinAnalyzeOptions> {
  options ??= builtinAnalyzeOptions();
  return options;
}

const encoder = new TextEncoder();

/**
 * Every parser record of one text, in input order, fed slice by slice. The slices go in as UTF-8
 * bytes, so the page reads hex rows and headers on the parser's byte path as the CLI does (a slice
 * never ends inside a surrogate pair). A text that still starts with U+FEFF once its BOM is
 * dropped goes in as text: the byte path would take that second mark for a BOM too.
 */
export function* records(input: WebInput, onSlice?: (done: number) => void, keepDumps = false): Generator<AssembledRecord> {
  const parser = createParser(input.name, { keepDumps });
  const { text } = input;
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const asBytes = text.charCodeAt(start) !== 0xfeff;
  for (let at = start; at < text.length; ) {
    let end = Math.min(text.length, at + SLICE);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    const slice = text.slice(at, end);
    yield* parser.push(asBytes ? encoder.encode(slice) : slice);
    at = end;
    onSlice?.(at);
  }
  yield* parser.end();
}

/** Analyse the inputs as one report, as `sniffdiag analyze` does for the same files. */
export async function analyzeInputs(inputs: readonly WebInput[], onProgress?: (done: number, total: number) => void): Promise<Analysis> {
  const started = now();
  const total = inputs.reduce((n, i) => n + inputSize(i), 0);
  let before = 0;
  const parts: InputReport[] = [];
  const facts: InputFacts[] = [];
  for (const input of inputs) {
    const analyzer = new InputAnalyzer({ ...catalogueOptions(), source: input.name });
    let hasHex = false;
    const base = before;
    for await (const r of recordsOf(input, onProgress === undefined ? undefined : (done) => onProgress(base + done, total))) {
      if (r.type === "packet" && r.bytes !== null) hasHex = true;
      analyzer.push(r);
    }
    before += inputSize(input);
    const part = analyzer.end();
    // evidence quoted as the input has it (the CLI does the same from the file)
    const wanted = wantedLines(part.verdicts).get(input.name);
    if (wanted !== undefined && wanted.size > 0) quoteVerbatim(part.verdicts, input.name, input.file !== undefined ? await pickLinesOfFile(input.file, wanted) : pickLines(input.text, wanted));
    if (part.hasCapture) {
      parts.push(part);
      facts.push({ name: input.name, hasCapture: true, hasHex, problem: null });
    } else {
      facts.push({ name: input.name, hasCapture: false, hasHex: false, problem: noSnifferOutputMessage(input.file !== undefined ? await headOf(input.file) : input.text.slice(0, 16 * 1024)) });
    }
  }
  const report = buildReport(parts);
  // the CLI lists inputs without analysis after the analysed ones (reportOf in src/cli)
  for (const f of facts) {
    if (f.problem !== null) report.inputs.push({ source: f.name, lines: 0, packets: 0, unrecognized: 0, captures: [], error: f.problem });
  }
  return { report, inputs: facts, ms: now() - started };
}

/** The wanted lines of a file, read again up to the last one wanted (as the CLI does). */
async function pickLinesOfFile(file: Blob, wanted: ReadonlySet<number>): Promise<Map<number, string>> {
  const picker = new LinePicker(wanted);
  const decoder = new StreamDecoder();
  for await (const chunk of fileChunks(file)) if (!picker.push(decoder.push(chunk))) break;
  picker.push(decoder.end());
  return picker.end();
}

/** The first 16 KiB of a file (inflated): enough to name another tool's output. */
async function headOf(file: Blob): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const chunk of fileChunks(file)) {
    parts.push(chunk);
    n += chunk.length;
    if (n >= 16 * 1024) break;
  }
  return concat(parts).subarray(0, 16 * 1024);
}

export type PcapngResult = { ok: true; bytes: Uint8Array; summary: ExportSummary } | { ok: false; message: string };

/**
 * One input as pcapng bytes (the `sniffdiag export` writer). `start`: epoch seconds that relative
 * timestamps count from (the file's modification time, or now for a paste).
 */
export async function pcapngOf(input: WebInput, start: number, application: string): Promise<PcapngResult> {
  const chunks: Uint8Array[] = [];
  const gen = exportCapture(recordsOf(input, undefined, true), { format: "pcapng", start, application });
  try {
    for (;;) {
      const step = await gen.next();
      if (step.done === true) return { ok: true, bytes: concat(chunks), summary: step.value };
      chunks.push(step.value);
    }
  } catch (err) {
    if (err instanceof ExportError) return { ok: false, message: err.message };
    throw err;
  }
}

function now(): number {
  return typeof performance !== "undefined" ? performance.now() : Date.now();
}
