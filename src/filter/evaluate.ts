/**
 * Evaluating a capture filter on parsed packet records, three-valued: `true`, `false`, or
 * `"unknown"` when the text cannot tell (a byte-offset test on a header-only capture, a masked
 * address under `net`, an 802.1Q frame whose inner protocol is not printed). A `true` or `false` is
 * what libpcap answers on that packet as far as the text shows it; the few inferences this takes
 * are noted where they are made (a packet printed without `802.1Q` was not tagged, a unicast IP
 * destination went to a unicast Ethernet address, the printed TCP flags are all the flags).
 *
 * `and`/`or`/`not` are Kleene's: `false and unknown` is false, `true or unknown` is true.
 * As in libpcap, a byte-offset comparison also requires its protocol (`tcp[13] = 2` is false on a
 * UDP packet), and a load past the end of a complete packet rejects it.
 */
import type { PacketRecord } from "../records.js";
import {
  parseFilter,
  printFilter,
  printArith,
  parseIPv4,
  parseIPv6,
  formatIPv4,
  formatIPv6,
  parseMac,
  formatMac,
  type ArithNode,
  type ArithOp,
  type Direction,
  type FilterNode,
  type ProtoName,
} from "../../grammars/filter/index.js";
import { PacketView, addressFamily, knownHeaderBytes, type Tri } from "./packet.js";
import { expectedReplies } from "./reply.js";

export type { Tri } from "./packet.js";

export interface FilterResult {
  result: Tri;
  /** why the result is "unknown" (null otherwise) */
  reason: string | null;
}

export interface Filter {
  /** the expression as given */
  readonly source: string;
  readonly ast: FilterNode;
  /** `none` or empty: every packet */
  readonly matchesAll: boolean;
  match(packet: PacketRecord): Tri;
  evaluate(packet: PacketRecord): FilterResult;
  /** why `match` answered "unknown": for `packet`, or for the last packet `match` saw */
  explainUnknown(packet?: PacketRecord): string | null;
  /** the compact printed form (explicit qualifiers) */
  toString(): string;
}

/** Parse and compile a filter; throws FilterSyntaxError (and nothing else) when it does not parse. */
export function compileFilter(expr: string): Filter {
  return new CompiledFilter(expr, parseFilter(expr));
}

class CompiledFilter implements Filter {
  readonly source: string;
  readonly ast: FilterNode;
  readonly matchesAll: boolean;
  private lastReason: string | null = null;

  constructor(source: string, ast: FilterNode) {
    this.source = source;
    this.ast = ast;
    this.matchesAll = ast.kind === "all";
  }

  match(packet: PacketRecord): Tri {
    const r = this.evaluate(packet);
    this.lastReason = r.reason;
    return r.result;
  }

  evaluate(packet: PacketRecord): FilterResult {
    const o = evalNode(this.ast, new PacketView(packet));
    return { result: o.v, reason: o.v === "unknown" ? o.why : null };
  }

  explainUnknown(packet?: PacketRecord): string | null {
    return packet === undefined ? this.lastReason : this.evaluate(packet).reason;
  }

  toString(): string {
    return printFilter(this.ast);
  }
}

// ---- evaluation -------------------------------------------------------------------------------------

interface Outcome {
  v: Tri;
  why: string | null;
}

const YES: Outcome = { v: true, why: null };
const NO: Outcome = { v: false, why: null };
const unknown = (why: string): Outcome => ({ v: "unknown", why });
const tri = (b: boolean): Outcome => (b ? YES : NO);

function and(a: Outcome, b: () => Outcome): Outcome {
  if (a.v === false) return NO;
  const r = b();
  if (r.v === false) return NO;
  if (a.v === "unknown") return a;
  return r;
}

function or(a: Outcome, b: () => Outcome): Outcome {
  if (a.v === true) return YES;
  const r = b();
  if (r.v === true) return YES;
  if (a.v === "unknown") return a;
  return r;
}

function not(a: Outcome): Outcome {
  return a.v === "unknown" ? a : tri(!a.v);
}

