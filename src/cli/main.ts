/**
 * The `sniffdiag` command line (../shared/spec/contract.md). The only place, with inputs.ts and
 * output.ts, that touches files, streams and the process; every other stage is pure.
 *
 * Exit status: 0 finished, nothing at --fail-on level; 1 finished with a verdict at that level;
 * 2 usage error, an unreadable INPUT, or no sniffer output in any INPUT.
 */
import yargs, { type Argv } from "yargs";
import { hideBin } from "yargs/helpers";
import { VERSION } from "../version.js";
import { DEFAULT_MAX_INPUT_BYTES, describeFsError, resolveInputs, type InputRef } from "./inputs.js";
import { BrokenPipe, Output, OutputError, refuseOverwritingInputs } from "./output.js";
import { jsonSafe, safeStrings, safeText } from "../safe-text.js";
import { parseInputToOutput, type ParseFormat } from "./parse-command.js";
import { analyzeBatch } from "./batch.js";
import { exitStatus, renderFlowsPieces, renderReportPieces, reportOf, withMinSeverity, type AnalyzeSettings, type FailOn, type FlowsFormat, type FlowStream, type RenderSettings, type ReportFormat } from "./analyze-command.js";
import { DEFAULT_TOP_FLOWS } from "../render/top-flows.js";
import { REPORT_SCHEMA, type Report, type Severity } from "../report.js";
import { FlowPieces, reportJsonHead, reportJsonTail, type FlowPiecesKind } from "../render/stream.js";
import { reportSchema } from "../schema.js";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { availableParallelism } from "node:os";
import { builtinCatalogue, mergeCatalogueText, type Catalogue } from "../catalogue/index.js";
import { renderCatalogue } from "../render/table.js";
import { compileFilter, FilterSyntaxError } from "../filter/index.js";
import { packetFilter } from "./analyze-command.js";
import { runWeb } from "./web-command.js";
import { runExport, type ExportArgs } from "./export-command.js";
import type { AssembledRecord } from "../parse.js";
import { mistypedCommand, suggestOption } from "./suggest.js";
import { maskSettings, parseMaskKeep, runMask, MASK_KEEP, type MaskKeep } from "./mask-command.js";
import { followHandler, liveBuilder, liveHandler, LIVE_FORMATS, type LiveHost } from "./live/command.js";

const REPORT_FORMATS = ["table", "text", "json", "jsonl", "markdown", "html"] as const satisfies readonly ReportFormat[];
const FLOWS_FORMATS = ["table", "json", "csv"] as const satisfies readonly FlowsFormat[];

/** A failure that ends the run with a message on stderr and exit status 2. */
export class UsageError extends Error {}

/** The terminal's width for wrapping, within 60..120 columns (a pty may report 0). */
function terminalWidth(): number {
  // COLUMNS (set by the user, or exported by the shell) wins; then the tty's width; else 100
  const env = Number(process.env["COLUMNS"]);
  if (Number.isInteger(env) && env >= 20) return Math.min(400, env);
  const cols = process.stdout.columns;
  return cols !== undefined && cols >= 20 ? Math.min(400, cols) : 100;
}

/** One message on standard error; whatever came from the input or a file name is made visible, not obeyed. */
function stderr(line: string): void {
  const text = line
    .split("\n")
    .map((l) => safeText(l))
    .join("\n");
  try {
    process.stderr.write(text.endsWith("\n") ? text : text + "\n");
  } catch {
    // standard error closed: nothing left to tell
  }
}

/**
 * `-o FILE` (or standard output) checked before any input is read: never one of the inputs or
 * the `--services` file, and a file that can be created (its folder exists, it is not a folder).
 */
async function openOutput(output: string | undefined, inputs: readonly InputRef[], services?: string): Promise<Output> {
  const paths: (string | null)[] = inputs.map((i) => i.path);
  if (services !== undefined) paths.push(services);
  await refuseOverwritingInputs(output ?? null, paths);
  const out = new Output(output ?? null);
  await out.open();
  return out;
}

async function writeStdout(text: string): Promise<void> {
  const out = new Output(null);
  await out.write(text);
  await out.close();
}


