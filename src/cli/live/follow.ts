/**
 * `sniffdiag analyze --follow FILE`: follow a growing session log (PuTTY, `script`, a terminal's
 * logging) like `tail -f`, with the live view, until Ctrl-C or the sniffer's trailer; then the
 * report, the same as `analyze FILE` on what was read.
 */
import { promises as fs } from "node:fs";
import { buildReport } from "../../analyze.js";
import { optionsFrom, renderReport, type AnalyzeSettings, type FailOn, type ReportFormat } from "../analyze-command.js";
import { describeFsError } from "../inputs.js";
import { LivePipeline } from "./pipeline.js";
import { LiveView, serviceLine, type LiveState, type ViewMode } from "./view.js";
import { LiveError } from "./fortios.js";
import { processIo, writeReport, type LiveIo } from "./live-command.js";

export interface FollowArgs {
  file: string;
  output: string | null;
  format: ReportFormat | "jsonl";
  failOn: FailOn;
  color: boolean;
  width: number;
  settings: AnalyzeSettings;
  /** how often to look for new bytes */
  pollMs?: number;
}

export async function runFollow(args: FollowArgs, io: LiveIo = processIo()): Promise<number> {
  let handle: fs.FileHandle;
  try {
    const st = await fs.stat(args.file);
    if (!st.isFile()) throw new LiveError("usage", `${args.file}: --follow needs a regular file (a session log that grows)`);
    handle = await fs.open(args.file, "r");
  } catch (err) {
    if (err instanceof LiveError) throw err;
    throw new LiveError("usage", `${args.file}: ${describeFsError(err)}`);
  }
  const options = optionsFrom(args.settings);
  const info = options.serviceInfo ?? (() => null);
  const pipeline = new LivePipeline({ ...options, source: args.file });
  const mode: ViewMode = io.stdout.isTTY === true ? "tty" : args.format === "jsonl" ? "jsonl" : "none";
  const view = new LiveView(mode, io.stdout, `following ${args.file}`, args.width);
  const started = Date.now();
  const state = (note: string | null): LiveState => ({
    elapsedMs: Date.now() - started,
    packets: pipeline.packets,
    services: pipeline.servicesSoFar().flatMap((c) => c.services.map((s) => serviceLine(c.capture, s, info))),
    note,
  });
  let stopped: "ctrl-c" | "trailer" | null = null;
  const off = io.onInterrupt(() => {
    stopped = "ctrl-c";
  });
  const ticker = setInterval(() => view.update(state(null)), 500);
  const buffer = Buffer.alloc(1 << 16);
  let position = 0;
  let note: string | null = null;
  try {
    while (stopped === null) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead > 0) {
        position += bytesRead;
        pipeline.push(Buffer.from(buffer.subarray(0, bytesRead)));
        continue;
      }
      // at the end of what is written so far: let the parser catch up, then look again
      await new Promise((r) => setTimeout(r, args.pollMs ?? 200));
      if (pipeline.trailers > 0) stopped = "trailer";
      const size = (await handle.stat()).size;
      if (size < position) {
        note = `${args.file} was truncated while following it; the report covers the ${position} bytes read before`;
        break;
      }
    }
  } finally {
    clearInterval(ticker);
    off();
    await handle.close();
  }
  const part = await pipeline.end();
  view.update(state(stopped === "trailer" ? "the sniffer's trailer was read" : "stopped"));
  view.finish();
  if (note !== null) io.stderr.write(note + "\n");
  const report = buildReport([part]);
  let exit = 0;
  if (!part.hasCapture) {
    io.stderr.write(`${args.file}: no sniffer output found\n`);
    exit = 2;
  } else if (args.failOn !== "never") {
    const bad = args.failOn === "error" ? report.summary.errors : report.summary.errors + report.summary.warnings;
    exit = bad > 0 ? 1 : 0;
  }
  await writeReport(args.format === "jsonl" ? JSON.stringify({ type: "report", report }) + "\n" : renderReport(report, args.format, args.color, args.width), args.output, io.stdout);
  return exit;
}
