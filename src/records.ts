/**
 * The records the parser emits, as in ../shared/spec/contract.md (`parse --format jsonl`).
 * Every record carries the 1-based input line it came from.
 */

export type Direction = "in" | "out" | "unknown";
export type Timestamps = "absolute" | "relative";
export type Verbose = 1 | 2 | 3 | 4 | 5 | 6;

export type PacketProto =
  | "tcp"
  | "udp"
  | "icmp"
  | "icmp6"
  | "arp"
  | "esp"
  | "ip"
  | "stp"
  | "vlan"
  | "other";

export type TcpFlag = "syn" | "fin" | "rst" | "psh" | "ack" | "urg" | "ece" | "cwr";

export interface TcpFields {
  flags: TcpFlag[];
  seq: number | null;
  ack: number | null;
}

export type IcmpKind = "echo-request" | "echo-reply" | "unreachable" | "other";

export interface IcmpFields {
  text: string;
  kind: IcmpKind;
  /** echo sequence number when printed (`icmp6: echo request seq 415`) */
  seq?: number;
  /** `icmp: 10.0.1.10 udp port 60614 unreachable`: the host and port the unreachable quotes */
  unreachable?: { host: string; proto: string; port: number | null };
}

export interface ArpFields {
  op: "who-has" | "reply";
  target: string;
  sender: string | null;
  mac: string | null;
}

export interface CaptureRecord {
  type: "capture";
  source: string;
  index: number;
  /** line of the command echo, or the first preamble line, or the first packet */
  line: number;
  command: string | null;
  interfaces: string | null;
  filter: string | null;
  verbose: Verbose | null;
  timestamps: Timestamps | null;
  /** `count` argument of the command; null when absent or 0 (unlimited) */
  count: number | null;
  /** trailer counters, null when the capture has no trailer */
  received: number | null;
  dropped: number | null;
  /** the last line that belongs to this capture */
  endLine: number;
}

export interface PacketRecord {
  type: "packet";
  source: string;
  capture: number;
  line: number;
  /** FortiGate-6000/7000 blade prefix (`[FIM01]`) */
  slot?: string;
  ts: number;
  iface: string | null;
  dir: Direction | null;
  proto: PacketProto;
  src: string | null;
  sport: number | null;
  dst: string | null;
  dport: number | null;
  length: number | null;
  tcp?: TcpFields;
  icmp?: IcmpFields;
  arp?: ArpFields;
  /** 802.1Q tag when the summary is `802.1Q vlan#N PN` */
  vlan?: { id: number; priority: number };
  /** IPsec ESP header fields */
  esp?: { spi: string; seq: number };
  /** IP protocol number for `ip-proto-N` */
  ipProto?: number;
  summary: string;
  bytes: string | null;
  notes?: string[];
  /** author comment appended to the line (`   //EIGRP ...`) */
  comment?: string;
  /** lines of the hex rows that were joined into `bytes` */
  hexLines?: number[];
}

export type DiagnosticCode =
  | "unrecognized-line"
  | "hex-offset-gap"
  | "hex-offset-duplicate"
  | "hex-without-header"
  | "hex-row-malformed"
  | "truncated-packet"
  | "no-capture"
  | "line-too-long"
  | "binary-input"
  | "control-character"
  | "invalid-timestamp"
  | "hex-offset-beyond-snaplen"
  | "internal-error";

export interface DiagnosticRecord {
  type: "diagnostic";
  source: string;
  line: number;
  severity: "warning" | "error";
  code: DiagnosticCode;
  message: string;
  text: string;
}

/** The classes every input line is counted in, exactly once. */
export const LINE_CLASSES = [
  "packet",
  "hexRow",
  "continuation",
  "command",
  "preamble",
  "trailer",
  "blank",
  "noise",
  "unrecognized",
  "trace",
] as const;
export type LineClass = (typeof LINE_CLASSES)[number];

export interface SummaryRecord {
  type: "summary";
  source: string;
  lines: number;
  captures: number;
  packets: number;
  classes: Record<LineClass, number>;
}

export type ParseRecord = CaptureRecord | PacketRecord | DiagnosticRecord | SummaryRecord;
