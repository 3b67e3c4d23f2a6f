/**
 * The `{"type":"trace"}` record: one packet's journey through one kernel, as `diagnose debug flow`
 * printed it (../shared/spec/debug-flow.md §3.1), reduced to what happened to it.
 * Field names follow ../shared/spec/contract.md (the flow `trace` field: policy, action, snat,
 * dnat, route, traceIds, lines).
 */
import type { Evidence } from "./report.js";
import type { TcpFlag } from "../records.js";

export type { TraceOutcome } from "./report.js";
import { TRACE_VERDICT_CODES, type TraceOutcome } from "./report.js";

// every trace verdict is a drop but the two that tell where tracing stopped, and "dropped" is one
export const DROP_OUTCOMES: ReadonlySet<TraceOutcome> = new Set<TraceOutcome>([...TRACE_VERDICT_CODES.filter((c) => c !== "trace-ended" && c !== "offloaded"), "dropped"]);

/** Which check dropped the packet. */
export type TraceCheck =
  | "forward-policy"
  | "local-in-policy"
  | "reverse-path"
  | "no-session"
  | "session-block"
  | "ipsec-selector"
  | "ipsec-sa"
  | "ipsec-no-tunnel"
  | "quota"
  | "endpoint"
  | "other";

export type TraceProto = "tcp" | "udp" | "icmp" | "icmp6" | "ip";

/** The packet a trace is about (its `received a packet` line). */
export interface TracePacket {
  proto: TraceProto | null;
  /** IP protocol number as printed (`proto=6`) */
  ipProto: number | null;
  src: string | null;
  /** TCP/UDP source port; for ICMP the echo id (`:2589`) */
  sport: number | null;
  dst: string | null;
  /** TCP/UDP destination port; for ICMP `type<<8|code` (6.x/7.x) or the type (old builds) */
  dport: number | null;
  /** ingress interface; null for `from local.` or when the message was cut before it */
  iface: string | null;
  /** `from local.`: the unit itself sent the packet */
  local: boolean;
  vdom: string | null;
  /** `tun_id=`: the IPsec peer the packet came out of (null for 0.0.0.0 and when absent) */
  tunnel: string | null;
  /** the tuple was cut short in the paste (`src`/`dst` may be prefixes) */
  partial: boolean;
  /** the message was cut before the ingress interface */
  truncated: boolean;
  tcp?: { flags: TcpFlag[]; seq: number | null; ack: number | null };
  icmp?: { type: number | null; code: number | null; id: number | null; seq: number | null };
}

export type { NatFact } from "./args.js";
import type { NatFact } from "./args.js";

export interface TraceRoute {
  gateway: string;
  interface: string;
  /** the destination is the unit itself (`flag=8xxxxxxx`, `via root`) */
  local: boolean;
}

export interface TraceIpsec {
  /** route-based IPsec interface entered (`enter IPSec interface VPN-IPSEC`) or policy-mode tunnel (`enter IPsec tunnel-to_FGT2`) */
  interface: string | null;
  /** tunnel instance chosen (`output to IPSec tunnel HUB1-VPN1_0`) */
  tunnel: string | null;
  /** remote gateway the ESP went to (`send to 100.1.1.1 via intf-port2`) */
  peer: string | null;
  /** underlay interface of the ESP */
  via: string | null;
  encrypted: boolean;
  /** the packet came out of a tunnel (`tun_id=200.1.1.2 from VPN-to-SH`) */
  fromTunnel: string | null;
  policyMode: boolean;
}

/** One message of the trace. */
export interface TraceStep {
  /** first input line of the record */
  line: number;
  func: string | null;
  msg: string;
  /** what the catalogue makes of it */
  kind: string;
}

export interface TraceRecord {
  type: "trace";
  source: string;
  /** chassis blade (`FPM04`); null on single-blade units */
  blade: string | null;
  traceId: number;
  /** every input line of the trace, in order */
  lines: number[];
  /** console timestamp of the first record (`diagnose debug console timestamp enable`), as printed */
  time: string | null;
  /** the packet line was missing and `packet` comes from the one sniffer flow that fits (attached by elimination) */
  byElimination?: true;
  logId: number | null;
  packet: TracePacket | null;
  session: { id: string; state: "new" | "existing"; direction: "original" | "reply" | null } | null;
  /** firewall policy (or local-in policy for `local-in-denied`) that decided; null when none was printed */
  policy: number | null;
  action: "allow" | "deny" | null;
  /** which check dropped the packet */
  check: TraceCheck | null;
  snat: NatFact | null;
  dnat: NatFact | null;
  /** a VIP matched (`VIP-192.168.1.1:23, outdev-wan1`) */
  vip: { mapped: string; outdev: string } | null;
  route: TraceRoute | null;
  /** interfaces the trace sends the packet out of (route, `send out via dev-`, IPsec, offload) */
  egress: string[];
  ipsec: TraceIpsec | null;
  /** `npu session installation succeeded`: later packets of the session bypass the CPU */
  offload: boolean;
  outcome: TraceOutcome;
  /** the line that decided the outcome */
  decisive: { line: number; msg: string } | null;
  /** how the outcome was reached when no single line decided it */
  note: string | null;
  steps: TraceStep[];
  /** the lines worth quoting: the packet line, the route, NAT and the decisive line */
  evidence: Evidence[];
}
