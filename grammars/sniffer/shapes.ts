/** What the sniffer line grammar says about one line. */

export type PreambleField =
  | "interfaces"
  | "filters"
  | "mode"
  | "pcap"
  | "system-time"
  | "count"
  | "snaplen"
  | "linktype";

export interface PreambleItem {
  field: PreambleField;
  value: string;
}

export interface IcmpShape {
  /** offset in the line where the ICMP text starts (-1: none) */
  start: number;
  kind: "echo-request" | "echo-reply" | "unreachable" | "other";
  seq: number | null;
  unreachable: { host: string; proto: string; port: number | null } | null;
}

export type SummaryShape =
  | { proto: "tcp"; flags: string[]; seq: number | null; ack: number | null }
  | { proto: "udp"; length: number }
  | { proto: "icmp" | "icmp6"; icmp: IcmpShape }
  | { proto: "ip"; ipProto: number; length: number }
  | { proto: "esp"; esp: { spi: string; seq: number } }
  | { proto: "arp"; arp: { op: "who-has" | "reply"; target: string; sender: string | null; mac: string | null } }
  | { proto: "stp" }
  | { proto: "vlan"; vlan: { id: number; priority: number } }
  | { proto: "other" };

export interface HeaderShape {
  slot: string | null;
  /** as printed; empty when the line has none (a KB article's header without its timestamp) */
  timestamp: string;
  absolute: boolean;
  iface: string | null;
  dir: "in" | "out" | "unknown" | null;
  /** raw endpoint tokens (`82.x.x.x.59730`, `fe80::1.546`, `10.0.1.10`) */
  src: string | null;
  dst: string | null;
  summaryStart: number;
  summary: SummaryShape;
}

export type LineShape =
  | { kind: "hexRow"; image: string }
  | { kind: "header"; header: HeaderShape }
  | { kind: "trailer"; field: "received" | "dropped" | "ctrl-c"; count: number | null }
  | { kind: "preamble"; items: PreambleItem[] }
  | { kind: "command"; prompt: string | null; startOffset: number; args: string[] }
  | { kind: "prompt"; prompt: string; rest: string }
  | { kind: "noise"; reason: NoiseReason }
  | { kind: "unrecognized"; reason: string };

export type NoiseReason =
  | "prompt"
  | "cli-help"
  | "terminal-log"
  | "debug-flow"
  | "markdown"
  | "placeholder"
  | "foreign-dump"
  | "prose";
