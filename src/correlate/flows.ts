/**
 * Flows: the packets of one conversation (protocol and the two endpoints, either direction), with
 * the client/server orientation, the interfaces and hops they crossed, the translation seen on
 * their copies and a Zeek-style state.
 */
import type { PacketRecord } from "../records.js";
import type { FlowState, FlowSummary } from "../report.js";
import type { CopyChain } from "./copies.js";
import type { ServiceAgg } from "./rollup.js";

/** A request waiting for its answer (see pairing.ts for its life: pending, overdue, done). */
export interface PendingRequest {
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
  state: "pending" | "overdue" | "done";
  /** a reply can still come after the window (false for packets that only count for forwarding) */
  lateReplies: boolean;
  /** TCP: the SYN's sequence number (retransmissions keep it) */
  seq: number | null;
  /** ICMP echo identifier and sequence number when printed */
  echoId: number | null;
  echoSeq: number | null;
  retransmissions: number;
  /** its retransmissions (a few), quoted with it as evidence */
  retransmitted: PacketRecord[];
}

export interface Flow {
  key: string;
  proto: string;
  client: string;
  clientPort: number | null;
  server: string;
  serverPort: number | null;
  interfaces: Set<string>;
  /** ingress → egress interface pairs of the packets the unit forwarded (from their copies on `any`) */
  hops: { ingress: string; egress: string }[];
  toServer: { packets: number; bytes: number };
  toClient: { packets: number; bytes: number };
  start: number;
  end: number;
  firstLine: number;
  lastLine: number;
  /** the flow's requests in the order they were made; done ones are skipped and compacted away */
  pending: PendingRequest[];
  /** how many of `pending` are done */
  pendingDone: number;
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
  /** and the server's first packet */
  firstServerPacket: PacketRecord | null;
  /** TCP: the latest connection attempt's SYN sequence number, to fold retransmissions into it */
  lastSynSeq: number | null;
  /** TCP: the latest attempt when an ICMP error refused it (its retransmissions stay that attempt) */
  refusedSyn: PendingRequest | null;
  /** translated source / destination of the client's packets, as printed (`addr:port`) */
  snat: string | null;
  dnat: string | null;
  /** the translated client address alone (exact, for ICMP errors sent to it) */
  snatAddress: string | null;
  /** the keys of its translated tuples in the table's aliases (removed with the flow) */
  aliasKeys: string[] | null;
}

export function flowKey(proto: string, a: string, ap: number | null, b: string, bp: number | null): string {
  const x = `${a}|${ap ?? ""}`;
  const y = `${b}|${bp ?? ""}`;
  return x < y ? `${proto}|${x}|${y}` : `${proto}|${y}|${x}`;
}

export function protoKey(p: PacketRecord): string {
  return p.proto === "ip" ? `ip-${p.ipProto ?? "?"}` : p.proto === "icmp6" ? "icmp6" : p.proto;
}

export function endpointText(addr: string | null, port: number | null): string {
  const a = addr ?? "?";
  if (port === null) return a;
  return a.includes(":") ? `[${a}]:${port}` : `${a}:${port}`;
}

/** The flows of one capture, with the aliases translated copies are known by. */
export class FlowTable {
  private readonly flows = new Map<string, Flow>();
  /** translated tuples, with the endpoint the client's packets come from in that tuple */
  private readonly aliases = new Map<string, { flow: Flow; clientSide: string }>();

  values(): IterableIterator<Flow> {
    return this.flows.values();
  }

  get size(): number {
    return this.flows.size;
  }

  find(p: PacketRecord): Flow | undefined {
    const key = flowKey(protoKey(p), p.src ?? "?", p.sport, p.dst ?? "?", p.dport);
    return this.flows.get(key) ?? this.aliases.get(key)?.flow;
  }

  findOrCreate(p: PacketRecord, clientIsSrc: boolean): { flow: Flow; fromClient: boolean } {
    const src = p.src ?? "?";
    const dst = p.dst ?? "?";
    const key = flowKey(protoKey(p), src, p.sport, dst, p.dport);
    const direct = this.flows.get(key);
    if (direct !== undefined) {
      const fromClient =
        direct.client === src && direct.clientPort === p.sport ? true : direct.server === src && direct.serverPort === p.sport ? false : direct.client !== dst;
      return { flow: direct, fromClient };
    }
    const alias = this.aliases.get(key);
    if (alias !== undefined) {
      // a translated tuple: the client's side is the one its translated packets came from
      return { flow: alias.flow, fromClient: alias.clientSide === `${src}|${p.sport ?? ""}` };
    }
    const flow: Flow = {
      key,
      proto: p.proto,
      client: clientIsSrc ? src : dst,
      clientPort: clientIsSrc ? p.sport : p.dport,
      server: clientIsSrc ? dst : src,
      serverPort: clientIsSrc ? p.dport : p.sport,
      interfaces: new Set(),
      hops: [],
      toServer: { packets: 0, bytes: 0 },
      toClient: { packets: 0, bytes: 0 },
      start: p.ts,
      end: p.ts,
      firstLine: p.line,
      lastLine: p.line,
      pending: [],
      pendingDone: 0,
      synOrig: false,
      synAckResp: false,
      finOrig: false,
      finResp: false,
      rstOrig: false,
      rstResp: false,
      midstream: false,
      firstClientPacket: null,
      firstServerPacket: null,
      lastSynSeq: null,
      refusedSyn: null,
      snat: null,
      dnat: null,
      snatAddress: null,
      aliasKeys: null,
    };
    this.flows.set(key, flow);
    return { flow, fromClient: clientIsSrc };
  }