function evalNode(n: FilterNode, view: PacketView): Outcome {
  switch (n.kind) {
    case "all":
      return YES;
    case "and":
      return and(evalNode(n.left, view), () => evalNode(n.right, view));
    case "or":
      return or(evalNode(n.left, view), () => evalNode(n.right, view));
    case "not":
      return not(evalNode(n.expr, view));
    case "host":
      return evalHost(n, view);
    case "net":
      return evalNet(n, view);
    case "port":
    case "portrange":
      return evalPort(n, view);
    case "proto":
      return evalProto(n.proto, view);
    case "ipProto": {
      const fam = n.over === "ip" ? familyIs(view, ["ipv4"]) : n.over === "ip6" ? familyIs(view, ["ipv6"]) : familyIs(view, ["ipv4", "ipv6"]);
      return and(fam, () => ipProtocolIs(view, n.protocol));
    }
    case "etherProto":
      return etherTypeIs(view, n.ethertype);
    case "pppoed":
      return etherTypeIs(view, 0x8863);
    case "pppoes": {
      const et = etherTypeIs(view, 0x8864);
      if (n.session === null || et.v !== true) return et;
      const l = view.layout;
      if (l !== null && l.link !== null && l.ethertype === 0x8864 && l.bytes.length >= l.link + 18) {
        return tri((((l.bytes[l.link + 16] as number) << 8) | (l.bytes[l.link + 17] as number)) === n.session);
      }
      return unknown(`cannot read the PPPoE session id of this packet`);
    }
    case "vlan":
      return evalVlan(n.id, view);
    case "gateway":
      return unknown(`cannot evaluate 'gateway ${n.host}': it needs the gateway's Ethernet address`);
    case "length":
      return unknown(`cannot evaluate '${printFilter(n)}': the text does not give the frame length`);
    case "broadcast":
      return evalBroadcast(n.proto, view);
    case "multicast":
      return evalMulticast(n.proto, view);
    case "inbound":
    case "outbound": {
      const dir = view.pkt.dir;
      if (dir === "in" || dir === "out") return tri((dir === "in") === (n.kind === "inbound"));
      return unknown(`cannot evaluate '${n.kind}': the capture does not show the packet's direction`);
    }
    case "compare":
      return evalCompare(n, view);
  }
}

// ---- families and protocols ---------------------------------------------------------------------------

const FAMILY_NAMES: Record<string, string> = { ipv4: "IPv4", ipv6: "IPv6", arp: "ARP" };

function familyIs(view: PacketView, wanted: readonly ("ipv4" | "ipv6" | "arp")[]): Outcome {
  const f = view.family;
  if (f === "ipv4" || f === "ipv6" || f === "arp") return tri(wanted.includes(f));
  if (f === "stp" || f === "other") return NO;
  const what = wanted.map((w) => FAMILY_NAMES[w]).join(" or ");
  if (f === "ip") {
    if (wanted.includes("ipv4") && wanted.includes("ipv6")) return YES;
    if (!wanted.includes("ipv4") && !wanted.includes("ipv6")) return NO;
    return unknown(`the packet's addresses are masked: cannot tell whether it is ${what}`);
  }
  if (f === "vlan") return unknown(`the packet is 802.1Q-tagged and the text does not show whether it carries ${what}`);
  return unknown(`the text does not show whether the packet is ${what}`);
}

function ipProtocolIs(view: PacketView, n: number): Outcome {
  const p = view.ipProtocol;
  if (p === "none") return NO;
  if (p === null) return unknown(view.pkt.proto === "vlan" ? "the packet is 802.1Q-tagged; its inner protocol is not shown" : "the text does not show the packet's IP protocol");
  return tri(p === n);
}

const IP_PROTO_OF: Partial<Record<ProtoName, number>> = { tcp: 6, udp: 17, sctp: 132, igmp: 2, igrp: 9, pim: 103, vrrp: 112, carp: 112, esp: 50, ah: 51 };

function evalProto(proto: ProtoName, view: PacketView): Outcome {
  switch (proto) {
    case "ether":
      return YES;
    case "ip":
      return familyIs(view, ["ipv4"]);
    case "ip6":
      return familyIs(view, ["ipv6"]);
    case "arp":
      return familyIs(view, ["arp"]);
    case "icmp":
      return and(familyIs(view, ["ipv4"]), () => ipProtocolIs(view, 1));
    case "icmp6":
      return and(familyIs(view, ["ipv6"]), () => ipProtocolIs(view, 58));
    case "stp": {
      const f = view.family;
      if (view.pkt.proto === "stp") return YES;
      if (f === "ipv4" || f === "ipv6" || f === "ip" || f === "arp" || f === "other") return NO;
      return unknown("the text does not show whether the packet is STP");
    }
    default: {
      const n = IP_PROTO_OF[proto];
      if (n !== undefined) return ipProtocolIs(view, n);
      // rarp, ipx, netbeui, atalk, decnet, iso …: never what the sniffer prints as IP, ARP or STP
      const f = view.family;
      if (f === "ipv4" || f === "ipv6" || f === "ip" || f === "arp" || f === "stp") return NO;
      return unknown(`the text does not show whether the packet is ${proto}`);
    }
  }
}

