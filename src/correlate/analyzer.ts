/**
 * Correlation of one capture's packets (PRODUCT.md "Semantics"): copies of one packet on `any`
 * counted once; bidirectional flows with client/server orientation and a Zeek-style state;
 * every request paired with its reply, refusal or nothing; requests rolled up per service.
 *
 * Streaming: requests wait in a pending list only for their reply window; afterwards they are
 * folded into per-service counters and a few evidence samples, so memory follows the live flows.
 */
import type { CaptureRecord, PacketRecord } from "../records.js";
import type { ExchangeStep, FlowState, FlowSummary, RttStats } from "../report.js";
import { renderHeader } from "../format/header.js";
import { isGroupAddress, isLinkLocal } from "../net/index.js";
import { CopyTracker, type CopyChain } from "./copies.js";

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

export type RequestOutcome = "answered" | "rejected" | "unanswered" | "inconclusive";

export interface EvidenceLine {
  line: number;
  text: string;
}

/** Keeps the first few and the last few items pushed, in order. */
/** Evidence lines for sampled packets, rendered only when a verdict quotes them. */
export function quote(packets: readonly PacketRecord[]): EvidenceLine[] {
  return packets.map((p) => ({ line: p.line, text: renderHeader(p) }));
}

export class Sampler<T> {
  readonly head: T[] = [];
  private tail: T[] = [];
  total = 0;
  constructor(private readonly keepFirst = 3, private readonly keepLast = 2) {}
  push(item: T): void {
    this.total++;
    if (this.head.length < this.keepFirst) {
      this.head.push(item);
      return;
    }
    this.tail.push(item);
    if (this.tail.length > this.keepLast) this.tail.shift();
  }
  items(): T[] {
    return [...this.head, ...this.tail];
  }
}

export interface ServerAgg {
  address: string;
  requests: number;
  answered: number;
  rejected: number;
  unanswered: number;
  inconclusive: number;
  rtts: number[];
}

export interface ServiceAgg {
  key: string;
  proto: string;
  port: number | null;
  requests: number;
  answered: number;
  unanswered: number;
  rejected: number;
  inconclusive: number;
  notForwarded: number;
  /** requests to multicast or broadcast destinations */
  groupDestinations: number;
  /** this service holds the requests to multicast/broadcast destinations (kept apart from unicast) */
  group: boolean;
  servers: Map<string, ServerAgg>;
  clients: Set<string>;
  requestEvidence: Sampler<PacketRecord>;
  unansweredEvidence: Sampler<PacketRecord>;
  replyEvidence: Sampler<PacketRecord>;
  rejectEvidence: Sampler<PacketRecord>;
  /** how the silent requests were seen: interfaces they arrived on and left by */
  ingress: Set<string>;
  egress: Set<string>;
  notForwardedIngress: Set<string>;
  notForwardedEvidence: Sampler<PacketRecord>;
  rejectKinds: Set<"tcp-rst" | "icmp-unreachable">;
  /** requests first seen leaving the unit (`out` with no ingress copy): the unit's own */
  sentByUnit: number;
  /** the first request, to ask whether the capture filter could have shown its reply */
  firstRequest: PacketRecord | null;
  steps: ExchangeStep[];
  firstTs: number;
  lastTs: number;
}

interface Request {
  service: ServiceAgg;
  flow: Flow | null;
  client: string;
  server: string;
  ts: number;
  lastSentTs: number;
  deadline: number;
  window: number;
  packet: PacketRecord;
  chain: CopyChain | null;
  outcome: RequestOutcome | null;
  /** TCP: the SYN's sequence number (retransmissions keep it) */
  seq: number | null;
  /** ICMP echo sequence number when printed */
  echoSeq: number | null;
  retransmissions: number;
  /** its retransmissions (a few), quoted with it as evidence */
  retransmitted: PacketRecord[];
}