  count(flow: Flow, p: PacketRecord, fromClient: boolean): void {
    const dir = fromClient ? flow.toServer : flow.toClient;
    if (!fromClient && flow.firstServerPacket === null) flow.firstServerPacket = p;
    dir.packets++;
    dir.bytes += p.length ?? (p.bytes !== null ? p.bytes.length / 2 : 0);
    if (p.ts > flow.end) flow.end = p.ts;
    flow.lastLine = p.line;
    if (p.iface !== null) flow.interfaces.add(p.iface);
  }

  /** A further copy of a packet already counted: record its interface, hop and translation. */
  onCopy(p: PacketRecord, chain: CopyChain): void {
    if (p.iface === null) return;
    const first = chain.first;
    const key = flowKey(protoKey(first), first.src ?? "?", first.sport, first.dst ?? "?", first.dport);
    const flow = this.flows.get(key) ?? this.aliases.get(key)?.flow;
    if (flow === undefined) return;
    flow.interfaces.add(p.iface);
    flow.lastLine = Math.max(flow.lastLine, p.line);
    // (a hairpin leaves by the interface it came in on: that is a hop too)
    if (p.dir === "out" && chain.ingress !== null && flow.hops.length < 8) {
      const ingress = chain.ingress;
      if (!flow.hops.some((h) => h.ingress === ingress && h.egress === p.iface)) flow.hops.push({ ingress, egress: p.iface });
    }
    // a translated copy: replies will come back to the translated tuple
    if (p.src !== first.src || p.sport !== first.sport || p.dst !== first.dst || p.dport !== first.dport) {
      const alias = flowKey(protoKey(p), p.src ?? "?", p.sport, p.dst ?? "?", p.dport);
      const fromClient = first.src === flow.client && first.sport === flow.clientPort;
      const clientSide = fromClient ? `${p.src ?? "?"}|${p.sport ?? ""}` : `${p.dst ?? "?"}|${p.dport ?? ""}`;
      if (!this.flows.has(alias) && !this.aliases.has(alias)) {
        this.aliases.set(alias, { flow, clientSide });
        (flow.aliasKeys ??= []).push(alias);
      }
      if (fromClient) {
        if (p.src !== first.src || p.sport !== first.sport) {
          flow.snat = endpointText(p.src, p.sport);
          flow.snatAddress = p.src;
        }
        if (p.dst !== first.dst || p.dport !== first.dport) flow.dnat = endpointText(p.dst, p.dport);
      }
    }
  }

  /**
   * Up to `max` flows idle since before `before`, taken out of the table (with their aliases),
   * oldest first. The table is looked at from its front (flows in the order they were created or
   * last moved); a flow found still active goes to the back, so every call does bounded work.
   */
  takeIdle(before: number, max: number, out: Flow[]): void {
    let looked = 0;
    for (const f of this.flows.values()) {
      if (out.length >= max || looked >= 2 * max) return;
      looked++;
      this.flows.delete(f.key);
      if (f.end < before) {
        if (f.aliasKeys !== null) for (const a of f.aliasKeys) if (this.aliases.get(a)?.flow === f) this.aliases.delete(a);
        out.push(f);
      } else this.flows.set(f.key, f);
    }
  }

  /** The flows still in the table, in the order they started (their first line). */
  inOrder(): Flow[] {
    const all = [...this.flows.values()];
    // (the table's own order is creation order unless takeIdle moved active flows to the back)
    return all.sort((a, b) => a.firstLine - b.firstLine);
  }
}

export function summarizeFlow(f: Flow, source: string, capture: number): FlowSummary {
  const summary: FlowSummary = {
    source,
    capture,
    proto: f.proto,
    client: f.client,
    clientPort: f.clientPort,
    server: f.server,
    serverPort: f.serverPort,
    interfaces: [...f.interfaces],
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

/** Zeek conn_state for a TCP flow, from what each side sent. */
export function tcpState(f: Pick<Flow, "synOrig" | "synAckResp" | "finOrig" | "finResp" | "rstOrig" | "rstResp"> & { toClient: { packets: number } }): FlowState {
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
