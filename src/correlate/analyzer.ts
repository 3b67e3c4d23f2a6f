/**
 * Correlation of one capture's packets (PRODUCT.md "Semantics"): copies of one packet on `any`
 * counted once (copies.ts); flows with client/server orientation and a Zeek-style state (flows.ts);
 * every request paired with its reply — on time or late — a refusal, an ICMP error or nothing
 * (pairing.ts); a model of the unit itself, its own addresses learned from what it sends
 * (unit.ts); requests rolled up per service (rollup.ts), with local-in traffic kept apart.
 *
 * Streaming: requests wait in a pending list for their reply window and then, overdue, for a late
 * reply (bounded); settled requests are folded into per-service counters and a few evidence
 * samples, so memory follows the live flows.
 */
import type { CaptureRecord, PacketRecord } from "../records.js";
import type { FlowSummary } from "../report.js";
import { isBroadcastFor, isGroupAddress, isLinkLocal } from "./addresses.js";
import { COPY_WINDOW, CopyTracker, type CopyChain } from "./copies.js";
import { EspTracker, type EspTunnel } from "./esp.js";
import { FlowTable, endpointText, summarizeFlow, type Flow } from "./flows.js";
import { echoOf, icmpError, type IcmpError } from "./icmp.js";
import { ClientIndex, RequestQueue, type PendingRequest } from "./pairing.js";
import { endpointAddress, newService, rejectOf, serverOf, serviceKey, splitLocal, type RejectKind, type ServiceAgg, type ServiceKey } from "./rollup.js";
import { Sampler } from "./sampling.js";
import { UnitModel, type UnitAddress } from "./unit.js";

export { quote, Sampler, type EvidenceLine } from "./sampling.js";
export { rttStats, type ServerAgg, type ServiceAgg, type RequestOutcome, type RejectKind, type RejectAgg } from "./rollup.js";
export { tcpState, datagramState } from "./flows.js";
export { isGroupAddress, isLinkLocal, isBroadcastFor } from "./addresses.js";

export interface ReplyWindows {
  udp: number;
  tcp: number;
  icmp: number;
  arp: number;
}

export const DEFAULT_WINDOWS: ReplyWindows = { udp: 2, tcp: 3, icmp: 2, arp: 2 };

/** What correlation needs to know of a service port (from the catalogue). */
export interface PortFacts {
  /** false for services that never expect a reply (syslog, SNMP traps, NetFlow, push) */
  expectsReply: boolean;
  /** a port the catalogue knows: counts as "well-known" when orienting a flow */
  known: boolean;
}

export type PortFactsLookup = (proto: string, port: number) => PortFacts | null;

/** ICMP errors (and quoted refusals) that concern no request in the capture, grouped by kind and quoted service. */
export interface UnmatchedError {
  kind: RejectKind;
  proto: string | null;
  port: number | null;
  count: number;
  /** the hosts the errors were about (a bounded list; `hostCount` counts them all) */
  hosts: string[];
  hostCount: number;
  /** the distinct hosts and senders counted (up to DISTINCT_LIMIT each; counts stop there) */
  hostSet: Set<string>;
  /** the ports quoted (two at most: one port is named even when it is a client port) */
  quotedPorts: Set<number>;
  /** who sent them (a bounded list; `reporterCount` counts them all) */
  reporters: Set<string>;
  reporterCount: number;
  reporterSet: Set<string>;
  evidence: Sampler<PacketRecord>;
}

/** Distinct hosts counted per group of unmatched ICMP errors (memory bound; the count says "at least" past it). */
const DISTINCT_LIMIT = 1_000_000;

/** Kept for callers of the earlier shape (one record per unmatched port unreachable). */
export interface UnmatchedUnreachable {
  packet: PacketRecord;
  host: string;
  proto: string;
  port: number | null;
}

/** Packets the correlator could not use, by reason, so none is dropped silently. */
export interface UnusedPackets {
  reason: "icmp-error-untied" | "esp-unreadable";
  count: number;
  evidence: Sampler<PacketRecord>;
}

/** Server-only traffic per service: replies whose requests the capture does not show. */
export interface RepliesOnly {
  proto: string;
  port: number | null;
  flows: number;
  packets: number;
  servers: Set<string>;
  evidence: Sampler<PacketRecord>;
}

export interface CaptureAnalysis {
  capture: CaptureRecord;
  packets: number;
  start: number | null;
  end: number | null;
  flows: FlowSummary[];
  services: ServiceAgg[];
  unmatchedErrors: UnmatchedError[];
  /** @deprecated the sampled packets of the unmatched port unreachables (use unmatchedErrors) */
  unmatchedUnreachables: UnmatchedUnreachable[];
  /** the unit's own addresses, with the evidence for each */
  unit: UnitAddress[];
  /** the same addresses as a set (kept for earlier callers) */
  unitAddresses: Set<string>;
  tunnels: EspTunnel[];
  unused: UnusedPackets[];
  repliesOnly: RepliesOnly[];
  /** the capture was taken on `any` with interface names, so forwarding is visible */
  seesForwarding: boolean;
  /** packet count and a hash of the packets: the same for the same capture pasted twice */
  fingerprint: string;
}

/** What the caller knows beyond the packets: addresses the user or the debug-flow traces name as the unit's. */
export interface UnitHints {
  addresses?: Iterable<string>;
}

/** Where finished flows go during the capture (see FLOW_TABLE_LIMIT); without one they are kept for `result()`. */
export type FlowSink = (flow: FlowSummary) => void;

