/**
 * `sniffdiag export INPUT -o FILE.pcapng [--format pcap] [--start TIME] [--include IF] [--exclude IF] [--filter EXPR]`:
 * the packets of captures with hex dumps (verbose 2, 3, 5, 6) as pcapng (or classic pcap), written
 * as they are read. The output file is only created once there is something to write, so input
 * that cannot be exported leaves no file behind.
 *
 * Exit status: 0 written; 2 usage error, unreadable or unwritable file, no sniffer output, or
 * captures without hex dumps (the message says which command to capture with).
 */
import { promises as fs } from "node:fs";
import { parseStream } from "../parse.js";
import type { PacketRecord } from "../records.js";
import { VERSION } from "../version.js";
import { ExportError, exportCapture, parseStartTime, type ExportFormat, type ExportSummary, type SkipReason } from "../export/export.js";
import { FilterSyntaxError } from "../filter/index.js";
import { packetFilter } from "./analyze-command.js";
import { describeFsError, openInput, resolveInputs } from "./inputs.js";
import { BrokenPipe, Output, OutputError, refuseOverwritingInputs } from "./output.js";
import { safeText } from "../safe-text.js";

export interface ExportArgs {
  input: string;
  /** output file, or `-` for standard output (e.g. `| wireshark -k -i -`) */
  output: string;
  format: ExportFormat;
  /** capture start for relative timestamps: epoch seconds or an ISO-like date-time (UTC when no zone) */
  start?: string;
  include?: string[];
  exclude?: string[];
  /** `--filter EXPR`: keep only packets matching this tcpdump/BPF expression */
  filter?: string;
  /** a packet predicate of the caller's own (applied with `filter`) */
  keep?: (p: PacketRecord) => boolean;
  /** interfaces whose 14-byte header is synthetic (point-to-point; `ppp*` always are) */
  p2p?: string[];
  /** stop reading the input past this many bytes (after decompression) */
  maxInputBytes?: number;
}

export interface ExportIo {
  stderr(line: string): void;
}

const defaultIo: ExportIo = {
  stderr(line: string): void {
    const text = safeText(line.endsWith("\n") ? line.slice(0, -1) : line);
    try {
      process.stderr.write(text + "\n");
    } catch {
      // standard error closed
    }
  },
};

const SKIP_WORDS: Record<SkipReason, string> = {
  "no-hex-dump": "without a hex dump",
  "not-ip": "whose dump starts with neither an IP nor an ARP header",
  excluded: "on excluded interfaces",
  filtered: "dropped by the filter",
};

function iso(epoch: number): string {
  return new Date(Math.round(epoch * 1000)).toISOString();
}

/** Run the export; returns the exit status. Messages go to `io.stderr`, one line each. */
export async function runExport(args: ExportArgs, io: ExportIo = defaultIo): Promise<number> {
  let start: number | undefined;
  if (args.start !== undefined) {
    const s = parseStartTime(args.start);
    if (s === null) {
      io.stderr(`sniffdiag: --start: cannot read '${args.start}' as a time; use epoch seconds, 2024-06-10T06:13:20Z or '2024-06-10 06:13:20' (UTC)`);
      return 2;
    }
    start = s;
  }
  let keep = args.keep;
  if (args.filter !== undefined) {
    let matches: (p: PacketRecord) => boolean;
    try {
      matches = packetFilter(args.filter);
    } catch (err) {
      if (err instanceof FilterSyntaxError) {
        io.stderr(`sniffdiag: ${err.frame()}`);
        return 2;
      }
      throw err;
    }
    const own = args.keep;
    keep = own === undefined ? matches : (p) => matches(p) && own(p);
  }
  if (args.output === "") {
    io.stderr("sniffdiag: export needs an output file: -o FILE.pcapng");
    return 2;
  }

  const { inputs, problems } = await resolveInputs([args.input]);
  for (const p of problems) io.stderr(`${p.name}: ${p.message}`);
  if (problems.length > 0 || inputs.length === 0) return 2;
  if (inputs.length > 1) {
    io.stderr(`${args.input}: export writes one input to one file, and this names ${inputs.length} files`);
    return 2;
  }
  const ref = inputs[0] as (typeof inputs)[number];
  if (ref.path === null && process.stdin.isTTY === true) io.stderr("Paste the sniffer output, then press Ctrl-D");

  let startFrom: "option" | "mtime" | "now" = "option";
  if (start === undefined) {
    if (ref.path !== null) {
      try {
        start = (await fs.stat(ref.path)).mtimeMs / 1000;
        startFrom = "mtime";
      } catch (err) {
        io.stderr(`${ref.name}: ${describeFsError(err)}`);
        return 2;
      }
    } else {
      start = Date.now() / 1000;
      startFrom = "now";
    }
  }

  // never over the input; a folder that does not exist is found before the input is read
  const sink = new Output(args.output);
  try {
    await refuseOverwritingInputs(args.output, [ref.path]);
    await sink.open();
  } catch (err) {
    if (err instanceof OutputError) {
      io.stderr(err.message);
      return 2;
    }
    throw err;
  }
  let summary: ExportSummary;
  try {
    const chunks = await openInput(ref, args.maxInputBytes);
    const records = parseStream(chunks, { source: ref.name, keepDumps: true });
    const options = {
      format: args.format,
      start,
      application: `sniffdiag ${VERSION}`,
      ...(args.include !== undefined ? { include: args.include } : {}),
      ...(args.exclude !== undefined ? { exclude: args.exclude } : {}),
      ...(keep !== undefined ? { keep } : {}),
      ...(args.p2p !== undefined ? { p2p: args.p2p } : {}),
    };
    const gen = exportCapture(records, options);
    for (;;) {
      const next = await gen.next();
      if (next.done === true) {
        summary = next.value;
        break;
      }
      await sink.write(next.value);
    }
    await sink.close();
  } catch (err) {
    await sink.discard();
    if (err instanceof BrokenPipe) return 0;
    if (err instanceof ExportError || err instanceof OutputError) io.stderr(err.message);
    else io.stderr(`${ref.name}: ${describeFsError(err)}`);
    return 2;
  }

  if (summary.relative && startFrom !== "option") {
    const why = startFrom === "mtime" ? "the file's modification time" : "the time of the export: standard input has no modification time";
    io.stderr(`${ref.name}: relative timestamps counted from ${iso(summary.start ?? 0)} (${why}); set the capture start with --start TIME`);
  }
  const lost = (["no-hex-dump", "not-ip"] as const).filter((r) => summary.skipped[r] > 0);
  for (const r of lost) {
    io.stderr(`${ref.name}:${summary.firstSkipped[r] ?? 0}: ${summary.skipped[r]} packet${summary.skipped[r] === 1 ? "" : "s"} ${SKIP_WORDS[r]} not exported`);
  }
  if (summary.packets === 0) {
    const why = (["excluded", "filtered"] as const).filter((r) => summary.skipped[r] > 0).map((r) => `${summary.skipped[r]} ${SKIP_WORDS[r]}`);
    io.stderr(`${ref.name}: no packets written (${why.length > 0 ? why.join(", ") : "the captures hold no packets"})`);
  }
  return 0;
}
