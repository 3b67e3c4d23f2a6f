/**
 * Could the reply to a request pass a capture filter? The filter evaluated on the replies the
 * request could get (`expectedReplies`), and for a filter that excludes them all, the part that
 * does, in words (`'tcp[13] == 2' matches only SYN packets; the reply is a SYN-ACK`).
 */
import { printFilter, type ArithNode, type FilterNode } from "../../grammars/filter/index.js";
import type { PacketRecord } from "../records.js";
import { PacketView, type Tri } from "./packet.js";
import { expectedReplies } from "./reply.js";
import { evalNode, type Filter } from "./evaluate.js";

export interface ReplyPossibility {
  /** could the reply to `request` pass the filter (and so be in the capture)? */
  possible: Tri;
  /** for `false`: the part of the filter that excludes the reply; for "unknown": why it cannot tell */
  reason: string | null;
}

/**
 * Build the reply a request would get and evaluate the filter on it. `possible: false` means the
 * capture could not have shown the reply whatever happened: silence proves nothing.
 */
export function couldMatchReply(f: Filter, request: PacketRecord): ReplyPossibility {
  if (f.matchesAll) return { possible: true, reason: null };
  const variants = expectedReplies(request);
  if (!Array.isArray(variants)) return { possible: "unknown", reason: variants.none };
  let firstUnknown: string | null = null;
  for (const v of variants) {
    const o = evalNode(f.ast, new PacketView(v.packet));
    if (o.v === true) return { possible: true, reason: null };
    if (o.v === "unknown" && firstUnknown === null) firstUnknown = o.why ?? "cannot tell";
  }
  if (firstUnknown !== null) return { possible: "unknown", reason: firstUnknown };
  const primary = variants[0];
  if (primary === undefined) return { possible: "unknown", reason: "no reply to evaluate" };
  return { possible: false, reason: whyFalse(f.ast, new PacketView(primary.packet), primary.label) };
}

/** The part of the filter that makes it false on the reply, in words. */
function whyFalse(n: FilterNode, view: PacketView, label: string): string {
  const q = `'${printFilter(n)}'`;
  const p = view.pkt;
  switch (n.kind) {
    case "and": {
      const left = evalNode(n.left, view);
      return whyFalse(left.v === false ? n.left : n.right, view, label);
    }
    case "or":
      return `neither side of ${q} matches the reply: ${whyFalse(n.left, view, label)}; ${whyFalse(n.right, view, label)}`;
    case "not":
      return `${q} excludes the reply, which matches '${printFilter(n.expr)}'`;
    case "host":
    case "net": {
      const target = n.kind === "host" ? n.host : n.prefix === null ? n.addr : `${n.addr}/${n.prefix}`;
      const { src, dst } = view.addresses;
      const s = src ?? "an address not shown";
      const d = dst ?? "an address not shown";
      switch (n.dir) {
        case "src":
          return `${q} only matches packets from ${target}; the replies come from ${s}`;
        case "dst":
          return `${q} only matches packets to ${target}; the replies go to ${d}`;
        case "src and dst":
          return `${q} only matches packets from and to ${target}; the replies go from ${s} to ${d}`;
        case "src or dst":
          return `${q} only matches packets from or to ${target}; the replies go from ${s} to ${d}`;
      }
      break;
    }
    case "port":
    case "portrange": {
      const target = n.kind === "port" ? `port ${n.port}` : `ports ${n.from}-${n.to}`;
      if (p.proto !== "tcp" && p.proto !== "udp") return `${q} only matches TCP, UDP or SCTP packets; the reply is ${label}`;
      if (n.proto === "tcp" && p.proto !== "tcp") return `${q} only matches TCP packets; the replies are UDP`;
      if (n.proto === "udp" && p.proto !== "udp") return `${q} only matches UDP packets; the replies are TCP`;
      const s = p.sport === null ? "a port not shown" : `port ${p.sport}`;
      const d = p.dport === null ? "a port not shown" : `port ${p.dport}`;
      switch (n.dir) {
        case "src":
          return `${q} only matches packets from ${target}; the replies come from ${s}`;
        case "dst":
          return `${q} only matches packets to ${target}; the replies go to ${d}`;
        default:
          return `${q} only matches packets from or to ${target}; the replies go from ${s} to ${d}`;
      }
    }
    case "proto":
      return `${q} only matches ${n.proto.toUpperCase()} packets; the reply is ${label}`;
    case "inbound":
      return `${q} only matches packets arriving at the unit; the replies leave it`;
    case "outbound":
      return `${q} only matches packets leaving the unit; the replies arrive`;
    case "compare": {
      const flags = flagsTest(n);
      if (flags !== null) return `${q} matches only ${flags}; the reply is ${label}`;
      const icmp = icmpTest(n);
      if (icmp !== null) return `${q} matches only ${icmp}; the reply is ${label}`;
      return `${q} is false for the reply, ${label}`;
    }
    default:
      return `${q} does not match the reply, ${label}`;
  }
  return `${q} does not match the reply, ${label}`;
}

