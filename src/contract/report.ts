/**
 * The analyze report, exactly as ../shared/spec/contract.md (`analyze --format json`) names it.
 * Stable: fields may be added, never renamed or removed without a schema version bump.
 */

import type { NatFact, RttStats, VerdictArgs } from "./args.js";
export type { NatFact, RttStats } from "./args.js";

export const REPORT_SCHEMA = "sniffdiag.report/1";

export type Severity = "error" | "warning" | "info" | "ok";

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1, ok: 0 };

/** The verdict codes a `diagnose debug flow` trace decides (the contract's debug-flow table). */
export const TRACE_VERDICT_CODES = [
  "policy-denied",
  "local-in-denied",
  "reverse-path-drop",
  "no-session-matched",
  "ipsec-selector-mismatch",
  "ipsec-not-ready",
  "trace-ended",
  "offloaded",
] as const;

/** The verdict codes of the contract (stable), sniffer codes first, then the debug-flow ones. */
export const VERDICT_CODES = [
  "unanswered",
  "partially-answered",
  "rejected",
  "not-forwarded",
  "filter-excludes-replies",
  "capture-ended",
  "kernel-drops",
  "unrecognized-lines",
  "one-way",
  "answered",
  "unmatched-unreachable",
  ...TRACE_VERDICT_CODES,
  // the model of the unit (issue 11)
  "local-in-unanswered",
  "refused-by-unit",
  "host-unreachable",
  "fragmentation-needed",
  "ttl-exceeded",
  "answered-late",
  "filter-excludes-requests",
  "established-connection",
  "esp-one-way",
  "esp-both-ways",
  "dhcp-no-offer",
  "empty-capture",
] as const;

export type VerdictCode = (typeof VERDICT_CODES)[number];

export interface Evidence {
  line: number;
  text: string;
}

/**
 * A finding as data: what the rules decided, with the facts (`args`, typed per code) the words are
 * made from. `src/describe` turns it into title, explanation, remedy and commands.
 */
export type Finding<C extends VerdictCode = VerdictCode> = {
  [K in C]: FindingHead<K> & {
    evidence: Evidence[];
    args: VerdictArgs[K];
  };
}[C];

/** What a finding and a verdict both start with: where it is, its code and whom it is about. */
export interface FindingHead<K extends VerdictCode = VerdictCode> {
  source: string;
  /** the capture the verdict is about; null for input-wide verdicts (unrecognized lines) */
  capture: number | null;
  code: K;
  severity: Severity;
  proto: string | null;
  port: number | null;
  servers: string[];
}

/** The words of a finding, from `describe()`. */
export interface Description {
  title: string;
  explanation: string;
  /** what to check or change, in prose (inline `code` spans allowed; no command block) */
  remedy: string | null;
  /** CLI lines to run or paste, in order (a blank entry separates two blocks); never a sentence */
  commands: string[];
}

/**
 * A verdict of the report (`analyze --format json`): the finding, then its words as derived fields.
 * `remedy` keeps the contract's form: the prose, then the commands one per line.
 */
export type Verdict<C extends VerdictCode = VerdictCode> = {
  [K in C]: FindingHead<K> & {
    title: string;
    explanation: string;
    remedy: string | null;
    evidence: Evidence[];
    args: VerdictArgs[K];
    /** the remedy's CLI lines (also at the end of `remedy`) */
    commands: string[];
  };
}[C];

export type ServiceStatus = "answered" | "partial" | "unanswered" | "rejected" | "one-way" | "inconclusive";

export interface ServerSummary {
  address: string;
  requests: number;
  answered: number;
  rejected: number;
  rtt: RttStats | null;
}

export interface ServiceSummary {
  source: string;
  capture: number;
  proto: string;
  port: number | null;
  name: string | null;
  status: ServiceStatus;
  requests: number;
  answered: number;
  unanswered: number;
  rejected: number;
  inconclusive: number;
  servers: ServerSummary[];
  clients: string[];
  /** requests seen arriving on one interface of the unit that never left another */
  notForwarded?: number;
}

