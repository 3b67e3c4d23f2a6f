/**
 * The analyze report, exactly as ../shared/spec/contract.md (`analyze --format json`) names it.
 * Stable: fields may be added, never renamed or removed without a schema version bump.
 */

import type { FlowTrace, TraceSummary } from "./debugflow/verdicts.js";

export const REPORT_SCHEMA = "sniffdiag.report/1";

export type Severity = "error" | "warning" | "info" | "ok";

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1, ok: 0 };

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
  "policy-denied",
  "local-in-denied",
  "reverse-path-drop",
  "no-session-matched",
  "ipsec-selector-mismatch",
  "ipsec-not-ready",
  "trace-ended",
  "offloaded",
] as const;

export type VerdictCode = (typeof VERDICT_CODES)[number];

export interface Evidence {
  line: number;
  text: string;
}

export interface Verdict {
  source: string;
  /** the capture the verdict is about; null for input-wide verdicts (unrecognized lines) */
  capture: number | null;
  code: VerdictCode;
  severity: Severity;
  proto: string | null;
  port: number | null;
  servers: string[];
  title: string;
  explanation: string;
  remedy: string | null;
  evidence: Evidence[];
}

export interface RttStats {
  min: number;
  median: number;
  max: number;
}

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
