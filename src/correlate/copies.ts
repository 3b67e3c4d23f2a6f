/**
 * The same packet seen several times on `any`, the way FortiOS prints it: `in` on the ingress
 * interface and `out` on the egress one (through inter-VDOM links: `npu0_vlink1 out`,
 * `npu0_vlink0 in`), possibly translated (SNAT keeps the destination, DNAT keeps the source; a
 * hairpin or a VIP policy with NAT changes both), flooded out of several ports of a
 * transparent-mode bridge (`out`, `out`, `out`), or printed on a VLAN and on its parent interface
 * (`vlan18_p3 out`, `port3 out`). Copies come within a few milliseconds with the same length, flags
 * and sequence numbers; they form one chain and count once, and the chain records the interfaces it
 * crossed and the translation.
 *
 * Cost: each packet looks at a bounded number of recent chains with its signature, so N identical
 * packets (a flood of the same probe) cost O(N), not O(N²).
 */
import type { PacketRecord } from "../records.js";
import { echoOf } from "./icmp.js";

export interface Endpoint {
  address: string;
  port: number | null;
}

export interface CopyChain {
  first: PacketRecord;
  last: PacketRecord;
  /** interfaces the packet was seen on, in order */
  interfaces: Set<string>;
  /** the first interface it arrived on; null when the unit generated it (first seen leaving) */
  ingress: string | null;
  /** the first interface it left by; null when it never left */
  egress: string | null;
  /** every interface it left by (a bridge flood, VLAN and parent) */
  egresses: Set<string>;
  /** translated source / destination seen on a later copy */
  snat: Endpoint | null;
  dnat: Endpoint | null;
  copies: number;
  /** `dir|iface` pairs already in the chain: the same packet is printed once per interface and direction */
  seen: Set<string>;
}

/** How close in time two copies of one packet are (seconds). */
export const COPY_WINDOW = 0.02;
/**
 * The same packet printed on a VLAN and on its parent (or leaving two bridge ports) shows within a
 * few microseconds (corpus: 0–4 µs); two packets the unit makes on purpose (SD-WAN probes over two
 * members) are tens of microseconds apart (29 µs, 45 µs).
 */
export const SAME_DIRECTION_WINDOW = 0.00002;
/** Chains with one signature looked at per packet: copies follow within microseconds. */
const SCAN_LIMIT = 8;
/** Chains kept per signature before the oldest half is let go. */
const KEEP_LIMIT = 64;

function signature(p: PacketRecord): string {
  switch (p.proto) {
    case "tcp":
      return `tcp|${p.tcp?.flags.join(",") ?? ""}|${p.tcp?.seq ?? ""}|${p.tcp?.ack ?? ""}`;
    case "udp":
      return `udp|${p.length ?? ""}`;
    case "icmp":
    case "icmp6": {
      // echo by kind and numbers (an author's note after the line does not make another packet)
      const echo = p.icmp === undefined ? null : echoOf(p.icmp);
      return echo === null ? `${p.proto}|${p.icmp?.text ?? ""}` : `${p.proto}|${echo.kind}|${echo.id ?? ""}|${echo.seq ?? ""}`;
    }
    case "ip":
      return `ip|${p.ipProto ?? ""}|${p.length ?? ""}`;
    case "esp":
      return `esp|${p.esp?.spi ?? ""}|${p.esp?.seq ?? ""}`;
    case "arp":
      return `arp|${p.summary}`;
    default:
      return `${p.proto}|${p.summary}`;
  }
}

function sameEndpoint(a: string | null, ap: number | null, b: string | null, bp: number | null): boolean {
  return a === b && ap === bp;
}

export function endpointOf(address: string | null, port: number | null): Endpoint | null {
  return address === null ? null : { address, port };
}

export class CopyTracker {
  /** recent chains by signature; pruned as time moves on */
  private recent = new Map<string, CopyChain[]>();
  private lastPrune = -Infinity;