export type FlowState = "S0" | "S1" | "SF" | "REJ" | "S2" | "S3" | "RSTO" | "RSTR" | "RSTOS0" | "RSTRH" | "SH" | "SHR" | "OTH";

export interface FlowSummary {
  source: string;
  capture: number;
  proto: string;
  client: string;
  clientPort: number | null;
  server: string;
  serverPort: number | null;
  interfaces: string[];
  toServer: { packets: number; bytes: number };
  toClient: { packets: number; bytes: number };
  state: FlowState;
  start: number;
  end: number;
  firstLine: number;
  lastLine: number;
  /** address translation seen between the ingress and egress copies of the flow's packets */
  nat?: { snat: string | null; dnat: string | null };
  /** ingress → egress interface pairs the unit forwarded this flow's packets through (captures on `any`) */
  hops?: { ingress: string; egress: string }[];
  /** what `diagnose debug flow` traces pasted with the capture say about this flow */
  trace?: FlowTrace;
}

export interface CaptureFacts {
  index: number;
  line: number;
  command: string | null;
  interfaces: string | null;
  filter: string | null;
  verbose: number | null;
  timestamps: "absolute" | "relative" | null;
  packets: number;
  received: number | null;
  dropped: number | null;
  start: number | null;
  end: number | null;
  count: number | null;
  /** the index of an earlier capture in this input with the same packets (pasted twice); not judged again */
  duplicateOf?: number;
}

export interface InputSummary {
  source: string;
  lines: number;
  packets: number;
  unrecognized: number;
  captures: CaptureFacts[];
  /** set when the input could not be read or held no capture (batch reports) */
  error?: string;
}

/** One exchange of a problem service, for sequence diagrams (markdown Mermaid, HTML ladder). */
export interface ExchangeStep {
  line: number;
  ts: number;
  from: string;
  to: string;
  label: string;
  kind: "request" | "reply" | "reject" | "missing";
}

/** What a matched `diagnose debug flow` trace adds to a flow (the contract's flow `trace` field). */
export interface FlowTrace {
  policy: number | null;
  action: "allow" | "deny" | null;
  snat: NatFact | null;
  dnat: NatFact | null;
  route: { gateway: string; interface: string } | null;
  traceIds: number[];
  lines: number[];
}

/**
 * What happened to a traced packet: the contract's debug-flow verdict codes, `allowed`, or
 * `dropped` for a drop message outside the catalogue (e.g. `Session is in BLOCK state.`).
 */
/** A trace's outcome: let through, one of the trace verdicts, or dropped for another reason. */
export type TraceOutcome = "allowed" | (typeof TRACE_VERDICT_CODES)[number] | "dropped";

/** How a trace was matched to the sniffer's packets. */
export type MatchKey = "tcp-seq" | "icmp-id-seq" | "tuple-iface" | "nat-tuple" | "order" | "elimination";

/** One row of the report's `traces` list: every trace, matched or not, with the reason. */
export interface TraceSummary {
  source: string;
  blade: string | null;
  traceId: number;
  lines: number[];
  outcome: TraceOutcome;
  policy: number | null;
  /** input lines of the sniffer packets it matched (empty: unmatched) */
  packets: number[];
  key: MatchKey | null;
  reason: string;
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  generator: { name: "sniffdiag"; version: string };
  inputs: InputSummary[];
  services: ServiceSummary[];
  flows: FlowSummary[];
  verdicts: Verdict[];
  summary: { errors: number; warnings: number; infos: number; oks: number };
  /** sequence of exchanges per problem verdict (index into verdicts); used by markdown and html */
  exchanges?: { verdict: number; steps: ExchangeStep[] }[];
  /** `diagnose debug flow` traces found in the inputs, each with its match or why it has none */
  traces?: TraceSummary[];
}
