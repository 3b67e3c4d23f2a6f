/**
 * Keyed, consistent, prefix-preserving pseudonyms for IPv4, IPv6 and MAC addresses, in the spirit
 * of Crypto-PAn (Xu, Fan, Ammar, Moon 2002): bit i of the pseudonym is bit i of the address
 * flipped by a keyed pseudo-random bit of the address's first i bits. Two addresses that share a
 * k-bit prefix get pseudonyms that share a k-bit prefix, and the map is one-to-one.
 *
 * What the analysis relies on is kept, so a masked capture gives the same verdicts:
 * - never masked: unspecified, loopback, multicast, 240.0.0.0/4 (with 255.255.255.255), ff00::/8;
 * - address classes are kept: a private (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7),
 *   link-local (169.254/16, fe80::/10) or documentation (192.0.2/24, 198.51.100/24, 203.0.113/24,
 *   2001:db8::/32) address stays in its range (its range prefix is kept, the rest is masked), and
 *   other addresses never land in one of these ranges (cycle walking: the permutation is applied
 *   again until the result is outside them, which keeps the map one-to-one);
 * - IPv4 host bytes .0 and .255 (the analyzer's subnet broadcasts) stay, and no other host becomes
 *   .0 or .255; masking is prefix-preserving down to the /24, the host byte is a keyed permutation
 *   of the /24 (itself prefix-preserving unless it had to walk off .0/.255 or a kept address);
 * - `keep` leaves whole classes as they are (`private`, `documentation`) and `keepAddresses`
 *   single addresses (the catalogue's service addresses, so FortiGuard servers stay recognisable);
 * - MACs: group (multicast/broadcast) and all-zero MACs stay; others keep their vendor OUI (the
 *   first three bytes) and get a pseudonymous NIC part.
 */
import { Hmac } from "./prf.js";

export type MaskKeepClass = "private" | "documentation";

export interface AddressMaskOptions {
  /** the masking key: the same key gives the same pseudonyms */
  key: Uint8Array | string;
  /** address classes left as they are */
  keep?: readonly MaskKeepClass[];
  /** single addresses left as they are (e.g. the catalogue's service addresses) */
  keepAddresses?: Iterable<string>;
}

interface Range {
  bytes: number[];
  bits: number;
  cls: "private" | "link-local" | "documentation" | "never";
}

const V4_RANGES: Range[] = [
  { bytes: [0, 0, 0, 0], bits: 8, cls: "never" },
  { bytes: [127, 0, 0, 0], bits: 8, cls: "never" },
  { bytes: [224, 0, 0, 0], bits: 4, cls: "never" },
  { bytes: [240, 0, 0, 0], bits: 4, cls: "never" },
  { bytes: [10, 0, 0, 0], bits: 8, cls: "private" },
  { bytes: [172, 16, 0, 0], bits: 12, cls: "private" },
  { bytes: [192, 168, 0, 0], bits: 16, cls: "private" },
  { bytes: [100, 64, 0, 0], bits: 10, cls: "private" },
  { bytes: [169, 254, 0, 0], bits: 16, cls: "link-local" },
  { bytes: [192, 0, 2, 0], bits: 24, cls: "documentation" },
  { bytes: [198, 51, 100, 0], bits: 24, cls: "documentation" },
  { bytes: [203, 0, 113, 0], bits: 24, cls: "documentation" },
];

function v6(prefix: number[], bits: number, cls: Range["cls"]): Range {
  const bytes = new Array<number>(16).fill(0);
  prefix.forEach((b, i) => (bytes[i] = b));
  return { bytes, bits, cls };
}