/**
 * Live flows kept in the table. Past this many, flows idle for FLOW_IDLE seconds are finished
 * during the capture: their requests still waiting for a late reply are settled as unanswered,
 * their summary goes to the sink (or is kept for the report), and a later packet of the same
 * tuple starts a new flow (as Zeek does after its inactivity timeout, 60 s for UDP). Captures with
 * fewer live flows are judged exactly as if the whole capture were held; memory stays flat on
 * captures of any length.
 */
export const FLOW_TABLE_LIMIT = 4096;
/** Seconds without a packet after which a flow may be finished early. */
export const FLOW_IDLE = 60;
/**
 * Past this many live flows (a flood of new flows), flows idle for FLOW_IDLE_WINDOWS of the longest
 * reply window are finished too (no request of theirs can still be inside its window).
 */
export const FLOW_TABLE_HARD_LIMIT = 4 * FLOW_TABLE_LIMIT;
const FLOW_IDLE_WINDOWS = 2;
/** Flows finished per packet at most (a packet adds one flow at most, so the table shrinks back). */
const FINISH_PER_PACKET = 4;

const MAX_STEPS = 24;
/** How long after a packet arrives its egress copy shows at the latest (observed: ≤ 0.11 ms). */
export const FORWARD_WINDOW = 0.001;
const RTT_RESERVOIR = 2048;
const IKE_PORTS: ReadonlySet<number> = new Set([500, 4500]);

/** 3: a system port; 2: a port the catalogue knows; 1: a registered port; 0: ephemeral or none. */
function portRank(port: number | null, lookup: PortFactsLookup, proto: string): number {
  if (port === null) return 0;
  if (port < 1024) return 3;
  if (lookup(proto, port)?.known === true) return 2;
  return port >= 49152 ? 0 : 1;
}

export class CaptureAnalyzer {
  private readonly copies = new CopyTracker();
  private readonly flows = new FlowTable();
  private readonly services = new Map<string, ServiceAgg>();
  private readonly queue = new RequestQueue();
  private readonly byClient = new ClientIndex();
  /** per client, the latest retransmission of an attempt an ICMP error refused (one each: bounded by the clients) */
  private readonly retriedAfterError = new Map<string, { req: PendingRequest; ts: number; clients: string[] }>();
  private readonly chainRequest = new WeakMap<CopyChain, PendingRequest>();
  private readonly arpPending = new Map<string, PendingRequest[]>();
  private readonly dhcpPending: PendingRequest[] = [];
  /** last request time per service and client, to tell retries */
  private readonly lastRequest = new Map<string, number>();
  private readonly unmatched = new Map<string, UnmatchedError>();
  private readonly unused = new Map<UnusedPackets["reason"], UnusedPackets>();
  private readonly unit: UnitModel;
  private readonly esp = new EspTracker();
  private packetCount = 0;
  /** packets seen leaving after arriving (forwarded), and requests judged not forwarded */
  private forwardedCount = 0;
  private notForwardedCount = 0;
  private start: number | null = null;
  private end: number | null = null;
  private readonly capturedOnAny: boolean;
  private readonly inInterfaces = new Set<string>();
  private readonly outInterfaces = new Set<string>();
  /** server-only traffic per service, folded from flows as they finish */
  private readonly repliesOnly = new Map<string, RepliesOnly>();
  /** flows finished during the capture, when there is no sink */
  private readonly finished: FlowSummary[] = [];
  private readonly idleAfterFlood: number;
  private readonly longestWindow: number;
  /** requests seen since lastRequest and the request indexes were last swept */
  private sinceSweep = 0;

  constructor(
    private readonly capture: CaptureRecord,
    private readonly windows: ReplyWindows,
    private readonly lookup: PortFactsLookup,
    hints: UnitHints = {},
    private readonly sink: FlowSink | null = null,
  ) {
    this.capturedOnAny = capture.interfaces === "any";
    this.unit = new UnitModel(hints.addresses ?? []);
    this.longestWindow = Math.max(windows.udp, windows.tcp, windows.icmp, windows.arp);
    this.idleAfterFlood = FLOW_IDLE_WINDOWS * this.longestWindow + 1;
  }

  /**
   * Forwarding is visible on `any` (verbose 4-6), or — when the command is not in the paste —
   * when packets were seen both arriving and leaving on different interfaces.
   */
  private seesForwardingNow(): boolean {
    if (this.capture.verbose !== null && this.capture.verbose < 4) return false;
    if (this.capturedOnAny) return true;
    if (this.capture.interfaces !== null) return false;
    if (this.inInterfaces.size === 0 || this.outInterfaces.size === 0) return false;
    for (const i of this.outInterfaces) if (!this.inInterfaces.has(i)) return true;
    return this.inInterfaces.size > 1;
  }

  /** The packet left the unit without having arrived (on a capture that shows both): the unit made it. */
  private generatedByUnit(p: PacketRecord, chain: CopyChain): boolean {
    return p.dir === "out" && chain.ingress === null && this.seesForwardingNow() && (this.start === null || p.ts - this.start > COPY_WINDOW);
  }

  /** FNV-1a over what the packets say: equal for the same capture pasted twice */
  private fingerprintHash = 0x811c9dc5;

