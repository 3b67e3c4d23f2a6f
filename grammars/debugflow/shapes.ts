/** What the debug-flow line grammar says about one line (../shared/spec/debug-flow.md §2). */

/**
 * The `received a packet` message (`print_pkt_detail`, older `resolve_ip_tuple_fast`), §2.2:
 * `vd-root:0 received a packet(proto=6, 10.0.1.101:40070->10.0.2.101:22) tun_id=0.0.0.0 from port5. flag [S], seq 4037558586, ack 0, win 64240`.
 * Every field may be missing: pastes cut messages short (`(proto=1, 192.168.10.10:1->1"`).
 */
export interface PacketLineShape {
  /** VDOM name (`root` from `vd-root:0`) */
  vdom: string | null;
  /** kernel VDOM index (`:0`, 6.x and later; null in 5.x) */
  vdomIndex: number | null;
  /** IP protocol number */
  proto: number | null;
  src: string | null;
  sport: number | null;
  dst: string | null;
  dport: number | null;
  /** the tuple was cut short: `src`/`dst` may be prefixes of the real addresses */
  partial: boolean;
  /** `tun_id=` (0.0.0.0 for plain traffic, the peer when the packet came out of an IPsec tunnel) */
  tunnel: string | null;
  /** ingress interface (`from port5.`); null for `from local.` and when cut off */
  iface: string | null;
  /** `from local.`: the unit itself sent the packet */
  local: boolean;
  /** `flag [S.], seq 107956612, ack 3839416145, win 65535` */
  tcp: { flags: string; seq: number | null; ack: number | null; win: number | null } | null;
  /** `type=8, code=0, id=2589, seq=1.` */
  icmp: { type: number | null; code: number | null; id: number | null; seq: number | null } | null;
  /** the message stops before the ingress interface (a truncated paste) */
  truncated: boolean;
}

/** One `[prompt #] [time] [[FPMnn]] [id=N] [pri=P] trace_id=N [func=F line=N] msg="..."` record (§2.1). */
export interface TraceRecordShape {
  /** where the record starts and ends in the text that was classified */
  start: number;
  end: number;
  /** the CLI prompt the first record of a paste is glued to (`FGT1-MASTER #`) */
  prompt: string | null;
  /** `diagnose debug console timestamp enable`: `2022-11-30 19:54:07` */
  timestamp: string | null;
  /** chassis blade (`FPM04`, `FPC06`); trace_id counters are per blade */
  blade: string | null;
  /** the debug-flow log id (`20085`, `65308`, `36870`, `13`); absent in some pastes */
  logId: number | null;
  pri: string | null;
  traceId: number;
  func: string | null;
  /** `line=` (kernel source line) */
  funcLine: number | null;
  /** the message text, quotes removed */
  msg: string;
  /** the closing quote was found (false: a cut paste or a wrap that never closed) */
  closed: boolean;
  /** the parsed `received a packet` message, null for every other message */
  packet: PacketLineShape | null;
  /** input lines the record spans (set by TraceLineJoiner; empty from classifyTraceLine) */
  lines: number[];
  /** the record's text (wrapped records joined into one) */
  text: string;
}

/** What the debug-flow grammar says about a physical line. */
export interface TraceLineShape {
  /**
   * `trace`: the line is debug-flow output (records, or the rest of a wrapped message);
   * `other`: it is not (the sniffer grammar keeps it), but it ended a record left open on an
   * earlier line, which `records` delivers
   */
  kind: "trace" | "other";
  /** records completed by this line (a wrapped record completes on its last line) */
  records: TraceRecordShape[];
  /** the line ends inside an unterminated `msg="`: the next line may continue it */
  open: boolean;
  /** the line only continues a record that began on an earlier line */
  continuation: boolean;
  /** an author's `//` comment after the last record */
  comment: string | null;
}
