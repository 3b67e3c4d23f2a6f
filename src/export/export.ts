/**
 * Export: parser records in, pcapng (or classic pcap) bytes out, as packets arrive. Memory holds
 * one packet and the interface table. Pure: no Node imports (the CLI adapter is
 * src/cli/export-command.ts).
 *
 * pcapng: one interface description block per sniffer interface and link type (a tunnel seen
 * with and without Ethernet headers gets two blocks of the same name), enhanced packet blocks with
 * microsecond timestamps, `epb_flags` in/out from the header's direction, and a comment naming
 * the input line. Classic pcap has one link type per file: Ethernet, raw-IP frames get a
 * synthetic Ethernet header (zero MACs), and interface names, directions and comments are lost.
 */
import type { AssembledRecord } from "../assembly/assemble.js";
import type { CaptureRecord, PacketRecord, Verbose } from "../records.js";
import { FRAME_FIXES, frameOf, LINKTYPE_ETHERNET, withEthernetHeader, type Frame, type FrameFix, type LinkType } from "./frames.js";
import { PcapWriter } from "./pcap.js";
import { PcapngWriter, type Bytes } from "./pcapng.js";

export type ExportFormat = "pcapng" | "pcap";

export interface ExportOptions {
  format: ExportFormat;
  /** epoch seconds that relative stamps (`0.806164`) count from; 0 when absent */
  start?: number;
  /** keep only packets on these interfaces (names as printed; `any` for interface-less levels) */
  include?: readonly string[];
  /** drop packets on these interfaces (wins over include) */
  exclude?: readonly string[];
  /** keep only packets this returns true for (the `--filter` expression) */
  keep?: (p: PacketRecord) => boolean;
  /** interfaces whose 14-byte header is synthetic (point-to-point); `ppp*` always are */
  p2p?: readonly string[];
  /** shb_userappl of the pcapng section header */
  application?: string;
}

export const SKIP_REASONS = ["no-hex-dump", "not-ip", "excluded", "filtered"] as const;
/**
 * Why a packet was not written:
 * - `no-hex-dump`: the packet has no hex rows (verbose 1/4, or rows missing from the paste)
 * - `not-ip`: a verbose 2/5 dump that starts with neither an IP nor an ARP header
 * - `excluded`: its interface is excluded, or not included
 * - `filtered`: the `keep` predicate (`--filter`) dropped it
 */
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface ExportedInterface {
  /** pcapng interface id (0 in classic pcap, which has no interface table) */
  id: number;
  name: string;
  linktype: LinkType;
  packets: number;
}

export interface ExportSummary {
  format: ExportFormat;
  captures: number;
  /** packets written */
  packets: number;
  skipped: Record<SkipReason, number>;
  /** the first skipped packet's line per reason, for messages */
  firstSkipped: Partial<Record<SkipReason, number>>;
  fixes: Record<FrameFix, number>;
  interfaces: ExportedInterface[];
  /** relative stamps were made absolute by adding `start` */
  relative: boolean;
  start: number | null;
  /** first and last packet time written (epoch seconds), null when none */
  first: number | null;
  last: number | null;
}

export type ExportErrorCode = "no-capture" | "header-only" | "empty-capture";

/** Input that cannot be exported at all: the message names the input and line, and what to do. */
export class ExportError extends Error {
  readonly code: ExportErrorCode;
  readonly source: string;
  readonly line: number | null;
  /** the sniffer command that would produce an exportable capture, when there is one */
  readonly command: string | null;

  constructor(code: ExportErrorCode, source: string, line: number | null, message: string, command: string | null = null) {
    super(`${source}${line !== null ? `:${line}` : ""}: ${message}`);
    this.name = "ExportError";
    this.code = code;
    this.source = source;
    this.line = line;
    this.command = command;
  }
}

/** `'port 53'`, or double quotes when the filter holds a single quote. */
function quoteFilter(filter: string): string {
  return filter.includes("'") ? `"${filter}"` : `'${filter}'`;
}

/**
 * The command that captures the same traffic with a hex dump: verbose 6 (Ethernet header and
 * interface names), absolute timestamps, the capture's own interface, filter and count when known.
 */
export function hexCaptureCommand(capture: Pick<CaptureRecord, "interfaces" | "filter" | "count" | "command">): string {
  const iface = capture.interfaces ?? "any";
  const known = capture.command !== null || capture.interfaces !== null;
  const filter = capture.filter !== null ? quoteFilter(capture.filter) : known ? "'none'" : "'<filter>'";
  return `diagnose sniffer packet ${iface} ${filter} 6 ${capture.count ?? 0} a`;
}