function etherTypeIs(view: PacketView, ethertype: number): Outcome {
  const hex = "0x" + ethertype.toString(16).padStart(4, "0");
  if (view.pkt.proto === "vlan") return unknown(`the packet is 802.1Q-tagged; cannot tell whether ether proto ${hex} matches it`);
  const et = view.ethertype;
  if (et !== null) return tri(et === ethertype);
  if (view.pkt.proto === "other" && /\bpppoe\b/i.test(view.pkt.summary)) {
    if (ethertype !== 0x8863 && ethertype !== 0x8864) return NO;
    return unknown("the sniffer printed a PPPoE frame without its type: discovery (0x8863) or session (0x8864) needs the hex dump");
  }
  if (ethertype <= 1500) return unknown(`cannot evaluate ether proto ${hex} (an 802.3 LLC value) from the text`);
  if (view.pkt.proto === "stp") return NO; // 802.3 frame: a length, not an ethertype
  return unknown(`the text does not show the packet's ethertype`);
}

function evalVlan(id: number | null, view: PacketView): Outcome {
  const p = view.pkt;
  if (p.proto === "vlan") return id === null ? YES : p.vlan === undefined ? unknown("the VLAN id is not shown") : tri(p.vlan.id === id);
  const l = view.layout;
  if (l !== null && l.link !== null && l.bytes.length >= l.link + 16 && l.bytes[l.link + 12] === 0x81 && l.bytes[l.link + 13] === 0x00) {
    if (id === null) return YES;
    return tri(((((l.bytes[l.link + 14] as number) << 8) | (l.bytes[l.link + 15] as number)) & 0x0fff) === id);
  }
  const f = view.family;
  if (f === "ipv4" || f === "ipv6" || f === "ip" || f === "arp" || f === "stp" || f === "other") return NO; // the sniffer prints tagged frames as 802.1Q
  return unknown("the text does not show whether the packet is 802.1Q-tagged");
}

// ---- addresses -----------------------------------------------------------------------------------------

function normalize(a: string): string {
  const v4 = parseIPv4(a);
  if (v4 !== null) return formatIPv4(v4);
  if (a.includes(":")) {
    const v6 = parseIPv6(a);
    if (v6 !== null) return formatIPv6(v6);
  }
  return a;
}

function isLiteral(a: string): boolean {
  return parseIPv4(a) !== null || (a.includes(":") && parseIPv6(a) !== null);
}

/** Is the filter's host the packet's address? Masked addresses compare as text, octet by octet. */
function sameAddress(filterAddr: string, pktAddr: string | null): Outcome {
  if (pktAddr === null) return unknown("the packet line shows no address there");
  const a = normalize(filterAddr);
  const b = normalize(pktAddr);
  if (a === b) return YES;
  if (isLiteral(a) && isLiteral(b)) return NO;
  const fa = addressFamily(a);
  const fb = addressFamily(b);
  if (fa !== null && fb !== null && fa !== fb) return NO;
  if (fa === "ipv4" && fb === "ipv4") {
    const pa = a.split(".");
    const pb = b.split(".");
    for (let i = 0; i < 4; i++) {
      const x = pa[i] as string;
      const y = pb[i] as string;
      if (/^\d+$/.test(x) && /^\d+$/.test(y) && Number(x) !== Number(y)) return NO;
    }
  }
  const masked = isLiteral(a) ? b : a;
  return unknown(`cannot compare '${filterAddr}' with '${pktAddr}': '${masked}' is masked or a name`);
}

function byDirection(dir: Direction, src: () => Outcome, dst: () => Outcome): Outcome {
  switch (dir) {
    case "src":
      return src();
    case "dst":
      return dst();
    case "src or dst":
      return or(src(), dst);
    case "src and dst":
      return and(src(), dst);
  }
}

/** Families a `host`/`net` primitive reaches: libpcap's default is `ip or arp or rarp` for IPv4. */
function addressFamilies(proto: string | null, addr: string): ("ipv4" | "ipv6" | "arp")[] {
  switch (proto) {
    case "ip":
      return ["ipv4"];
    case "ip6":
      return ["ipv6"];
    case "arp":
      return ["arp"];
    case "rarp":
      return [];
  }
  const f = addressFamily(addr);
  if (f === "ipv6") return ["ipv6"];
  if (f === "ipv4") return ["ipv4", "arp"];
  return ["ipv4", "ipv6", "arp"];
}

