/**
 * The analysis pipeline: parse records → per-capture correlation → verdicts → one report.
 * Pure and streaming; `analyze(text)` is the whole-text convenience, `InputAnalyzer` the
 * record-by-record form the CLI and workers drive.
 */
import { CaptureAnalyzer, DEFAULT_WINDOWS, type FlowSink, type PortFactsLookup, type ReplyWindows, type ServiceAgg } from "./correlate/analyzer.js";
import { parseCapture, type AssembledRecord } from "./parse.js";
import type { CaptureRecord, DiagnosticRecord, PacketRecord, SummaryRecord } from "./records.js";
import { compileFilter, type Filter } from "./filter/index.js";
import { analyzeTraces } from "./verdicts/trace-pipeline.js";
import type { TraceRecord } from "./contract/trace-record.js";
import { unitAddresses } from "./verdicts/trace.js";
import {
  REPORT_SCHEMA,
  SEVERITY_RANK,
  type CaptureFacts,
  type ExchangeStep,
  type Finding,
  type FlowSummary,
  type InputSummary,
  type Report,
  type ServiceSummary,
  type TraceSummary,
} from "./contract/report.js";
import { VERSION } from "./version.js";
import { captureVerdicts, serviceVerdicts, type ServiceInfoLookup } from "./verdicts/engine.js";
import { SEVERITY } from "./verdicts/severity.js";
import { builtinCatalogue, portFactsLookup, serviceInfoLookup, type Catalogue } from "./catalogue/index.js";
import { toVerdict } from "./describe/index.js";

/** What `analyze(text, options)` takes; every field is optional. */
export interface AnalyzeOptions {
  /** the input's name in the report */
  source?: string;
  /** reply window in seconds for every protocol (`--timeout`); default 2 s, 3 s for TCP */
  timeout?: number;
  /**
   * the service catalogue: names, one-way services, remedies (default: the built-in one, as the
   * CLI uses; `mergeCatalogue` adds entries to it, `[]` analyses without one)
   */
  catalogue?: Catalogue;
  /** keep only the packets this says yes to (`--filter`) */
  keepPacket?: (p: PacketRecord) => boolean;
  /** addresses the user says are the unit's own (`--unit-address`): traffic to them is local-in */
  unitAddresses?: readonly string[];
}

/** `InputAnalyzer`'s options: the catalogue's lookups may be given ready-made (the CLI, the web page). */
export interface AnalyzerOptions extends AnalyzeOptions {
  /** what the catalogue says of a service (name, one-way, remedy); default from `catalogue` */
  serviceInfo?: ServiceInfoLookup;
  /** what the catalogue says of a port (known service, expects a reply); default from `catalogue` */
  portFacts?: PortFactsLookup;
  /**
   * Where the flows go, each once, instead of the report's `flows` (which is then empty): flows
   * finished during a long capture as soon as they are (see FLOW_TABLE_LIMIT in
   * src/correlate/analyzer.ts), the rest at `end()`, with their debug-flow trace facts. A caller
   * that writes them out as they come (the CLI's JSON report) keeps memory flat however many flows
   * the capture has. Without it the report's `flows` holds them all, as before.
   */
  onFlow?: FlowSink;
}

let builtinLookups: { serviceInfo: ServiceInfoLookup; portFacts: PortFactsLookup } | null = null;

/** The lookups of a catalogue; those of the built-in one are made once. */
function lookups(catalogue: Catalogue | undefined): { serviceInfo: ServiceInfoLookup; portFacts: PortFactsLookup } {
  if (catalogue === undefined) {
    builtinLookups ??= lookups(builtinCatalogue());
    return builtinLookups;
  }
  return { serviceInfo: serviceInfoLookup(catalogue), portFacts: portFactsLookup(catalogue) };
}

/** One input's share of a report. */
export interface InputReport {
  input: InputSummary;
  services: ServiceSummary[];
  flows: FlowSummary[];
  /** findings as data; `buildReport` gives them their words */
  verdicts: Finding[];
  exchanges: { verdict: Finding; steps: ExchangeStep[] }[];
  /** the input held at least one capture (or debug-flow traces to analyse) */
  hasCapture: boolean;
  traces: TraceSummary[];
}