interface Flow {
  key: string;
  proto: string;
  client: string;
  clientPort: number | null;
  server: string;
  serverPort: number | null;
  /** interfaces seen (a short list: an array costs far less than a Set per flow) */
  interfaces: string[];
  /** ingress → egress interface pairs of the packets the unit forwarded (from their copies on `any`) */
  hops: { ingress: string; egress: string }[];
  toServer: { packets: number; bytes: number };
  toClient: { packets: number; bytes: number };
  start: number;
  end: number;
  firstLine: number;
  lastLine: number;
  pending: Request[];
  // TCP state flags
  synOrig: boolean;
  synAckResp: boolean;
  finOrig: boolean;
  finResp: boolean;
  rstOrig: boolean;
  rstResp: boolean;
  midstream: boolean;
  /** for connections already open when the capture started: the client's first packet */
  firstClientPacket: PacketRecord | null;
  /** TCP: the latest connection attempt's SYN sequence number, to fold retransmissions into it */
  lastSynSeq: number | null;
  snat: string | null;
  dnat: string | null;
}

export interface UnmatchedUnreachable {
  packet: PacketRecord;
  host: string;
  proto: string;
  port: number | null;
}

export interface CaptureAnalysis {
  capture: CaptureRecord;
  packets: number;
  start: number | null;
  end: number | null;
  flows: FlowSummary[];
  services: ServiceAgg[];
  unmatchedUnreachables: UnmatchedUnreachable[];
  /** addresses the unit itself sent from (packets that left without having arrived) */
  unitAddresses: Set<string>;
  /** the capture was taken on `any` with interface names, so forwarding is visible */
  seesForwarding: boolean;
  /** packet count and a hash of the packets: the same for the same capture pasted twice */
  fingerprint: string;
}

const MAX_STEPS = 24;
/** How long after a packet arrives its egress copy shows at the latest (observed: ≤ 0.11 ms). */
export const FORWARD_WINDOW = 0.001;
const RTT_RESERVOIR = 2048;

export { isGroupAddress, isLinkLocal };

function isWellKnown(port: number | null, lookup: PortFactsLookup, proto: string): boolean {
  if (port === null) return false;
  return port < 1024 || lookup(proto, port)?.known === true;
}

export class CaptureAnalyzer {
  private readonly copies = new CopyTracker();
  private readonly flows = new Map<string, Flow>();
  private readonly aliases = new Map<string, Flow>();
  private readonly services = new Map<string, ServiceAgg>();
  private queue: Request[] = [];
  private queueHead = 0;
  private readonly arpPending = new Map<string, Request[]>();
  /** last request time per service and client, to tell retries */
  private readonly lastRequest = new Map<string, number>();
  private readonly unmatched: UnmatchedUnreachable[] = [];
  private readonly unitAddresses = new Set<string>();
  private readonly flowSummaries: FlowSummary[] = [];
  private packetCount = 0;
  private start: number | null = null;
  private end: number | null = null;
  private readonly capturedOnAny: boolean;
  private readonly inInterfaces = new Set<string>();
  private readonly outInterfaces = new Set<string>();