  add(p: PacketRecord): void {
    this.packetCount++;
    this.fingerprintHash = fnv1a(mixNumber(mixNumber(this.fingerprintHash, p.ts * 1e6), p.sport ?? -1), p.summary);
    if (this.start === null || p.ts < this.start) this.start = p.ts;
    if (this.end === null || p.ts > this.end) this.end = p.ts;
    if (p.dir === "in" && p.iface !== null) this.inInterfaces.add(p.iface);
    if (p.dir === "out" && p.iface !== null) this.outInterfaces.add(p.iface);
    this.queue.expire(p.ts, (r) => this.settle(r, "unanswered"));
    if (this.flows.size > FLOW_TABLE_LIMIT) this.finishIdleFlows(p.ts);
    const { chain, isCopy } = this.copies.observe(p);
    if (isCopy) {
      this.onCopy(p, chain);
      return;
    }
    this.learnUnit(p, chain);
    switch (p.proto) {
      case "tcp":
      case "udp":
      case "ip":
        this.onIp(p, chain);
        break;
      case "icmp":
      case "icmp6":
        this.onIcmp(p, chain);
        break;
      case "arp":
        this.onArp(p, chain);
        break;
      case "esp":
        if (!this.esp.add(p, this.generatedByUnit(p, chain))) this.unusedPacket("esp-unreadable", p);
        break;
      default:
        break;
    }
  }

  // ---- the unit ---------------------------------------------------------------------------------

  /** What a packet the unit sent says about its addresses. */
  private learnUnit(p: PacketRecord, chain: CopyChain): void {
    if (p.proto === "arp" && p.arp !== undefined && p.dir === "out" && chain.ingress === null) {
      // the unit asks for its neighbours from its own address, and answers for its own addresses
      if (p.arp.op === "who-has") this.unit.learn(p.arp.sender, "arp", p.line);
      else this.unit.learn(p.arp.target, "arp", p.line);
      return;
    }
    if (!this.generatedByUnit(p, chain)) return;
    if (p.proto === "esp" || ((p.proto === "udp" && p.sport !== null && IKE_PORTS.has(p.sport)) || (p.dport !== null && IKE_PORTS.has(p.dport) && p.proto === "udp"))) {
      this.unit.learn(p.src, "ike-esp", p.line);
      return;
    }
    if ((p.proto === "icmp" || p.proto === "icmp6") && p.icmp !== undefined && icmpError(p.icmp) !== null) {
      this.unit.learn(p.src, "icmp-error", p.line);
    }
  }

  // ---- flows ------------------------------------------------------------------------------------

  private onCopy(p: PacketRecord, chain: CopyChain): void {
    this.flows.onCopy(p, chain);
    if (p.dir === "out" && chain.ingress !== null) this.forwardedCount++;
    // the source a forwarded packet leaves with, when translated, is one of the unit's (interface or pool)
    if (p.dir === "out" && chain.ingress !== null && chain.snat !== null && chain.snat.address === p.src) {
      const req = this.chainRequest.get(chain);
      if (req !== undefined) {
        this.unit.learn(p.src, "snat", p.line);
        this.byClient.add(chain.snat.address, req);
      }
    }
  }

  // ---- requests -----------------------------------------------------------------------------------

  private service(k: ServiceKey): ServiceAgg {
    const key = serviceKey(k);
    let s = this.services.get(key);
    if (s === undefined) {
      s = newService(k);
      this.services.set(key, s);
    }
    return s;
  }

  private step(s: ServiceAgg, p: PacketRecord, kind: "request" | "reply" | "reject" | "missing", label?: string): void {
    if (s.steps.length >= MAX_STEPS) return;
    s.steps.push({ line: p.line, ts: p.ts, from: endpointText(p.src, p.sport), to: endpointText(p.dst, p.dport), label: label ?? p.summary, kind });
  }

  private newRequest(s: ServiceAgg, flow: Flow | null, p: PacketRecord, chain: CopyChain, window: number, client: string, server: string, lateReplies = true): PendingRequest {
    if (++this.sinceSweep > 4096 + this.lastRequest.size) this.sweep();
    this.lastRequest.set(`${s.key}|${client}`, p.ts);
    const echo = p.icmp === undefined ? null : echoOf(p.icmp);
    const req: PendingRequest = {
      service: s,
      flow,
      client,
      server,
      ts: p.ts,
      lastSentTs: p.ts,
      deadline: p.ts + window,
      window,
      packet: p,
      chain,
      state: "pending",
      lateReplies,
      seq: p.tcp?.seq ?? null,
      echoId: echo?.id ?? null,
      echoSeq: echo?.seq ?? null,
      retransmissions: 0,
      retransmitted: [],
    };
    s.requests++;
    if (s.firstRequest === null) s.firstRequest = p;
    if (p.dir === "out" && chain.ingress === null) s.sentByUnit++;
    s.clients.add(client);
    const srv = serverOf(s, server);
    srv.requests++;
    if (srv.clients.size < 16) srv.clients.add(client);
    if (isGroupAddress(server)) s.groupDestinations++;
    if (p.ts < s.firstTs) s.firstTs = p.ts;
    if (p.ts > s.lastTs) s.lastTs = p.ts;
    s.requestEvidence.push(p);
    this.step(s, p, "request");
    this.queue.push(req);
    this.byClient.add(client, req);
    this.chainRequest.set(chain, req);
    if (flow !== null) flow.pending.push(req);
    return req;
  }