const V6_RANGES: Range[] = [
  v6([], 96, "never"), // ::/96: unspecified, loopback, IPv4-compatible
  v6([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 96, "never"), // ::ffff:0:0/96, IPv4-mapped (its IPv4 part is masked as IPv4)
  v6([0xff], 8, "never"),
  v6([0xfc], 7, "private"),
  v6([0xfe, 0x80], 64, "link-local"), // fe80::/64, as link-local addresses are written (only the interface ID is masked)
  v6([0xfe, 0x80], 10, "link-local"),
  v6([0x20, 0x01, 0x0d, 0xb8], 32, "documentation"),
];

function inRange(a: Uint8Array, r: Range): boolean {
  const full = r.bits >> 3;
  for (let i = 0; i < full; i++) if (a[i] !== r.bytes[i]) return false;
  const rest = r.bits & 7;
  if (rest === 0) return true;
  const m = (0xff << (8 - rest)) & 0xff;
  return ((a[full] ?? 0) & m) === ((r.bytes[full] ?? 0) & m);
}

function rangeOf(a: Uint8Array, ranges: Range[]): Range | null {
  for (const r of ranges) if (inRange(a, r)) return r;
  return null;
}

export interface MaskCounts {
  ipv4: number;
  ipv6: number;
  mac: number;
}

export class AddressMasker {
  private readonly prf: Hmac;
  private readonly bitCache = new Map<string, number>();
  private readonly keep: Set<MaskKeepClass>;
  private readonly keepV4 = new Set<string>();
  private readonly keepV6 = new Set<string>();
  private readonly v4Cache = new Map<string, string>();
  private readonly v6Cache = new Map<string, string>();
  private readonly macCache = new Map<string, string>();

  constructor(options: AddressMaskOptions) {
    const key = typeof options.key === "string" ? new TextEncoder().encode(options.key) : options.key;
    this.prf = new Hmac(key);
    this.keep = new Set(options.keep ?? []);
    for (const a of options.keepAddresses ?? []) {
      const b4 = parseIPv4(a);
      if (b4 !== null) this.keepV4.add(formatIPv4(b4));
      const b6 = b4 === null ? parseIPv6(a) : null;
      if (b6 !== null) this.keepV6.add(formatIPv6(b6));
    }
  }

  /** Distinct addresses given a pseudonym so far. */
  counts(): MaskCounts {
    return { ipv4: this.v4Cache.size, ipv6: this.v6Cache.size, mac: this.macCache.size };
  }

  /** The keyed pseudo-random bit for bit `i` of an address of `domain`, given its first i bits. */
  private bit(domain: number, a: Uint8Array, i: number): number {
    const n = (i + 7) >> 3;
    const msg = new Uint8Array(2 + n);
    msg[0] = domain;
    msg[1] = i;
    for (let k = 0; k < n; k++) msg[2 + k] = a[k] ?? 0;
    if ((i & 7) !== 0) msg[1 + n] = (msg[1 + n] ?? 0) & ((0xff << (8 - (i & 7))) & 0xff);
    let id = "";
    for (const b of msg) id += String.fromCharCode(b);
    let bit = this.bitCache.get(id);
    if (bit === undefined) {
      bit = (this.prf.digest(msg)[0] ?? 0) & 1;
      this.bitCache.set(id, bit);
    }
    return bit;
  }

  /** Crypto-PAn over bits [from, to) of `a` (other bits unchanged): a prefix-preserving permutation. */
  private permute(domain: number, a: Uint8Array, from: number, to: number): Uint8Array {
    const out = Uint8Array.from(a);
    for (let i = from; i < to; i++) {
      if (this.bit(domain, a, i) === 1) out[i >> 3] = (out[i >> 3] ?? 0) ^ (0x80 >> (i & 7));
    }
    return out;
  }

  /** The pseudonym of IPv4 address bytes (4 bytes in, 4 bytes out). */
  ipv4Bytes(a: Uint8Array): Uint8Array {
    const text = formatIPv4(a);
    const cached = this.v4Cache.get(text);
    if (cached !== undefined) return parseIPv4(cached) as Uint8Array;
    const out = this.maskV4(a);
    this.v4Cache.set(text, formatIPv4(out));
    return out;
  }

  private maskV4(a: Uint8Array): Uint8Array {
    if (this.keepV4.has(formatIPv4(a))) return Uint8Array.from(a);
    const range = rangeOf(a, V4_RANGES);
    if (range !== null && (range.cls === "never" || this.keep.has(range.cls as MaskKeepClass))) return Uint8Array.from(a);
    // the /24: inside its class range (range prefix kept), or walked off every special range
    let net: Uint8Array;
    if (range !== null) net = this.permute(4, a, range.bits, 24);
    else {
      net = this.permute(4, a, 0, 24);
      for (let guard = 0; rangeOf(net, V4_RANGES) !== null && guard < 1000; guard++) net = this.permute(4, net, 0, 24);
    }
    const host = a[3] ?? 0;
    const out = Uint8Array.from(net);
    if (host === 0 || host === 255) {
      out[3] = host;
      return out;
    }
    // the host byte: a keyed permutation of the original /24 walked off .0, .255 and kept addresses
    const probe = Uint8Array.from(a);
    let h = host;
    for (let guard = 0; guard < 512; guard++) {
      probe[3] = h;
      h = this.permute(4, probe, 24, 32)[3] ?? 0;
      out[3] = h;
      if (h !== 0 && h !== 255 && !this.keepV4.has(formatIPv4(out))) break;
    }
    return out;
  }

  /** The pseudonym of an IPv4 address in dotted form. */
  ipv4(text: string): string {
    const cached = this.v4Cache.get(text);
    if (cached !== undefined) return cached;
    const a = parseIPv4(text);
    return a === null ? text : formatIPv4(this.ipv4Bytes(a));
  }

  /** The pseudonym of IPv6 address bytes (16 in, 16 out). */
  ipv6Bytes(a: Uint8Array): Uint8Array {
    const text = formatIPv6(a);
    const cached = this.v6Cache.get(text);
    if (cached !== undefined) return parseIPv6(cached) as Uint8Array;
    const out = this.maskV6(a);
    this.v6Cache.set(text, formatIPv6(out));
    return out;
  }

  private maskV6(a: Uint8Array): Uint8Array {
    if (this.keepV6.has(formatIPv6(a))) return Uint8Array.from(a);
    const mapped = inRange(a, V6_RANGES[1] as Range);
    if (mapped) {
      const out = Uint8Array.from(a);
      out.set(this.ipv4Bytes(a.subarray(12, 16)), 12);
      return out;
    }
    const range = rangeOf(a, V6_RANGES);
    if (range !== null && (range.cls === "never" || this.keep.has(range.cls as MaskKeepClass))) return Uint8Array.from(a);
    if (range !== null) return this.permute(6, a, range.bits, 128);
    let out = this.permute(6, a, 0, 128);
    for (let guard = 0; (rangeOf(out, V6_RANGES) !== null || this.keepV6.has(formatIPv6(out))) && guard < 1000; guard++) out = this.permute(6, out, 0, 128);
    return out;
  }

  /** The pseudonym of an IPv6 address in text form (printed as RFC 5952), or the text itself when it is not one. */
  ipv6(text: string): string {
    const cached = this.v6Cache.get(text);
    if (cached !== undefined) return cached;
    const a = parseIPv6(text);
    if (a === null) return text;
    const out = formatIPv6(this.ipv6Bytes(a));
    this.v6Cache.set(text, out);
    return out;
  }

  /** The pseudonym of MAC bytes (6 in, 6 out). */
  macBytes(a: Uint8Array): Uint8Array {
    const text = formatMac(a);
    const cached = this.macCache.get(text);
    if (cached !== undefined) return parseMac(cached) as Uint8Array;
    const group = ((a[0] ?? 0) & 1) === 1;
    const zero = a.every((b) => b === 0);
    const out = group || zero ? Uint8Array.from(a) : this.permute(48, a, 24, 48);
    this.macCache.set(text, formatMac(out));
    return out;
  }

  /** The pseudonym of a MAC in `aa:bb:cc:dd:ee:ff` form (case kept). */
  mac(text: string): string {
    const a = parseMac(text);
    if (a === null) return text;
    const out = formatMac(this.macBytes(a));
    return text === text.toUpperCase() && /[A-F]/.test(text) ? out.toUpperCase() : out;
  }
}

export function parseIPv4(text: string): Uint8Array | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i] ?? "";
    if (!/^\d{1,3}$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    out[i] = v;
  }
  return out;
}