function maxInputBytes(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_INPUT_BYTES;
  if (!(Number.isInteger(value) && value >= 1)) throw new UsageError(`--max-input-bytes must be a whole number of bytes, at least 1 (got ${value})`);
  return value;
}

async function inputsOrFail(args: readonly string[]): Promise<{ inputs: InputRef[]; unreadable: number }> {
  const { inputs, problems } = await resolveInputs(args);
  for (const p of problems) stderr(`${p.name}: ${p.message}`);
  if (inputs.length === 0) throw new UsageError("");
  if (inputs.some((i) => i.path === null) && process.stdin.isTTY === true) {
    stderr("Paste the sniffer output, then press Ctrl-D");
  }
  return { inputs, unreadable: problems.length };
}

async function runParse(argv: { inputs: string[]; format: ParseFormat; output: string | undefined; filter: string | undefined; maxInputBytes: number | undefined }): Promise<number> {
  if (argv.filter !== undefined) checkFilter(argv.filter);
  const limit = maxInputBytes(argv.maxInputBytes);
  const keepPacket = argv.filter === undefined ? null : packetFilter(argv.filter);
  const keep = keepPacket === null ? undefined : (r: AssembledRecord) => r.type !== "packet" || keepPacket(r);
  const { inputs, unreadable } = await inputsOrFail(argv.inputs);
  const out = await openOutput(argv.output, inputs);
  let withCapture = 0;
  let failed = unreadable;
  for (const ref of inputs) {
    try {
      const outcome = await parseInputToOutput(ref, argv.format, out, keep, limit);
      if (outcome.problem !== null) stderr(`${ref.name}: ${outcome.problem}`);
      else withCapture++;
    } catch (err) {
      if (err instanceof OutputError || err instanceof BrokenPipe) {
        await out.discard();
        throw err;
      }
      failed++;
      stderr(`${ref.name}: ${describeFsError(err)}`);
    }
  }
  const status = failed > 0 || withCapture === 0 ? 2 : 0;
  // a file output is kept only when something was parsed; standard output already has the records
  if (withCapture === 0) await out.discard();
  else await out.close();
  return status;
}

interface CommonArgs {
  inputs: string[];
  output: string | undefined;
  timeout: number | undefined;
  unitAddress: string[];
  color: boolean | undefined;
  failOn: FailOn;
  jobs: number | undefined;
  progress: boolean | undefined;
  services: string | undefined;
  filter: string | undefined;
  maxInputBytes: number | undefined;
  keepGoing: boolean;
  mask: boolean;
  maskKey: string | undefined;
  maskKeep: string[] | undefined;
  label: string | undefined;
  minSeverity: Severity;
  /** `--top-flows` */
  topFlows?: number | undefined;
}

function useColor(a: { color: boolean | undefined; output: string | undefined }): boolean {
  // NO_COLOR (https://no-color.org) wins over --color, as the README promises
  if (process.env["NO_COLOR"] !== undefined && process.env["NO_COLOR"] !== "") return false;
  if (a.color !== undefined) return a.color;
  if (a.output !== undefined) return false;
  return process.stdout.isTTY === true;
}

/** A `--services` file larger than this is not a service list. */
const MAX_SERVICES_BYTES = 4 * 1024 * 1024;

/** A `--services` file's text: a regular file under MAX_SERVICES_BYTES, never a device or a FIFO. */
function readServicesFile(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (err) {
    throw new UsageError(`${file}: ${describeFsError(err)}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new UsageError(`${file}: cannot read: is a directory`);
    if (!st.isFile()) throw new UsageError(`${file}: --services must be a regular file (this is a device, FIFO or socket)`);
    if (st.size > MAX_SERVICES_BYTES) throw new UsageError(`${file}: --services file of ${st.size} bytes is larger than ${MAX_SERVICES_BYTES}; a service list is a few kilobytes`);
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n <= 0) break;
      off += n;
    }
    return buf.subarray(0, off).toString("utf8");
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${file}: ${describeFsError(err)}`);
  } finally {
    closeSync(fd);
  }
}

/** The built-in catalogue, with `--services FILE` merged over it (bad entries: exit 2, each named). */
function catalogueFor(file: string | undefined): Catalogue {
  if (file === undefined) return builtinCatalogue();
  const text = readServicesFile(file);
  const merged = mergeCatalogueText(builtinCatalogue(), text, file);
  if (merged.errors.length > 0) throw new UsageError(merged.errors.join("\n"));
  return merged.catalogue;
}

