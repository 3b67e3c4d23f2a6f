/**
 * `sniffdiag live [user@]host[:port] [FILTER]`: connect over SSH, learn the unit
 * (`get system status` over exec), open a tall PTY shell, enter the VDOM, run
 * `diagnose sniffer packet` with the session's own SSH traffic excluded, stream the lines into the
 * analyzer with a live view, stop with Ctrl-C (0x03) / `--count` / `--duration`, wait for the
 * trailer and the prompt, leave, and print the report — the same report `analyze` gives on the
 * transcript saved with `--save`.
 *
 * Exit status: 0/1 as `analyze` (by --fail-on); 2 for usage errors and every failure to capture
 * (authentication, host key, maximum admins, a filter the unit rejects, not FortiOS, not allowed).
 */
import { mkdtempSync, rmSync, statSync, type Stats } from "node:fs";
import { homedir, tmpdir, userInfo } from "node:os";
import { join, resolve } from "node:path";
import type { Client } from "ssh2";
import { buildReport, type InputReport } from "../../analyze.js";
import type { Report } from "../../report.js";
import { optionsFrom, renderReport, type AnalyzeSettings, type FailOn, type ReportFormat } from "../analyze-command.js";
import { Output, refuseOverwritingInputs } from "../output.js";
import { runExport } from "../export-command.js";
import { execText, openShell, openSsh, type SshSession } from "./ssh.js";
import { FortiShell, LiveError, MAX_ADMINS, ownSessionExclusion, parseSystemStatus, snifferCommand, vdomsEnabled, withExclusion, type UnitStatus } from "./fortios.js";
import { parseTarget, TargetError } from "./target.js";
import { ProcessTerminal, type Terminal } from "./terminal.js";
import { LivePipeline } from "./pipeline.js";
import { LiveView, serviceLine, type LiveState, type ViewMode } from "./view.js";
import { DEBUG_FLOW_CLEANUP, debugFlowSetup, filterAddresses } from "./debugflow.js";

export type LiveFormat = ReportFormat | "jsonl";

export interface LiveArgs {
  target: string;
  filter: string | null;
  iface: string;
  verbose: number | null;
  count: number | null;
  duration: number | null;
  vdom: string | null;
  save: string | null;
  savePcapng: string | null;
  excludeOwnSession: boolean;
  identity: string | null;
  knownHosts: string | null;
  acceptNewHostKey: boolean;
  connectTimeout: number;
  promptTimeout: number;
  debugFlow: number | null;
  output: string | null;
  format: LiveFormat;
  failOn: FailOn;
  color: boolean;
  width: number;
  settings: AnalyzeSettings;
}

/** What the live run adds to the report (the `live` field; the rest equals `analyze` on the transcript). */
export interface LiveFacts {
  target: string;
  unit: { hostname: string | null; version: string | null; vdom: string | null };
  command: string;
  /** the filter added to exclude this session's own SSH traffic, or null when disabled */
  excluded: string | null;
  stoppedBy: "ctrl-c" | "count" | "duration" | "unit" | "connection-lost" | "second-ctrl-c";
  /** set when the capture did not end with the sniffer's trailer */
  interrupted: string | null;
  transcript: string | null;
  debugFlow: { setup: string[]; cleanup: string[] } | null;
  /** every command typed into the unit's CLI, in order (both sessions) */
  commands: string[];
}

export interface LiveIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  terminal: Terminal;
  env: NodeJS.ProcessEnv;
  /** SIGINT subscription (tests pass their own) */
  onInterrupt(handler: () => void): () => void;
}

export function processIo(): LiveIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    terminal: new ProcessTerminal(),
    env: process.env,
    // Ctrl-C, and a `kill` or a closed terminal too: every way out stops the sniffer and cleans up
    onInterrupt(handler) {
      const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
      for (const s of signals) process.on(s, handler);
      return () => {
        for (const s of signals) process.off(s, handler);
      };
    },
  };
}

/** The final report to `-o FILE`, or to the given standard output. */
export async function writeReport(text: string, output: string | null, stdout: NodeJS.WritableStream): Promise<void> {
  if (output === null) {
    await new Promise<void>((resolve) => (stdout.write(text) ? resolve() : stdout.once("drain", () => resolve())));
    return;
  }
  const out = new Output(output);
  await out.write(text);
  await out.close();
}