  /**
   * Let go of what no open request needs, every few thousand requests (amortised O(1) a request):
   * last request times older than the longest window (at the end they only tell a retry from a
   * request still inside its window, and such a request is younger than that), settled requests
   * in the per-client, ARP and DHCP lists.
   */
  private sweep(): void {
    this.sinceSweep = 0;
    const before = (this.end ?? 0) - this.longestWindow;
    for (const [k, ts] of this.lastRequest) if (ts < before) this.lastRequest.delete(k);
    this.byClient.sweep();
    for (const [target, list] of this.arpPending) {
      const open = list.filter((r) => r.state !== "done");
      if (open.length === 0) this.arpPending.delete(target);
      else if (open.length !== list.length) this.arpPending.set(target, open);
    }
    const dhcp = this.dhcpPending.filter((r) => r.state !== "done");
    this.dhcpPending.length = 0;
    for (const r of dhcp) this.dhcpPending.push(r);
  }

  private answer(req: PendingRequest, reply: PacketRecord, replyChain: CopyChain | null): void {
    const late = reply.ts - req.lastSentTs > req.window + 1e-9;
    req.state = "done";
    const s = req.service;
    s.answered++;
    const srv = serverOf(s, req.server);
    srv.answered++;
    if (req.chain?.egress) srv.forwarded++;
    if (late) {
      s.late++;
      srv.late++;
      s.lateEvidence.push(req.packet);
      s.lateEvidence.push(reply);
    }
    const rtt = Math.max(0, reply.ts - req.lastSentTs);
    if (srv.rtts.length < RTT_RESERVOIR) srv.rtts.push(rtt);
    else srv.rtts[Math.floor((reply.line * 2654435761) % RTT_RESERVOIR)] = rtt;
    s.replyEvidence.push(reply);
    this.step(s, reply, "reply", late ? `${reply.summary} (late, after ${rtt.toFixed(3)} s)` : undefined);
    // a request that arrived and never left, answered from its destination by a packet the unit
    // generated: the destination is the unit's own address
    if (replyChain !== null && req.chain !== null && req.chain.ingress !== null && req.chain.egress === null && this.generatedByUnit(reply, replyChain) && reply.src === req.server) {
      this.unit.learn(req.server, "answer", reply.line);
    }
    this.dropPending(req);
  }

  private reject(req: PendingRequest, by: PacketRecord, kind: RejectKind, byUnit: boolean, error: IcmpError | null): void {
    req.state = "done";
    const s = req.service;
    s.rejected++;
    const srv = serverOf(s, req.server);
    srv.rejected++;
    if (req.chain?.egress) srv.forwarded++;
    const r = rejectOf(s, kind);
    r.count++;
    if (byUnit) r.byUnit++;
    if (by.src !== null) r.reporters.add(by.src);
    if (error?.mtu !== null && error?.mtu !== undefined) r.mtu = r.mtu === null ? error.mtu : Math.min(r.mtu, error.mtu);
    r.evidence.push(req.packet);
    r.evidence.push(by);
    s.rejectEvidence.push(req.packet);
    s.rejectEvidence.push(by);
    const chain = req.chain;
    if (chain?.ingress) s.ingress.add(chain.ingress);
    if (chain?.egress) s.egress.add(chain.egress);
    this.step(s, by, "reject");
    if (error !== null && req.flow !== null && req.seq !== null) req.flow.refusedSyn = req;
    this.dropPending(req);
  }

  /**
   * A request of the flow is done: it stays in `flow.pending` (every reader skips done requests)
   * until they outnumber the open ones, then the list is compacted — O(1) amortised per request,
   * where removing each from the list was O(n) (a flow of many unanswered requests was quadratic).
   */
  private dropPending(req: PendingRequest): void {
    const f = req.flow;
    if (f === null) return;
    f.pendingDone++;
    if (f.pendingDone === f.pending.length) {
      f.pending.length = 0;
      f.pendingDone = 0;
    } else if (f.pendingDone >= 16 && f.pendingDone * 2 > f.pending.length) {
      let k = 0;
      for (const r of f.pending) if (r.state !== "done") f.pending[k++] = r;
      f.pending.length = k;
      f.pendingDone = 0;
    }
  }

  /** Whether the request arrived on an interface and was never seen leaving another (capture on `any`). */
  private notForwarded(req: PendingRequest, outcome: "unanswered" | "inconclusive"): boolean {
    const chain = req.chain;
    // the last packet of a paste could still have had its egress copy printed after it, unless the
    // unit forwarded nothing at all while dropping other requests (several independent requests
    // arriving and never leaving tell the same story)
    const tailJudged = (this.end ?? req.ts) - req.ts > FORWARD_WINDOW || (this.notForwardedCount > 0 && this.forwardedCount === 0);
    return (
      this.seesForwardingNow() &&
      (outcome === "unanswered" || tailJudged) &&
      chain !== null &&
      chain.ingress !== null &&
      chain.egress === null &&
      !isGroupAddress(req.server) &&
      !isLinkLocal(req.server)
    );
  }

  private settle(req: PendingRequest, outcome: "unanswered" | "inconclusive"): void {
    req.state = "done";
    const s = req.service;
    const srv = serverOf(s, req.server);
    const chain = req.chain;
    if (chain?.ingress) s.ingress.add(chain.ingress);
    if (chain?.egress) {
      s.egress.add(chain.egress);
      srv.forwarded++;
    }
    if (this.notForwarded(req, outcome) && chain?.ingress) {
      this.notForwardedCount++;
      s.notForwarded++;
      srv.notForwarded++;
      s.notForwardedIngress.add(chain.ingress);
      srv.notForwardedIngress.add(chain.ingress);
      s.notForwardedEvidence.push(req.packet);
      for (const r of req.retransmitted) s.notForwardedEvidence.push(r);
    }
    if (outcome === "unanswered") {
      s.unanswered++;
      srv.unanswered++;
    } else {
      s.inconclusive++;
      srv.inconclusive++;
    }
    s.unansweredEvidence.push(req.packet);
    srv.silentEvidence.push(req.packet);
    for (const r of req.retransmitted) s.unansweredEvidence.push(r);
    this.step(s, req.packet, "missing", "no reply");
    this.dropPending(req);
  }

