/**
 * From a packet's hex dump to a frame Wireshark reads: the link type (Ethernet or raw IP) and the
 * frame bytes, with the FortiOS pseudo-header quirks of ../shared/spec/sniffer-format.md §4.3
 * undone. Pure: no Node imports.
 *
 * Verbose 3/6 dumps start at the Ethernet header "if available":
 *   - named physical interfaces and `any`: a real or pseudo-Ethernet header, kept as Ethernet (the
 *     MAC addresses of `any` captures are synthetic; the ethertype is right);
 *   - `0x8890`/`0x8891` (FortiGate HA) in front of an IPv4/IPv6 packet: the ethertype becomes
 *     0x0800/0x86dd; a real HA heartbeat (no IP header behind the type) stays as it is;
 *   - the "internal Fortigate tag" variant (fgt2eth.pl `adjustPacket`): two internal bytes sit
 *     where the ethertype belongs and the real ethertype (0x0800, 0x86dd, 0x0806, 0x8893) is at
 *     offset 14: the two bytes are removed;
 *   - PPP interfaces (`ppp0`, or those named in `p2p`): a synthetic 14-byte header whose "MACs"
 *     are zeros and leftover bytes (sniftran `--p2p`): removed, the frame is raw IP;
 *   - tunnel/VPN interfaces: no Ethernet header, the dump starts at the IP header: raw IP.
 * Verbose 2/5 dumps start at the network header: raw IP; ARP (`0001 0800 0604`) gets a
 * synthetic Ethernet header built from the ARP sender/target addresses.
 */
import { hexToBytes } from "../../grammars/sniffer/hexRow.js";
import { dumpBytes } from "../assembly/dumps.js";
import type { PacketRecord, Verbose } from "../records.js";

export const LINKTYPE_ETHERNET = 1;
/** LINKTYPE_RAW: the packet starts at the IPv4 or IPv6 header */
export const LINKTYPE_RAW = 101;
export type LinkType = typeof LINKTYPE_ETHERNET | typeof LINKTYPE_RAW;

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_VLAN = 0x8100;
/** FortiGate HA: heartbeat, (second heartbeat / legacy), session synchronisation */
export const ETHERTYPE_FGCP_HB = 0x8890;
export const ETHERTYPE_FGCP_HB2 = 0x8891;
export const ETHERTYPE_FGCP_SESSION = 0x8893;

export const FRAME_FIXES = ["ha-ethertype", "internal-tag", "ppp-header", "arp-ethernet", "tunnel-raw-ip", "raw-ip-ethernet"] as const;
/**
 * What was done to the dumped bytes:
 * - `ha-ethertype`: an 0x8890/0x8891 type in front of an IP packet was replaced by the IP ethertype
 * - `internal-tag`: the 2 internal bytes before an ethertype at offset 14 were removed
 * - `ppp-header`: the synthetic 14-byte header of a PPP interface was removed (raw IP)
 * - `arp-ethernet`: an ARP packet dumped from its ARP header got a synthetic Ethernet header
 * - `tunnel-raw-ip`: a verbose 3/6 dump without an Ethernet header (tunnel interface) is raw IP
 * - `raw-ip-ethernet`: a raw-IP frame got a synthetic Ethernet header (classic pcap, one link type)
 */
export type FrameFix = (typeof FRAME_FIXES)[number];

export interface Frame {
  linktype: LinkType;
  data: Uint8Array;
  /** length on the wire: more than `data.length` when the IP header says the dump was cut short */
  origLength: number;
  fixes: FrameFix[];
}

export type FrameSkipReason = "no-hex-dump" | "not-ip";

export type FrameResult = { ok: true; frame: Frame } | { ok: false; reason: FrameSkipReason; message: string };

export interface FrameOptions {
  /** the capture's verbose level (2/5: the dump starts at the network header) */
  verbose: Verbose | null;
  /** the interface the packet was seen on (or the capture's interface) */
  iface: string | null;
  /** treat the 14-byte header as synthetic on this interface (PPP); `ppp\d*` names always are */
  pointToPoint?: boolean;
}

