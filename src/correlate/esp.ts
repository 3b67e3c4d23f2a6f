/**
 * IPsec ESP per tunnel: the packets between two gateways, each direction with its SPIs. ESP both
 * ways is a working tunnel; ESP one way only, in a capture that went on, is the classic "tunnel up,
 * no traffic back".
 */
import type { PacketRecord } from "../records.js";
import { Sampler } from "./sampling.js";

export interface EspDirection {
  from: string;
  to: string;
  packets: number;
  spis: Set<string>;
  /** left the unit (out, first seen leaving) */
  sentByUnit: number;
  evidence: Sampler<PacketRecord>;
  first: number;
  last: number;
}

export interface EspTunnel {
  /** the two gateways, the first one to send first */
  a: string;
  b: string;
  aToB: EspDirection;
  bToA: EspDirection;
}

function direction(from: string, to: string): EspDirection {
  return { from, to, packets: 0, spis: new Set(), sentByUnit: 0, evidence: new Sampler(2, 1), first: Infinity, last: -Infinity };
}

export class EspTracker {
  private readonly tunnels = new Map<string, EspTunnel>();

  add(p: PacketRecord, sentByUnit: boolean): boolean {
    if (p.src === null || p.dst === null || p.esp === undefined) return false;
    const key = p.src < p.dst ? `${p.src}|${p.dst}` : `${p.dst}|${p.src}`;
    let t = this.tunnels.get(key);
    if (t === undefined) {
      t = { a: p.src, b: p.dst, aToB: direction(p.src, p.dst), bToA: direction(p.dst, p.src) };
      this.tunnels.set(key, t);
    }
    const d = p.src === t.a ? t.aToB : t.bToA;
    d.packets++;
    if (d.spis.size < 16) d.spis.add(p.esp.spi);
    if (sentByUnit) d.sentByUnit++;
    d.evidence.push(p);
    if (p.ts < d.first) d.first = p.ts;
    if (p.ts > d.last) d.last = p.ts;
    return true;
  }

  result(): EspTunnel[] {
    return [...this.tunnels.values()];
  }
}
