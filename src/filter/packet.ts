/**
 * What a packet record tells a filter: its network family, its IP protocol, its ethertype, and the
 * header bytes — real ones from the hex dump when there is one, otherwise the few bytes the parsed
 * fields pin down soundly (TCP flags, ports, ICMP type, addresses).
 */
import type { PacketRecord } from "../records.js";
import { parseIPv4, parseIPv6 } from "../../grammars/filter/index.js";

export type Tri = true | false | "unknown";

/** `ip`: certainly IP (a TCP/UDP/ESP line) but the version is not shown (masked addresses). */
export type Family = "ipv4" | "ipv6" | "ip" | "arp" | "stp" | "vlan" | "other" | "unknown";

/** Where the hex dump's layers start (verbose 2/5: at the IP header; 3/6: after a 14-byte link header). */
export interface Layout {
  bytes: Uint8Array;
  /** offset of a (pseudo-)Ethernet header, null when the dump starts at layer 3 */
  link: number | null;
  /** offset of the layer-3 header and its kind, null when not found */
  l3: number | null;
  l3Kind: "ipv4" | "ipv6" | "arp" | null;
  /** the ethertype of the frame when the link header is there */
  ethertype: number | null;
}

export class PacketView {
  readonly pkt: PacketRecord;
  private layoutCache: Layout | null | undefined;

  constructor(pkt: PacketRecord) {
    this.pkt = pkt;
  }

  /** The decoded hex dump with its layers located, or null when the capture is header-only. */
  get layout(): Layout | null {
    if (this.layoutCache === undefined) this.layoutCache = locate(this.pkt);
    return this.layoutCache;
  }

  get family(): Family {
    const p = this.pkt;
    switch (p.proto) {
      case "arp":
        return "arp";
      case "stp":
        return "stp";
      case "vlan":
        return "vlan";
      case "icmp":
        return "ipv4";
      case "icmp6":
        return "ipv6";
      case "tcp":
      case "udp":
      case "esp":
      case "ip": {
        const f = addressFamily(p.src) ?? addressFamily(p.dst) ?? this.layout?.l3Kind ?? null;
        return f === "ipv4" || f === "ipv6" ? f : "ip";
      }
      case "other": {
        const l = this.layout;
        if (l?.l3Kind != null) return l.l3Kind;
        return this.ethertype !== null ? "other" : "unknown";
      }
    }
  }

  /** The frame's ethertype, when the text or the dump shows it. */
  get ethertype(): number | null {
    const p = this.pkt;
    const l = this.layout;
    switch (p.proto) {
      case "arp":
        return 0x0806;
      case "vlan":
        return 0x8100;
      case "stp":
        return null; // 802.3 + LLC: a length, not an ethertype
      case "other": {
        const m = /\bether type 0x([0-9a-f]{1,4})\b/i.exec(p.summary);
        if (m !== null) return parseInt(m[1] as string, 16);
        if (l?.ethertype != null && l.ethertype >= 0x0600) {
          // trust the dump only where the summary agrees with it
          if (/\bpppoe\b/i.test(p.summary) && (l.ethertype === 0x8863 || l.ethertype === 0x8864)) return l.ethertype;
          if (l.l3Kind !== null) return l.ethertype;
        }
        return null;
      }
      default: {
        const f = this.family;
        return f === "ipv4" ? 0x0800 : f === "ipv6" ? 0x86dd : null;
      }
    }
  }

  /** The IP protocol number; null when unknown; "none" when the packet is not IP. */
  get ipProtocol(): number | null | "none" {
    const p = this.pkt;
    switch (p.proto) {
      case "tcp":
        return 6;
      case "udp":
        return 17;
      case "icmp":
        return 1;
      case "icmp6":
        return 58;
      case "esp":
        // ports on an ESP line: UDP-encapsulated (NAT-T), so the outer protocol is not 50
        return p.sport !== null || p.dport !== null ? null : 50;
      case "ip":
        return p.ipProto ?? null;
      case "arp":
      case "stp":
        return "none";
      case "vlan":
        return null;
      case "other": {
        const f = this.family;
        if (f === "other") return "none";
        const l = this.layout;
        if (l !== null && l.l3 !== null && l.l3Kind === "ipv4") return l.bytes[l.l3 + 9] ?? null;
        if (l !== null && l.l3 !== null && l.l3Kind === "ipv6") return l.bytes[l.l3 + 6] ?? null;
        return null;
      }
    }
  }

  /** Sender and target protocol addresses (IP source/destination; ARP sender/target). */
  get addresses(): { src: string | null; dst: string | null } {
    const p = this.pkt;
    if (p.proto === "arp") {
      const l = this.layout;
      if (l !== null && l.l3 !== null && l.l3Kind === "arp" && l.bytes.length >= l.l3 + 28) {
        return { src: p.src ?? ipv4At(l.bytes, l.l3 + 14), dst: p.dst ?? ipv4At(l.bytes, l.l3 + 24) };
      }
    }
    return { src: p.src, dst: p.dst };
  }