function evalHost(n: Extract<FilterNode, { kind: "host" }>, view: PacketView): Outcome {
  if (n.proto === "ether") {
    const macs = view.macs;
    const want = parseMac(n.host);
    if (macs === null || want === null) return unknown(`cannot evaluate '${printFilter(n)}': the capture shows no Ethernet addresses`);
    const m = formatMac(want);
    return byDirection(n.dir, () => tri(macs.src === m), () => tri(macs.dst === m));
  }
  const fam = familyIs(view, addressFamilies(n.proto, n.host));
  return and(fam, () => {
    const { src, dst } = view.addresses;
    return byDirection(n.dir, () => sameAddress(n.host, src), () => sameAddress(n.host, dst));
  });
}

function evalNet(n: Extract<FilterNode, { kind: "net" }>, view: PacketView): Outcome {
  const fam = familyIs(view, addressFamilies(n.proto, n.addr));
  return and(fam, () => {
    const prefix = n.prefix;
    if (prefix === null || !isLiteral(n.addr)) return unknown(`cannot evaluate '${printFilter(n)}': '${n.addr}' is not an address`);
    const { src, dst } = view.addresses;
    const inNet = (a: string | null): Outcome => inNetwork(n.addr, prefix, a);
    return byDirection(n.dir, () => inNet(src), () => inNet(dst));
  });
}

function inNetwork(net: string, prefix: number, addr: string | null): Outcome {
  if (addr === null) return unknown("the packet line shows no address there");
  const net4 = parseIPv4(net);
  if (net4 !== null) {
    const a4 = parseIPv4(addr);
    if (a4 !== null) {
      const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
      return tri(((a4 & mask) >>> 0) === ((net4 & mask) >>> 0));
    }
    if (addressFamily(addr) === "ipv4") {
      // masked (`82.x.x.x`): the shown octets under the prefix can still rule it out
      const parts = addr.split(".");
      let masked = false;
      for (let i = 0; i < 4; i++) {
        const bits = Math.max(0, Math.min(8, prefix - i * 8));
        if (bits === 0) continue;
        const part = parts[i] as string;
        if (!/^\d+$/.test(part)) {
          masked = true;
          continue;
        }
        const m = (0xff << (8 - bits)) & 0xff;
        if ((Number(part) & m) !== (((net4 >>> (24 - i * 8)) & 0xff) & m)) return NO;
      }
      if (!masked) return YES;
      return unknown(`cannot tell whether the masked address '${addr}' is in ${net}/${prefix}`);
    }
    if (addr.includes(":")) return NO;
    return unknown(`cannot tell whether '${addr}' is in ${net}/${prefix}`);
  }
  const net6 = parseIPv6(net);
  const a6 = addr.includes(":") ? parseIPv6(addr) : null;
  if (net6 !== null && a6 !== null) {
    for (let i = 0; i < 16; i++) {
      const bits = Math.max(0, Math.min(8, prefix - i * 8));
      const m = bits === 0 ? 0 : (0xff << (8 - bits)) & 0xff;
      if (((a6[i] as number) & m) !== ((net6[i] as number) & m)) return NO;
    }
    return YES;
  }
  if (net6 !== null && addressFamily(addr) === "ipv4") return NO;
  return unknown(`cannot tell whether '${addr}' is in ${net}/${prefix}`);
}

// ---- ports ----------------------------------------------------------------------------------------------

function evalPort(n: Extract<FilterNode, { kind: "port" | "portrange" }>, view: PacketView): Outcome {
  const protos = n.proto === "tcp" ? [6] : n.proto === "udp" ? [17] : n.proto === "sctp" ? [132] : [6, 17, 132];
  const fam = n.proto === "ip" ? familyIs(view, ["ipv4"]) : n.proto === "ip6" ? familyIs(view, ["ipv6"]) : YES;
  return and(fam, () => {
    const p = view.ipProtocol;
    if (p === "none") return NO;
    if (p === null) return unknown(view.pkt.proto === "vlan" ? "the packet is 802.1Q-tagged; its inner protocol is not shown" : "the text does not show the packet's protocol");
    if (!protos.includes(p)) return NO;
    const pkt = view.pkt;
    if (pkt.proto !== "tcp" && pkt.proto !== "udp") return unknown(`the text does not show the ports of this ${p === 132 ? "SCTP" : "IP"} packet`);
    const test = (port: number | null): Outcome => {
      if (port === null) return unknown("the packet line does not show that port");
      return tri(n.kind === "port" ? port === n.port : port >= n.from && port <= n.to);
    };
    return byDirection(n.dir, () => test(pkt.sport), () => test(pkt.dport));
  });
}

// ---- broadcast, multicast -----------------------------------------------------------------------------------

