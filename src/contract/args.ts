/**
 * The facts of each verdict code (`Finding.args`, the report's `verdicts[].args`): what the rules
 * decided, as data. The describe module (`src/describe/`) makes every word from these; renderers
 * never parse a sentence. A leaf of the contract: imports only args-unit.ts (the codes of the
 * unit's model), itself a leaf.
 *
 * Adding a code: add it to `VERDICT_CODES` (src/contract/report.ts), give it an args interface
 * here and an entry in `VerdictArgs`, a severity in `SEVERITY` (src/verdicts/severity.ts) and a
 * describer in `DESCRIBERS` (src/describe/index.ts) — the type-checker names each missing piece —
 * then a sample that yields it (test/verdict-codes.test.ts enumerates the codes).
 */

import type {
  AnsweredLateArgs,
  DhcpNoOfferArgs,
  EmptyCaptureArgs,
  EspTunnelArgs,
  EstablishedConnectionArgs,
  FilterExcludesRequestsArgs,
  FragmentationNeededArgs,
  HostUnreachableArgs,
  LocalInUnansweredArgs,
  RefusedByUnitArgs,
  TtlExceededArgs,
} from "./args-unit.js";
export type * from "./args-unit.js";

export interface RttStats {
  min: number;
  median: number;
  max: number;
}

/** An address translation a trace printed. */
export interface NatFact {
  /** before translation: `192.168.1.10` (SNAT), `192.168.89.35:0` (DNAT) */
  from: string;
  /** after: `192.168.89.35:63005` */
  to: string;
}

export type { Caveats } from "./caveats.js";
import type { Caveats } from "./caveats.js";

/** A catalogue remedy in the catalogue's own form (first line prose, the rest CLI lines). */
export type CatalogueRemedy = string | null;

export interface ServiceArgs {
  /** the catalogue's name of the service; null when unknown */
  name: string | null;
  requests: number;
  /** distinct servers the requests went to */
  serverCount: number;
  /** the reply window in seconds */
  window: number;
}

export interface UnansweredTimeoutArgs extends ServiceArgs {
  kind: "timeout";
  unanswered: number;
  /** requests sent less than the reply window before the capture ended */
  inconclusive: number;
  clients: string[];
  /** interfaces the requests left on */
  egress: string[];
  notForwarded: number;
  notForwardedIngress: string[];
  caveats: Caveats;
  catalogueRemedy: CatalogueRemedy;
  /** the requests were seen leaving the unit (true), seen only arriving (false), or the capture cannot tell (null) */
  left?: boolean | null;
  /** the interfaces they were seen arriving on */
  ingress?: string[];
}

/** Requests that arrived for the unit's own address (a trace proves it) and got no answer. */
export interface UnansweredUnitArgs extends NotForwardedArgs {
  kind: "unit-itself";
}

export type UnansweredArgs = UnansweredTimeoutArgs | UnansweredUnitArgs;

export interface PartiallyAnsweredArgs extends ServiceArgs {
  answered: number;
  unanswered: number;
  rejected: number;
  inconclusive: number;
  /** servers that neither answered nor refused */
  silent: string[];
  egress: string[];
  caveats: Caveats;
  catalogueRemedy: CatalogueRemedy;
}

export type RejectKind = "tcp-rst" | "icmp-unreachable";

/** The ICMP error's kind (or a TCP RST), finer than `RejectKind`. */
export type ErrorKind =
  | "tcp-rst"
  | "port-unreachable"
  | "protocol-unreachable"
  | "host-unreachable"
  | "net-unreachable"
  | "admin-prohibited"
  | "fragmentation-needed"
  | "time-exceeded"
  | "unreachable";

export interface RejectedArgs extends ServiceArgs {
  rejected: number;
  unanswered: number;
  rejectKinds: RejectKind[];
  /** the same, finer: which ICMP error (port/protocol unreachable, admin prohibited…) */
  errorKinds?: ErrorKind[];
  caveats: Caveats;
  catalogueRemedy: CatalogueRemedy;
}

