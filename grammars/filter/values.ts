/**
 * Values inside filter primitives: numbers as libpcap reads them, IPv4/IPv6/MAC addresses, and the
 * service, IP-protocol and ethertype names a FortiGate resolves (a fixed table: the unit's own
 * /etc/services is not known here).
 */

/** libpcap's `stoulen`: `0x` hex, leading-zero octal, decimal; null when not a valid u32. */
export function parseNumber(text: string): number | null {
  let m: RegExpExecArray | null;
  let n: number;
  if ((m = /^0[xX]([0-9A-Fa-f]+)$/.exec(text)) !== null) n = parseInt(m[1] as string, 16);
  else if (/^0[0-7]+$/.test(text)) n = parseInt(text.slice(1), 8);
  else if (/^[0-9]+$/.test(text) && !/^0[0-9]/.test(text)) n = parseInt(text, 10);
  else return null;
  return n <= 0xffffffff ? n : null;
}

/** A full dotted IPv4 address as an unsigned 32-bit number, or null. */
export function parseIPv4(text: string): number | null {
  const parts = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (parts === null) return null;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const b = Number(parts[i]);
    if (b > 255) return null;
    v = v * 256 + b;
  }
  return v;
}

/** `10`, `192.168`, `172.16.1`, `10.0.0.0`: the value and how many octets were written (libpcap `__pcap_atoin`). */
export function parsePartialIPv4(text: string): { value: number; octets: number } | null {
  if (!/^\d{1,3}(?:\.\d{1,3}){0,3}$/.test(text)) return null;
  const parts = text.split(".").map(Number);
  if (parts.some((p) => p > 255)) return null;
  let v = 0;
  for (const p of parts) v = v * 256 + p;
  for (let i = parts.length; i < 4; i++) v *= 256;
  return { value: v, octets: parts.length };
}

export function formatIPv4(v: number): string {
  return [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join(".");
}

/** An IPv6 address as 16 bytes, or null (`::ffff:1.2.3.4` accepted). */
export function parseIPv6(text: string): Uint8Array | null {
  let s = text.toLowerCase();
  if (!/^[0-9a-f:.]+$/.test(s) || s.length < 2) return null;
  if (s.includes(".")) {
    // an embedded IPv4 tail (`::ffff:1.2.3.4`) becomes two hex groups
    const cut = s.lastIndexOf(":");
    const v4 = parseIPv4(s.slice(cut + 1));
    if (v4 === null) return null;
    s = s.slice(0, cut + 1) + ((v4 >>> 16) & 0xffff).toString(16) + ":" + (v4 & 0xffff).toString(16);
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] === "" ? [] : (halves[0] as string).split(":");
  const rest = halves.length === 2 ? (halves[1] === "" ? [] : (halves[1] as string).split(":")) : [];
  const groups = head.length + rest.length;
  if (halves.length === 1 && groups !== 8) return null;
  if (halves.length === 2 && groups > 7) return null;
  const all = halves.length === 2 ? [...head, ...Array<string>(8 - groups).fill("0"), ...rest] : head;
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const g = all[i] as string;
    if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
    const n = parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 255;
  }
  return out;
}

/** RFC 5952 text of 16 bytes (lower case, longest zero run compressed). */
export function formatIPv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(((bytes[i * 2] ?? 0) << 8) | (bytes[i * 2 + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return hex.slice(0, bestStart).join(":") + "::" + hex.slice(bestStart + bestLen).join(":");
}

/** `00:11:22:33:44:55`, `00-11-22-33-44-55`, `0011.2233.4455`, `001122334455`: 6 bytes, or null. */
export function parseMac(text: string): Uint8Array | null {
  let hex: string | null = null;
  let m: RegExpExecArray | null;
  if ((m = /^([0-9a-f]{1,2})([:.-])([0-9a-f]{1,2})\2([0-9a-f]{1,2})\2([0-9a-f]{1,2})\2([0-9a-f]{1,2})\2([0-9a-f]{1,2})$/i.exec(text)) !== null) {
    hex = [m[1], m[3], m[4], m[5], m[6], m[7]].map((b) => (b as string).padStart(2, "0")).join("");
  } else if (/^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i.test(text)) {
    hex = text.replace(/\./g, "");
  } else if (/^[0-9a-f]{12}$/i.test(text)) {
    hex = text;
  }
  if (hex === null) return null;
  const out = new Uint8Array(6);
  for (let i = 0; i < 6; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function formatMac(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(":");
}

/** Well-known TCP/UDP service names (the subset of /etc/services a sniffer filter plausibly names). */
export const SERVICES: Readonly<Record<string, number>> = {
  "ftp-data": 20,
  ftp: 21,
  ssh: 22,
  telnet: 23,
  smtp: 25,
  domain: 53,
  bootps: 67,
  bootpc: 68,
  tftp: 69,
  http: 80,
  www: 80,
  kerberos: 88,
  pop3: 110,
  sunrpc: 111,
  ntp: 123,
  "netbios-ns": 137,
  "netbios-dgm": 138,
  "netbios-ssn": 139,
  imap: 143,
  imap2: 143,
  snmp: 161,
  "snmp-trap": 162,
  snmptrap: 162,
  bgp: 179,
  ldap: 389,
  https: 443,
  "microsoft-ds": 445,
  isakmp: 500,
  syslog: 514,
  ldaps: 636,
  imaps: 993,
  pop3s: 995,
  "ms-sql-s": 1433,
  l2tp: 1701,
  pptp: 1723,
  radius: 1812,
  "radius-acct": 1813,
  nfs: 2049,
  mysql: 3306,
  "ms-wbt-server": 3389,
  "ipsec-nat-t": 4500,
  sip: 5060,
  "sip-tls": 5061,
};

/** IP protocol names (/etc/protocols) and libpcap's protocol keywords, for `proto`. */
export const IP_PROTOCOLS: Readonly<Record<string, number>> = {
  ip: 0,
  icmp: 1,
  igmp: 2,
  ggp: 3,
  ipencap: 4,
  ipip: 4,
  tcp: 6,
  egp: 8,
  igrp: 9,
  udp: 17,
  ipv6: 41,
  ip6: 41,
  rsvp: 46,
  gre: 47,
  esp: 50,
  ah: 51,
  icmp6: 58,
  "ipv6-icmp": 58,
  eigrp: 88,
  ospf: 89,
  ospfigp: 89,
  pim: 103,
  vrrp: 112,
  carp: 112,
  l2tp: 115,
  sctp: 132,
};

/** Ethertype names `ether proto` accepts. */
export const ETHER_TYPES: Readonly<Record<string, number>> = {
  ip: 0x0800,
  arp: 0x0806,
  rarp: 0x8035,
  ip6: 0x86dd,
  atalk: 0x809b,
  aarp: 0x80f3,
  decnet: 0x6003,
  lat: 0x6004,
  sca: 0x6007,
  moprc: 0x6002,
  mopdl: 0x6001,
  ipx: 0x8137,
  loopback: 0x9000,
};