export function formatIPv4(a: Uint8Array): string {
  return `${a[0]}.${a[1]}.${a[2]}.${a[3]}`;
}

export function parseIPv6(text: string): Uint8Array | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(":")) return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const words = (h: string): number[] | null => {
    if (h === "") return [];
    const out: number[] = [];
    const groups = h.split(":");
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i] ?? "";
      if (i === groups.length - 1 && g.includes(".")) {
        const v4 = parseIPv4(g);
        if (v4 === null) return null;
        out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
        out.push(parseInt(g, 16));
      }
    }
    return out;
  };
  const head = words(halves[0] ?? "");
  const tail = halves.length === 2 ? words(halves[1] ?? "") : [];
  if (head === null || tail === null) return null;
  if (halves.length === 2 ? head.length + tail.length > 7 : head.length !== 8) return null;
  const all = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((w, i) => {
    out[i * 2] = w >> 8;
    out[i * 2 + 1] = w & 0xff;
  });
  return out;
}

/** RFC 5952 text: lowercase, leading zeros dropped, the longest run (≥ 2) of zero words as `::`. */
export function formatIPv6(a: Uint8Array): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push(((a[i * 2] ?? 0) << 8) | (a[i * 2 + 1] ?? 0));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (ws: number[]) => ws.map((x) => x.toString(16)).join(":");
  if (best < 0) return hex(w);
  return `${hex(w.slice(0, best))}::${hex(w.slice(best + bestLen))}`;
}

export function parseMac(text: string): Uint8Array | null {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-fA-F]{2}$/.test(p))) return null;
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

export function formatMac(a: Uint8Array): string {
  return [...a].map((b) => b.toString(16).padStart(2, "0")).join(":");
}