  /** The chain this packet continues (`isCopy`), or a new chain it starts. */
  observe(p: PacketRecord): { chain: CopyChain; isCopy: boolean } {
    if (p.iface === null || p.dir === null) return { chain: this.newChain(p, null), isCopy: false };
    const sig = signature(p);
    this.prune(p.ts);
    const list = this.recent.get(sig);
    if (list !== undefined) {
      const stop = Math.max(0, list.length - SCAN_LIMIT);
      for (let i = list.length - 1; i >= stop; i--) {
        const c = list[i] as CopyChain;
        if (this.continues(c, p)) return { chain: c, isCopy: true };
      }
    }
    return { chain: this.newChain(p, sig), isCopy: false };
  }

  private continues(c: CopyChain, p: PacketRecord): boolean {
    const q = c.last;
    if (p.ts - q.ts > COPY_WINDOW || p.ts < q.ts - COPY_WINDOW) return false;
    if (q.dir === "unknown" || p.dir === "unknown" || p.iface === null) return false;
    // a packet is printed once per interface and direction: a second one there is a new packet
    const where = `${p.dir}|${p.iface}`;
    if (c.seen.has(where)) return false;
    const first = c.first;
    const srcKept = sameEndpoint(p.src, p.sport, first.src, first.sport) || sameEndpoint(p.src, p.sport, q.src, q.sport);
    const dstKept = sameEndpoint(p.dst, p.dport, first.dst, first.dport) || sameEndpoint(p.dst, p.dport, q.dst, q.dport);
    if (q.dir === p.dir) {
      // out, out, out (bridge flood, VLAN and parent) or in, in (VLAN and parent): untranslated,
      // and back to back unless a forwarded packet is being flooded
      if (!srcKept || !dstKept) return false;
      const flood = p.dir === "out" && c.ingress !== null;
      if (!flood && p.ts - q.ts > SAME_DIRECTION_WINDOW) return false;
    } else if (!srcKept && !dstKept) {
      // both sides translated: a hairpin (back out of the interface it came in on) or a VIP policy
      // with NAT, recognisable only by a TCP sequence number carried over
      // (an answer swaps the two endpoints: that is a reply, not a copy)
      if (p.src === first.dst || p.dst === first.src) return false;
      const hairpin = p.dir === "out" && c.ingress === p.iface && (p.sport === first.sport || p.dport === first.dport);
      const sameSegment = p.proto === "tcp" && p.tcp?.seq !== null && p.tcp?.seq !== undefined;
      if (!hairpin && !sameSegment) return false;
    }
    c.last = p;
    c.copies++;
    c.seen.add(where);
    c.interfaces.add(p.iface);
    if (p.dir === "out") {
      if (c.egress === null) c.egress = p.iface;
      c.egresses.add(p.iface);
    }
    if (p.dir === "in" && c.ingress === null) c.ingress = p.iface;
    if (!srcKept) c.snat = endpointOf(p.src, p.sport);
    if (!dstKept) c.dnat = endpointOf(p.dst, p.dport);
    return true;
  }

  private newChain(p: PacketRecord, sig: string | null): CopyChain {
    const chain: CopyChain = {
      first: p,
      last: p,
      interfaces: new Set(p.iface === null ? [] : [p.iface]),
      ingress: p.dir === "in" ? p.iface : null,
      egress: p.dir === "out" ? p.iface : null,
      egresses: new Set(p.dir === "out" && p.iface !== null ? [p.iface] : []),
      snat: null,
      dnat: null,
      copies: 1,
      seen: new Set(p.iface === null ? [] : [`${p.dir ?? ""}|${p.iface}`]),
    };
    if (sig !== null) {
      const list = this.recent.get(sig);
      if (list === undefined) this.recent.set(sig, [chain]);
      else {
        list.push(chain);
        if (list.length > KEEP_LIMIT) list.splice(0, list.length - SCAN_LIMIT);
      }
    }
    return chain;
  }

  private prune(now: number): void {
    if (now - this.lastPrune < COPY_WINDOW * 50) return;
    this.lastPrune = now;
    for (const [sig, list] of this.recent) {
      const kept = list.filter((c) => now - c.last.ts <= COPY_WINDOW);
      if (kept.length === 0) this.recent.delete(sig);
      else if (kept.length !== list.length) this.recent.set(sig, kept);
    }
  }
}