const FLAG_NAMES: [number, string][] = [
  [0x02, "SYN"],
  [0x01, "FIN"],
  [0x04, "RST"],
  [0x08, "PSH"],
  [0x10, "ACK"],
  [0x20, "URG"],
  [0x40, "ECE"],
  [0x80, "CWR"],
];

function flagNames(v: number): string {
  return FLAG_NAMES.filter(([bit]) => (v & bit) !== 0)
    .map(([, name]) => name)
    .join("-");
}

function isTcpFlagsLoad(a: ArithNode): boolean {
  return a.kind === "load" && a.proto === "tcp" && a.size === 1 && a.offset.kind === "num" && a.offset.value === 13;
}

/** `tcp[13] == 2` → "SYN packets"; `tcp[tcpflags] & tcp-syn != 0` → "packets with SYN set". */
function flagsTest(n: Extract<FilterNode, { kind: "compare" }>): string | null {
  const { left, right, op } = n;
  if (right.kind !== "num") return null;
  if (isTcpFlagsLoad(left) && (op === "=" || op === "==")) return right.value === 0 ? "packets with no TCP flags" : `${flagNames(right.value)} packets`;
  if (left.kind === "binary" && left.op === "&" && isTcpFlagsLoad(left.left) && left.right.kind === "num") {
    const mask = left.right.value;
    if ((op === "!=" && right.value === 0) || ((op === "=" || op === "==") && right.value === mask)) return `packets with ${flagNames(mask)} set`;
    if ((op === "=" || op === "==") && right.value === 0) return `packets with ${flagNames(mask)} clear`;
    if (op === "=" || op === "==") {
      const set = flagNames(right.value & mask);
      const clear = flagNames(mask & ~right.value);
      return `packets with ${set} set${clear === "" ? "" : ` and ${clear} clear`}`;
    }
  }
  return null;
}

const ICMP_TYPE_NAMES: Record<number, string> = { 0: "echo replies", 3: "destination-unreachable messages", 8: "echo requests", 11: "time-exceeded messages" };
const ICMP6_TYPE_NAMES: Record<number, string> = { 128: "echo requests", 129: "echo replies", 135: "neighbor solicitations", 136: "neighbor advertisements" };

function icmpTest(n: Extract<FilterNode, { kind: "compare" }>): string | null {
  const { left, right, op } = n;
  if (op !== "=" && op !== "==") return null;
  if (right.kind !== "num" || left.kind !== "load" || left.size !== 1 || left.offset.kind !== "num" || left.offset.value !== 0) return null;
  if (left.proto === "icmp") return ICMP_TYPE_NAMES[right.value] ?? null;
  if (left.proto === "icmp6") return ICMP6_TYPE_NAMES[right.value] ?? null;
  return null;
}
