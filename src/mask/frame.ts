/**
 * Masking inside a packet's dumped bytes: MACs in the Ethernet header and ARP, IPv4/IPv6 source
 * and destination (also those quoted inside ICMP errors), ICMPv6 neighbour discovery targets and
 * link-layer options. Checksums that cover a changed field (IPv4 header, TCP, UDP, ICMP, ICMPv6)
 * are **updated incrementally** (RFC 1624): a checksum that was right stays right, one that was
 * wrong stays wrong by the same amount, and a UDP checksum of 0 (none) stays 0. Payloads (DNS
 * answers, HTTP text) are not touched. Works on truncated dumps: a field is changed only when all
 * of it was dumped, a checksum only when it was dumped.
 */
import type { AddressMasker } from "./addresses.js";

export interface FrameMaskResult {
  /** 16-bit checksums updated */
  checksums: number;
}

interface Sum {
  /** where the checksum field sits in the buffer, or -1 when it was not dumped */
  at: number;
  /** one's-complement sum of the change: the new words minus the old words */
  delta: number;
  /** UDP: a checksum of 0 means none and stays 0 */
  udp: boolean;
}

function word(b: Uint8Array, i: number): number {
  return ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
}

function add(a: number, b: number): number {
  const s = a + b;
  return (s & 0xffff) + (s >>> 16);
}

/** Write `value` over `b[at..]`, adding the change of each 16-bit word to the sums (aligned fields only). */
function replace(b: Uint8Array, at: number, value: Uint8Array, sums: Sum[]): void {
  for (let i = 0; i < value.length; i += 2) {
    const before = word(b, at + i);
    b[at + i] = value[i] ?? 0;
    if (i + 1 < value.length) b[at + i + 1] = value[i + 1] ?? 0;
    const after = word(b, at + i);
    for (const s of sums) s.delta = add(add(s.delta, ~before & 0xffff), after);
  }
}

function apply(b: Uint8Array, s: Sum): boolean {
  if (s.at < 0 || s.at + 2 > b.length) return false;
  const old = word(b, s.at);
  if (s.udp && old === 0) return false;
  // RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m')
  let v = ~add(~old & 0xffff, s.delta) & 0xffff;
  if (s.udp && v === 0) v = 0xffff;
  if (v === old) return false;
  b[s.at] = v >> 8;
  b[s.at + 1] = v & 0xff;
  return true;
}

function sum(b: Uint8Array, at: number, udp = false): Sum {
  return { at: at + 2 <= b.length ? at : -1, delta: 0, udp };
}

export class FrameMasker {
  constructor(private readonly masker: AddressMasker) {}

  /**
   * Mask `b` in place. `verbose` 2/5: the dump starts at the network header; 3/6 (or unknown): at
   * the Ethernet header when there is one.
   */
  mask(b: Uint8Array, verbose: number | null): FrameMaskResult {
    const result = { checksums: 0 };
    const l3 = this.ethernet(b, verbose);
    if (l3 === null) return result;
    this.network(b, l3.at, l3.type, result, 0);
    return result;
  }

  /** Where the network header starts and what it is (an ethertype), masking the MACs on the way. */
  private ethernet(b: Uint8Array, verbose: number | null): { at: number; type: number } | null {
    const ipAt = (at: number): { at: number; type: number } | null => {
      const v = (b[at] ?? 0) >> 4;
      if (v === 4) return { at, type: 0x0800 };
      if (v === 6) return { at, type: 0x86dd };
      if (word(b, at) === 0x0001 && word(b, at + 2) === 0x0800) return { at, type: 0x0806 };
      return null;
    };
    if (verbose === 2 || verbose === 5) return ipAt(0);
    if (b.length < 14) return ipAt(0);
    const type = word(b, 12);
    const macs = () => {
      this.macAt(b, 0);
      this.macAt(b, 6);
    };
    if (type === 0x0800 || type === 0x86dd || type === 0x0806) {
      macs();
      return { at: 14, type };
    }
    if (type === 0x8100 || type === 0x88a8) {
      macs();
      return { at: 18, type: word(b, 16) };
    }
    if (type === 0x8890 || type === 0x8891) {
      const ip = ipAt(14);
      if (ip !== null) macs();
      return ip;
    }
    const tagged = word(b, 14);
    if (tagged === 0x0800 || tagged === 0x86dd || tagged === 0x0806) {
      macs();
      return { at: 16, type: tagged };
    }
    return ipAt(0);
  }

  private macAt(b: Uint8Array, at: number, sums: Sum[] = []): void {
    if (at + 6 > b.length) return;
    replace(b, at, this.masker.macBytes(b.subarray(at, at + 6)), sums);
  }

  private network(b: Uint8Array, at: number, type: number, result: FrameMaskResult, depth: number): void {
    if (type === 0x0806) this.arp(b, at);
    else if (type === 0x0800 && (b[at] ?? 0) >> 4 === 4) this.ipv4(b, at, result, depth);
    else if (type === 0x86dd && (b[at] ?? 0) >> 4 === 6) this.ipv6(b, at, result);
  }