function analyzeSettings(a: CommonArgs): AnalyzeSettings {
  if (a.timeout !== undefined && !(a.timeout > 0 && a.timeout <= 3600)) throw new UsageError(`--timeout must be a number of seconds between 0 and 3600 (got ${a.timeout})`);
  const settings: AnalyzeSettings = { catalogue: catalogueFor(a.services), maxInputBytes: maxInputBytes(a.maxInputBytes) };
  if (a.timeout !== undefined) settings.timeout = a.timeout;
  if (a.unitAddress.length > 0) settings.unitAddresses = a.unitAddress.map(checkUnitAddress);
  if (a.filter !== undefined) {
    checkFilter(a.filter);
    settings.filter = a.filter;
  }
  if (a.mask || a.maskKey !== undefined || a.maskKeep !== undefined) {
    if (!a.mask) throw new UsageError("--mask-key and --mask-keep go with --mask");
    settings.mask = maskSettings(a.maskKey ?? process.env["SNIFFDIAG_MASK_KEY"], maskKeepOrFail(a.maskKeep), settings.catalogue);
  }
  return settings;
}

function maskKeepOrFail(values: string[] | undefined): MaskKeep[] {
  const keep = parseMaskKeep(values);
  if (typeof keep === "string") throw new UsageError(keep);
  return keep;
}

/** `--unit-address`: one IPv4 or IPv6 address, as the sniffer prints it. */
function checkUnitAddress(text: string): string {
  const a = text.trim();
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  if (v4 !== null && v4.slice(1).every((o) => Number(o) <= 255)) return a;
  if (v4 === null && /^[0-9a-fA-F:]+$/.test(a) && a.includes(":") && a.length <= 39) return a.toLowerCase();
  throw new UsageError(`--unit-address must be an IPv4 or IPv6 address (got '${text}')`);
}

/** A malformed --filter: exit 2 with libpcap-style message and a caret under the column. */
function checkFilter(expr: string): void {
  try {
    compileFilter(expr);
  } catch (err) {
    if (err instanceof FilterSyntaxError) throw new UsageError(err.frame());
    throw err;
  }
}

/** `--jobs N`: at most the number of CPUs (more threads only compete for them and take memory). */
function jobsFor(requested: number | undefined): number | undefined {
  if (requested === undefined) return undefined;
  if (!(Number.isInteger(requested) && requested >= 1)) throw new UsageError(`--jobs must be a whole number of at least 1 (got ${requested})`);
  const cpus = availableParallelism();
  if (requested > cpus) {
    stderr(`sniffdiag: --jobs ${requested}: using ${cpus}, the number of CPUs`);
    return cpus;
  }
  return requested;
}

/** `--label NAME`: the name standard input is reported under (instead of `-`). */
function labelled<T extends { inputs: InputRef[] }>(r: T, label: string | undefined): T {
  if (label === undefined) return r;
  if (label.trim() === "") throw new UsageError("--label needs a name");
  const stdin = r.inputs.filter((i) => i.path === null);
  if (stdin.length === 0) throw new UsageError("--label names standard input: give - (or no INPUT) as the input");
  return { ...r, inputs: r.inputs.map((i) => (i.path === null ? { ...i, name: label } : i)) };
}

async function analyzeAll(a: CommonArgs, out: (inputs: InputRef[]) => Promise<Output>, streamFlows?: (output: Output, inputs: InputRef[]) => Promise<FlowStream | undefined>) {
  const options = analyzeSettings(a);
  const jobs = jobsFor(a.jobs);
  const { inputs, unreadable } = labelled(await inputsOrFail(a.inputs), a.label);
  const output = await out(inputs);
  try {
    const flows = streamFlows === undefined ? undefined : await streamFlows(output, inputs);
    const results = await analyzeBatch(inputs, options, {
      jobs,
      progress: a.progress,
      onProblem: (name, problem) => stderr(`${name}: ${problem}`),
      ...(flows === undefined ? {} : { flows }),
    });
    return { results, unreadable, output };
  } catch (err) {
    await output.discard();
    throw err;
  }
}