function headerOnlyError(capture: CaptureRecord): ExportError {
  const command = hexCaptureCommand(capture);
  const v = capture.verbose;
  const message =
    v === 1 || v === 4 || v === null
      ? `the capture has no hex dump (verbose ${v ?? "1"}); capture with verbose 6: ${command}`
      : `no packet of the capture has hex rows (verbose ${v}, but the hex dump lines are not in the input); paste them too, or capture with verbose 6: ${command}`;
  return new ExportError("header-only", capture.source, capture.line, message, command);
}

/** A capture that matched no packet: the same words as the analysis (`empty-capture`). */
function emptyCaptureError(capture: CaptureRecord): ExportError {
  const where = capture.interfaces ?? "the capture's interface";
  const filter = capture.filter === null || capture.filter === "none" ? "" : ` with filter '${capture.filter}'`;
  return new ExportError("empty-capture", capture.source, capture.line, `the capture matched no packets on ${where}${filter}: check the interface and the filter; nothing to export`);
}

const HEADER_ONLY: ReadonlySet<Verbose | null> = new Set([1, 4]);

/**
 * The export state machine: feed records with `push`, then call `end`. Each call returns the
 * bytes ready to write. Nothing is returned before the first packet is written, so input that
 * cannot be exported (`end` throws an ExportError) produces no output at all.
 */
export class Exporter {
  readonly summary: ExportSummary;
  private readonly options: ExportOptions;
  private readonly pcapng: PcapngWriter | null;
  private readonly pcap: PcapWriter | null;
  private readonly include: ReadonlySet<string> | null;
  private readonly exclude: ReadonlySet<string>;
  private readonly p2p: ReadonlySet<string>;
  private readonly ifaceIds = new Map<string, ExportedInterface>();
  private capture: CaptureRecord | null = null;
  private headerOnlyCapture: CaptureRecord | null = null;
  /** packets that had hex rows, written or not */
  private withDump = 0;
  /** packet records of any kind, and the first capture (for the empty-capture message) */
  private packetRecords = 0;
  private firstCapture: CaptureRecord | null = null;
  private ended = false;
  private sourceName: string | null = null;

  constructor(options: ExportOptions) {
    this.options = options;
    this.include = options.include !== undefined && options.include.length > 0 ? new Set(options.include) : null;
    this.exclude = new Set(options.exclude ?? []);
    this.p2p = new Set(options.p2p ?? []);
    const application = options.application ?? "sniffdiag";
    this.pcapng = options.format === "pcapng" ? new PcapngWriter({ application }) : null;
    this.pcap = options.format === "pcap" ? new PcapWriter(LINKTYPE_ETHERNET) : null;
    this.summary = {
      format: options.format,
      captures: 0,
      packets: 0,
      skipped: Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<SkipReason, number>,
      firstSkipped: {},
      fixes: Object.fromEntries(FRAME_FIXES.map((f) => [f, 0])) as Record<FrameFix, number>,
      interfaces: [],
      relative: false,
      start: null,
      first: null,
      last: null,
    };
  }

  /** Feed one parser record; returns the bytes it completed. */
  push(record: AssembledRecord): Bytes[] {
    if (this.ended) throw new Error("Exporter: push after end");
    this.sourceName ??= record.source;
    switch (record.type) {
      case "capture":
        this.capture = record;
        this.firstCapture ??= record;
        this.summary.captures++;
        return [];
      case "packet":
        this.packetRecords++;
        return this.packet(record);
      case "diagnostic":
      case "trailer":
      case "trace":
      case "summary":
        return [];
    }
  }

  /**
   * Finish: the remaining bytes (for an input with captures but nothing written: the file header
   * alone, a valid empty file). Throws ExportError when the input holds no capture, or only
   * captures without hex dumps.
   */
  end(): Bytes[] {
    this.ended = true;
    if (this.summary.packets === 0) {
      if (this.summary.captures === 0) {
        throw new ExportError("no-capture", this.sourceName ?? "input", null, "no sniffer output found");
      }
      // captures that matched nothing: say so (an empty pcapng would only hide it)
      if (this.packetRecords === 0 && this.firstCapture !== null) throw emptyCaptureError(this.firstCapture);
      // only when no packet had a dump at all: dumps excluded or filtered away are the user's choice
      const target = this.headerOnlyCapture;
      if (target !== null && this.withDump === 0) throw headerOnlyError(target);
    }
    return this.take();
  }

  private take(): Bytes[] {
    return this.pcapng !== null ? this.pcapng.take() : (this.pcap as PcapWriter).take();
  }

  private skip(reason: SkipReason, line: number): Bytes[] {
    this.summary.skipped[reason]++;
    this.summary.firstSkipped[reason] ??= line;
    return [];
  }

  private captureOf(p: PacketRecord): CaptureRecord | null {
    const c = this.capture;
    return c !== null && c.index === p.capture ? c : null;
  }