  constructor(
    private readonly capture: CaptureRecord,
    private readonly windows: ReplyWindows,
    private readonly lookup: PortFactsLookup,
  ) {
    this.capturedOnAny = capture.interfaces === "any";
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
    return [...this.outInterfaces].some((i) => !this.inInterfaces.has(i)) || this.inInterfaces.size > 1;
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
    this.expire(p.ts);
    const { chain, isCopy } = this.copies.observe(p);
    if (isCopy) {
      this.onCopy(p, chain);
      return;
    }
    if (p.dir === "out" && p.src !== null) this.unitAddresses.add(p.src);
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
      default:
        break;
    }
  }

  // ---- flows ------------------------------------------------------------------------------------

  private flowKey(proto: string, a: string, ap: number | null, b: string, bp: number | null): string {
    const x = `${a}|${ap ?? ""}`;
    const y = `${b}|${bp ?? ""}`;
    return x < y ? `${proto}|${x}|${y}` : `${proto}|${y}|${x}`;
  }

  private protoKey(p: PacketRecord): string {
    return p.proto === "ip" ? `ip-${p.ipProto ?? "?"}` : p.proto === "icmp6" ? "icmp6" : p.proto;
  }

  private findOrCreateFlow(p: PacketRecord, clientIsSrc: boolean): { flow: Flow; fromClient: boolean } {
    const src = p.src ?? "?";
    const dst = p.dst ?? "?";
    const key = this.flowKey(this.protoKey(p), src, p.sport, dst, p.dport);
    const existing = this.flows.get(key) ?? this.aliases.get(key);
    if (existing !== undefined) {
      const fromClient = existing.client === src && existing.clientPort === p.sport ? true : existing.server === src && existing.serverPort === p.sport ? false : existing.client !== dst;
      return { flow: existing, fromClient };
    }
    const flow: Flow = {
      key,
      proto: p.proto,
      client: clientIsSrc ? src : dst,
      clientPort: clientIsSrc ? p.sport : p.dport,
      server: clientIsSrc ? dst : src,
      serverPort: clientIsSrc ? p.dport : p.sport,
      interfaces: [],
      hops: [],
      toServer: { packets: 0, bytes: 0 },
      toClient: { packets: 0, bytes: 0 },
      start: p.ts,
      end: p.ts,
      firstLine: p.line,
      lastLine: p.line,
      pending: [],
      synOrig: false,
      synAckResp: false,
      finOrig: false,
      finResp: false,
      rstOrig: false,
      rstResp: false,
      midstream: false,
      firstClientPacket: null,
      lastSynSeq: null,
      snat: null,
      dnat: null,
    };
    this.flows.set(key, flow);
    return { flow, fromClient: clientIsSrc };
  }

  private count(flow: Flow, p: PacketRecord, fromClient: boolean): void {
    const dir = fromClient ? flow.toServer : flow.toClient;
    dir.packets++;
    dir.bytes += p.length ?? (p.bytes !== null ? p.bytes.length / 2 : 0);
    if (p.ts > flow.end) flow.end = p.ts;
    flow.lastLine = p.line;
    if (p.iface !== null && !flow.interfaces.includes(p.iface)) flow.interfaces.push(p.iface);
  }

  private onCopy(p: PacketRecord, chain: CopyChain): void {
    if (p.iface === null) return;
    const first = chain.first;
    const key = this.flowKey(this.protoKey(first), first.src ?? "?", first.sport, first.dst ?? "?", first.dport);
    const flow = this.flows.get(key) ?? this.aliases.get(key);
    if (flow === undefined) return;
    if (!flow.interfaces.includes(p.iface)) flow.interfaces.push(p.iface);
    flow.lastLine = Math.max(flow.lastLine, p.line);
    if (p.dir === "out" && chain.ingress !== null && chain.ingress !== p.iface && flow.hops.length < 8) {
      const ingress = chain.ingress;
      if (!flow.hops.some((h) => h.ingress === ingress && h.egress === p.iface)) flow.hops.push({ ingress, egress: p.iface });
    }
    // a translated copy: replies will come back to the translated tuple
    if (p.src !== first.src || p.sport !== first.sport || p.dst !== first.dst || p.dport !== first.dport) {
      const alias = this.flowKey(this.protoKey(p), p.src ?? "?", p.sport, p.dst ?? "?", p.dport);
      if (!this.flows.has(alias)) this.aliases.set(alias, flow);
      const fromClient = first.src === flow.client;
      if (fromClient) {
        if (p.src !== first.src || p.sport !== first.sport) flow.snat = endpointText(p.src, p.sport);
        if (p.dst !== first.dst || p.dport !== first.dport) flow.dnat = endpointText(p.dst, p.dport);
      }
    }
  }

  // ---- requests -----------------------------------------------------------------------------------

  private service(proto: string, port: number | null, group = false): ServiceAgg {
    const key = `${proto}|${port ?? ""}${group ? "|group" : ""}`;
    let s = this.services.get(key);
    if (s === undefined) {
      s = {
        key,
        proto,
        port,
        requests: 0,
        answered: 0,
        unanswered: 0,
        rejected: 0,
        inconclusive: 0,
        notForwarded: 0,
        groupDestinations: 0,
        group,
        servers: new Map(),
        clients: new Set(),
        requestEvidence: new Sampler(3, 2),
        unansweredEvidence: new Sampler(3, 2),
        replyEvidence: new Sampler(2, 1),
        rejectEvidence: new Sampler(3, 1),
        ingress: new Set(),
        egress: new Set(),
        notForwardedIngress: new Set(),
        notForwardedEvidence: new Sampler(3, 2),
        rejectKinds: new Set(),
        sentByUnit: 0,
        firstRequest: null,
        steps: [],
        firstTs: Infinity,
        lastTs: -Infinity,
      };
      this.services.set(key, s);
    }
    return s;
  }

  private server(s: ServiceAgg, address: string): ServerAgg {
    let a = s.servers.get(address);
    if (a === undefined) {
      a = { address, requests: 0, answered: 0, rejected: 0, unanswered: 0, inconclusive: 0, rtts: [] };
      s.servers.set(address, a);
    }
    return a;
  }

  private step(s: ServiceAgg, p: PacketRecord, kind: ExchangeStep["kind"], label?: string): void {
    if (s.steps.length >= MAX_STEPS) return;
    s.steps.push({
      line: p.line,
      ts: p.ts,
      from: endpointText(p.src, p.sport),
      to: endpointText(p.dst, p.dport),
      label: label ?? p.summary,
      kind,
    });
  }

  private newRequest(s: ServiceAgg, flow: Flow | null, p: PacketRecord, chain: CopyChain, window: number, client: string, server: string): Request {
    this.lastRequest.set(`${s.key}|${client}`, p.ts);
    const req: Request = {
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
      outcome: null,
      seq: p.tcp?.seq ?? null,
      echoSeq: p.icmp?.seq ?? null,
      retransmissions: 0,
      retransmitted: [],
    };
    s.requests++;
    if (s.firstRequest === null) s.firstRequest = p;
    if (p.dir === "out") s.sentByUnit++;
    s.clients.add(client);
    this.server(s, server).requests++;
    if (isGroupAddress(server)) s.groupDestinations++;
    if (p.ts < s.firstTs) s.firstTs = p.ts;
    if (p.ts > s.lastTs) s.lastTs = p.ts;
    s.requestEvidence.push(p);
    this.step(s, p, "request");
    this.queue.push(req);
    if (flow !== null) flow.pending.push(req);
    return req;
  }

  private answer(req: Request, reply: PacketRecord): void {
    req.outcome = "answered";
    const s = req.service;
    s.answered++;
    const srv = this.server(s, req.server);
    srv.answered++;
    const rtt = Math.max(0, reply.ts - req.lastSentTs);
    if (srv.rtts.length < RTT_RESERVOIR) srv.rtts.push(rtt);
    else srv.rtts[Math.floor((reply.line * 2654435761) % RTT_RESERVOIR)] = rtt;
    s.replyEvidence.push(reply);
    this.step(s, reply, "reply");
    this.dropPending(req);
  }

  private reject(req: Request, by: PacketRecord, kind: "tcp-rst" | "icmp-unreachable"): void {
    req.outcome = "rejected";
    const s = req.service;
    s.rejected++;
    this.server(s, req.server).rejected++;
    s.rejectKinds.add(kind);
    s.rejectEvidence.push(req.packet);
    s.rejectEvidence.push(by);
    this.step(s, by, "reject");
    this.dropPending(req);
  }

  private dropPending(req: Request): void {
    const f = req.flow;
    if (f === null) return;
    const i = f.pending.indexOf(req);
    if (i >= 0) f.pending.splice(i, 1);
  }

  /** Fold requests whose window has passed (the capture went on past it: they timed out). */
  private expire(now: number): void {
    while (this.queueHead < this.queue.length) {
      const req = this.queue[this.queueHead] as Request;
      if (req.outcome !== null) {
        this.queueHead++;
        continue;
      }
      if (req.deadline >= now) break;
      this.queueHead++;
      this.finish(req, "unanswered");
    }
    if (this.queueHead > 4096 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
  }

  private finish(req: Request, outcome: "unanswered" | "inconclusive"): void {
    req.outcome = outcome;
    const s = req.service;
    const srv = this.server(s, req.server);
    const chain = req.chain;
    // the sniffer prints the egress copy within microseconds: a capture that went on past the
    // forwarding window without one shows the packet did not leave
    const notForwarded =
      this.seesForwardingNow() &&
      (outcome === "unanswered" || (this.end ?? req.ts) - req.ts > FORWARD_WINDOW) &&
      chain !== null &&
      chain.ingress !== null &&
      chain.egress === null &&
      !isGroupAddress(req.server) &&
      !isLinkLocal(req.server) &&
      !this.unitAddresses.has(req.server);
    if (chain?.ingress) s.ingress.add(chain.ingress);
    if (chain?.egress) s.egress.add(chain.egress);
    if (notForwarded) {
      s.notForwarded++;
      if (chain.ingress !== null) s.notForwardedIngress.add(chain.ingress);
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
    for (const r of req.retransmitted) s.unansweredEvidence.push(r);
    this.step(s, req.packet, "missing", "no reply");
    this.dropPending(req);
  }

  // ---- per protocol ----------------------------------------------------------------------------------

  private onIp(p: PacketRecord, chain: CopyChain): void {
    let clientIsSrc = true;
    if (p.proto === "tcp") {
      const flags = p.tcp?.flags ?? [];
      if (flags.includes("syn")) clientIsSrc = !flags.includes("ack");
      else clientIsSrc = !(isWellKnown(p.sport, this.lookup, "tcp") && !isWellKnown(p.dport, this.lookup, "tcp"));
    } else if (p.proto === "udp") {
      clientIsSrc = !(isWellKnown(p.sport, this.lookup, "udp") && !isWellKnown(p.dport, this.lookup, "udp"));
    }
    const { flow, fromClient } = this.findOrCreateFlow(p, clientIsSrc);
    if (flow.toServer.packets + flow.toClient.packets === 0 && p.proto === "tcp" && !(p.tcp?.flags.includes("syn") ?? false)) flow.midstream = true;
    this.count(flow, p, fromClient);
    if (p.proto === "tcp") this.onTcp(flow, p, chain, fromClient);
    else this.onDatagram(flow, p, chain, fromClient);
  }

  private onDatagram(flow: Flow, p: PacketRecord, chain: CopyChain, fromClient: boolean): void {
    const proto = p.proto === "ip" ? "ip" : "udp";
    const port = p.proto === "ip" ? (p.ipProto ?? null) : flow.serverPort;
    if (proto === "ip") {
      // routing and other peer protocols have no request/reply: every packet is looked at for
      // forwarding only
      const dst = p.dst ?? "?";
      this.newRequest(this.service(proto, port, isGroupAddress(dst)), null, p, chain, this.windows.udp, p.src ?? "?", dst);
      return;
    }
    const s = this.service(proto, port, isGroupAddress(flow.server));
    if (fromClient) {
      this.newRequest(s, flow, p, chain, this.windows.udp, flow.client, flow.server);
      return;
    }
    const req = flow.pending.find((r) => r.outcome === null && p.ts >= r.ts && p.ts - r.lastSentTs <= r.window);
    if (req !== undefined) this.answer(req, p);
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
    const s = this.service("tcp", flow.serverPort);
    if (fromClient && syn && !ack) {
      const seq = p.tcp?.seq ?? null;
      if (seq !== null && flow.lastSynSeq === seq) {
        // a retransmitted SYN belongs to the same attempt (even after its window has passed,
        // when the attempt is no longer held: then it is only quoted)
        const line = p;
        const again = flow.pending.find((r) => r.outcome === null && r.seq === seq);
        if (again === undefined) {
          s.unansweredEvidence.push(line);
          return;
        }
        again.retransmissions++;
        if (again.retransmitted.length < 4) again.retransmitted.push(line);
        again.lastSentTs = p.ts;
        again.deadline = p.ts + again.window;
        s.requestEvidence.push(p);
        this.step(s, p, "request", `${p.summary} (retransmission)`);
        return;
      }
      flow.lastSynSeq = seq;
      this.newRequest(s, flow, p, chain, this.windows.tcp, flow.client, flow.server);
      return;
    }
    if (!fromClient) {
      const pending = flow.pending.find((r) => r.outcome === null);
      if (pending !== undefined && p.ts - pending.lastSentTs <= pending.window + 1e-9) {
        if (syn && ack) this.answer(pending, p);
        else if (rst) this.reject(pending, p, "tcp-rst");
      }
      return;
    }
    if (flow.midstream && flow.firstClientPacket === null) flow.firstClientPacket = p;
  }

  private onIcmp(p: PacketRecord, chain: CopyChain): void {
    const icmp = p.icmp;
    if (icmp === undefined) return;
    if (icmp.kind === "unreachable") {
      this.onUnreachable(p);
      return;
    }
    if (icmp.kind !== "echo-request" && icmp.kind !== "echo-reply") return;
    const clientIsSrc = icmp.kind === "echo-request";
    const { flow, fromClient } = this.findOrCreateFlow(p, clientIsSrc);
    this.count(flow, p, fromClient);
    const s = this.service(p.proto, null, isGroupAddress(flow.server));
    if (icmp.kind === "echo-request") {
      if (!fromClient) return;
      this.newRequest(s, flow, p, chain, this.windows.icmp, flow.client, flow.server);
      return;
    }
    if (fromClient) return;
    const seq = icmp.seq ?? null;
    const req = flow.pending.find((r) => r.outcome === null && (seq === null || r.echoSeq === null || r.echoSeq === seq) && p.ts - r.lastSentTs <= r.window);
    if (req !== undefined) this.answer(req, p);
  }

  private onUnreachable(p: PacketRecord): void {
    const u = p.icmp?.unreachable;
    if (u === undefined || p.dst === null) {
      return;
    }
    const proto = u.proto;
    // the refused packet went from this ICMP's destination to <host>:<port>
    for (let i = this.queue.length - 1; i >= this.queueHead; i--) {
      const r = this.queue[i] as Request;
      if (r.outcome !== null || r.service.proto !== proto) continue;
      if (r.server === u.host && r.service.port === u.port && (r.client === p.dst || r.flow?.snat?.startsWith(p.dst) === true)) {
        this.reject(r, p, "icmp-unreachable");
        return;
      }
    }
    const known = u.port !== null ? this.lookup(proto, u.port) : null;
    if (known !== null && u.port !== null && (proto === "udp" || proto === "tcp")) {
      // the refused request is not in the capture, but the port names a service: count it there
      const s = this.service(proto, u.port);
      const req = this.newRequest(s, null, { ...p, src: p.dst, sport: null, dst: u.host, dport: u.port, summary: `${proto} to port ${u.port} (quoted by the ICMP unreachable)` }, { first: p, last: p, interfaces: [], ingress: null, egress: null, snat: null, dnat: null, copies: 1 }, 0, p.dst, u.host);
      this.reject(req, p, "icmp-unreachable");
      return;
    }
    this.unmatched.push({ packet: p, host: u.host, proto, port: u.port });
  }

  private onArp(p: PacketRecord, chain: CopyChain): void {
    const arp = p.arp;
    if (arp === undefined) return;
    const s = this.service("arp", null);
    if (arp.op === "who-has") {
      // only the unit's own requests make a request: sent out, or asked from a unit address
      const own = p.dir === "out" || (arp.sender !== null && this.unitAddresses.has(arp.sender));
      if (!own) return;
      const req = this.newRequest(s, null, p, chain, this.windows.arp, arp.sender ?? "?", arp.target);
      const list = this.arpPending.get(arp.target);
      if (list === undefined) this.arpPending.set(arp.target, [req]);
      else list.push(req);
      return;
    }
    const list = this.arpPending.get(arp.target);
    if (list === undefined) return;
    const req = list.find((r) => r.outcome === null && p.ts - r.lastSentTs <= r.window);
    if (req !== undefined) this.answer(req, p);
    const open = list.filter((r) => r.outcome === null);
    if (open.length === 0) this.arpPending.delete(arp.target);
    else this.arpPending.set(arp.target, open);
  }

  /** The services as counted so far, read-only, for a live view; requests still in their window are neither answered nor unanswered yet. */
  servicesSoFar(): readonly ServiceAgg[] {
    return [...this.services.values()];
  }

  // ---- the end ------------------------------------------------------------------------------------

  /** The capture is over: settle the requests still waiting (timed out or inconclusive) and sum up. */
  result(): CaptureAnalysis {
    const end = this.end ?? 0;
    for (let i = this.queueHead; i < this.queue.length; i++) {
      const req = this.queue[i] as Request;
      if (req.outcome !== null) continue;
      // timed out when the capture went on past the window, or the client tried again: a later
      // request to the same service after waiting at least half the window (requests to several
      // servers at once are not retries of each other)
      const retried = (this.lastRequest.get(`${req.service.key}|${req.client}`) ?? -Infinity) >= req.ts + req.window / 2;
      this.finish(req, req.deadline <= end || retried ? "unanswered" : "inconclusive");
    }
    for (const flow of this.flows.values()) if (flow.midstream && !flow.synOrig) this.midstreamExchange(flow);
    this.queue = [];
    this.queueHead = 0;
    for (const flow of this.flows.values()) this.flowSummaries.push(this.summarizeFlow(flow));
    return {
      capture: this.capture,
      packets: this.packetCount,
      start: this.start,
      end: this.end,
      flows: this.flowSummaries,
      services: [...this.services.values()],
      unmatchedUnreachables: this.unmatched,
      unitAddresses: this.unitAddresses,
      seesForwarding: this.seesForwardingNow(),
      fingerprint: `${this.packetCount}:${(this.fingerprintHash >>> 0).toString(16)}`,
    };
  }

  /**
   * A TCP connection already open when the capture started: one exchange, answered when both
   * sides were heard; with one side only, nothing can be said (asymmetric path or cut capture).
   */
  private midstreamExchange(flow: Flow): void {
    const first = flow.firstClientPacket;
    if (first === null) return;
    const s = this.service("tcp", flow.serverPort);
    s.requests++;
    s.clients.add(flow.client);
    const srv = this.server(s, flow.server);
    srv.requests++;
    if (s.firstRequest === null) s.firstRequest = first;
    if (first.ts < s.firstTs) s.firstTs = first.ts;
    if (first.ts > s.lastTs) s.lastTs = first.ts;
    s.requestEvidence.push(first);
    if (flow.toClient.packets > 0) {
      s.answered++;
      srv.answered++;
    } else {
      s.inconclusive++;
      srv.inconclusive++;
      s.unansweredEvidence.push(first);
    }
  }

  private summarizeFlow(f: Flow): FlowSummary {
    const summary: FlowSummary = {
      source: this.capture.source,
      capture: this.capture.index,
      proto: f.proto,
      client: f.client,
      clientPort: f.clientPort,
      server: f.server,
      serverPort: f.serverPort,
      interfaces: f.interfaces,
      toServer: f.toServer,
      toClient: f.toClient,
      state: f.proto === "tcp" ? tcpState(f) : datagramState(f),
      start: f.start,
      end: f.end,
      firstLine: f.firstLine,
      lastLine: f.lastLine,
    };
    if (f.snat !== null || f.dnat !== null) summary.nat = { snat: f.snat, dnat: f.dnat };
    if (f.hops.length > 0) summary.hops = f.hops;
    return summary;
  }
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

function endpointText(addr: string | null, port: number | null): string {
  const a = addr ?? "?";
  if (port === null) return a;
  return a.includes(":") ? `[${a}]:${port}` : `${a}:${port}`;
}

/** Zeek conn_state for a TCP flow, from what each side sent. */
export function tcpState(f: {
  synOrig: boolean;
  synAckResp: boolean;
  finOrig: boolean;
  finResp: boolean;
  rstOrig: boolean;
  rstResp: boolean;
  toClient: { packets: number };
}): FlowState {
  if (!f.synOrig && !f.synAckResp) return "OTH";
  if (f.synOrig && !f.synAckResp) {
    if (f.rstResp) return "REJ";
    if (f.rstOrig) return "RSTOS0";
    if (f.finOrig) return "SH";
    return "S0";
  }
  if (!f.synOrig && f.synAckResp) {
    if (f.rstResp) return "RSTRH";
    if (f.finResp) return "SHR";
    return "OTH";
  }
  // established
  if (f.rstOrig) return "RSTO";
  if (f.rstResp) return "RSTR";
  if (f.finOrig && f.finResp) return "SF";
  if (f.finOrig) return "S2";
  if (f.finResp) return "S3";
  return "S1";
}

/** UDP/ICMP/other: S0 when only the client spoke, SF when both did, SHR when only the server did. */
export function datagramState(f: { toServer: { packets: number }; toClient: { packets: number } }): FlowState {
  if (f.toServer.packets > 0 && f.toClient.packets > 0) return "SF";
  if (f.toServer.packets > 0) return "S0";
  return "SHR";
}

export function rttStats(values: number[]): RttStats | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  return { min: round(sorted[0] as number), median: round(median), max: round(sorted[sorted.length - 1] as number) };
}