function evalBroadcast(proto: "ether" | "ip" | null, view: PacketView): Outcome {
  const dst = view.addresses.dst;
  if (proto === "ip") {
    const fam = familyIs(view, ["ipv4"]);
    return and(fam, () => (dst === "255.255.255.255" ? YES : unknown("'ip broadcast' depends on the interface's netmask")));
  }
  const macs = view.macs;
  if (macs !== null) return tri(macs.dst === "ff:ff:ff:ff:ff:ff");
  if (dst === "255.255.255.255" && view.family === "ipv4") return YES;
  return unknown("the capture shows no Ethernet destination");
}

function evalMulticast(proto: "ether" | "ip" | "ip6" | null, view: PacketView): Outcome {
  const dst = view.addresses.dst;
  const v4 = dst === null ? null : parseIPv4(dst);
  const v6 = dst !== null && dst.includes(":") ? parseIPv6(dst) : null;
  if (proto === "ip") return and(familyIs(view, ["ipv4"]), () => (v4 === null ? unknown("the destination is not shown") : tri(v4 >>> 28 === 0xe)));
  if (proto === "ip6") return and(familyIs(view, ["ipv6"]), () => (v6 === null ? unknown("the destination is not shown") : tri(v6[0] === 0xff)));
  const macs = view.macs;
  if (macs !== null) return tri((parseInt(macs.dst.slice(0, 2), 16) & 1) === 1);
  // an IP destination tells the Ethernet one; an ARP target does not (who-has is usually broadcast)
  const f = view.family;
  if (f !== "ipv4" && f !== "ipv6" && f !== "ip") return unknown("the capture shows no Ethernet destination");
  if (v4 !== null) {
    if (v4 >>> 28 === 0xe || v4 === 0xffffffff) return YES;
    if ((v4 & 0xff) === 0xff) return unknown("a subnet broadcast may go to the Ethernet broadcast address");
    return NO;
  }
  if (v6 !== null) return tri(v6[0] === 0xff);
  return unknown("the capture shows no Ethernet destination");
}

// ---- byte-offset comparisons --------------------------------------------------------------------------------

type Value = { n: number } | { unknown: string } | { reject: true };

function evalCompare(n: Extract<FilterNode, { kind: "compare" }>, view: PacketView): Outcome {
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

// ---- what a filter refers to ---------------------------------------------------------------------------------

export interface FilterFieldRef {
  primitive: "host" | "net" | "port" | "portrange";
  dir: Direction;
  /** `10.0.1.10`, `10.0.0.0/8`, `53`, `1024-2047` */
  value: string;
  /** under an odd number of `not` */
  negated: boolean;
  /** the primitive, printed */
  text: string;
}

export interface FilterFields {
  matchesAll: boolean;
  /** `host` and `net` primitives */
  hosts: FilterFieldRef[];
  /** `port` and `portrange` primitives */
  ports: FilterFieldRef[];
  /** protocol primitives, printed (`tcp`, `ip proto 47`, `ether proto 0x8890`, `vlan 10`) */
  protocols: string[];
  /** byte-offset comparisons, printed */
  byteTests: string[];
  /** some host, net or port primitive is restricted to one direction (`src …`, `dst …`) */
  directional: boolean;
}

/** Which primitives of a filter reference source/destination hosts and ports. */
export function filterFields(f: Filter | FilterNode): FilterFields {
  const ast = "ast" in f ? f.ast : f;
  const out: FilterFields = { matchesAll: ast.kind === "all", hosts: [], ports: [], protocols: [], byteTests: [], directional: false };
  const walk = (n: FilterNode, negated: boolean): void => {
    switch (n.kind) {
      case "and":
      case "or":
        walk(n.left, negated);
        walk(n.right, negated);
        return;
      case "not":
        walk(n.expr, !negated);
        return;
      case "host":
      case "net":
      case "port":
      case "portrange": {
        const value = n.kind === "host" ? n.host : n.kind === "net" ? (n.prefix === null ? n.addr : `${n.addr}/${n.prefix}`) : n.kind === "port" ? String(n.port) : `${n.from}-${n.to}`;
        const ref: FilterFieldRef = { primitive: n.kind, dir: n.dir, value, negated, text: printFilter(n) };
        (n.kind === "host" || n.kind === "net" ? out.hosts : out.ports).push(ref);
        if (n.dir === "src" || n.dir === "dst") out.directional = true;
        return;
      }
      case "compare":
        out.byteTests.push(printFilter(n));
        return;
      case "all":
      case "gateway":
      case "length":
      case "broadcast":
      case "multicast":
      case "inbound":
      case "outbound":
        return;
      default:
        out.protocols.push(printFilter(n));
    }
  };
  walk(ast, false);
  return out;
}

// ---- replies -------------------------------------------------------------------------------------------------

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