export interface NotForwardedArgs {
  name: string | null;
  /** packets seen arriving that never left */
  count: number;
  /** the service expects no reply (counted as packets, not requests) */
  oneWay: boolean;
  /** other requests of the service that were forwarded and answered */
  answered: number;
  ingress: string[];
  /** the destination the suggested debug-flow filter names */
  traceAddress: string;
  caveats: Caveats;
  /** the capture's length in seconds when it is short (a warning then), else null */
  shortPaste?: number | null;
}

export interface FilterExcludesRepliesArgs extends ServiceArgs {
  /** the capture's filter as printed */
  filter: string;
  /** why the replies cannot match it; null when the evaluator gave none */
  reason: string | null;
  notForwarded: number;
  /** the capture's interface argument (`any`, `port1`) */
  interfaces: string | null;
}

/** The last requests were still inside their window when the capture ended. */
export interface CaptureEndedTailArgs extends ServiceArgs {
  kind: "tail";
  answered: number;
  inconclusive: number;
}

/** No request of the service could have had its reply yet. */
export interface CaptureEndedAllArgs extends ServiceArgs {
  kind: "all";
  caveats: Caveats;
}

export type CaptureEndedArgs = CaptureEndedTailArgs | CaptureEndedAllArgs;

export interface KernelDropsArgs {
  dropped: number;
  received: number | null;
}

export interface UnrecognizedLinesArgs {
  count: number;
}

export interface OneWayArgs {
  name: string | null;
  packets: number;
  clients: string[];
  egress: string[];
  /** why no reply is due: the catalogue says so, group destinations, or a peer protocol */
  reason: "catalogue" | "group" | "peer-protocol" | "keepalive" | "gratuitous-arp";
}

export interface AnsweredArgs extends ServiceArgs {
  answered: number;
  inconclusive: number;
  rtt: RttStats | null;
}

export interface UnmatchedUnreachableArgs {
  /** who sent the (first) unreachable, to whom */
  from: string | null;
  to: string | null;
  /** the host the quoted packet was for */
  host: string;
  /** the ICMP error's kind; all of this kind and quoted service are one finding */
  kind?: ErrorKind;
  /** how many such errors, the hosts they were about (a bounded list) and how many hosts in all */
  count?: number;
  hosts?: string[];
  hostCount?: number;
  /** who sent them (a bounded list), and how many sent them */
  reporters?: string[];
  reporterCount?: number;
}

// ---- debug-flow codes ----------------------------------------------------------------------------

/** What the sniffer's output adds to a trace verdict. */
export interface SnifferSideArgs {
  /** codes of the sniffer verdicts this verdict replaces (supersede rules) */
  replaced: ("not-forwarded" | "unanswered" | "capture-ended" | "partially-answered")[];
  /** the sniffer's packets of this traffic, when counted */
  seen: number | null;
  /** interfaces the sniffer saw the traced packets arrive on */
  ingress: string[];
  /** interfaces the sniffer saw copies leave on */
  egressCopies: string[];
  /** traces matched to sniffer packets, and those packets' first lines */
  matched: number;
  matchedLines: number[];
  /** no matched trace has a copy leaving the unit */
  noEgress: boolean;
  /** traces with no sniffer packet */
  unmatched: number;
  /** why the first unmatched trace has none (null when the input has no packets at all) */
  unmatchedReason: string | null;
  /** a trace without its packet line was attached to the one flow that fits, by elimination */
  byElimination?: boolean;
}