/** Line-granular merge of two sessions' bytes into one transcript (only with --debug-flow). */
class LineMerger {
  private pending = new Map<string, Buffer>();
  constructor(private readonly sink: (b: Buffer) => void) {}
  push(channel: string, data: Buffer): void {
    const prev = this.pending.get(channel);
    const all = prev === undefined ? data : Buffer.concat([prev, data]);
    const nl = all.lastIndexOf(0x0a);
    if (nl < 0) {
      this.pending.set(channel, all);
      return;
    }
    this.sink(all.subarray(0, nl + 1));
    this.pending.set(channel, all.subarray(nl + 1));
  }
  flush(): void {
    for (const b of this.pending.values()) if (b.length > 0) this.sink(b);
    this.pending.clear();
  }
}

/**
 * The raw transcript (`--save`, or the temporary one behind `--save-pcapng`), written the way every
 * output is (src/cli/output.ts): opened before connecting (a missing folder is one line and exit 2
 * before anything runs on the unit), into a temporary file beside the target that is renamed when
 * the session ends, so an existing file is never left half-written. Bytes arrive synchronously
 * from the SSH channel; writes are chained in order, and the first failure (a full disk) stops
 * the writing and is thrown, as one line, when the transcript is closed.
 */
class TranscriptWriter {
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown = null;

  private constructor(private readonly out: Output) {}

  static async open(path: string): Promise<TranscriptWriter> {
    const out = new Output(path);
    await out.open();
    return new TranscriptWriter(out);
  }

  write(b: Buffer): void {
    if (this.failure !== null) return;
    this.chain = this.chain.then(() => (this.failure === null ? this.out.write(b) : undefined)).catch((err: unknown) => {
      this.failure ??= err;
    });
  }

  /** Nothing to keep: the target is left as it was. */
  async discard(): Promise<void> {
    await this.chain;
    await this.out.discard();
  }

  /** Everything received so far under the file's name; throws the first write failure (the file is then left as it was). */
  async close(): Promise<void> {
    await this.chain;
    if (this.failure !== null) {
      await this.out.discard();
      throw this.failure;
    }
    await this.out.close();
  }
}