  /** The request a reply answers: on time first (the oldest waiting), else the latest overdue one sent before it. */
  private replyTarget(flow: Flow, p: PacketRecord, accept: (r: PendingRequest) => boolean = () => true): PendingRequest | undefined {
    let late: PendingRequest | undefined;
    for (const r of flow.pending) {
      if (r.state === "done" || p.ts < r.ts || !accept(r)) continue;
      if (r.state === "pending" && p.ts - r.lastSentTs <= r.window + 1e-9) return r;
      if (r.lateReplies && (late === undefined || r.lastSentTs > late.lastSentTs)) late = r;
    }
    return late;
  }

  // ---- per protocol ----------------------------------------------------------------------------------

  /** Who spoke first is the client, unless the ports say otherwise: a system port outranks a catalogue port, which outranks an ephemeral one. */
  private clientIsSrc(p: PacketRecord): boolean {
    if (p.proto === "tcp") {
      const flags = p.tcp?.flags ?? [];
      if (flags.includes("syn")) return !flags.includes("ack");
    }
    if (p.proto !== "tcp" && p.proto !== "udp") return true;
    return portRank(p.sport, this.lookup, p.proto) <= portRank(p.dport, this.lookup, p.proto);
  }

  private onIp(p: PacketRecord, chain: CopyChain): void {
    if (p.proto === "udp" && this.onDhcp(p, chain)) return;
    const { flow, fromClient } = this.flows.findOrCreate(p, this.clientIsSrc(p));
    if (flow.toServer.packets + flow.toClient.packets === 0 && p.proto === "tcp" && !(p.tcp?.flags.includes("syn") ?? false)) flow.midstream = true;
    this.flows.count(flow, p, fromClient);
    if (p.proto === "tcp") this.onTcp(flow, p, chain, fromClient);
    else this.onDatagram(flow, p, chain, fromClient);
  }

  /** DHCP: a client's broadcast discover/request is answered by any server's offer/ack to port 68. */
  private onDhcp(p: PacketRecord, chain: CopyChain): boolean {
    if (p.sport === 68 && p.dport === 67 && p.dst !== null && (isGroupAddress(p.dst) || p.dst.endsWith(".255"))) {
      const s = this.service({ proto: "udp", port: 67, dhcp: true });
      this.dhcpPending.push(this.newRequest(s, null, p, chain, this.windows.udp, p.src ?? "0.0.0.0", p.dst));
      return true;
    }
    if (p.sport === 67 && p.dport === 68) {
      const req = this.dhcpPending.find((r) => r.state !== "done" && p.ts >= r.ts);
      if (req === undefined) return false;
      this.answer(req, p, chain);
      const open = this.dhcpPending.filter((r) => r.state !== "done");
      this.dhcpPending.length = 0;
      for (const r of open) this.dhcpPending.push(r);
      return true;
    }
    return false;
  }

  private onDatagram(flow: Flow, p: PacketRecord, chain: CopyChain, fromClient: boolean): void {
    const proto = p.proto === "ip" ? "ip" : "udp";
    const port = p.proto === "ip" ? (p.ipProto ?? null) : flow.serverPort;
    if (proto === "ip") {
      // routing and other peer protocols have no request/reply: every packet is looked at for
      // forwarding only
      const dst = p.dst ?? "?";
      this.newRequest(this.service({ proto, port, group: isGroupAddress(dst) }), null, p, chain, this.windows.udp, p.src ?? "?", dst, false);
      return;
    }
    if (fromClient) {
      // NAT-T keepalives (one byte to UDP/4500) expect nothing back
      const keepalive = port === 4500 && p.length === 1;
      const s = this.service({ proto, port, group: isBroadcastFor(proto, port, flow.server), noReply: keepalive ? "keepalive" : null });
      this.newRequest(s, flow, p, chain, this.windows.udp, flow.client, flow.server, !keepalive);
      return;
    }
    const req = this.replyTarget(flow, p, (r) => r.service.noReply === null);
    if (req !== undefined) this.answer(req, p, chain);
  }