export interface TraceArgs {
  /** the catalogue's name of the service; null when unknown */
  name: string | null;
  /** ICMP type when not an echo (names the traffic `ICMP type 3`) */
  icmpType: number | null;
  /** the traces, `id` or `blade/id`, in input order */
  traces: string[];
  /** the message of the line that decided; null when none did */
  decisive: string | null;
  /** the trace's last message */
  lastStep: string | null;
  outcome: "allowed" | "dropped" | "policy-denied" | "local-in-denied" | "reverse-path-drop" | "no-session-matched" | "ipsec-selector-mismatch" | "ipsec-not-ready" | "trace-ended" | "offloaded";
  /** which check dropped it (`forward-policy`, `quota`, `ipsec-no-tunnel`…) */
  check: string | null;
  policy: number | null;
  clients: string[];
  /** ingress interfaces (`local` for the unit's own packets) and egress interfaces */
  ingress: string[];
  egress: string[];
  route: { gateway: string; interface: string; local: boolean } | null;
  snat: NatFact | null;
  dnat: NatFact | null;
  sniffer: SnifferSideArgs;
}

export interface PolicyDeniedArgs extends TraceArgs {
  /** `Denied by X check`: X, for checks this tool has no finer reading of */
  deniedBy: string | null;
}

export interface LocalInDeniedArgs extends TraceArgs {
  /** TCP or UDP traffic (a VIP could have been meant) */
  portTraffic: boolean;
}

export type ReversePathDropArgs = TraceArgs;

export interface NoSessionMatchedArgs extends TraceArgs {
  tcpFlags: string[];
}

export interface IpsecSelectorMismatchArgs extends TraceArgs {
  /** the tunnel (instance or interface) of the first trace */
  tunnel: string | null;
  /** IPsec interfaces the traces entered */
  tunnels: string[];
  /** a packet the unit sent itself */
  fromLocal: boolean;
  /** the sniffer printed a copy on the tunnel interface */
  egressCopied: boolean;
}

export interface IpsecNotReadyArgs extends TraceArgs {
  tunnels: string[];
  /** the trace stops after routing into IPsec (no tunnel took it) */
  stalled: boolean;
  /** later traces of the same session that were encrypted */
  laterEncrypted: string[];
}

export interface TraceEndedArgs extends TraceArgs {
  note: string | null;
}

export interface OffloadedArgs extends TraceArgs {
  /** the policy of the offloaded session, when a trace printed it */
  offloadPolicy: number | null;
}

/** The args of every verdict code (the keys are exactly `VERDICT_CODES`). */
export interface VerdictArgs {
  unanswered: UnansweredArgs;
  "partially-answered": PartiallyAnsweredArgs;
  rejected: RejectedArgs;
  "not-forwarded": NotForwardedArgs;
  "filter-excludes-replies": FilterExcludesRepliesArgs;
  "capture-ended": CaptureEndedArgs;
  "kernel-drops": KernelDropsArgs;
  "unrecognized-lines": UnrecognizedLinesArgs;
  "one-way": OneWayArgs;
  answered: AnsweredArgs;
  "unmatched-unreachable": UnmatchedUnreachableArgs;
  "policy-denied": PolicyDeniedArgs;
  "local-in-denied": LocalInDeniedArgs;
  "reverse-path-drop": ReversePathDropArgs;
  "no-session-matched": NoSessionMatchedArgs;
  "ipsec-selector-mismatch": IpsecSelectorMismatchArgs;
  "ipsec-not-ready": IpsecNotReadyArgs;
  "trace-ended": TraceEndedArgs;
  offloaded: OffloadedArgs;
  "local-in-unanswered": LocalInUnansweredArgs;
  "refused-by-unit": RefusedByUnitArgs;
  "host-unreachable": HostUnreachableArgs;
  "fragmentation-needed": FragmentationNeededArgs;
  "ttl-exceeded": TtlExceededArgs;
  "answered-late": AnsweredLateArgs;
  "filter-excludes-requests": FilterExcludesRequestsArgs;
  "established-connection": EstablishedConnectionArgs;
  "esp-one-way": EspTunnelArgs;
  "esp-both-ways": EspTunnelArgs;
  "dhcp-no-offer": DhcpNoOfferArgs;
  "empty-capture": EmptyCaptureArgs;
}