const PPP_NAME = /^ppp\d*$/i;

/** Is this interface a PPP interface whose dumps carry a synthetic 14-byte header? */
export function isPppInterface(name: string | null): boolean {
  return name !== null && PPP_NAME.test(name);
}

/** Ethertypes (and 802.3 lengths) that mean the bytes at 12..13 are a real type field. */
const KNOWN_ETHERTYPES = new Set([
  0x0800, 0x0806, 0x0842, 0x22f3, 0x6558, 0x8035, 0x809b, 0x80f3, 0x8100, 0x8137, 0x86dd, 0x8808, 0x8809, 0x8847, 0x8848, 0x8863, 0x8864, 0x886d,
  0x888e, 0x8890, 0x8891, 0x8892, 0x8893, 0x889a, 0x88a8, 0x88cc, 0x88e5, 0x88f7, 0x8906, 0x8914, 0x9000, 0x9100,
]);

/** IPv6 next-header values a first header plausibly carries */
const IPV6_NEXT = new Set([0, 2, 4, 6, 17, 41, 43, 44, 47, 50, 51, 58, 59, 60, 88, 89, 103, 112, 132, 135, 139, 140]);

function u16(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
}

/**
 * How much the bytes at `o` look like an IPv4 header: 0 not at all, 1 version and header length,
 * 2 and a total length that fits the dump (equal, longer when cut short, or shorter by Ethernet
 * padding), 3 and a correct header checksum.
 */
