/**
 * The per-service roll-up: every finished request is folded into its service's counters, its
 * server's counters and a few evidence samples, so memory follows the number of services and
 * servers, not the number of packets.
 */
import type { PacketRecord } from "../records.js";
import type { ExchangeStep, RttStats } from "../report.js";
import type { IcmpErrorKind } from "./icmp.js";
import { Sampler } from "./sampling.js";

export type RequestOutcome = "answered" | "rejected" | "unanswered" | "inconclusive";

/** How a request was turned down: a TCP RST or an ICMP error of some kind. */
export type RejectKind = "tcp-rst" | IcmpErrorKind;

/** The refusals and errors of one kind a service got, and who sent them. */
export interface RejectAgg {
  kind: RejectKind;
  count: number;
  /** sent by the unit itself (its own address, or generated out of the interface the request came in on) */
  byUnit: number;
  /** the addresses that sent them (the server itself for a RST or a port unreachable; a router; the unit) */
  reporters: Set<string>;
  /** the smallest next-hop MTU a fragmentation-needed error named */
  mtu: number | null;
  evidence: Sampler<PacketRecord>;
}

export interface ServerAgg {
  address: string;
  requests: number;
  answered: number;
  /** answered after the reply window (still inside the capture) */
  late: number;
  rejected: number;
  unanswered: number;
  inconclusive: number;
  /** requests to it that arrived on an interface and never left (capture on `any`) */
  notForwarded: number;
  notForwardedIngress: Set<string>;
  /** requests to it seen leaving the unit (forwarded): not local-in, even to a unit address (a VIP) */
  forwarded: number;
  rtts: number[];
  /** the requests it did not answer (a few) */
  silentEvidence: Sampler<PacketRecord>;
  /** clients that sent to it (bounded) */
  clients: Set<string>;
}

/** Why a service's packets expect no reply (null: they do). */
export type NoReplyReason = "keepalive" | "gratuitous-arp" | null;

export interface ServiceAgg {
  key: string;
  proto: string;
  port: number | null;
  requests: number;
  answered: number;
  /** answered after the reply window, inside the capture */
  late: number;
  unanswered: number;
  rejected: number;
  inconclusive: number;
  notForwarded: number;
  /** requests to multicast or broadcast destinations */
  groupDestinations: number;
  /** this service holds the requests to multicast/broadcast destinations (kept apart from unicast) */
  group: boolean;
  /** requests addressed to the unit itself (local-in), kept apart from transit traffic */
  local: boolean;
  /** TCP connections already open when the capture started (no SYN seen), kept apart from attempts */
  established: boolean;
  /** DHCP discovers and requests broadcast by a client, answered by any server's offer */
  dhcp: boolean;
  noReply: NoReplyReason;
  servers: Map<string, ServerAgg>;
  clients: Set<string>;
  requestEvidence: Sampler<PacketRecord>;
  unansweredEvidence: Sampler<PacketRecord>;
  replyEvidence: Sampler<PacketRecord>;
  lateEvidence: Sampler<PacketRecord>;
  rejectEvidence: Sampler<PacketRecord>;
  /** how the silent requests were seen: interfaces they arrived on and left by */
  ingress: Set<string>;
  egress: Set<string>;
  notForwardedIngress: Set<string>;
  notForwardedEvidence: Sampler<PacketRecord>;
  rejectKinds: Set<RejectKind>;
  rejects: Map<RejectKind, RejectAgg>;
  /** requests first seen leaving the unit (`out` with no ingress copy): the unit's own */
  sentByUnit: number;
  /** established connections where packets of both sides were seen */
  bothSides: number;
  /** the first request, to ask whether the capture filter could have shown its reply */
  firstRequest: PacketRecord | null;
  steps: ExchangeStep[];
  firstTs: number;
  lastTs: number;
}

export interface ServiceKey {
  proto: string;
  port: number | null;
  group?: boolean;
  local?: boolean;
  established?: boolean;
  dhcp?: boolean;
  noReply?: NoReplyReason;
}

export function serviceKey(k: ServiceKey): string {
  return `${k.proto}|${k.port ?? ""}${k.group === true ? "|group" : ""}${k.local === true ? "|local" : ""}${k.established === true ? "|established" : ""}${k.dhcp === true ? "|dhcp" : ""}${k.noReply ? `|${k.noReply}` : ""}`;
}

export function newService(k: ServiceKey): ServiceAgg {
  return {
    key: serviceKey(k),
    proto: k.proto,
    port: k.port,
    requests: 0,
    answered: 0,
    late: 0,
    unanswered: 0,
    rejected: 0,
    inconclusive: 0,
    notForwarded: 0,
    groupDestinations: 0,
    group: k.group === true,
    local: k.local === true,
    established: k.established === true,
    dhcp: k.dhcp === true,
    noReply: k.noReply ?? null,
    servers: new Map(),
    clients: new Set(),
    requestEvidence: new Sampler(3, 2),
    unansweredEvidence: new Sampler(3, 2),
    replyEvidence: new Sampler(2, 1),
    lateEvidence: new Sampler(2, 1),
    rejectEvidence: new Sampler(3, 1),
    ingress: new Set(),
    egress: new Set(),
    notForwardedIngress: new Set(),
    notForwardedEvidence: new Sampler(3, 2),
    rejectKinds: new Set(),
    rejects: new Map(),
    sentByUnit: 0,
    bothSides: 0,
    firstRequest: null,
    steps: [],
    firstTs: Infinity,
    lastTs: -Infinity,
  };
}