/**
 * Packets kept for matching debug-flow traces: pastes with traces are small, big captures are not
 * (past this many packets none are kept, and memory stays flat). 20k slim copies hold ~13 MB;
 * 200k full records of a verbose-6 capture held ~230 MB.
 */
const TRACE_PACKET_LIMIT = 20_000;

/** Dump bytes a packet kept for traces holds: enough for the ICMP echo id and sequence (match.ts). */
const TRACE_DUMP_BYTES = 100;

/**
 * What trace matching reads of a packet, without what it does not (most of a hex dump, hex line
 * numbers, notes): a verbose-6 capture's packets cost a fraction of their full records.
 */
function forTraces(p: PacketRecord): PacketRecord {
  // a rest copy, not `delete`: deleting properties turns an object into a (much larger) dictionary
  const { bytes, hexLines: _lines, notes: _notes, ...slim } = p;
  const icmp = bytes !== null && (p.proto === "icmp" || p.proto === "icmp6");
  return { ...slim, bytes: icmp ? bytes.slice(0, 2 * TRACE_DUMP_BYTES) : null };
}

export function replyWindows(timeout: number | undefined): ReplyWindows {
  if (timeout === undefined) return DEFAULT_WINDOWS;
  return { udp: timeout, tcp: timeout, icmp: timeout, arp: timeout };
}

export class InputAnalyzer {
  private readonly source: string;
  private readonly windows: ReplyWindows;
  private readonly serviceInfo: ServiceInfoLookup;
  private readonly portFacts: PortFactsLookup;
  private readonly keepPacket: ((p: PacketRecord) => boolean) | null;
  private readonly unitAddresses: readonly string[];
  private readonly onFlow: FlowSink | null;
  private readonly captures: { record: CaptureRecord; analyzer: CaptureAnalyzer }[] = [];
  private readonly unrecognized: DiagnosticRecord[] = [];
  private unrecognizedCount = 0;
  private readonly traces: TraceRecord[] = [];
  private packetsForTraces: PacketRecord[] | null = [];
  private summary: SummaryRecord | null = null;

  constructor(options: AnalyzerOptions = {}) {
    this.source = options.source ?? "input";
    this.windows = replyWindows(options.timeout);
    const fromCatalogue = lookups(options.catalogue);
    this.serviceInfo = options.serviceInfo ?? fromCatalogue.serviceInfo;
    this.portFacts = options.portFacts ?? fromCatalogue.portFacts;
    this.keepPacket = options.keepPacket ?? null;
    this.unitAddresses = options.unitAddresses ?? [];
    this.onFlow = options.onFlow ?? null;
  }

  push(r: AssembledRecord): void {
    switch (r.type) {
      case "capture":
        this.captures.push({ record: r, analyzer: new CaptureAnalyzer(r, this.windows, this.portFacts, { addresses: this.unitAddresses }, this.onFlow) });
        break;
      case "packet":
        if (this.keepPacket === null || this.keepPacket(r)) {
          this.captures[r.capture]?.analyzer.add(r);
          if (this.packetsForTraces !== null) {
            if (this.packetsForTraces.length < TRACE_PACKET_LIMIT) this.packetsForTraces.push(forTraces(r));
            else this.packetsForTraces = null;
          }
        }
        break;
      case "trace":
        this.traces.push(r);
        break;
      case "diagnostic":
        if (r.code === "unrecognized-line" || r.code === "line-too-long") {
          this.unrecognizedCount++;
          if (this.unrecognized.length < 5) this.unrecognized.push(r);
        }
        break;
      case "summary":
        this.summary = r;
        break;
      case "trailer":
        break;
    }
  }

  /** Each capture's services as counted so far (live view); `end()` still gives the final report. */
  servicesSoFar(): { capture: number; services: readonly ServiceAgg[] }[] {
    return this.captures.map(({ record, analyzer }) => ({ capture: record.index, services: analyzer.servicesSoFar() }));
  }

