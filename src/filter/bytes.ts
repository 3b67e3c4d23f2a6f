/**
 * Byte-offset comparisons (`tcp[13] & 2 != 0`, `ip[6:2] & 0x1fff = 0`) with BPF's unsigned 32-bit
 * arithmetic: loads from the hex dump when it covers them, else from the header bytes the parsed
 * fields pin down; as in libpcap, a load also requires its protocol, and a load past the end of a
 * complete packet rejects it.
 */
import { printArith, type ArithNode, type ArithOp, type FilterNode, type ProtoName } from "../../grammars/filter/index.js";
import { knownHeaderBytes, type PacketView } from "./packet.js";
import { NO, YES, and, tri, unknown, type Outcome } from "./outcome.js";
import { FAMILY_NAMES, evalProto } from "./protocols.js";

type Value = { n: number } | { unknown: string } | { reject: true };

export function evalCompare(n: Extract<FilterNode, { kind: "compare" }>, view: PacketView): Outcome {
  const loads: Extract<ArithNode, { kind: "load" }>[] = [];
  collectLoads(n.left, loads);
  collectLoads(n.right, loads);
  let guard: Outcome = YES;
  for (const l of loads) {
    const g = loadGuard(l.proto, view);
    guard = and(guard, () => g);
    if (guard.v === false) return NO;
  }
  const a = evalArith(n.left, view);
  if ("reject" in a) return NO;
  const b = evalArith(n.right, view);
  if ("reject" in b) return NO;
  if ("unknown" in a) return and(guard, () => unknown(a.unknown));
  if ("unknown" in b) return and(guard, () => unknown(b.unknown));
  const x = a.n;
  const y = b.n;
  let r: boolean;
  switch (n.op) {
    case "=":
    case "==":
      r = x === y;
      break;
    case "!=":
      r = x !== y;
      break;
    case "<":
      r = x < y;
      break;
    case "<=":
      r = x <= y;
      break;
    case ">":
      r = x > y;
      break;
    case ">=":
      r = x >= y;
      break;
  }
  return and(guard, () => tri(r));
}

function collectLoads(a: ArithNode, out: Extract<ArithNode, { kind: "load" }>[]): void {
  switch (a.kind) {
    case "load":
      out.push(a);
      collectLoads(a.offset, out);
      return;
    case "binary":
      collectLoads(a.left, out);
      collectLoads(a.right, out);
      return;
    case "neg":
      collectLoads(a.expr, out);
      return;
    default:
      return;
  }
}

/** libpcap ANDs every `proto[…]` load with `proto` itself (`ether[…]` needs nothing). */
function loadGuard(proto: ProtoName, view: PacketView): Outcome {
  return evalProto(proto, view);
}

function evalArith(a: ArithNode, view: PacketView): Value {
  switch (a.kind) {
    case "num":
      return { n: a.value >>> 0 };
    case "len":
      return { unknown: "cannot evaluate len: the text does not give the frame length" };
    case "neg": {
      const v = evalArith(a.expr, view);
      return "n" in v ? { n: (0 - v.n) >>> 0 } : v;
    }
    case "binary": {
      const l = evalArith(a.left, view);
      if (!("n" in l)) return l;
      const r = evalArith(a.right, view);
      if (!("n" in r)) return r;
      return binaryOp(a.op, l.n, r.n);
    }
    case "load":
      return readLoad(a, view);
  }
}

/** BPF ALU semantics: unsigned 32-bit; a division by zero aborts the program (the packet is rejected). */
function binaryOp(op: ArithOp, x: number, y: number): Value {
  switch (op) {
    case "+":
      return { n: (x + y) >>> 0 };
    case "-":
      return { n: (x - y) >>> 0 };
    case "*":
      return { n: Number((BigInt(x) * BigInt(y)) & 0xffffffffn) };
    case "/":
      return y === 0 ? { reject: true } : { n: Math.floor(x / y) >>> 0 };
    case "%":
      return y === 0 ? { reject: true } : { n: x % y >>> 0 };
    case "&":
      return { n: (x & y) >>> 0 };
    case "|":
      return { n: (x | y) >>> 0 };
    case "^":
      return { n: (x ^ y) >>> 0 };
    case "<<":
      return { n: y >= 32 ? 0 : (x << y) >>> 0 };
    case ">>":
      return { n: y >= 32 ? 0 : x >>> y };
  }
}