export function newServer(address: string): ServerAgg {
  return {
    address,
    requests: 0,
    answered: 0,
    late: 0,
    rejected: 0,
    unanswered: 0,
    inconclusive: 0,
    notForwarded: 0,
    notForwardedIngress: new Set(),
    forwarded: 0,
    rtts: [],
    silentEvidence: new Sampler(3, 1),
    clients: new Set(),
  };
}

export function serverOf(s: ServiceAgg, address: string): ServerAgg {
  let a = s.servers.get(address);
  if (a === undefined) {
    a = newServer(address);
    s.servers.set(address, a);
  }
  return a;
}

export function rejectOf(s: ServiceAgg, kind: RejectKind): RejectAgg {
  let r = s.rejects.get(kind);
  if (r === undefined) {
    r = { kind, count: 0, byUnit: 0, reporters: new Set(), mtu: null, evidence: new Sampler(2, 1) };
    s.rejects.set(kind, r);
    s.rejectKinds.add(kind);
  }
  return r;
}

/**
 * Move the servers that `isLocal` says are the unit's own into a service of their own (local-in
 * traffic is judged apart from transit traffic). Returns the local part, or null when none.
 */
export function splitLocal(s: ServiceAgg, isLocal: (address: string) => boolean): ServiceAgg | null {
  if (s.local || s.group) return null;
  const own = [...s.servers.values()].filter((v) => isLocal(v.address));
  if (own.length === 0) return null;
  const l = newService({ proto: s.proto, port: s.port, local: true, established: s.established, noReply: s.noReply });
  const isOwnPacket = (p: PacketRecord) => p.dst !== null && isLocal(p.dst);
  const isOwnReply = (p: PacketRecord) => p.src !== null && isLocal(p.src);
  for (const v of own) {
    s.servers.delete(v.address);
    l.servers.set(v.address, v);
    l.requests += v.requests;
    l.answered += v.answered;
    l.late += v.late;
    l.rejected += v.rejected;
    l.unanswered += v.unanswered;
    l.inconclusive += v.inconclusive;
    l.notForwarded += v.notForwarded;
    for (const i of v.notForwardedIngress) l.notForwardedIngress.add(i);
    s.requests -= v.requests;
    s.answered -= v.answered;
    s.late -= v.late;
    s.rejected -= v.rejected;
    s.unanswered -= v.unanswered;
    s.inconclusive -= v.inconclusive;
    s.notForwarded -= v.notForwarded;
    for (const p of v.silentEvidence.items()) l.unansweredEvidence.push(p);
    for (const c of v.clients) l.clients.add(c);
  }
  const move = (from: Sampler<PacketRecord>, to: Sampler<PacketRecord>, mine: (p: PacketRecord) => boolean): Sampler<PacketRecord> => {
    const kept = new Sampler<PacketRecord>(from.head.length + 2, 2);
    for (const p of from.items()) (mine(p) ? to : kept).push(p);
    return kept;
  };
  s.requestEvidence = move(s.requestEvidence, l.requestEvidence, isOwnPacket);
  s.replyEvidence = move(s.replyEvidence, l.replyEvidence, isOwnReply);
  s.lateEvidence = move(s.lateEvidence, l.lateEvidence, isOwnReply);
  s.notForwardedEvidence = move(s.notForwardedEvidence, new Sampler(0, 0), isOwnPacket);
  s.unansweredEvidence = move(s.unansweredEvidence, new Sampler(0, 0), isOwnPacket);
  s.rejectEvidence = move(s.rejectEvidence, l.rejectEvidence, (p) => isOwnPacket(p) || isOwnReply(p));
  for (const p of l.requestEvidence.items()) {
    if (p.src !== null) l.clients.add(p.src);
    if (l.firstRequest === null) l.firstRequest = p;
  }
  for (const [kind, r] of s.rejects) {
    const mine = r.evidence.items().filter((p) => isOwnReply(p) || isOwnPacket(p));
    if (mine.length === 0) continue;
    const lr = rejectOf(l, kind);
    for (const p of mine) lr.evidence.push(p);
    lr.count = l.rejected;
    for (const a of r.reporters) lr.reporters.add(a);
  }
  l.ingress = new Set(s.ingress);
  const ownAddresses = new Set(own.map((v) => v.address));
  l.steps = s.steps.filter((st) => ownAddresses.has(endpointAddress(st.to)) || ownAddresses.has(endpointAddress(st.from)));
  l.firstTs = s.firstTs;
  l.lastTs = s.lastTs;
  l.sentByUnit = 0;
  return l;
}

export function rttStats(values: number[]): RttStats | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  return { min: round(sorted[0] as number), median: round(median), max: round(sorted[sorted.length - 1] as number) };
}

/** The address of an endpoint text (`10.0.0.1:443`, `[2001:db8::1]:53`, `2001:db8::1`, `10.0.0.1`). */
export function endpointAddress(text: string): string {
  if (text.startsWith("[")) {
    const end = text.indexOf("]");
    return end < 0 ? text : text.slice(1, end);
  }
  const colon = text.indexOf(":");
  if (colon < 0 || text.indexOf(":", colon + 1) >= 0) return text;
  return text.slice(0, colon);
}