  private onTcp(flow: Flow, p: PacketRecord, chain: CopyChain, fromClient: boolean): void {
    const flags = p.tcp?.flags ?? [];
    const syn = flags.includes("syn");
    const ack = flags.includes("ack");
    const rst = flags.includes("rst");
    const fin = flags.includes("fin");
    if (fromClient) {
      if (syn && !ack) flow.synOrig = true;
      if (fin) flow.finOrig = true;
      if (rst) flow.rstOrig = true;
    } else {
      if (syn && ack) flow.synAckResp = true;
      if (fin) flow.finResp = true;
      if (rst) flow.rstResp = true;
    }
    const s = this.service({ proto: "tcp", port: flow.serverPort });
    if (fromClient && syn && !ack) {
      const seq = p.tcp?.seq ?? null;
      if (seq !== null && flow.lastSynSeq === seq) {
        // a retransmitted SYN belongs to the same attempt, even after its window has passed
        const again = flow.pending.find((r) => r.state !== "done" && r.seq === seq);
        if (again === undefined) {
          const refused = flow.refusedSyn;
          if (refused !== null && refused.seq === seq) {
            // TCP tries again after an ICMP error (a soft error, RFC 1122 4.2.3.9): still the same
            // attempt, and the next error the router sends is about this retransmission
            refused.retransmissions++;
            // behind SNAT the error comes back to the translated address (the session keeps it)
            const snat = refused.chain?.snat?.address;
            const retry = { req: refused, ts: p.ts, clients: snat === undefined || snat === flow.client ? [flow.client] : [flow.client, snat] };
            for (const c of retry.clients) this.retriedAfterError.set(c, retry);
            s.requestEvidence.push(p);
            this.step(s, p, "request", `${p.summary} (retransmission)`);
            return;
          }
          s.unansweredEvidence.push(p);
          return;
        }
        again.retransmissions++;
        if (again.retransmitted.length < 4) again.retransmitted.push(p);
        again.lastSentTs = p.ts;
        again.deadline = p.ts + again.window;
        if (again.state === "overdue") this.queue.reopen(again);
        s.requestEvidence.push(p);
        this.step(s, p, "request", `${p.summary} (retransmission)`);
        return;
      }
      flow.lastSynSeq = seq;
      this.newRequest(s, flow, p, chain, this.windows.tcp, flow.client, flow.server);
      return;
    }
    if (!fromClient) {
      if (!(syn && ack) && !rst) return;
      const pending = this.replyTarget(flow, p);
      if (pending === undefined) return;
      if (syn && ack) this.answer(pending, p, chain);
      else this.reject(pending, p, "tcp-rst", this.refusedByUnit(pending, p, chain), null);
      return;
    }
    if (flow.midstream && flow.firstClientPacket === null) flow.firstClientPacket = p;
  }

  /**
   * The unit refused the request itself: the refusal went back out of the interface the request came
   * in on, generated by the unit (no ingress copy), while the request never left.
   */
  private refusedByUnit(req: PendingRequest, by: PacketRecord, byChain: CopyChain): boolean {
    const chain = req.chain;
    if (chain === null || chain.ingress === null || chain.egress !== null) return false;
    // (no start-of-capture guard here: the request's own ingress copy is in the capture)
    return by.dir === "out" && byChain.ingress === null && this.seesForwardingNow() && by.iface === chain.ingress;
  }

  private onIcmp(p: PacketRecord, chain: CopyChain): void {
    const icmp = p.icmp;
    if (icmp === undefined) return;
    const error = icmpError(icmp);
    if (error !== null) {
      this.onIcmpError(p, chain, error);
      return;
    }
    const echo = echoOf(icmp);
    if (echo === null) return;
    const { flow, fromClient } = this.flows.findOrCreate(p, echo.kind === "echo-request");
    this.flows.count(flow, p, fromClient);
    const s = this.service({ proto: p.proto, port: null, group: isGroupAddress(flow.server) });
    if (echo.kind === "echo-request") {
      if (!fromClient) return;
      this.newRequest(s, flow, p, chain, this.windows.icmp, flow.client, flow.server);
      return;
    }
    if (fromClient) return;
    // by id and sequence number where printed; without them, the most recent request waiting
    const numbered = flow.pending.find(
      (r) => r.state !== "done" && echo.seq !== null && r.echoSeq === echo.seq && (echo.id === null || r.echoId === null || r.echoId === echo.id) && p.ts >= r.ts,
    );
    if (numbered !== undefined) {
      this.answer(numbered, p, chain);
      return;
    }
    let latest: PendingRequest | undefined;
    for (const r of flow.pending) {
      if (r.state !== "pending" || p.ts < r.ts || p.ts - r.lastSentTs > r.window + 1e-9) continue;
      if (echo.seq !== null && r.echoSeq !== null) continue;
      if (latest === undefined || r.ts > latest.ts) latest = r;
    }
    if (latest === undefined) latest = this.replyTarget(flow, p, (r) => echo.seq === null || r.echoSeq === null);
    if (latest !== undefined) this.answer(latest, p, chain);
  }