  private arp(b: Uint8Array, at: number): void {
    // htype 1, ptype 0x0800, hlen 6, plen 4: sha spa tha tpa
    if (word(b, at) !== 1 || word(b, at + 2) !== 0x0800 || b[at + 4] !== 6 || b[at + 5] !== 4) return;
    this.macAt(b, at + 8);
    this.v4At(b, at + 14, []);
    this.macAt(b, at + 18);
    this.v4At(b, at + 24, []);
  }

  private v4At(b: Uint8Array, at: number, sums: Sum[]): void {
    if (at + 4 > b.length) return;
    replace(b, at, this.masker.ipv4Bytes(b.subarray(at, at + 4)), sums);
  }

  private v6At(b: Uint8Array, at: number, sums: Sum[]): void {
    if (at + 16 > b.length) return;
    replace(b, at, this.masker.ipv6Bytes(b.subarray(at, at + 16)), sums);
  }

  private ipv4(b: Uint8Array, at: number, result: FrameMaskResult, depth: number, outer: Sum[] = []): void {
    const ihl = ((b[at] ?? 0) & 0x0f) * 4;
    if (ihl < 20) return;
    const proto = b[at + 9] ?? 0;
    const fragment = word(b, at + 6) & 0x1fff;
    const l4 = at + ihl;
    const header = sum(b, at + 10);
    // the transport checksum covers a pseudo-header with both addresses
    const transport: Sum[] = [];
    if (fragment === 0) {
      if (proto === 6) transport.push(sum(b, l4 + 16));
      else if (proto === 17) transport.push(sum(b, l4 + 6, true));
    }
    this.v4At(b, at + 12, [header, ...transport, ...outer]);
    this.v4At(b, at + 16, [header, ...transport, ...outer]);
    // header and transport checksums sit inside the outer (ICMP) checksum's coverage: their changes count there too
    for (const s of [header, ...transport]) this.settle(b, s, outer, result);
    if (fragment === 0 && proto === 1 && depth === 0) this.icmpError(b, l4, result);
  }

  /** Apply a checksum change and carry the checksum field's own change into the enclosing sums. */
  private settle(b: Uint8Array, s: Sum, outer: Sum[], result: FrameMaskResult): void {
    if (s.at < 0) return;
    const before = word(b, s.at);
    if (!apply(b, s)) return;
    result.checksums++;
    const after = word(b, s.at);
    for (const o of outer) o.delta = add(add(o.delta, ~before & 0xffff), after);
  }

  /** ICMP errors quote the offending packet's IP header: mask it, update the ICMP checksum. */
  private icmpError(b: Uint8Array, l4: number, result: FrameMaskResult): void {
    const type = b[l4] ?? 255;
    if (type !== 3 && type !== 4 && type !== 5 && type !== 11 && type !== 12) return;
    const inner = l4 + 8;
    if (inner + 20 > b.length || (b[inner] ?? 0) >> 4 !== 4) return;
    const icmp = sum(b, l4 + 2);
    this.ipv4(b, inner, result, 1, [icmp]);
    this.settle(b, icmp, [], result);
  }

  private ipv6(b: Uint8Array, at: number, result: FrameMaskResult): void {
    const next = b[at + 6] ?? 0;
    const l4 = at + 40;
    const transport: Sum[] = [];
    if (next === 6) transport.push(sum(b, l4 + 16));
    else if (next === 17) transport.push(sum(b, l4 + 6, true));
    else if (next === 58) transport.push(sum(b, l4 + 2));
    this.v6At(b, at + 8, transport);
    this.v6At(b, at + 24, transport);
    if (next === 58) this.neighbourDiscovery(b, l4, transport);
    for (const s of transport) this.settle(b, s, [], result);
  }

  /** ICMPv6 NS/NA/redirect: the target address, and source/target link-layer address options. */
  private neighbourDiscovery(b: Uint8Array, l4: number, sums: Sum[]): void {
    const type = b[l4] ?? 0;
    let options: number;
    if (type === 133) options = l4 + 8;
    else if (type === 134) options = l4 + 16;
    else if (type === 135 || type === 136) {
      this.v6At(b, l4 + 8, sums);
      options = l4 + 24;
    } else if (type === 137) {
      this.v6At(b, l4 + 8, sums);
      this.v6At(b, l4 + 24, sums);
      options = l4 + 40;
    } else return;
    for (let guard = 0; options + 8 <= b.length && guard < 32; guard++) {
      const kind = b[options] ?? 0;
      const len = (b[options + 1] ?? 0) * 8;
      if (len === 0) break;
      if ((kind === 1 || kind === 2) && len === 8) this.macAt(b, options + 2, sums);
      options += len;
    }
  }
}