  /** Traces matched to the packets, judged, and merged with the sniffer's verdicts. */
  private withTraces(verdicts: Finding[], flows: FlowSummary[]): { verdicts: Finding[]; traces: TraceSummary[] } {
    if (this.traces.length === 0) return { verdicts, traces: [] };
    const packets = this.packetsForTraces ?? [];
    // the traces prove some addresses are the unit's own: traffic to them is not forwarded at all
    const own = unitAddresses(this.traces);
    const adjusted = verdicts.map((v) => (v.code === "not-forwarded" && v.servers.length > 0 && v.servers.every((a) => own.has(a)) ? toUnitItself(v) : v));
    const analysis = analyzeTraces(this.source, this.traces, packets, { verdicts: adjusted, flows, info: this.serviceInfo });
    for (const [flow, trace] of analysis.flows) flow.trace = trace;
    return { verdicts: analysis.verdicts, traces: analysis.traces };
  }

  end(): InputReport {
    const services: ServiceSummary[] = [];
    const flows: FlowSummary[] = [];
    const verdicts: Finding[] = [];
    const exchanges: { verdict: Finding; steps: ExchangeStep[] }[] = [];
    const facts: CaptureFacts[] = [];
    let packets = 0;
    const seen = new Map<string, number>();
    for (const { record, analyzer } of this.captures) {
      // the traces prove some addresses are the unit's own (local delivery): traffic to them is local-in
      const analysis = analyzer.result({ addresses: this.traces.length > 0 ? unitAddresses(this.traces) : [] });
      packets += analysis.packets;
      const duplicateOf = analysis.packets > 0 ? seen.get(analysis.fingerprint) : undefined;
      if (analysis.packets > 0 && duplicateOf === undefined) seen.set(analysis.fingerprint, record.index);
      facts.push({
        index: record.index,
        line: record.line,
        command: record.command,
        interfaces: record.interfaces,
        filter: record.filter,
        verbose: record.verbose,
        timestamps: record.timestamps,
        packets: analysis.packets,
        received: record.received,
        dropped: record.dropped,
        start: analysis.start,
        end: analysis.end,
        count: record.count,
        ...(duplicateOf === undefined ? {} : { duplicateOf }),
      });
      // the same capture pasted twice is judged once
      if (duplicateOf !== undefined) continue;
      // one at a time: a spread of 120k+ flows overflows the call stack
      for (const f of analysis.flows) flows.push(f);
      const ctx = { source: this.source, capture: record, analysis, windows: this.windows, info: this.serviceInfo, captureFilter: captureFilterOf(record) };
      const ofCapture: Finding[] = [];
      for (const s of analysis.services) {
        const outcome = serviceVerdicts(ctx, s);
        if (outcome === null) continue;
        services.push(outcome.summary);
        for (const v of outcome.verdicts) {
          ofCapture.push(v);
          if (v.severity !== "ok" && s.steps.length > 0) exchanges.push({ verdict: v, steps: inInputOrder(s.steps) });
        }
      }
      for (const v of oneVoicePerService(ofCapture)) verdicts.push(v);
      for (const v of captureVerdicts(ctx)) verdicts.push(v);
    }
    if (this.unrecognizedCount > 0) {
      verdicts.push({
        source: this.source,
        capture: null,
        code: "unrecognized-lines",
        severity: SEVERITY["unrecognized-lines"],
        proto: null,
        port: null,
        servers: [],
        evidence: this.unrecognized.map((d) => ({ line: d.line, text: d.text })),
        args: { count: this.unrecognizedCount },
      });
    }
    const merged = this.withTraces(verdicts, flows);
    if (this.onFlow !== null) {
      for (const f of flows) this.onFlow(f);
      flows.length = 0;
    }
    const kept = new Set(merged.verdicts);
    const summary = this.summary;
    return {
      traces: merged.traces,
      input: {
        source: this.source,
        lines: summary?.lines ?? 0,
        packets,
        unrecognized: summary?.classes.unrecognized ?? 0,
        captures: facts,
      },
      services,
      flows,
      verdicts: merged.verdicts,
      exchanges: exchanges.filter((e) => kept.has(e.verdict)),
      hasCapture: this.captures.length > 0 || this.traces.length > 0,
    };
  }
}