  /** Real Ethernet addresses from the dump (a pseudo header of zeros gives none). */
  get macs(): { src: string; dst: string } | null {
    const l = this.layout;
    if (l === null || l.link === null || l.bytes.length < l.link + 14) return null;
    const dst = hex(l.bytes.subarray(l.link, l.link + 6));
    const src = hex(l.bytes.subarray(l.link + 6, l.link + 12));
    // pseudo headers: `0000 0000 0000 …` (ppp, tunnels) and `0000 0000 000N <src mac>` (interface `any`)
    if (dst.startsWith("00:00:00:00:00:") || /^0+$/.test(src.replace(/:/g, ""))) return null;
    return { src, dst };
  }
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(":");
}

function ipv4At(b: Uint8Array, at: number): string | null {
  if (b.length < at + 4) return null;
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

/** `10.0.0.1`, `82.x.x.x`, `XX.XX.98.156`: IPv4-shaped; anything with a colon: IPv6. */
export function addressFamily(a: string | null): "ipv4" | "ipv6" | null {
  if (a === null) return null;
  if (a.includes(":")) return "ipv6";
  if (/^[^.\s]+\.[^.\s]+\.[^.\s]+\.[^.\s]+$/.test(a)) return "ipv4";
  return null;
}

export function hexToBytes(hexText: string): Uint8Array | null {
  if (hexText.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hexText)) return null;
  const out = new Uint8Array(hexText.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hexText.slice(i * 2, i * 2 + 2), 16);
  return out;
}

interface Candidate {
  link: number | null;
  l3: number;
  kind: "ipv4" | "ipv6" | "arp";
  ethertype: number | null;
}

/**
 * Find the layers of a dump. Verbose 2/5 start at the IP (or ARP) header; 3/6 carry a 14-byte
 * Ethernet or pseudo-Ethernet header first (ethertype at offset 12, an 802.1Q tag adds 4). When
 * both readings fit, the one whose addresses equal the parsed ones wins; then the link header.
 */
function locate(pkt: PacketRecord): Layout | null {
  if (pkt.bytes === null || pkt.bytes.length === 0) return null;
  const bytes = hexToBytes(pkt.bytes);
  if (bytes === null || bytes.length === 0) return null;
  const candidates: Candidate[] = [];
  let ethertype: number | null = null;
  if (bytes.length >= 14) {
    let et = ((bytes[12] as number) << 8) | (bytes[13] as number);
    let l3 = 14;
    if (et === 0x8100 && bytes.length >= 18) {
      et = ((bytes[16] as number) << 8) | (bytes[17] as number);
      l3 = 18;
    }
    ethertype = et;
    const c = layer3(bytes, l3, et);
    if (c !== null) candidates.push({ link: 0, l3, kind: c, ethertype: et });
  }
  const raw = layer3(bytes, 0, null);
  if (raw !== null) candidates.push({ link: null, l3: 0, kind: raw, ethertype: null });
  if (candidates.length === 0) {
    return { bytes, link: ethertype !== null && ethertype >= 0x0600 ? 0 : null, l3: null, l3Kind: null, ethertype: ethertype !== null && ethertype >= 0x0600 ? ethertype : null };
  }
  const confirmed = candidates.find((c) => addressesAgree(bytes, c, pkt));
  const best = confirmed ?? candidates[0] as Candidate;
  return { bytes, link: best.link, l3: best.l3, l3Kind: best.kind, ethertype: best.link === null ? null : best.ethertype };
}

/**
 * Does a plausible layer-3 header start at `at`? With the ethertype known, the version nibble is
 * enough (a dump cut short still locates its IP header); without it, the whole header must be there.
 */
function layer3(b: Uint8Array, at: number, et: number | null): "ipv4" | "ipv6" | "arp" | null {
  const v = b[at];
  if (v === undefined) return null;
  if ((et === 0x0800 || (et === null && b.length >= at + 20)) && v >= 0x45 && v <= 0x4f) return "ipv4";
  if ((et === 0x86dd || (et === null && b.length >= at + 40)) && v >> 4 === 6) return "ipv6";
  if ((et === null || et === 0x0806) && b.length >= at + 8 && b[at] === 0 && b[at + 1] === 1 && b[at + 2] === 8 && b[at + 3] === 0 && b[at + 4] === 6 && b[at + 5] === 4) {
    return "arp";
  }
  return null;
}

function addressesAgree(b: Uint8Array, c: Candidate, pkt: PacketRecord): boolean {
  if (c.kind === "ipv4") {
    const src = parseIPv4(pkt.src ?? "");
    if (src === null) return false;
    const at = c.l3 + 12;
    const got = (((b[at] ?? 0) << 24) >>> 0) + ((b[at + 1] ?? 0) << 16) + ((b[at + 2] ?? 0) << 8) + (b[at + 3] ?? 0);
    return got === src;
  }
  if (c.kind === "ipv6") {
    const src = parseIPv6(pkt.src ?? "");
    if (src === null) return false;
    for (let i = 0; i < 16; i++) if (b[c.l3 + 8 + i] !== src[i]) return false;
    return true;
  }
  return pkt.proto === "arp";
}

