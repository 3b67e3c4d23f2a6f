/**
 * The facts of the verdict codes that rest on the correlator's model of the unit (issue 11): its
 * own addresses, the packets it generated, late replies, ICMP errors and who sent them, tunnels,
 * DHCP, established connections and empty captures. Part of the contract's leaf: imports only
 * types of args.ts.
 */
import type { Caveats } from "./caveats.js";

/** How an address was shown to be the unit's own. */
export type UnitEvidenceKind = "given" | "trace-local" | "icmp-error" | "arp" | "snat" | "ike-esp" | "answer" | "originated";

export interface UnitAddressFact {
  address: string;
  evidence: UnitEvidenceKind;
  /** the input line that showed it; null for given and trace-derived addresses */
  line: number | null;
}

/** Requests to the unit's own address (local-in) that it did not answer. */
export interface LocalInUnansweredArgs {
  name: string | null;
  requests: number;
  answered: number;
  unanswered: number;
  inconclusive: number;
  /** the unit's addresses the requests went to, with why they are the unit's */
  addresses: UnitAddressFact[];
  clients: string[];
  /** interfaces the requests arrived on (captures on `any`) */
  ingress: string[];
  /** the `allowaccess` keyword of the service, when it is an administrative one */
  allowaccess: string | null;
  /** which local-in checks fit: an admin protocol, SSL-VPN, the IKE daemon, ping, SNMP, or another service */
  hint: "ike" | "sslvpn" | "admin" | "ping" | "snmp" | "other";
  caveats: Caveats;
}

/** Why a late or slow answer matters for this service. */
export type LatenessReason = "radius-timeout" | "dns-client-timeout" | "sdwan-probe-timeout" | "past-window";

export interface AnsweredLateArgs {
  name: string | null;
  requests: number;
  answered: number;
  /** answers that came after the reply window (still inside the capture) */
  late: number;
  /** answers slower than the threshold that matters (may be inside the window: SD-WAN probes) */
  slow: number;
  /** the slowest answer, seconds */
  maxDelay: number;
  window: number;
  /** the client timeout the delay is compared with, seconds */
  threshold: number;
  reason: LatenessReason;
}

/** How the unreachable was reported and by whom. */
export type SentBy = "unit" | "router" | "host";

/** ICMP host/net unreachable (with or without a quoted port) tied to the requests it concerns. */
export interface HostUnreachableArgs {
  name: string | null;
  requests: number;
  rejected: number;
  kind: "host-unreachable" | "net-unreachable" | "unreachable";
  /** the addresses that sent the errors */
  reporters: string[];
  /** the unit sent them itself (its own address, or out of the ingress interface of a request that never left) */
  sentBy: SentBy;
  /** the interfaces the requests arrived on */
  ingress: string[];
}

/** The unit refused the requests itself: an RST or an ICMP error back out of the ingress interface, the request never left. */
export interface RefusedByUnitArgs {
  name: string | null;
  requests: number;
  refused: number;
  /** `tcp-rst`, `port-unreachable`, `admin-prohibited`, `protocol-unreachable` */
  kinds: string[];
  ingress: string[];
  /** the destination the suggested debug-flow filter names */
  traceAddress: string;
}

/** ICMP fragmentation needed (PMTU) tied to requests. */
export interface FragmentationNeededArgs {
  name: string | null;
  requests: number;
  rejected: number;
  mtu: number | null;
  reporters: string[];
  sentBy: SentBy;
}

/** ICMP time exceeded tied to requests (a routing loop, or a TTL too small). */
export interface TtlExceededArgs {
  name: string | null;
  requests: number;
  rejected: number;
  reporters: string[];
  sentBy: SentBy;
}

/** The capture's filter shows only one direction: the servers' answers are there, the requests cannot be. */
export interface FilterExcludesRequestsArgs {
  name: string | null;
  filter: string;
  reason: string | null;
  flows: number;
  packets: number;
  interfaces: string | null;
}

/** TCP connections already open when the capture started (no SYN seen). */
export interface EstablishedConnectionArgs {
  name: string | null;
  connections: number;
  /** connections where both sides were heard */
  bothSides: number;
}

/** ESP between two gateways, per direction. */
export interface EspTunnelArgs {
  /** the gateway that sent, and the one that did not answer (one-way) or the other end (both ways) */
  local: string;
  remote: string;
  sent: number;
  received: number;
  /** SPIs of each direction (hex, as printed) */
  sentSpis: string[];
  receivedSpis: string[];
  /** the unit itself sent the ESP (it left without arriving) */
  sentByUnit: boolean;
  /** seconds between the first and the last ESP packet sent */
  span: number;
}

/** DHCP discovers broadcast by clients that no server answered. */
export interface DhcpNoOfferArgs {
  discovers: number;
  answered: number;
  /** interfaces the discovers arrived on */
  ingress: string[];
}

/** A capture that matched no packet. */
export interface EmptyCaptureArgs {
  interfaces: string | null;
  filter: string | null;
  /** the trailer's `packets received by filter`, when printed */
  received: number | null;
}