/** `-o report.md` implies markdown, `.json` json, `.html` html, when --format is not given. */
function inferFormat<F extends string>(explicit: F | undefined, output: string | undefined, allowed: readonly F[], fallback: F): F {
  if (explicit !== undefined) return explicit;
  const ext = output?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  const byExt: Record<string, string> = { md: "markdown", markdown: "markdown", json: "json", html: "html", htm: "html", csv: "csv", txt: "table" };
  const f = ext === undefined ? undefined : byExt[ext];
  if (f === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(f)) {
    // `-o out.csv` on analyze: a report format this command does not write is refused, not guessed
    const fits = Object.entries(byExt).filter(([, v]) => (allowed as readonly string[]).includes(v)).map(([e]) => "." + e);
    throw new UsageError(`-o ${output}: this command does not write ${f}; give a file ending in ${fits.join(", ")} or choose with --format (${allowed.join(", ")})`);
  }
  return f as F;
}

/**
 * Exit 2 (an input missing or unreadable, no sniffer output anywhere): nothing is written, unless
 * `--keep-going` asks for the report of the inputs that were read.
 */
async function finish(out: Output, status: number, keepGoing: boolean, anyReport: boolean, render: () => Iterable<string>): Promise<number> {
  if (!anyReport || (status === 2 && !keepGoing)) {
    await out.discard();
    return status;
  }
  // written piece by piece (the JSON report a flow at a time): never one giant string
  for (const piece of render()) await out.write(piece);
  await out.close();
  return status;
}

/**
 * Flows written while the analysis runs, as they finish (`AnalyzeOptions.onFlow`): for one input
 * written to a file that appears only once complete (`-o FILE`: a failed run still leaves nothing),
 * in a format that lists every flow. Standard output and batches get the report written in pieces
 * after the analysis (on exit 2 nothing may have been written there).
 */
function flowStreamer(kind: FlowPiecesKind | null, started: { pieces: FlowPieces | null }) {
  return async (output: Output, inputs: InputRef[]): Promise<FlowStream | undefined> => {
    if (kind === null || inputs.length !== 1 || !output.replacesAtomically) return undefined;
    const pieces = new FlowPieces(kind, jsonSafe, (f) => safeStrings(f));
    started.pieces = pieces;
    if (kind === "report-json") await output.write(jsonSafe(reportJsonHead(REPORT_SCHEMA, { name: "sniffdiag", version: VERSION })));
    return {
      onFlow: pieces.onFlow,
      get backlog() {
        return pieces.backlog;
      },
      drain: async () => {
        for (const p of pieces.take()) await output.write(p);
      },
    };
  };
}

/** The report after flows streamed during the analysis: the rest of them, then every other property. */
function* reportAfterFlows(pieces: FlowPieces, report: Report): Generator<string> {
  yield* pieces.take();
  yield pieces.end();
  for (const p of reportJsonTail(report)) yield jsonSafe(p);
}

/** The flow table after flows streamed during the analysis: the rest of them and the close. */
function* flowsAfterFlows(pieces: FlowPieces): Generator<string> {
  yield* pieces.take();
  yield pieces.end();
}

async function runAnalyze(a: CommonArgs & { format: ReportFormat }): Promise<number> {
  const started: { pieces: FlowPieces | null } = { pieces: null };
  const { results, unreadable, output } = await analyzeAll(a, (inputs) => openOutput(a.output, inputs, a.services), flowStreamer(a.format === "json" ? "report-json" : null, started));
  const report = reportOf(results);
  let status = exitStatus(results, report, a.failOn);
  if (unreadable > 0) status = 2;
  const pieces = started.pieces;
  return finish(output, status, a.keepGoing, results.some((r) => r.report !== null), () =>
    pieces === null ? renderReportPieces(withMinSeverity(report, a.minSeverity), a.format, renderSettings(a)) : reportAfterFlows(pieces, withMinSeverity(report, a.minSeverity)),
  );
}