  /**
   * An ICMP error goes to the sender of the packet it concerns: tie it to that client's waiting
   * requests to the host it names (exact addresses; any protocol when no port is quoted).
   */
  private onIcmpError(p: PacketRecord, chain: CopyChain, error: IcmpError): void {
    const client = p.dst;
    if (client === null) return;
    const kind: RejectKind = error.kind;
    const candidates = this.byClient.open(client).filter((r) => {
      if (p.ts < r.ts || p.ts - r.lastSentTs > r.window + 1e-9) return false;
      if (r.service.noReply !== null || r.service.group) return false;
      if (error.host !== null && r.server !== error.host && !dnatAddressIs(r.flow, error.host)) return false;
      if (error.port !== null) return r.service.port === error.port && r.service.proto === error.proto;
      if (error.kind === "protocol-unreachable" && error.proto !== null) return r.service.proto === error.proto;
      return true;
    });
    // without a host (time exceeded at verbose 4), only a single destination is unambiguous
    const servers = new Set(candidates.map((r) => r.server));
    if (candidates.length > 0 && (error.host !== null || servers.size === 1)) {
      for (const r of candidates) {
        const byUnit = this.unit.has(p.src) || this.refusedByUnit(r, p, chain) || (this.generatedByUnit(p, chain) && p.src !== r.server);
        this.reject(r, p, kind, byUnit, error);
      }
      return;
    }
    if (error.kind === "port-unreachable" && error.port !== null && error.host !== null && error.proto !== null && (error.proto === "udp" || error.proto === "tcp")) {
      const known = error.port < 49152 ? this.lookup(error.proto, error.port) : null;
      if (known !== null) {
        // the refused request is not in the capture, but the port names a service: count it there
        const s = this.service({ proto: error.proto, port: error.port });
        const quoted: PacketRecord = { ...p, src: client, sport: null, dst: error.host, dport: error.port, summary: `${error.proto} to port ${error.port} (quoted by the ICMP unreachable)` };
        const req = this.newRequest(s, null, quoted, { ...chain, first: p, last: p }, 0, client, error.host, false);
        this.reject(req, p, kind, this.unit.has(p.src), error);
        return;
      }
    }
    // an error about the retransmission of an attempt that an error already refused is that
    // attempt's (counted once), not an error nobody waits for
    const retried = this.retriedAfterError.get(client);
    if (retried !== undefined && p.ts >= retried.ts && p.ts - retried.ts <= retried.req.window + 1e-9 && (error.host === null || error.host === retried.req.server || dnatAddressIs(retried.req.flow, error.host))) {
      const rj = retried.req.service.rejects.get(kind);
      if (rj !== undefined) {
        for (const c of retried.clients) if (this.retriedAfterError.get(c) === retried) this.retriedAfterError.delete(c);
        if (p.src !== null) rj.reporters.add(p.src);
        rj.evidence.push(p);
        return;
      }
    }
    // one group per kind and quoted service: client ports (high, unknown to the catalogue) are one
    // group, so 150k unreachables for closed client ports are one finding with a count
    const servicePort = error.port !== null && error.proto !== null && (error.port < 1024 || this.lookup(error.proto, error.port) !== null) ? error.port : null;
    const key = `${kind}|${error.proto ?? ""}|${servicePort ?? ""}`;
    let u = this.unmatched.get(key);
    if (u === undefined) {
      u = { kind, proto: error.proto, port: servicePort, count: 0, hosts: [], hostCount: 0, hostSet: new Set(), quotedPorts: new Set(), reporters: new Set(), reporterCount: 0, reporterSet: new Set(), evidence: new Sampler(3, 1) };
      this.unmatched.set(key, u);
    }
    u.count++;
    if (error.port !== null && u.quotedPorts.size < 2) u.quotedPorts.add(error.port);
    if (error.host !== null && u.hostSet.size < DISTINCT_LIMIT && !u.hostSet.has(error.host)) {
      u.hostSet.add(error.host);
      u.hostCount++;
      if (u.hosts.length < 16) u.hosts.push(error.host);
    }
    if (p.src !== null && u.reporterSet.size < DISTINCT_LIMIT && !u.reporterSet.has(p.src)) {
      u.reporterSet.add(p.src);
      u.reporterCount++;
      if (u.reporters.size < 16) u.reporters.add(p.src);
    }
    u.evidence.push(p);
  }

  private unusedPacket(reason: UnusedPackets["reason"], p: PacketRecord): void {
    let u = this.unused.get(reason);
    if (u === undefined) {
      u = { reason, count: 0, evidence: new Sampler(3, 1) };
      this.unused.set(reason, u);
    }
    u.count++;
    u.evidence.push(p);
  }

  private onArp(p: PacketRecord, chain: CopyChain): void {
    const arp = p.arp;
    if (arp === undefined) return;
    if (arp.op === "who-has") {
      // gratuitous ARP (asking for its own address) announces; it expects no answer
      if (arp.sender !== null && arp.sender === arp.target) {
        this.newRequest(this.service({ proto: "arp", port: null, noReply: "gratuitous-arp" }), null, p, chain, this.windows.arp, arp.sender, arp.target, false);
        return;
      }
      // only the unit's own requests make a request: sent out, or asked from a unit address
      const own = p.dir === "out" || (arp.sender !== null && this.unit.has(arp.sender));
      if (!own) return;
      const req = this.newRequest(this.service({ proto: "arp", port: null }), null, p, chain, this.windows.arp, arp.sender ?? "?", arp.target);
      const list = this.arpPending.get(arp.target);
      if (list === undefined) this.arpPending.set(arp.target, [req]);
      else list.push(req);
      return;
    }
    const list = this.arpPending.get(arp.target);
    if (list === undefined) return;
    let req: PendingRequest | undefined;
    for (const r of list) {
      if (r.state === "done" || p.ts < r.ts) continue;
      if (r.state === "pending" && p.ts - r.lastSentTs <= r.window) {
        req = r;
        break;
      }
      if (req === undefined || r.ts > req.ts) req = r;
    }
    if (req !== undefined) this.answer(req, p, chain);
    const open = list.filter((r) => r.state !== "done");
    if (open.length === 0) this.arpPending.delete(arp.target);
    else this.arpPending.set(arp.target, open);
  }

  /** The services as counted so far, read-only, for a live view; requests still in their window are neither answered nor unanswered yet. */
  servicesSoFar(): readonly ServiceAgg[] {
    return [...this.services.values()];
  }

  // ---- the end ------------------------------------------------------------------------------------