/** ICMP/ICMPv6 type and code from the parsed text, where the text names them. */
export function icmpTypeCode(pkt: PacketRecord): { type: number | null; code: number | null } {
  const icmp = pkt.icmp;
  if (icmp === undefined) return { type: null, code: null };
  if (pkt.proto === "icmp") {
    switch (icmp.kind) {
      case "echo-request":
        return { type: 8, code: 0 };
      case "echo-reply":
        return { type: 0, code: 0 };
      case "unreachable": {
        const t = icmp.text;
        const code = /\bport\b.*\bunreachable/.test(t)
          ? 3
          : /\bprotocol\b.*\bunreachable/.test(t)
            ? 2
            : /\bnet\b.*\bunreachable/.test(t)
              ? 0
              : /\bhost\b.*\bunreachable/.test(t)
                ? 1
                : icmp.unreachable?.port != null
                  ? 3
                  : null;
        return { type: 3, code };
      }
      case "other":
        if (/\btime exceeded\b/.test(icmp.text)) return { type: 11, code: /in-transit/.test(icmp.text) ? 0 : null };
        return { type: null, code: null };
    }
  }
  if (pkt.proto === "icmp6") {
    if (icmp.kind === "echo-request") return { type: 128, code: 0 };
    if (icmp.kind === "echo-reply") return { type: 129, code: 0 };
    const t = icmp.text;
    if (/\bneighbor sol/.test(t)) return { type: 135, code: 0 };
    if (/\bneighbor adv/.test(t)) return { type: 136, code: 0 };
    if (/\brouter sol/.test(t)) return { type: 133, code: 0 };
    if (/\brouter adv/.test(t)) return { type: 134, code: 0 };
  }
  return { type: null, code: null };
}

const FLAG_BITS: Record<string, number> = { fin: 0x01, syn: 0x02, rst: 0x04, psh: 0x08, ack: 0x10, urg: 0x20, ece: 0x40, cwr: 0x80 };

export function tcpFlagsByte(pkt: PacketRecord): number | null {
  if (pkt.tcp === undefined) return null;
  let v = 0;
  for (const f of pkt.tcp.flags) v |= FLAG_BITS[f] ?? 0;
  return v;
}

/**
 * The bytes of one protocol header that the parsed fields pin down, by offset in that header.
 * Only fields the sniffer prints exactly: ports, TCP seq/ack/flags, ICMP type/code, IP addresses
 * and protocol, ARP opcode and addresses.
 */
export function knownHeaderBytes(view: PacketView, proto: string): Map<number, number> {
  const p = view.pkt;
  const m = new Map<number, number>();
  const put = (at: number, value: number, size: number) => {
    for (let i = 0; i < size; i++) m.set(at + i, Math.floor(value / 256 ** (size - 1 - i)) % 256);
  };
  switch (proto) {
    case "tcp":
    case "udp":
    case "sctp":
      if (p.sport !== null) put(0, p.sport, 2);
      if (p.dport !== null) put(2, p.dport, 2);
      if (proto === "tcp" && p.tcp !== undefined) {
        if (p.tcp.seq !== null) put(4, p.tcp.seq, 4);
        if (p.tcp.ack !== null) put(8, p.tcp.ack, 4);
        const flags = tcpFlagsByte(p);
        if (flags !== null) put(13, flags, 1);
      }
      break;
    case "icmp":
    case "icmp6": {
      const { type, code } = icmpTypeCode(p);
      if (type !== null) put(0, type, 1);
      if (code !== null) put(1, code, 1);
      break;
    }
    case "ip": {
      const proto = view.ipProtocol;
      if (typeof proto === "number") put(9, proto, 1);
      const s = parseIPv4(p.src ?? "");
      const d = parseIPv4(p.dst ?? "");
      if (s !== null) put(12, s, 4);
      if (d !== null) put(16, d, 4);
      break;
    }
    case "ip6": {
      const s = parseIPv6(p.src ?? "");
      const d = parseIPv6(p.dst ?? "");
      if (s !== null) s.forEach((b, i) => m.set(8 + i, b));
      if (d !== null) d.forEach((b, i) => m.set(24 + i, b));
      break;
    }
    case "arp": {
      if (p.arp !== undefined) put(6, p.arp.op === "who-has" ? 1 : 2, 2);
      const { src, dst } = view.addresses;
      const s = parseIPv4(src ?? "");
      const d = parseIPv4(dst ?? "");
      if (s !== null) put(14, s, 4);
      if (d !== null) put(24, d, 4);
      break;
    }
  }
  return m;
}