async function runFlows(a: CommonArgs & { format: FlowsFormat }): Promise<number> {
  const started: { pieces: FlowPieces | null } = { pieces: null };
  const kind = a.format === "json" ? "flows-json" : a.format === "csv" ? "flows-csv" : null;
  const { results, unreadable, output } = await analyzeAll(a, (inputs) => openOutput(a.output, inputs, a.services), flowStreamer(kind, started));
  const report = reportOf(results);
  // --fail-on as for analyze (the default for flows is never: a flow table is not a judgement)
  let status = exitStatus(results, report, a.failOn);
  if (unreadable > 0) status = 2;
  const pieces = started.pieces;
  return finish(output, status, a.keepGoing, results.some((r) => r.report !== null), () => (pieces === null ? renderFlowsPieces(report, a.format, renderSettings(a)) : flowsAfterFlows(pieces)));
}

function inputsPositional<T>(y: Argv<T>) {
  return y.positional("inputs", { describe: "files, directories, globs, or - for standard input", type: "string", array: true, default: [] as string[] });
}

function commonOptions<T>(y: Argv<T>) {
  return inputsPositional(y)
    .option("output", { alias: "o", type: "string", describe: "write to FILE instead of standard output" })
    .option("timeout", { type: "number", describe: "reply window in seconds (default 2; 3 for TCP SYN)" })
    .option("unit-address", { type: "string", describe: "an address of the unit itself (repeatable): traffic to it is local-in" })
    .option("fail-on", { choices: ["error", "warning", "never"] as const, describe: "exit 1 when a verdict at this level or worse exists (analyze: default error; flows: default never)" })
    .option("label", { type: "string", describe: "the name standard input is reported under (default: -)" })
    .option("quiet", { alias: "q", type: "boolean", default: false, describe: "show only problems: hide ok and info verdicts (same as --min-severity warning)" })
    .option("min-severity", { choices: ["ok", "info", "warning", "error"] as const, describe: "show only verdicts at this severity or worse (the summary still counts them all)" })
    .option("color", { type: "boolean", describe: "colour in table output (default: when stdout is a terminal and NO_COLOR is unset)" })
    .option("filter", { type: "string", describe: "keep only packets matching this tcpdump/BPF expression (the sniffer's own filter language)" })
    .option("services", { type: "string", describe: "extra or overriding service definitions (JSON), merged over the built-in catalogue" })
    .option("jobs", { type: "number", describe: "inputs analysed in parallel (default and most: the number of CPUs)" })
    .option("max-input-bytes", { type: "number", describe: `stop reading an input past this many bytes, after decompression (default ${DEFAULT_MAX_INPUT_BYTES})` })
    .option("keep-going", { type: "boolean", default: false, describe: "when an input cannot be read (exit 2), still write the report of the others" })
    .option("progress", { type: "boolean", describe: "progress bar on standard error (default: when it is a terminal and the work is long)" })
    .option("top-flows", { type: "number", describe: `flows listed by table, markdown and HTML, the most packets first (default ${DEFAULT_TOP_FLOWS}; 0: all); json and csv keep every flow` })
    .option("mask", { type: "boolean", default: false, describe: "pseudonymise IPv4/IPv6/MAC addresses in every output (as `sniffdiag mask` does to the capture)" })
    .option("mask-key", { type: "string", describe: "key for --mask: the same key gives the same pseudonyms (default: $SNIFFDIAG_MASK_KEY, else random)" })
    .option("mask-keep", { type: "string", array: true, describe: `addresses --mask leaves as they are: ${MASK_KEEP.join(", ")} (comma-separated)` });
}

function renderSettings(a: CommonArgs): RenderSettings {
  return { color: useColor(a), width: terminalWidth(), ...(a.topFlows === undefined ? {} : { topFlows: a.topFlows }) };
}

