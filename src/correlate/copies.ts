/**
 * The same packet seen several times on `any`: `in` on the ingress interface, `out` on the egress
 * one (and through inter-VDOM links: `npu0_vlink1 out`, `npu0_vlink0 in`), within a few
 * milliseconds, with the same length, flags and sequence numbers, possibly with translated
 * addresses (SNAT keeps the destination, DNAT keeps the source). Such copies form one chain and
 * count once; the chain records the interfaces it crossed and the translation.
 */
import type { PacketRecord } from "../records.js";

export interface CopyChain {
  first: PacketRecord;
  last: PacketRecord;
  /** interfaces the packet was seen on, in order */
  interfaces: string[];
  ingress: string | null;
  egress: string | null;
  /** translated source / destination seen on a later copy */
  snat: string | null;
  dnat: string | null;
  copies: number;
}

/** How close in time two copies of one packet are (seconds). */
export const COPY_WINDOW = 0.02;

function signature(p: PacketRecord): string {
  switch (p.proto) {
    case "tcp":
      return `tcp|${p.tcp?.flags.join(",") ?? ""}|${p.tcp?.seq ?? ""}|${p.tcp?.ack ?? ""}`;
    case "udp":
      return `udp|${p.length ?? ""}`;
    case "icmp":
    case "icmp6":
      return `${p.proto}|${p.icmp?.text ?? ""}`;
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

export class CopyTracker {
  /** recent chains by signature; pruned as time moves on */
  private recent = new Map<string, CopyChain[]>();
  private lastPrune = -Infinity;

  /**
   * The chain this packet continues, or null when it is a new packet (then a new chain is
   * started and returned through `started`).
   */
  observe(p: PacketRecord): { chain: CopyChain; isCopy: boolean } {
    if (p.iface === null || p.dir === null) return { chain: this.newChain(p, null), isCopy: false };
    const sig = signature(p);
    this.prune(p.ts);
    const list = this.recent.get(sig);
    if (list !== undefined) {
      for (let i = list.length - 1; i >= 0; i--) {
        const c = list[i] as CopyChain;
        // chains are appended in time order: older ones cannot match
        if (p.ts - c.first.ts > 4 * COPY_WINDOW) break;
        const q = c.last;
        if (p.ts - q.ts > COPY_WINDOW || p.ts < q.ts - COPY_WINDOW) continue;
        // copies alternate: in on one interface, out on another (in again on an inter-VDOM link)
        if (q.dir === p.dir || q.dir === "unknown" || p.dir === "unknown") continue;
        const sameSrc = sameEndpoint(p.src, p.sport, c.first.src, c.first.sport) || sameEndpoint(p.src, p.sport, q.src, q.sport);
        const sameDst = sameEndpoint(p.dst, p.dport, c.first.dst, c.first.dport) || sameEndpoint(p.dst, p.dport, q.dst, q.dport);
        if (!sameSrc && !sameDst) continue;
        // an `in` packet right after an `out` one on a different interface is a copy only when
        // nothing else distinguishes them (inter-VDOM links, hairpins); a fresh `in` on the same
        // ingress interface is a new packet
        if (p.dir === "in" && c.ingress === p.iface) continue;
        c.last = p;
        c.copies++;
        if (!c.interfaces.includes(p.iface)) c.interfaces.push(p.iface);
        if (p.dir === "out") c.egress = p.iface;
        if (p.dir === "in" && c.ingress === null) c.ingress = p.iface;
        if (!sameSrc && p.src !== null) c.snat = p.sport === null ? p.src : `${p.src}:${p.sport}`;
        if (!sameDst && p.dst !== null) c.dnat = p.dport === null ? p.dst : `${p.dst}:${p.dport}`;
        return { chain: c, isCopy: true };
      }
    }
    const chain = this.newChain(p, sig);
    return { chain, isCopy: false };
  }

  private newChain(p: PacketRecord, sig: string | null): CopyChain {
    const chain: CopyChain = {
      first: p,
      last: p,
      interfaces: p.iface === null ? [] : [p.iface],
      ingress: p.dir === "in" ? p.iface : null,
      egress: p.dir === "out" ? p.iface : null,
      snat: null,
      dnat: null,
      copies: 1,
    };
    if (sig !== null) {
      const list = this.recent.get(sig);
      if (list === undefined) this.recent.set(sig, [chain]);
      else list.push(chain);
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