  /**
   * The capture is over: settle the requests still waiting (timed out or inconclusive), keep the
   * traffic to the unit's own addresses apart, and sum up. `hints` adds what only the whole input
   * knows (debug-flow traces naming local delivery).
   */
  result(hints: UnitHints = {}): CaptureAnalysis {
    for (const a of hints.addresses ?? []) this.unit.learn(a, "trace-local", null);
    const end = this.end ?? 0;
    for (const req of this.queue.open()) {
      if (req.state === "overdue") {
        this.settle(req, "unanswered");
        continue;
      }
      // timed out when the capture went on past the window, or the client tried again: a later
      // request to the same service after waiting at least half the window (requests to several
      // servers at once are not retries of each other)
      const retried = (this.lastRequest.get(`${req.service.key}|${req.client}`) ?? -Infinity) >= req.ts + req.window / 2;
      this.settle(req, req.deadline <= end || retried ? "unanswered" : "inconclusive");
    }
    const live = this.flows.inOrder();
    for (const flow of live) this.foldFlow(flow);
    const services: ServiceAgg[] = [];
    for (const s of this.services.values()) {
      const local = splitLocal(s, (a) => this.unit.has(a) && this.notForwardedOnly(s, a));
      if (s.requests > 0) services.push(s);
      if (local !== null) services.push(local);
    }
    const flows = this.finished;
    for (const f of live) flows.push(summarizeFlow(f, this.capture.source, this.capture.index));
    const unit = this.unit.addresses();
    return {
      capture: this.capture,
      packets: this.packetCount,
      start: this.start,
      end: this.end,
      flows,
      services,
      unmatchedErrors: [...this.unmatched.values()],
      unmatchedUnreachables: [...this.unmatched.values()].flatMap((u) =>
        u.kind === "port-unreachable" ? u.evidence.items().map((p) => ({ packet: p, host: p.icmp?.unreachable?.host ?? "?", proto: u.proto ?? "?", port: u.port })) : [],
      ),
      unit,
      unitAddresses: new Set(unit.map((u) => u.address)),
      tunnels: this.esp.result(),
      unused: [...this.unused.values()],
      repliesOnly: [...this.repliesOnly.values()],
      seesForwarding: this.seesForwardingNow(),
      fingerprint: `${this.packetCount}:${(this.fingerprintHash >>> 0).toString(16)}`,
    };
  }

  /** What a flow adds to the services once it is over: an exchange of an established connection, or replies without their requests. */
  private foldFlow(flow: Flow): void {
    if (flow.proto === "tcp" && flow.midstream && !flow.synOrig) this.establishedExchange(flow);
    if ((flow.proto === "tcp" || flow.proto === "udp") && flow.toServer.packets === 0 && flow.toClient.packets > 0 && !(flow.proto === "tcp" && flow.synAckResp)) {
      const key = `${flow.proto}|${flow.serverPort ?? ""}`;
      let r = this.repliesOnly.get(key);
      if (r === undefined) {
        r = { proto: flow.proto, port: flow.serverPort, flows: 0, packets: 0, servers: new Set(), evidence: new Sampler(2, 1) };
        this.repliesOnly.set(key, r);
      }
      r.flows++;
      r.packets += flow.toClient.packets;
      if (r.servers.size < 16) r.servers.add(flow.server);
      if (flow.firstServerPacket !== null) r.evidence.push(flow.firstServerPacket);
    }
  }

  /** The table is full: finish a few flows idle for long enough (FLOW_TABLE_LIMIT). */
  private finishIdleFlows(now: number): void {
    const idle: Flow[] = [];
    const idleFor = this.flows.size > FLOW_TABLE_HARD_LIMIT ? Math.min(FLOW_IDLE, this.idleAfterFlood) : Math.max(FLOW_IDLE, this.idleAfterFlood);
    this.flows.takeIdle(now - idleFor, FINISH_PER_PACKET, idle);
    for (const flow of idle) {
      // its requests' windows are over: those still waiting for a late reply get none
      for (const r of flow.pending) if (r.state !== "done") this.settle(r, "unanswered");
      this.foldFlow(flow);
      const summary = summarizeFlow(flow, this.capture.source, this.capture.index);
      if (this.sink !== null) this.sink(summary);
      else this.finished.push(summary);
    }
  }

  /** Requests to `address` were never seen forwarded (a VIP on an interface address is transit, not local-in). */
  private notForwardedOnly(s: ServiceAgg, address: string): boolean {
    const v = s.servers.get(address);
    return v !== undefined && v.forwarded === 0;
  }

  /**
   * A TCP connection already open when the capture started: one exchange of an established
   * connection (never a connection attempt); answered when both sides were heard.
   */
  private establishedExchange(flow: Flow): void {
    const first = flow.firstClientPacket ?? flow.firstServerPacket;
    if (first === null) return;
    if (flow.firstClientPacket === null) return; // server side only: counted with the replies whose requests are not shown
    const s = this.service({ proto: "tcp", port: flow.serverPort, established: true });
    s.requests++;
    s.clients.add(flow.client);
    const srv = serverOf(s, flow.server);
    srv.requests++;
    if (s.firstRequest === null) s.firstRequest = first;
    if (first.ts < s.firstTs) s.firstTs = first.ts;
    if (first.ts > s.lastTs) s.lastTs = first.ts;
    s.requestEvidence.push(first);
    for (const i of flow.interfaces) s.ingress.add(i);
    if (flow.toClient.packets > 0) {
      s.answered++;
      srv.answered++;
      s.bothSides++;
      if (flow.firstServerPacket !== null) s.replyEvidence.push(flow.firstServerPacket);
    } else {
      s.inconclusive++;
      srv.inconclusive++;
      s.unansweredEvidence.push(first);
      srv.silentEvidence.push(first);
    }
  }
}

function dnatAddressIs(flow: Flow | null, host: string): boolean {
  return flow !== null && flow.dnat !== null && endpointAddress(flow.dnat) === host;
}

/** Fold a number into an FNV-style hash (its low and high 32 bits). */
function mixNumber(hash: number, n: number): number {
  const lo = n | 0;
  const hi = (n / 4294967296) | 0;
  return Math.imul(Math.imul(hash ^ lo, 0x01000193) ^ hi, 0x01000193);
}

function fnv1a(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}