function common(a: Record<string, unknown>): CommonArgs {
  const topFlows = a["topFlows"] as number | undefined;
  if (topFlows !== undefined && !(Number.isInteger(topFlows) && topFlows >= 0)) {
    throw new UsageError(`--top-flows ${String(a["topFlows"])}: give a whole number of flows (0 lists them all)`);
  }
  return {
    topFlows,
    inputs: a["inputs"] as string[],
    output: a["output"] as string | undefined,
    timeout: a["timeout"] as number | undefined,
    unitAddress: ([] as unknown[]).concat(a["unitAddress"] ?? []).map(String),
    color: a["color"] as boolean | undefined,
    failOn: (a["failOn"] as FailOn | undefined) ?? "error",
    jobs: a["jobs"] as number | undefined,
    progress: a["progress"] as boolean | undefined,
    services: a["services"] as string | undefined,
    filter: a["filter"] as string | undefined,
    maxInputBytes: a["maxInputBytes"] as number | undefined,
    keepGoing: a["keepGoing"] === true,
    mask: a["mask"] === true,
    maskKey: a["maskKey"] as string | undefined,
    maskKeep: a["maskKeep"] as string[] | undefined,
    label: a["label"] as string | undefined,
    minSeverity: (a["minSeverity"] as Severity | undefined) ?? (a["quiet"] === true ? "warning" : "ok"),
  };
}

/** Exit statuses, said in every command's help. */
const EXIT_STATUS = "Exit status: 0 finished, nothing at the --fail-on level; 1 a verdict at that level; 2 usage error, an unreadable input, or no sniffer output in any input.";
const EXIT_STATUS_PLAIN = "Exit status: 0 done; 2 usage error or an unreadable input.";