const TRANSPORT: Partial<Record<ProtoName, number>> = { tcp: 6, udp: 17, sctp: 132, icmp: 1, icmp6: 58, igmp: 2, igrp: 9, pim: 103, vrrp: 112, carp: 112 };

/** A load: from the hex dump when it covers it, else from the bytes the parsed fields pin down. */
function readLoad(a: Extract<ArithNode, { kind: "load" }>, view: PacketView): Value {
  const off = evalArith(a.offset, view);
  if (!("n" in off)) return off;
  const shown = printArith(a);
  const fromDump = view.layout === null ? null : readDump(a, off.n, view.layout, shown);
  if (fromDump !== null && !("unknown" in fromDump)) return fromDump;
  if (a.proto !== "ether") {
    const known = knownHeaderBytes(view, a.proto);
    let v = 0;
    let all = true;
    for (let i = 0; i < a.size && all; i++) {
      const b = known.get(off.n + i);
      if (b === undefined) all = false;
      else v = v * 256 + b;
    }
    if (all) return { n: v >>> 0 };
  }
  return fromDump ?? { unknown: `cannot evaluate ${shown} on a header-only capture` };
}

function readDump(a: Extract<ArithNode, { kind: "load" }>, off: number, layout: NonNullable<PacketView["layout"]>, shown: string): Value {
  const b = layout.bytes;
  let base: number;
  if (a.proto === "ether") {
    if (layout.link === null) return { unknown: `cannot evaluate ${shown}: the hex dump starts at the IP header` };
    base = layout.link;
  } else if (a.proto === "ip" || a.proto === "ip6" || a.proto === "arp" || a.proto === "rarp") {
    const want = a.proto === "ip" ? "ipv4" : a.proto === "ip6" ? "ipv6" : "arp";
    if (layout.l3 === null || layout.l3Kind !== want) return { unknown: `cannot evaluate ${shown}: the ${FAMILY_NAMES[want] ?? want} header is not found in the hex dump` };
    base = layout.l3;
  } else {
    const proto = TRANSPORT[a.proto];
    if (proto === undefined || layout.l3 === null) return { unknown: `cannot evaluate ${shown}: the IP header is not found in the hex dump` };
    const l3 = layout.l3;
    if (layout.l3Kind === "ipv4") {
      if (b.length < l3 + 8) return { unknown: `the hex dump ends before ${shown}` };
      const frag = (((b[l3 + 6] as number) & 0x1f) << 8) | (b[l3 + 7] as number);
      if (frag !== 0) return { reject: true }; // libpcap: not the first fragment
      base = l3 + ((b[l3] as number) & 0x0f) * 4;
    } else if (layout.l3Kind === "ipv6") {
      if (b.length < l3 + 7) return { unknown: `the hex dump ends before ${shown}` };
      if (b[l3 + 6] !== proto) return { unknown: `cannot evaluate ${shown}: the IPv6 packet has extension headers` };
      base = l3 + 40;
    } else {
      return { unknown: `cannot evaluate ${shown}: the IP header is not found in the hex dump` };
    }
  }
  const at = base + off;
  if (at + a.size <= b.length) {
    let v = 0;
    for (let i = 0; i < a.size; i++) v = v * 256 + (b[at + i] as number);
    return { n: v >>> 0 };
  }
  return complete(layout) ? { reject: true } : { unknown: `the hex dump ends before ${shown}` };
}

/** Does the dump hold the whole packet (so a load past its end really is past the packet)? */
function complete(layout: NonNullable<PacketView["layout"]>): boolean {
  const b = layout.bytes;
  const l3 = layout.l3;
  if (l3 === null) return false;
  if (layout.l3Kind === "ipv4") return l3 + (((b[l3 + 2] ?? 0) << 8) | (b[l3 + 3] ?? 0)) <= b.length;
  if (layout.l3Kind === "ipv6") return l3 + 40 + (((b[l3 + 4] ?? 0) << 8) | (b[l3 + 5] ?? 0)) <= b.length;
  if (layout.l3Kind === "arp") return l3 + 28 <= b.length;
  return false;
}