export function ipv4Level(b: Uint8Array, o: number): number {
  const avail = b.length - o;
  if (avail < 1) return 0;
  const first = b[o] ?? 0;
  const ihl = (first & 15) * 4;
  if (first >> 4 !== 4 || ihl < 20) return 0;
  if (avail < 4) return 1;
  const total = u16(b, o + 2);
  if (total < ihl) return 0;
  if (!(total >= avail || avail - total <= 46)) return 1;
  if (avail < ihl) return 2;
  let sum = 0;
  for (let i = 0; i < ihl; i += 2) sum += u16(b, o + i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum === 0xffff ? 3 : 2;
}

/**
 * How much the bytes at `o` look like an IPv6 header: 0 not at all, 1 the version, 2 a plausible
 * next header and a payload length that fits the dump, 3 a payload length that ends exactly at
 * the end of the dump.
 */
export function ipv6Level(b: Uint8Array, o: number): number {
  const avail = b.length - o;
  if (avail < 1 || (b[o] ?? 0) >> 4 !== 6) return 0;
  if (avail < 8) return 1;
  const total = 40 + u16(b, o + 4);
  if (!IPV6_NEXT.has(b[o + 6] ?? 0)) return 1;
  if (total === avail) return 3;
  return total > avail || avail - total <= 46 ? 2 : 1;
}

/** An Ethernet/IPv4 ARP header at `o` (`0001 0800 0604`). */
export function isArpAt(b: Uint8Array, o: number): boolean {
  return b.length - o >= 6 && u16(b, o) === 1 && u16(b, o + 2) === ETHERTYPE_IPV4 && b[o + 4] === 6 && b[o + 5] === 4;
}

function ipLevel(b: Uint8Array, o: number): number {
  return Math.max(ipv4Level(b, o), ipv6Level(b, o));
}

/** Level of the network header behind an ethertype at `typeAt`. */
function l3Level(b: Uint8Array, typeAt: number): number {
  const type = u16(b, typeAt);
  const o = typeAt + 2;
  switch (type) {
    case ETHERTYPE_IPV4:
      return ipv4Level(b, o);
    case ETHERTYPE_IPV6:
      return ipv6Level(b, o);
    case ETHERTYPE_ARP:
      return isArpAt(b, o) ? 3 : 0;
    default:
      return 0;
  }
}

/** Bytes with `count` bytes removed at `at`. */
function cut(b: Uint8Array, at: number, count: number): Uint8Array {
  const out = new Uint8Array(b.length - count);
  out.set(b.subarray(0, at), 0);
  out.set(b.subarray(at + count), at);
  return out;
}

function ethernetHeader(dst: Uint8Array | null, src: Uint8Array | null, type: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(14 + payload.length);
  if (dst !== null) out.set(dst.subarray(0, 6), 0);
  if (src !== null) out.set(src.subarray(0, 6), 6);
  out[12] = type >> 8;
  out[13] = type & 0xff;
  out.set(payload, 14);
  return out;
}

/** ARP dumped from its own header: Ethernet header from the sender and (replies) target MAC. */
function arpFrame(arp: Uint8Array): Uint8Array {
  const op = u16(arp, 6);
  const sender = arp.length >= 14 ? arp.subarray(8, 14) : null;
  const target = op === 2 && arp.length >= 24 ? arp.subarray(18, 24) : new Uint8Array(6).fill(0xff);
  return ethernetHeader(target, sender, ETHERTYPE_ARP, arp);
}

/** Where the network header starts in a frame of this link type, or -1. */
export function networkOffset(linktype: LinkType, data: Uint8Array): number {
  if (linktype === LINKTYPE_RAW) return 0;
  let at = 12;
  let type = u16(data, at);
  while ((type === ETHERTYPE_VLAN || type === 0x88a8) && data.length >= at + 6) {
    at += 4;
    type = u16(data, at);
  }
  return type === ETHERTYPE_IPV4 || type === ETHERTYPE_IPV6 ? at + 2 : -1;
}

/** The length on the wire, from the IP header, when the dump holds less than the header says. */
export function wireLength(linktype: LinkType, data: Uint8Array): number {
  const o = networkOffset(linktype, data);
  if (o < 0 || data.length - o < 6) return data.length;
  let total = -1;
  if (ipv4Level(data, o) >= 2) total = u16(data, o + 2);
  else if (ipv6Level(data, o) >= 2) total = 40 + u16(data, o + 4);
  return total > 0 && o + total > data.length ? o + total : data.length;
}

function done(linktype: LinkType, data: Uint8Array, fixes: FrameFix[]): FrameResult {
  return { ok: true, frame: { linktype, data, origLength: wireLength(linktype, data), fixes } };
}

/** Frame of a dump that starts at the link layer (verbose 3/6), or at the IP header (tunnels). */
function linkFrame(b: Uint8Array, options: FrameOptions): FrameResult {
  const eth = b.length >= 14 ? l3Level(b, 12) : 0;
  const type = u16(b, 12);

  // PPP: synthetic header (zeros, then leftover bytes where the source MAC would be)
  const p2p = options.pointToPoint === true || isPppInterface(options.iface);
  if (p2p && b.length > 14 && b.subarray(0, 5).every((x) => x === 0) && (type === ETHERTYPE_IPV4 || type === ETHERTYPE_IPV6) && eth >= 1) {
    return done(LINKTYPE_RAW, b.slice(14), ["ppp-header"]);
  }

  // a checksummed IPv4 header (or an IPv6 header whose length ends the dump) at offset 0: tunnel
  const raw = ipv4Level(b, 0) === 3 || ipv6Level(b, 0) === 3 ? 3 : 0;
  if (eth >= 2 && eth >= raw) return done(LINKTYPE_ETHERNET, b, []);
  if (raw === 3) return done(LINKTYPE_RAW, b, ["tunnel-raw-ip"]);

  // FortiGate HA ethertypes in front of an IP packet
  if (type === ETHERTYPE_FGCP_HB || type === ETHERTYPE_FGCP_HB2) {
    const v4 = ipv4Level(b, 14);
    const v6 = ipv6Level(b, 14);
    if (v4 >= 2 || v6 >= 2) {
      const out = b.slice();
      const ip = v4 >= v6 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6;
      out[12] = ip >> 8;
      out[13] = ip & 0xff;
      return done(LINKTYPE_ETHERNET, out, ["ha-ethertype"]);
    }
    return done(LINKTYPE_ETHERNET, b, []);
  }

  // internal tag: the real ethertype at offset 14
  if (b.length >= 16 && !KNOWN_ETHERTYPES.has(type)) {
    const inner = u16(b, 14);
    let fits = false;
    if (inner === ETHERTYPE_FGCP_SESSION) fits = true;
    else if (inner === ETHERTYPE_IPV4 || inner === ETHERTYPE_IPV6 || inner === ETHERTYPE_ARP) fits = l3Level(b, 14) >= 2;
    else if (inner === ETHERTYPE_FGCP_HB || inner === ETHERTYPE_FGCP_HB2) fits = ipLevel(b, 16) >= 2;
    if (fits) {
      const out = cut(b, 12, 2);
      const fixes: FrameFix[] = ["internal-tag"];
      if (inner === ETHERTYPE_FGCP_HB || inner === ETHERTYPE_FGCP_HB2) {
        const ip = ipv4Level(out, 14) >= 2 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6;
        out[12] = ip >> 8;
        out[13] = ip & 0xff;
        fixes.push("ha-ethertype");
      }
      return done(LINKTYPE_ETHERNET, out, fixes);
    }
  }

  // an ARP header first: dumped from the network layer after all
  if (eth === 0 && isArpAt(b, 0)) return done(LINKTYPE_ETHERNET, arpFrame(b), ["arp-ethernet"]);
  // an IP header whose checksum does not hold (edited dump) and no Ethernet reading at all
  if (eth === 0 && !KNOWN_ETHERTYPES.has(type) && ipLevel(b, 0) >= 2) return done(LINKTYPE_RAW, b, ["tunnel-raw-ip"]);
  return done(LINKTYPE_ETHERNET, b, []);
}

/** Frame of a dump that starts at the network header (verbose 2/5). */
function networkFrame(b: Uint8Array, line: number, verbose: Verbose): FrameResult {
  if (isArpAt(b, 0)) return done(LINKTYPE_ETHERNET, arpFrame(b), ["arp-ethernet"]);
  if (ipv4Level(b, 0) >= 1 || ipv6Level(b, 0) >= 1) return done(LINKTYPE_RAW, b, []);
  return {
    ok: false,
    reason: "not-ip",
    message: `packet at line ${line}: the verbose ${verbose} dump starts with neither an IP nor an ARP header, and has no link-layer header to tell what it is`,
  };
}

/** The link type and frame bytes of one packet record. */
export function frameOf(p: PacketRecord, options: FrameOptions): FrameResult {
  if (p.bytes === null || p.bytes.length < 2) {
    return { ok: false, reason: "no-hex-dump", message: `packet at line ${p.line} has no hex dump` };
  }
  return frameOfBytes(dumpBytes(p) ?? hexToBytes(p.bytes), p.line, options);
}

/** As `frameOf`, over bytes already decoded. */
export function frameOfBytes(b: Uint8Array, line: number, options: FrameOptions): FrameResult {
  if (options.verbose === 2 || options.verbose === 5) return networkFrame(b, line, options.verbose);
  return linkFrame(b, options);
}

/** A raw-IP frame with a synthetic Ethernet header (zero MACs, the IP version's ethertype). */
export function withEthernetHeader(frame: Frame): Frame {
  if (frame.linktype === LINKTYPE_ETHERNET) return frame;
  const type = (frame.data[0] ?? 0) >> 4 === 6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
  return {
    linktype: LINKTYPE_ETHERNET,
    data: ethernetHeader(null, null, type, frame.data),
    origLength: frame.origLength + 14,
    fixes: [...frame.fixes, "raw-ip-ethernet"],
  };
}