export async function main(argv: string[]): Promise<number> {
  const mistyped = mistypedCommand(argv);
  if (mistyped !== null) {
    stderr(`sniffdiag: ${mistyped}\nRun 'sniffdiag --help' for usage.`);
    return 2;
  }
  let exitCode = 0;
  const liveHost: LiveHost = {
    settings: (a) => analyzeSettings(common({ ...a, filter: a["follow"] === true ? a["filter"] : undefined })),
    color: (a) => useColor({ color: a["color"] as boolean | undefined, output: a["output"] as string | undefined }),
    width: terminalWidth,
    format: (a) => inferFormat(a["format"] as (typeof LIVE_FORMATS)[number] | undefined, a["output"] as string | undefined, LIVE_FORMATS, "table"),
    setExit: (code) => {
      exitCode = code;
    },
  };
  const parser = yargs(argv)
    .scriptName("sniffdiag")
    .usage("$0 [command] [INPUT...]\n\nReads `diagnose sniffer packet` output and says what is wrong.")
    .command(
      ["analyze [inputs..]", "$0 [inputs..]"],
      "verdicts for each capture (the default command)",
      (y) =>
        commonOptions(y)
          .option("format", { choices: REPORT_FORMATS, describe: "table (terminal), text (plain, no box drawing), json, jsonl (one verdict per line), markdown (ticket), html (default: from the -o extension, else table)" })
          .option("follow", { type: "boolean", describe: "follow one growing session log like tail -f, with a live view, until Ctrl-C or the sniffer's trailer" })
          .example("$0 ticket-4711.txt", "verdicts on the terminal")
          .example("$0 capture.txt -o ticket.md", "markdown for the ticket, with Mermaid diagrams")
          .example("$0 tickets/ --quiet --format text", "only the problems of a folder of captures, as plain text")
          .example("pbpaste | $0 - --label ticket-4711", "a paste from the clipboard, reported as ticket-4711")
          .example("$0 capture.txt --format jsonl | jq -r .code", "one verdict per line, for pipelines")
          .example("$0 capture.txt --mask -o ticket.html", "the HTML report with addresses pseudonymised")
          .epilogue(EXIT_STATUS),
      async (a) => {
        if (await followHandler(a, liveHost)) return;
        exitCode = await runAnalyze({ ...common(a), format: inferFormat(a.format as ReportFormat | undefined, a.output as string | undefined, REPORT_FORMATS, "table") });
      },
    )
    .command(
      "flows [inputs..]",
      "the flow / conversation table",
      (y) =>
        commonOptions(y)
          .option("format", { choices: FLOWS_FORMATS, describe: "output format (default: from the -o extension, else table)" })
          .example("$0 flows capture.txt", "the flow table on the terminal")
          .example("$0 flows capture.txt --format csv -o flows.csv", "the flow table for a spreadsheet")
          .example("$0 flows capture.txt --fail-on warning", "exit 1 when the capture has a warning or an error")
          .epilogue(`${EXIT_STATUS} flows: --fail-on is never unless given.`),
      async (a) => {
        exitCode = await runFlows({ ...common(a), failOn: (a.failOn as FailOn | undefined) ?? "never", format: inferFormat(a.format as FlowsFormat | undefined, a.output as string | undefined, FLOWS_FORMATS, "table") });
      },
    )
    .command(
      "live <target> [filter]",
      "run the sniffer on a FortiOS unit over SSH and watch the verdicts form",
      (y) => liveBuilder(y).epilogue("Exit status: 0 finished, nothing at the --fail-on level; 1 a verdict at that level; 2 usage error or any failure to capture (authentication, host key, maximum admins, a filter the unit rejects, not FortiOS)."),
      (a) => liveHandler(a, liveHost),
    )
    .command(
      "services",
      "the built-in Fortinet service catalogue (port, name, source)",
      (y) =>
        y
          .option("format", { choices: ["table", "json"] as const, default: "table" as const, describe: "output format" })
          .option("services", { type: "string", describe: "merge these service definitions (JSON) first" })
          .example("$0 services", "the catalogue as a table")
          .example("$0 services --format json --services mine.json", "the catalogue with your definitions merged, as JSON")
          .epilogue(EXIT_STATUS_PLAIN),
      async (a) => {
        const catalogue = catalogueFor(a.services);
        await writeStdout(a.format === "json" ? jsonSafe(JSON.stringify(catalogue, null, 2)) + "\n" : renderCatalogue(safeStrings(catalogue), useColor({ color: undefined, output: undefined }), terminalWidth()));
      },
    )
    .command(
      "export <input>",
      "pcapng (or pcap) for Wireshark, from captures with hex dumps (verbose 2, 3, 5, 6)",
      (y) =>
        y
          .positional("input", { describe: "the capture file, or - for standard input", type: "string", demandOption: true })
          .option("output", { alias: "o", type: "string", demandOption: true, describe: "the pcapng/pcap file to write (- for standard output)" })
          .option("format", { choices: ["pcapng", "pcap"] as const, describe: "default: from the -o extension, else pcapng" })
          .option("start", { type: "string", describe: "capture start for relative timestamps (epoch seconds or 2024-06-10T06:13:20Z); default: the file's modification time" })
          .option("include", { type: "string", array: true, describe: "only these interfaces" })
          .option("exclude", { type: "string", array: true, describe: "not these interfaces" })
          .option("p2p", { type: "string", array: true, describe: "interfaces whose 14-byte header is synthetic (point-to-point; ppp* always are)" })
          .option("filter", { type: "string", describe: "keep only packets matching this tcpdump/BPF expression" })
          .option("max-input-bytes", { type: "number", describe: `stop reading the input past this many bytes, after decompression (default ${DEFAULT_MAX_INPUT_BYTES})` })
          .example("$0 export capture-v6.txt -o capture.pcapng", "open it in Wireshark")
          .example("$0 export capture.txt -o - --filter 'port 53' | wireshark -k -i -", "straight into Wireshark")
          .epilogue("Exit status: 0 written; 2 usage error, an unreadable input, or no packet with a hex dump (verbose 2, 3, 5, 6)."),
      async (a) => {
        const output = a.output as string;
        const format = a.format ?? (output.toLowerCase().endsWith(".pcap") ? "pcap" : "pcapng");
        const args: ExportArgs = { input: a.input as string, output, format };
        if (a.start !== undefined) args.start = a.start;
        if (a.include !== undefined) args.include = a.include as string[];
        if (a.exclude !== undefined) args.exclude = a.exclude as string[];
        if (a.p2p !== undefined) args.p2p = a.p2p as string[];
        if (a.filter !== undefined) args.filter = a.filter;
        args.maxInputBytes = maxInputBytes(a.maxInputBytes);
        exitCode = await runExport(args);
      },
    )
    .command(
      "mask <input>",
      "the capture with its IPv4, IPv6 and MAC addresses pseudonymised (keyed, consistent, prefix-preserving)",
      (y) =>
        y
          .positional("input", { describe: "the capture file, or - for standard input", type: "string", demandOption: true })
          .option("output", { alias: "o", type: "string", demandOption: true, describe: "the masked capture to write (- for standard output)" })
          .option("mask-key", { type: "string", describe: "the key: the same key gives the same pseudonyms (default: $SNIFFDIAG_MASK_KEY, else random)" })
          .option("mask-keep", { type: "string", array: true, describe: `addresses left as they are: ${MASK_KEEP.join(", ")} (comma-separated)` })
          .option("services", { type: "string", describe: "merge these service definitions (JSON) first (their addresses count for --mask-keep catalogue)" })
          .example("$0 mask capture.txt -o capture-masked.txt --mask-key ticket-4711", "the same key gives the same pseudonyms every time")
          .example("$0 mask capture.txt -o - --mask-keep private,catalogue", "keep private and FortiGuard addresses as they are")
          .epilogue(`${EXIT_STATUS_PLAIN} Hex dumps are masked too, their checksums updated; payloads are left as they are.`),
      async (a) => {
        const output = a.output as string;
        // only a regular file, a FIFO or standard input; never written over
        const { inputs } = await inputsOrFail([a.input as string]);
        const out = await openOutput(output, inputs, a.services as string | undefined);
        exitCode = await runMask(
          {
            input: a.input as string,
            output,
            key: (a.maskKey as string | undefined) ?? process.env["SNIFFDIAG_MASK_KEY"],
            keep: maskKeepOrFail(a.maskKeep as string[] | undefined),
            catalogue: catalogueFor(a.services as string | undefined),
            report: stderr,
          },
          (text) => out.write(text),
        );
        if (exitCode === 2) await out.discard();
        else await out.close();
      },
    )
    .command(
      "web",
      "the offline web page: print its path (and open it on a desktop)",
      (y) => y.example("$0 web", "print the page's path").epilogue(EXIT_STATUS_PLAIN),
      async () => {
        exitCode = await runWeb();
      },
    )
    .command(
      "schema",
      "the JSON Schema of the analyze report",
      (y) => y.example("$0 schema > report.schema.json", "validate reports with any JSON Schema tool").epilogue(EXIT_STATUS_PLAIN),
      async () => {
        await writeStdout(JSON.stringify(reportSchema, null, 2) + "\n");
      },
    )
    .command(
      "parse [inputs..]",
      "the packet records, one per line",
      (y) =>
        inputsPositional(y)
          .option("format", { choices: ["jsonl", "table"] as const, default: "jsonl" as const, describe: "output format" })
          .option("output", { alias: "o", type: "string", describe: "write to FILE instead of standard output" })
          .option("filter", { type: "string", describe: "keep only packets matching this tcpdump/BPF expression" })
          .option("max-input-bytes", { type: "number", describe: `stop reading an input past this many bytes, after decompression (default ${DEFAULT_MAX_INPUT_BYTES})` })
          .example("$0 parse capture.txt --filter 'port 53'", "packet records as JSON lines")
          .example("$0 parse capture.txt --format table", "one packet per line, readable")
          .epilogue("Exit status: 0 done; 2 usage error, an unreadable input, or no sniffer output in any input."),
      async (a) => {
        exitCode = await runParse({ inputs: a.inputs as string[], format: a.format as ParseFormat, output: a.output, filter: a.filter, maxInputBytes: a.maxInputBytes });
      },
    )
    .version("version", "print the version", VERSION)
    .alias("h", "help")
    .strict()
    .recommendCommands()
    .wrap(Math.min(100, terminalWidth()))
    .fail((msg, err) => {
      if (err !== undefined && err !== null) throw err;
      throw new UsageError(suggestOption(msg ?? "usage error"));
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    if (err instanceof UsageError) {
      if (err.message !== "") stderr(`sniffdiag: ${err.message}\nRun 'sniffdiag --help' for usage.`);
      return 2;
    }
    if (err instanceof OutputError) {
      stderr(err.message);
      return 2;
    }
    if (err instanceof BrokenPipe) return 0;
    stderr(`sniffdiag: internal error: ${(err as Error).message ?? String(err)}`);
    return 2;
  }
  return exitCode;
}

// Run when executed as the CLI bundle (not when imported by tests).
const isEntry = typeof process !== "undefined" && process.argv[1] !== undefined && /(?:cli\.mjs|sniffdiag(?:\.js)?)$/.test(process.argv[1]);
if (isEntry) {
  main(hideBin(process.argv)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      stderr(`sniffdiag: internal error: ${(err as Error).message ?? String(err)}`);
      process.exitCode = 2;
    },
  );
}