  private packet(p: PacketRecord): Bytes[] {
    const capture = this.captureOf(p);
    const name = p.iface ?? capture?.interfaces ?? "unknown";
    if (p.bytes === null) {
      if (capture !== null && this.headerOnlyCapture === null) this.headerOnlyCapture = capture;
      return this.skip("no-hex-dump", p.line);
    }
    this.withDump++;
    if (this.exclude.has(name) || (this.include !== null && !this.include.has(name))) return this.skip("excluded", p.line);
    if (this.options.keep !== undefined && !this.options.keep(p)) return this.skip("filtered", p.line);

    const verbose = capture?.verbose ?? null;
    const result = frameOf(p, {
      verbose: verbose !== null && HEADER_ONLY.has(verbose) ? null : verbose,
      iface: name,
      pointToPoint: this.p2p.has(name),
    });
    if (!result.ok) return this.skip(result.reason, p.line);
    let frame: Frame = result.frame;
    if (this.pcap !== null) frame = withEthernetHeader(frame);
    for (const f of frame.fixes) this.summary.fixes[f]++;

    const ts = this.timestamp(p, capture);
    const iface = this.interfaceFor(name, frame.linktype);
    iface.packets++;
    if (this.pcapng !== null) {
      this.pcapng.writePacket({
        ifaceId: iface.id,
        tsSeconds: ts,
        data: frame.data,
        origLength: frame.origLength,
        direction: p.dir === "in" || p.dir === "out" ? p.dir : null,
        comment: `${p.source}:${p.line}`,
      });
    } else {
      (this.pcap as PcapWriter).writePacket({ tsSeconds: ts, data: frame.data, origLength: frame.origLength });
    }
    const s = this.summary;
    s.packets++;
    if (s.first === null || ts < s.first) s.first = ts;
    if (s.last === null || ts > s.last) s.last = ts;
    return this.take();
  }

  private timestamp(p: PacketRecord, capture: CaptureRecord | null): number {
    const relative = capture !== null && capture.timestamps !== null ? capture.timestamps === "relative" : p.ts < 1e9;
    if (!relative) return p.ts;
    const start = this.options.start ?? 0;
    this.summary.relative = true;
    this.summary.start = start;
    return start + p.ts;
  }

  private interfaceFor(name: string, linktype: LinkType): ExportedInterface {
    const key = `${linktype} ${name}`;
    let iface = this.ifaceIds.get(key);
    if (iface === undefined) {
      // classic pcap has no interface table: the names are only reported in the summary
      const id = this.pcapng !== null ? this.pcapng.addInterface(name, linktype) : 0;
      iface = { id, name, linktype, packets: 0 };
      this.ifaceIds.set(key, iface);
      this.summary.interfaces.push(iface);
    }
    return iface;
  }
}

/**
 * Stream records (from `parseStream`) to pcapng or pcap bytes (chunks a `Blob` takes). The
 * generator's return value is the export summary; it throws ExportError for input that cannot be
 * exported, before yielding anything.
 */
export async function* exportCapture(
  records: AsyncIterable<AssembledRecord> | Iterable<AssembledRecord>,
  options: ExportOptions,
): AsyncGenerator<Bytes, ExportSummary, undefined> {
  const exporter = new Exporter(options);
  for await (const r of records) {
    const chunks = exporter.push(r);
    for (const c of chunks) yield c;
  }
  for (const c of exporter.end()) yield c;
  return exporter.summary;
}

/** Export a whole record list at once (tests, small inputs): the bytes and the summary. */
export function exportRecords(records: Iterable<AssembledRecord>, options: ExportOptions): { bytes: Bytes; summary: ExportSummary } {
  const exporter = new Exporter(options);
  const chunks: Bytes[] = [];
  for (const r of records) for (const c of exporter.push(r)) chunks.push(c);
  for (const c of exporter.end()) chunks.push(c);
  return { bytes: concat(chunks), summary: exporter.summary };
}

export function concat(chunks: readonly Uint8Array[]): Bytes {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * A `--start` value in epoch seconds: `1718000000`, `1718000000.25`, `2024-06-10T06:13:20Z`,
 * `2024-06-10 06:13:20.5` or `2024-06-10` (no zone: UTC, as the parser reads absolute stamps),
 * `2024-06-10T08:13:20+02:00`. Null when the text is none of these.
 */
export function parseStartTime(text: string): number | null {
  const t = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(t)) return Number(t);
  const m = /^(\d{4})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d)(?::(\d\d)(\.\d+)?)?)?\s*(Z|[+-]\d\d(?::?\d\d)?)?$/i.exec(t);
  if (m === null) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  let epoch = Date.UTC(Number(y), month - 1, day, hour, minute, second) / 1000 + (frac !== undefined ? Number(frac) : 0);
  if (zone !== undefined && zone.toUpperCase() !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const offset = Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4) || "0") * 60;
    epoch -= sign * offset;
  }
  return Number.isFinite(epoch) ? epoch : null;
}