const STEP_ORDER = { request: 0, reply: 1, reject: 1, missing: 2 } as const;

/** Exchange steps in input order, a missing reply right after the request it belongs to. */
function inInputOrder(steps: ExchangeStep[]): ExchangeStep[] {
  return [...steps].sort((a, b) => a.line - b.line || STEP_ORDER[a.kind] - STEP_ORDER[b.kind]);
}

/** The capture's own filter, compiled; a filter the grammar cannot read is not used. */
function captureFilterOf(capture: CaptureRecord): Filter | null {
  if (capture.filter === null) return null;
  try {
    const f = compileFilter(capture.filter);
    return f.matchesAll ? null : f;
  } catch {
    return null;
  }
}

/** A not-forwarded finding about traffic to the unit's own address: it was for the unit, which did not answer. */
/**
 * One service never gets both an OK and an error: when part of a service's traffic failed (to one
 * server, or local-in beside transit), the failure speaks for the service and the OK is dropped.
 */
function oneVoicePerService(findings: Finding[]): Finding[] {
  const failing = new Set(findings.filter((f) => f.severity === "error" && f.proto !== null).map((f) => `${f.proto}|${f.port ?? ""}`));
  // (one-way traffic of the same protocol — multicast OSPF beside unicast — is another story)
  return findings.filter((f) => !(f.severity === "ok" && f.code !== "one-way" && failing.has(`${f.proto}|${f.port ?? ""}`)));
}

function toUnitItself(v: Finding<"not-forwarded">): Finding {
  return { ...v, code: "unanswered", severity: SEVERITY.unanswered, args: { kind: "unit-itself", ...v.args } };
}

function compareVerdicts(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    (a.source < b.source ? -1 : a.source > b.source ? 1 : 0) ||
    (a.capture ?? -1) - (b.capture ?? -1) ||
    (a.evidence[0]?.line ?? 0) - (b.evidence[0]?.line ?? 0)
  );
}

/** Several inputs' analyses as one report, verdicts led by the worst. */
export function buildReport(parts: InputReport[]): Report {
  const verdicts = parts.flatMap((p) => p.verdicts).sort(compareVerdicts);
  const index = new Map(verdicts.map((v, i) => [v, i]));
  const exchanges = parts.flatMap((p) => p.exchanges).map((e) => ({ verdict: index.get(e.verdict) ?? -1, steps: e.steps }));
  const count = (s: string) => verdicts.filter((v) => v.severity === s).length;
  const report: Report = {
    schema: REPORT_SCHEMA,
    generator: { name: "sniffdiag", version: VERSION },
    inputs: parts.map((p) => p.input),
    services: parts.flatMap((p) => p.services),
    flows: parts.flatMap((p) => p.flows),
    verdicts: verdicts.map(toVerdict),
    summary: { errors: count("error"), warnings: count("warning"), infos: count("info"), oks: count("ok") },
  };
  if (exchanges.length > 0) report.exchanges = exchanges.sort((a, b) => a.verdict - b.verdict);
  const traces = parts.flatMap((p) => p.traces);
  if (traces.length > 0) report.traces = traces;
  return report;
}

/** Analyze one whole text: parse, correlate, judge. */
export function analyzeText(text: string | Uint8Array, options: AnalyzerOptions = {}): InputReport {
  const parsed = parseCapture(text, options.source === undefined ? {} : { source: options.source });
  const a = new InputAnalyzer(options);
  for (const r of parsed.records) a.push(r);
  return a.end();
}

/**
 * Analyse one whole text (or its bytes): parse, correlate, judge, with the built-in service
 * catalogue unless `options.catalogue` says otherwise — the same verdicts as `sniffdiag FILE`.
 */
export function analyze(text: string | Uint8Array, options: AnalyzeOptions = {}): Report {
  return buildReport([analyzeText(text, options)]);
}