export function renderLiveNotes(facts: LiveFacts, format: ReportFormat): string {
  const notes: string[] = [];
  notes.push(`Captured live from ${facts.target}${facts.unit.hostname === null ? "" : ` (${facts.unit.hostname}${facts.unit.version === null ? "" : `, ${facts.unit.version}`})`}${facts.unit.vdom === null ? "" : `, VDOM ${facts.unit.vdom}`}: \`${facts.command}\`.`);
  if (facts.excluded !== null) notes.push(`This session's own SSH traffic was excluded from the capture with \`${facts.excluded}\` (behind NAT the unit sees another address; use --no-exclude-own-session and a filter of your own then).`);
  if (facts.interrupted !== null) notes.push(`Capture interrupted: ${facts.interrupted}. The report covers what arrived until then.`);
  if (facts.debugFlow !== null) notes.push(`Debug flow traced in a second session and turned off afterwards (${facts.debugFlow.cleanup.map((c) => `\`${c}\``).join(", ")}).`);
  if (facts.transcript !== null) notes.push(`Transcript saved to ${facts.transcript}; \`sniffdiag ${facts.transcript}\` gives this report again.`);
  switch (format) {
    case "markdown":
      return "\n## Live capture\n\n" + notes.map((n) => `- ${n}`).join("\n") + "\n";
    case "table":
    case "text":
      return "\nLive capture\n" + notes.map((n) => `  ${n.replace(/`/g, "")}`).join("\n") + "\n";
    case "html":
    case "json":
    case "jsonl":
      return "";
  }
}

function withLive(text: string, facts: LiveFacts, format: ReportFormat): string {
  if (format === "html") {
    const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    const block = `<section class="live"><h2>Live capture</h2><pre>${esc(renderLiveNotes(facts, "table").trim())}</pre></section>`;
    return text.includes("</body>") ? text.replace("</body>", block + "</body>") : text + block;
  }
  return text + renderLiveNotes(facts, format);
}

export async function runLive(args: LiveArgs, io: LiveIo = processIo()): Promise<number> {
  const note = (line: string) => io.stderr.write(line.endsWith("\n") ? line : line + "\n");
  let target;
  try {
    target = parseTarget(args.target, io.env["USER"] ?? userInfo().username);
  } catch (err) {
    if (err instanceof TargetError) throw new LiveError("usage", err.message);
    throw err;
  }
  if (args.debugFlow !== null && filterAddresses(args.filter ?? "").length === 0) {
    throw new LiveError("usage", "--debug-flow needs an address in FILTER (e.g. 'host 10.0.1.10'): a debug flow without an address filter would trace everything, this SSH session included");
  }
  // what is typed on the unit's CLI: one line each, no second command smuggled in
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  const control = /[\x00-\x1f\x7f]/;
  if (args.filter !== null && control.test(args.filter)) throw new LiveError("usage", "FILTER holds a control character (a line break would type a second command on the unit)");
  if (!/^[^\s'"]+$/.test(args.iface) || control.test(args.iface)) throw new LiveError("usage", `--iface must be one interface name (got ${JSON.stringify(args.iface)})`);
  if (args.vdom !== null && (!/^[^\s'"]+$/.test(args.vdom) || control.test(args.vdom))) throw new LiveError("usage", `--vdom must be one VDOM name (got ${JSON.stringify(args.vdom)})`);
  const outputs = [args.output, args.save, args.savePcapng].filter((f): f is string => f !== null && f !== "-");
  const files = outputs.map((f) => resolve(f));
  if (new Set(files).size < files.length) throw new LiveError("usage", "-o, --save and --save-pcapng must name different files");
  // the same file under another name (a symlink, a hard link), or a file this run reads: refused, exit 2
  const knownHostsFile = args.knownHosts ?? join(homedir(), ".ssh", "known_hosts");
  for (const [i, out] of outputs.entries()) {
    await refuseOverwritingInputs(out, [...outputs.slice(0, i), ...(args.identity === null ? [] : [args.identity]), knownHostsFile]);
  }
  // -o and --save-pcapng are written at the end: a folder that does not exist (or a folder given
  // as the file) is found now, before connecting, not after the whole capture
  // (a FIFO or a device is written in place at the end, and not opened twice)
  for (const out of [args.output, args.savePcapng]) {
    if (out === null || out === "-") continue;
    let st: Stats | undefined;
    try {
      st = statSync(out, { throwIfNoEntry: false });
    } catch {
      st = undefined; // (ENOTDIR and the like: the probe below names it)
    }
    if (st !== undefined && !st.isFile() && !st.isDirectory()) continue;
    const probe = new Output(out);
    await probe.open();
    await probe.discard();
  }
  const verbose = args.verbose ?? (args.savePcapng !== null ? 6 : 4);
  const source = args.save ?? `${target.user}@${target.host}`;
  const knownHosts = knownHostsFile;

  // the transcript: raw bytes as received, to --save (and a temporary file for --save-pcapng);
  // opened before connecting, so a path that cannot be written stops the run before the unit is touched
  let tmp: string | null = null;
  let transcriptPath = args.save;
  if (transcriptPath === null && args.savePcapng !== null) {
    tmp = mkdtempSync(join(tmpdir(), "sniffdiag-live-"));
    transcriptPath = join(tmp, "transcript.txt");
  }
  let transcript: TranscriptWriter | null;
  try {
    transcript = transcriptPath === null ? null : await TranscriptWriter.open(transcriptPath);
  } catch (err) {
    if (tmp !== null) rmSync(tmp, { recursive: true, force: true });
    throw err;
  }

  let ssh: SshSession;
  try {
    ssh = await openSsh({
      target,
      identity: args.identity,
      knownHosts,
      acceptNewHostKey: args.acceptNewHostKey,
      connectTimeoutMs: args.connectTimeout * 1000,
      keepaliveMs: 15_000,
      terminal: io.terminal,
      env: io.env,
      note,
    });
  } catch (err) {
    // nothing was received: an existing file of that name is left as it was
    await transcript?.discard();
    if (tmp !== null) rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  const client: Client = ssh.client;
  let connectionLost: string | null = null;
  client.on("error", (err: Error) => {
    connectionLost ??= err.message;
  });
  client.on("close", () => {
    connectionLost ??= "the connection closed";
  });

  const pipeline = new LivePipeline({ ...optionsFrom(args.settings), source });
  const sink = (b: Buffer) => {
    transcript?.write(b);
    pipeline.push(b);
  };
  const merger = args.debugFlow !== null ? new LineMerger(sink) : null;

  const commands: string[] = [];
  const shells: FortiShell[] = [];
  // set as the session goes on (an object, so a failure half-way still has what was learnt)
  const run: { status: UnitStatus; command: string; view: LiveView | null } = { status: { hostname: null, version: null, vdomConfiguration: null, currentVdom: null }, command: "", view: null };
  let vdom: string | null = null;
  let excluded: string | null = null;
  let stoppedBy: LiveFacts["stoppedBy"] = "unit";
  let interrupted: string | null = null;
  let debugSetup: string[] | null = null;
  let debugShell: FortiShell | null = null;
  let ticker: ReturnType<typeof setInterval> | null = null;
  let unsubscribe: (() => void) | null = null;
  const started = Date.now();
  const serviceInfo = optionsFrom(args.settings).serviceInfo ?? (() => null);
  const servicesNow = () => pipeline.servicesSoFar().flatMap((c) => c.services.map((s) => serviceLine(c.capture, s, serviceInfo)));
  // Ctrl-C before the capture runs: finish the step under way, then clean up and leave
  let abortedEarly = false;
  let setupInterrupt: (() => void) | null = io.onInterrupt(() => {
    abortedEarly = true;
  });
  const checkpoint = () => {
    if (abortedEarly) throw new LiveError("interrupted", "interrupted before the capture started; the session was cleaned up and closed");
  };

  const enterVdom = async (shell: FortiShell): Promise<void> => {
    if (vdom === null || shell.prompt?.context === vdom) return;
    await shell.run("config vdom");
    const p = await shell.run(`edit ${vdom}`);
    if (p.context !== vdom) throw new LiveError("vdom", `could not enter VDOM ${vdom} (the prompt shows ${p.context ?? "no VDOM"})`);
  };
  const leave = async (shell: FortiShell): Promise<void> => {
    if (shell.isClosed) return;
    if (shell.prompt?.context !== null && shell.prompt?.context !== undefined) await shell.run("end", 3000).catch(() => undefined);
    shell.type("exit");
  };

  try {
    try {
      const statusText = await execText(client, "get system status", 10_000);
      if (statusText.includes(MAX_ADMINS)) throw new LiveError("max-admins", MAX_ADMINS);
      run.status = parseSystemStatus(statusText);
      checkpoint();
      if (vdomsEnabled(run.status)) vdom = args.vdom ?? run.status.currentVdom ?? "root";
      else if (args.vdom !== null && run.status.vdomConfiguration !== null) throw new LiveError("vdom", `--vdom ${args.vdom}: VDOMs are not enabled on ${run.status.hostname ?? target.host}`);

      const channel = await openShell(client);
      const shell = new FortiShell(channel, (b) => (merger === null ? sink(b) : merger.push("sniffer", b)));
      shells.push(shell);
      await shell.waitPrompt(args.promptTimeout * 1000);
      checkpoint();
      if (vdom === null && args.vdom !== null) vdom = args.vdom;
      await enterVdom(shell);
      checkpoint();

      if (args.excludeOwnSession) excluded = ownSessionExclusion(ssh.localAddress, ssh.localPort);
      run.command = snifferCommand({ iface: args.iface, filter: withExclusion(args.filter, excluded), verbose, count: args.count ?? 0 });

      if (args.debugFlow !== null) {
        const dchannel = await openShell(client);
        debugShell = new FortiShell(dchannel, (b) => merger?.push("debug", b));
        shells.push(debugShell);
        await debugShell.waitPrompt(args.promptTimeout * 1000);
        await enterVdom(debugShell);
        checkpoint();
        debugSetup = debugFlowSetup(filterAddresses(args.filter ?? ""), args.debugFlow);
        for (const c of debugSetup) {
          if (c === "diagnose debug enable") debugShell.type(c);
          else await debugShell.run(c);
        }
        checkpoint();
      }

      await shell.startSniffer(run.command);

      // the live part
      const mode: ViewMode = io.stdout.isTTY === true ? "tty" : args.format === "jsonl" ? "jsonl" : "none";
      run.view = new LiveView(mode, io.stdout, `${run.status.hostname ?? target.host} ${args.iface} ${args.filter ?? ""}`.trim(), args.width);
      const state = (noteText: string | null): LiveState => ({
        elapsedMs: Date.now() - started,
        packets: pipeline.packets,
        services: servicesNow(),
        note: noteText,
      });
      let stopNote: string | null = null;
      const v = run.view;
      ticker = setInterval(() => v.update(state(stopNote)), 500);

      const stopped = new Promise<LiveFacts["stoppedBy"]>((resolve) => {
        if (abortedEarly) resolve("ctrl-c");
        unsubscribe = io.onInterrupt(() => resolve("ctrl-c"));
        if (args.duration !== null) setTimeout(() => resolve("duration"), args.duration * 1000).unref();
        const poll = setInterval(() => {
          if (shell.trailerSeen) resolve(args.count !== null ? "count" : "unit");
          else if (shell.isClosed || connectionLost !== null) resolve("connection-lost");
          else return;
          clearInterval(poll);
        }, 50);
      });
      // the capture's handler is in place before the setup's goes: with no listener a Ctrl-C
      // would end the process at once, the sniffer still running on the unit
      (setupInterrupt as (() => void) | null)?.();
      setupInterrupt = null;
      // (its listener stays until the end: resolving again does nothing, and there is never a
      // moment without one while the sniffer may run)
      const stop = await stopped;
      stoppedBy = stop;
      if (stop === "connection-lost") {
        interrupted = `the connection to the unit was lost (${connectionLost ?? "the session closed"}) before the sniffer's trailer`;
      } else {
        if (stop !== "count" && stop !== "unit") {
          stopNote = "stopping: Ctrl-C sent, waiting for the sniffer's trailer (Ctrl-C again stops at once)";
          shell.interrupt();
        }
        // a second Ctrl-C ends the wait at once
        const secondCtrlC = new Promise<"second">((resolve) => {
          const off = io.onInterrupt(() => {
            off();
            resolve("second");
          });
        });
        const outcome = await Promise.race([shell.waitStopped(10_000).then(() => "stopped" as const), secondCtrlC]).catch((err: Error) => err);
        if (outcome === "second") {
          stoppedBy = "second-ctrl-c";
          interrupted = "stopped at once by a second Ctrl-C, before the sniffer's trailer";
        } else if (outcome instanceof Error) {
          interrupted = shell.isClosed || connectionLost !== null ? `the connection to the unit was lost (${connectionLost ?? "the session closed"}) before the sniffer's trailer` : outcome.message;
        }
      }
    } finally {
      if (ticker !== null) clearInterval(ticker);
      (setupInterrupt as (() => void) | null)?.();
      (unsubscribe as (() => void) | null)?.();
      // nothing left running on the unit: debug flow off (every path), sessions left, connection closed
      if (debugShell !== null && !debugShell.isClosed) {
        const fast = stoppedBy === "second-ctrl-c";
        for (const c of DEBUG_FLOW_CLEANUP) {
          if (fast) debugShell.type(c);
          else await debugShell.run(c, 3000).catch(() => undefined);
        }
      }
      for (const s of shells) {
        if (stoppedBy === "second-ctrl-c") {
          if (!s.isClosed) s.type("exit");
        } else await leave(s).catch(() => undefined);
      }
      await Promise.all(shells.map((s) => s.closedWithin(1500)));
      ssh.close();
      for (const s of shells) for (const c of s.sent) commands.push(c);
      merger?.flush();
    }
  } catch (err) {
    // the partial transcript is kept; a temporary one is removed
    if (transcript !== null) await transcript.close().catch(() => undefined);
    if (tmp !== null) rmSync(tmp, { recursive: true, force: true });
    throw err;
  }

  const part: InputReport = await pipeline.end();
  if (transcript !== null) await transcript.close();
  run.view?.update({ elapsedMs: Date.now() - started, packets: pipeline.packets, services: servicesNow(), note: interrupted === null ? "stopped" : "interrupted" });
  run.view?.finish();

  const facts: LiveFacts = {
    target: `${target.user}@${target.host}${target.port === 22 ? "" : `:${target.port}`}`,
    unit: { hostname: run.status.hostname, version: run.status.version, vdom },
    command: run.command,
    excluded,
    stoppedBy,
    interrupted,
    transcript: args.save,
    debugFlow: debugSetup === null ? null : { setup: debugSetup, cleanup: [...DEBUG_FLOW_CLEANUP] },
    commands,
  };
  const report: Report & { live?: LiveFacts } = buildReport([part]);
  report.live = facts;

  let exit = 0;
  if (args.failOn !== "never") {
    const bad = args.failOn === "error" ? report.summary.errors : report.summary.errors + report.summary.warnings;
    exit = bad > 0 ? 1 : 0;
  }
  const text = args.format === "jsonl" ? JSON.stringify({ type: "report", report }) + "\n" : withLive(renderReport(report, args.format, args.color, args.width), facts, args.format);
  await writeReport(text, args.output, io.stdout);

  if (args.savePcapng !== null && transcriptPath !== null) {
    const code = await runExport({ input: transcriptPath, output: args.savePcapng, format: args.savePcapng.toLowerCase().endsWith(".pcap") ? "pcap" : "pcapng" });
    if (code !== 0) exit = 2;
  }
  if (tmp !== null) rmSync(tmp, { recursive: true, force: true });
  return exit;
}
