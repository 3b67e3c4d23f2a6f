/**
 * The yargs side of `sniffdiag live` and `analyze --follow`: options, checks, exit statuses.
 * main.ts only registers these.
 */
import type { Argv } from "yargs";
import type { AnalyzeSettings, FailOn, ReportFormat } from "../analyze-command.js";
import { LiveError } from "./fortios.js";
import { runLive, type LiveFormat } from "./live-command.js";
import { runFollow } from "./follow.js";

export const LIVE_FORMATS = ["table", "json", "markdown", "html", "jsonl"] as const satisfies readonly LiveFormat[];

export interface LiveHost {
  /** the analyze settings from the shared options (--timeout, --services, --filter…) */
  settings(a: Record<string, unknown>): AnalyzeSettings;
  color(a: Record<string, unknown>): boolean;
  width(): number;
  /** the format from --format or the -o extension */
  format(a: Record<string, unknown>): LiveFormat;
  setExit(code: number): void;
}

function positiveInt(name: string, v: unknown): number | null {
  if (v === undefined) return null;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new LiveError("usage", `--${name} must be a whole number of at least 0 (got ${String(v)})`);
  return v;
}

function report(err: unknown, host: LiveHost): void {
  if (err instanceof LiveError) {
    process.stderr.write(`sniffdiag live: ${err.message}\n`);
    host.setExit(2);
    return;
  }
  throw err;
}

export function liveBuilder<T>(y: Argv<T>) {
  return y
    .positional("target", { describe: "[user@]host[:port] of the FortiGate (or other FortiOS unit)", type: "string", demandOption: true })
    .positional("filter", { describe: "the sniffer filter (tcpdump/BPF), e.g. 'host 10.0.1.10 and port 53'", type: "string" })
    .option("iface", { type: "string", default: "any", describe: "interface to capture on" })
    .option("verbose", { type: "number", describe: "sniffer verbose level 1-6 (default 4; 6 with --save-pcapng)" })
    .option("count", { type: "number", describe: "stop after N packets (the unit counts them)" })
    .option("duration", { type: "number", describe: "stop after S seconds" })
    .option("vdom", { type: "string", describe: "capture in this VDOM (default: the management VDOM when VDOMs are on)" })
    .option("save", { type: "string", describe: "save the raw session transcript, exactly as received (analysable later)" })
    .option("save-pcapng", { type: "string", describe: "also write the packets as pcapng (captures at verbose 6)" })
    .option("exclude-own-session", { type: "boolean", default: true, describe: "exclude this SSH session from the capture (--no-exclude-own-session to disable)" })
    .option("identity", { alias: "i", type: "string", describe: "private key file (like ssh -i)" })
    .option("known-hosts", { type: "string", describe: "known_hosts file (default ~/.ssh/known_hosts)" })
    .option("accept-new-host-key", { type: "boolean", default: false, describe: "accept and remember an unknown host key without asking (never a changed one)" })
    .option("connect-timeout", { type: "number", default: 15, describe: "seconds to connect and log in" })
    .option("prompt-timeout", { type: "number", default: 15, describe: "seconds to wait for the FortiOS prompt" })
    .option("debug-flow", { type: "number", describe: "also trace N packets with diagnose debug flow in a second session (needs an address in FILTER)" })
    .option("output", { alias: "o", type: "string", describe: "write the final report to FILE" })
    .option("format", { choices: LIVE_FORMATS, describe: "final report format (default: from the -o extension, else table); jsonl: live updates as lines, then the report" })
    .option("timeout", { type: "number", describe: "reply window in seconds (default 2; 3 for TCP SYN)" })
    .option("fail-on", { choices: ["error", "warning", "never"] as const, default: "error" as const, describe: "exit 1 when a verdict at this level or worse exists" })
    .option("color", { type: "boolean", describe: "colour in table output" })
    .option("services", { type: "string", describe: "extra or overriding service definitions (JSON)" })
    .example("$0 live admin@192.0.2.1 'host 10.0.1.10 and port 53'", "watch DNS from 10.0.1.10 until Ctrl-C")
    .example("$0 live admin@fgt:2222 'port 8889' --count 20 --save session.txt -o ticket.md", "20 packets, transcript and ticket report");
}

export async function liveHandler(a: Record<string, unknown>, host: LiveHost): Promise<void> {
  try {
    const verbose = positiveInt("verbose", a["verbose"]);
    if (verbose !== null && (verbose < 1 || verbose > 6)) throw new LiveError("usage", `--verbose must be 1..6 (got ${verbose})`);
    const duration = a["duration"];
    if (duration !== undefined && !(typeof duration === "number" && duration > 0)) throw new LiveError("usage", `--duration must be a number of seconds above 0`);
    const code = await runLive({
      target: a["target"] as string,
      filter: (a["filter"] as string | undefined) ?? null,
      iface: a["iface"] as string,
      verbose,
      count: positiveInt("count", a["count"]),
      duration: (duration as number | undefined) ?? null,
      vdom: (a["vdom"] as string | undefined) ?? null,
      save: (a["save"] as string | undefined) ?? null,
      savePcapng: (a["savePcapng"] as string | undefined) ?? null,
      excludeOwnSession: a["excludeOwnSession"] !== false,
      identity: (a["identity"] as string | undefined) ?? null,
      knownHosts: (a["knownHosts"] as string | undefined) ?? null,
      acceptNewHostKey: a["acceptNewHostKey"] === true,
      connectTimeout: a["connectTimeout"] as number,
      promptTimeout: a["promptTimeout"] as number,
      debugFlow: positiveInt("debug-flow", a["debugFlow"]),
      output: (a["output"] as string | undefined) ?? null,
      format: host.format(a),
      failOn: a["failOn"] as FailOn,
      color: host.color(a),
      width: host.width(),
      settings: host.settings(a),
    });
    host.setExit(code);
  } catch (err) {
    report(err, host);
  }
}

/** `analyze --follow FILE`; false when --follow was not asked for. */
export async function followHandler(a: Record<string, unknown>, host: LiveHost): Promise<boolean> {
  if (a["follow"] !== true) return false;
  try {
    const inputs = (a["inputs"] as string[] | undefined) ?? [];
    if (inputs.length !== 1 || inputs[0] === "-") throw new LiveError("usage", "--follow takes exactly one FILE (a session log that grows)");
    const format = host.format(a);
    host.setExit(
      await runFollow({
        file: inputs[0] as string,
        output: (a["output"] as string | undefined) ?? null,
        format: format as ReportFormat | "jsonl",
        failOn: a["failOn"] as FailOn,
        color: host.color(a),
        width: host.width(),
        settings: host.settings(a),
      }),
    );
  } catch (err) {
    if (err instanceof LiveError) {
      process.stderr.write(`sniffdiag: ${err.message}\n`);
      host.setExit(2);
    } else throw err;
  }
  return true;
}
