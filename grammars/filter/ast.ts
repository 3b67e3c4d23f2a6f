/**
 * The parse tree of a tcpdump/BPF capture filter (pcap-filter(7)) as FortiOS accepts it in
 * `diagnose sniffer packet <if> '<filter>'`. Every node is a discriminated union member (`kind`);
 * implicit qualifiers (`port 80 or 81`, `host a and b`) are already resolved, so each primitive
 * carries its full qualifier set.
 */

/** `src`, `dst`, `src or dst` (the default when none is written), `src and dst`. */
export type Direction = "src" | "dst" | "src or dst" | "src and dst";

/** Protocol qualifiers (pcap-filter `proto` qualifiers and protocol abbreviations). */
export const PROTO_NAMES = [
  "ether",
  "ip",
  "ip6",
  "arp",
  "rarp",
  "tcp",
  "udp",
  "sctp",
  "icmp",
  "icmp6",
  "igmp",
  "igrp",
  "pim",
  "vrrp",
  "carp",
  "ah",
  "esp",
  "stp",
  "ipx",
  "netbeui",
  "atalk",
  "aarp",
  "decnet",
  "iso",
  "clnp",
  "isis",
  "esis",
] as const;
export type ProtoName = (typeof PROTO_NAMES)[number];

/** Qualifiers `host` accepts (a MAC address always gets `ether`). */
export type HostProto = "ether" | "ip" | "ip6" | "arp" | "rarp";
/** Qualifiers `net` accepts. */
export type NetProto = "ip" | "ip6" | "arp" | "rarp";
/** Qualifiers `port` and `portrange` accept. */
export type PortProto = "tcp" | "udp" | "sctp" | "ip" | "ip6";

/** Relational operators as written (`=` and `==` are the same test). */
export type RelOp = "=" | "==" | "!=" | "<" | "<=" | ">" | ">=";
/** Arithmetic operators of byte-offset expressions (unsigned 32-bit, as BPF). */
export type ArithOp = "+" | "-" | "*" | "/" | "%" | "&" | "|" | "^" | "<<" | ">>";

export type ArithNode =
  /** a number; `name` keeps a named constant as written (`tcp-syn`, `tcpflags`, `icmp-echo`) */
  | { kind: "num"; value: number; name?: string }
  /** `proto[offset]`, `proto[offset:size]` */
  | { kind: "load"; proto: ProtoName; offset: ArithNode; size: 1 | 2 | 4 }
  /** `len`: the packet length */
  | { kind: "len" }
  | { kind: "binary"; op: ArithOp; left: ArithNode; right: ArithNode }
  | { kind: "neg"; expr: ArithNode };

export type FilterNode =
  /** the empty filter, `none`: every packet */
  | { kind: "all" }
  | { kind: "and"; left: FilterNode; right: FilterNode }
  | { kind: "or"; left: FilterNode; right: FilterNode }
  | { kind: "not"; expr: FilterNode }
  /** `host X`; X is an address or a name as written (masked `XX.XX.98.156`, `<NAS-IP>` included) */
  | { kind: "host"; proto: HostProto | null; dir: Direction; host: string }
  /**
   * `net 10.0.0.0/8`, `net 10.0.0.0 mask 255.0.0.0`, `net 10`: `addr` is the network address and
   * `prefix` its length; `prefix` is null when `addr` is a name or a masked address
   */
  | { kind: "net"; proto: NetProto | null; dir: Direction; addr: string; prefix: number | null }
  /** `port 53`; `name` keeps a service name as written (`port domain`) */
  | { kind: "port"; proto: PortProto | null; dir: Direction; port: number; name?: string }
  | { kind: "portrange"; proto: PortProto | null; dir: Direction; from: number; to: number }
  /** a protocol abbreviation: `tcp`, `udp`, `icmp`, `ip6`, `arp`, `esp`, `stp` … */
  | { kind: "proto"; proto: ProtoName }
  /** `proto N` (`over` null: IPv4 or IPv6), `ip proto N`, `ip6 proto N`; `name` as written (`\tcp`, `gre`) */
  | { kind: "ipProto"; over: "ip" | "ip6" | null; protocol: number; name?: string }
  /** `ether proto 0x8890` */
  | { kind: "etherProto"; ethertype: number; name?: string }
  | { kind: "gateway"; host: string }
  /** `vlan`, `vlan 10` */
  | { kind: "vlan"; id: number | null }
  | { kind: "pppoed" }
  | { kind: "pppoes"; session: number | null }
  /** `less N` (length <= N), `greater N` (length >= N) */
  | { kind: "length"; op: "less" | "greater"; value: number }
  | { kind: "broadcast"; proto: "ether" | "ip" | null }
  | { kind: "multicast"; proto: "ether" | "ip" | "ip6" | null }
  | { kind: "inbound" }
  | { kind: "outbound" }
  /** byte-offset comparison: `tcp[13] & 2 != 0`, `icmp[icmptype] == icmp-echo`, `ip[2:2] > 1000` */
  | { kind: "compare"; op: RelOp; left: ArithNode; right: ArithNode };

export type FilterKind = FilterNode["kind"];
