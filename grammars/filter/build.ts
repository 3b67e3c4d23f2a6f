/**
 * The filter grammar's semantic side: what its rules (parser.ts) hand over becomes FilterNode and
 * ArithNode trees here, with the checks libpcap makes (qualifier combinations, ranges, prefixes,
 * a bare word under the qualifiers in force). The parser holds one builder and calls it from
 * `ACTION`s only, so the rules read as the grammar and the meanings are in one place.
 *
 * A bare word or number (`port 80 or 81`, `host a and b`, `port not 22`) takes the qualifiers of
 * the last primitive, libpcap's `$<blk>0.q`: `qual` holds them while parsing. A parenthesized
 * group leaves them as they were before it, and a protocol abbreviation, comparison or `vlan`-like
 * primitive clears them (a bare word after those is an error, as in libpcap). Operands say what
 * they are (a test, a value, or a bare word/number), and the builder checks the kinds:
 * `and`/`or`/`not` need tests, operators and relations need values.
 */
import type { IToken } from "chevrotain";
import * as T from "./tokens.js";
import type { ArithNode, ArithOp, Direction, FilterNode, HostProto, NetProto, PortProto, ProtoName, RelOp } from "./ast.js";
import {
  ETHER_TYPES,
  IP_PROTOCOLS,
  SERVICES,
  formatIPv4,
  formatIPv6,
  formatMac,
  parseIPv4,
  parseIPv6,
  parseMac,
  parseNumber,
  parsePartialIPv4,
} from "./values.js";

export type AddrType = "host" | "net" | "port" | "portrange" | "gateway" | "proto";

/** The qualifiers in force (libpcap's `struct qual`); null fields are "not written". */
export interface Qual {
  proto: ProtoName | null;
  protoTok: IToken | null;
  dir: Direction | null;
  type: AddrType | null;
  /** the last qualifier keyword, for messages (`port`, `src`, `proto`) */
  lastTok: IToken;
}

/** A bare word or number, with an optional `/N` or `mask M` after it. */
export interface Atom {
  kind: "number" | "word" | "colon" | "keyword";
  image: string;
  start: number;
  end: number;
  prefix: { image: string; start: number } | null;
  mask: { image: string; start: number } | null;
}

/** What a sub-expression turned out to be. */
export type Operand =
  | { t: "bool"; node: FilterNode; start: number; end: number }
  | { t: "arith"; node: ArithNode; start: number; end: number }
  | { t: "atom"; atom: Atom; start: number; end: number };

export interface SemanticError {
  start: number;
  reason: string;
}

export interface OpenBracket {
  tok: IToken;
  /** `(`, or `tcp[` for a byte-offset load */
  label: string;
}

const ALL: FilterNode = { kind: "all" };

/** Protocols libpcap's gen_load can index (`tcp[13]`); `esp[0]` or `stp[0]` is an error there too. */
const INDEXABLE: ReadonlySet<ProtoName> = new Set<ProtoName>(["ether", "ip", "ip6", "arp", "rarp", "tcp", "udp", "sctp", "icmp", "icmp6", "igmp", "igrp", "pim", "vrrp", "carp", "atalk", "decnet"]);


/** Builds the tree of one parse, with the qualifiers in force, the first semantic error and the open brackets. */
export class FilterAstBuilder {
  /** the expression being parsed (for messages quoting a sub-expression) */
  source = "";
  /** qualifiers a bare word or number takes (null: none in force) */
  qual: Qual | null = null;
  /** the earliest semantic error (bad port, bare word without qualifier …) */
  semantic: SemanticError | null = null;
  /** open `(` and `[` at the point of a syntax error */
  opens: OpenBracket[] = [];

  /** The state of one parse: `parseFilter` calls this before each. */
  begin(source: string): void {
    this.source = source;
    this.qual = null;
    this.semantic = null;
    this.opens = [];
  }

  // ---- what the rules hand over ----------------------------------------------------------------------

  /** `left and right`, `left or right` (the left side already taken as a test, before the right side could change the qualifiers) */
  logical(op: IToken, left: FilterNode, leftOp: Operand, right: Operand): Operand {
    const r = this.toBool(right);
    const node: FilterNode = op.tokenType === T.And ? { kind: "and", left, right: r } : { kind: "or", left, right: r };
    return { t: "bool", node, start: leftOp.start, end: right.end };
  }

  /** `left relop right`: a comparison clears the qualifiers */
  compare(op: IToken, left: Operand, right: Operand): Operand {
    const node: FilterNode = { kind: "compare", op: op.image as RelOp, left: this.toArith(left), right: this.toArith(right) };
    this.qual = null;
    return { t: "bool", node, start: left.start, end: right.end };
  }

  neg(minus: IToken, inner: Operand): Operand {
    return { t: "arith", node: { kind: "neg", expr: this.toArith(inner) }, start: minus.startOffset, end: inner.end };
  }

  len(len: IToken): Operand {
    return { t: "arith", node: { kind: "len" }, start: len.startOffset, end: endOf(len) };
  }

  namedConstant(c: IToken): Operand {
    return { t: "arith", node: { kind: "num", value: T.NAMED_CONSTANTS[c.image] ?? 0, name: c.image }, start: c.startOffset, end: endOf(c) };
  }

  /** A bare number, word or address (`slash`: the `/` before a prefix length). */
  atom(kind: Atom["kind"], tok: IToken, prefix: IToken | null = null, mask: IToken | null = null, slash: IToken | null = null): Operand {
    return atomOperand(atomOf(kind, tok, prefix, mask, slash));
  }

  /** `(` opens a group: returns the qualifiers in force, which the group leaves as they were */
  openGroup(open: IToken): Qual | null {
    this.opens.push({ tok: open, label: "(" });
    return this.qual;
  }

  closeGroup(open: IToken, saved: Qual | null, inner: Operand, close: IToken): Operand {
    this.opens.pop();
    this.qual = saved;
    return { ...inner, start: open.startOffset, end: endOf(close) };
  }

  openLoad(p: IToken, open: IToken): void {
    this.opens.push({ tok: open, label: p.image + "[" });
  }

  /** `pname [ offset ]`, `pname [ offset : size ]` */
  load(p: IToken, offset: Operand, size: IToken | null, close: IToken): Operand {
    this.opens.pop();
    const proto = protoOf(p);
    if (!INDEXABLE.has(proto)) {
      this.fail(p.startOffset, `'${p.image}[…]' is not supported: byte offsets apply to ${[...INDEXABLE].join(", ")}`);
    }
    let width: 1 | 2 | 4 = 1;
    if (size !== null) {
      const n = parseNumber(size.image);
      if (n === 1 || n === 2 || n === 4) width = n;
      else this.fail(size.startOffset, `the size in '${this.text(p.startOffset, endOf(close))}' must be 1, 2 or 4`);
    }
    return { t: "arith", node: { kind: "load", proto, offset: this.toArith(offset), size: width }, start: p.startOffset, end: endOf(close) };
  }

  /** A qualified primitive starts at its protocol name when it has one. */
  startingAt(op: Operand, first: IToken): Operand {
    return { ...op, start: first.startOffset };
  }

  /** `src`/`dst`, or both joined by `or`/`and` */
  direction(first: IToken, joiner: IToken | null): { dir: Direction; tok: IToken } {
    if (joiner === null) return { dir: first.tokenType === T.Src ? "src" : "dst", tok: first };
    return { dir: joiner.tokenType === T.Or ? "src or dst" : "src and dst", tok: first };
  }

  /** A parenthesized group after a head, used as a test. */
  asTest(op: Operand): Operand {
    return { t: "bool", node: this.toBool(op), start: op.start, end: op.end };
  }

  vlan(v: IToken, id: IToken | null): Operand {
    const n = this.numberIn(id, 0, 4095, "VLAN id");
    return this.primitive({ kind: "vlan", id: n }, v, id ?? v);
  }

  pppoed(p: IToken): Operand {
    return this.primitive({ kind: "pppoed" }, p, p);
  }

  pppoes(p: IToken, id: IToken | null): Operand {
    const n = this.numberIn(id, 0, 65535, "PPPoE session id");
    return this.primitive({ kind: "pppoes", session: n }, p, id ?? p);
  }

  length(op: IToken, n: IToken): Operand {
    const value = this.numberIn(n, 0, 0xffffffff, "length") ?? 0;
    return this.primitive({ kind: "length", op: op.tokenType === T.Less ? "less" : "greater", value }, op, n);
  }

  traffic(t: IToken): Operand {
    return this.primitive({ kind: t.tokenType === T.Inbound ? "inbound" : "outbound" }, t, t);
  }

  // ---- checks and resolution -----------------------------------------------------------------------


  fail(start: number, reason: string): void {
    if (this.semantic === null || start < this.semantic.start) this.semantic = { start, reason };
  }

  text(start: number, end: number): string {
    return this.source.slice(start, end);
  }

  primitive(node: FilterNode, first: IToken, last: IToken): Operand {
    this.qual = null;
    return { t: "bool", node, start: first.startOffset, end: endOf(last) };
  }

  negate(not: IToken, inner: Operand): Operand {
    return { t: "bool", node: { kind: "not", expr: this.toBool(inner) }, start: not.startOffset, end: inner.end };
  }

  numberIn(tok: IToken | null, min: number, max: number, what: string): number | null {
    if (tok === null) return null;
    const n = parseNumber(tok.image);
    if (n === null) {
      this.fail(tok.startOffset, badNumber(tok.image));
      return null;
    }
    if (n < min || n > max) {
      this.fail(tok.startOffset, `${what} ${n} is out of range (${min}-${max})`);
      return null;
    }
    return n;
  }

  /** An operand used as a test: a bare word/number takes the qualifiers in force. */
  toBool(op: Operand): FilterNode {
    switch (op.t) {
      case "bool":
        return op.node;
      case "arith": {
        const shown = this.text(op.start, op.end);
        this.fail(op.start, `'${shown}' is a value, not a test: compare it, e.g. '${shown} != 0'`);
        return ALL;
      }
      case "atom":
        return this.resolve(op.atom);
    }
  }

  /** An operand used as a value: a number, a named constant, a load or arithmetic over them. */
  toArith(op: Operand): ArithNode {
    switch (op.t) {
      case "arith":
        return op.node;
      case "atom": {
        const a = op.atom;
        if (a.kind === "number" && a.prefix === null) {
          const n = parseNumber(a.image);
          if (n !== null) return { kind: "num", value: n };
          this.fail(a.start, badNumber(a.image));
          return { kind: "num", value: 0 };
        }
        this.fail(a.start, `expected a number, found '${this.text(a.start, a.end)}'`);
        return { kind: "num", value: 0 };
      }
      case "bool":
        this.fail(op.start, `'${this.text(op.start, op.end)}' is a test, not a value`);
        return { kind: "num", value: 0 };
    }
  }

  binary(op: IToken, left: Operand, right: Operand): Operand {
    return {
      t: "arith",
      node: { kind: "binary", op: op.image as ArithOp, left: this.toArith(left), right: this.toArith(right) },
      start: left.start,
      end: right.end,
    };
  }

  protoAbbrev(p: IToken): Operand {
    const proto = protoOf(p);
    if (proto === "ether") {
      this.fail(p.startOffset, `'${p.image}' needs a qualifier: 'ether host', 'ether src', 'ether proto', 'ether broadcast' …`);
    }
    return this.primitive({ kind: "proto", proto }, p, p);
  }

  castPrimitive(pname: IToken | null, kw: IToken, what: "broadcast" | "multicast"): Operand {
    const proto = pname === null ? null : protoOf(pname);
    const first = pname ?? kw;
    if (what === "broadcast") {
      if (proto !== null && proto !== "ether" && proto !== "ip") this.fail(first.startOffset, `'${pname?.image} broadcast' is not valid: use 'ether broadcast' or 'ip broadcast'`);
      return this.primitive({ kind: "broadcast", proto: proto === "ether" || proto === "ip" ? proto : null }, first, kw);
    }
    if (proto !== null && proto !== "ether" && proto !== "ip" && proto !== "ip6") {
      this.fail(first.startOffset, `'${pname?.image} multicast' is not valid: use 'ether', 'ip' or 'ip6 multicast'`);
    }
    return this.primitive({ kind: "multicast", proto: proto === "ether" || proto === "ip" || proto === "ip6" ? proto : null }, first, kw);
  }

  /** Set the qualifiers of a head (`tcp src port`), checking the combination as libpcap does. */
  setQual(pname: IToken | null, d: { dir: Direction; tok: IToken } | null, typeTok: IToken | null): void {
    const proto = pname === null ? null : protoOf(pname);
    const type: AddrType | null = typeTok === null ? null : addrTypeOf(typeTok);
    const lastTok = typeTok ?? d?.tok ?? (pname as IToken);
    this.qual = { proto, protoTok: pname, dir: d?.dir ?? null, type, lastTok };
    const where = (pname ?? d?.tok ?? typeTok ?? lastTok).startOffset;
    const kw = typeTok?.image ?? "host";
    if (type === "gateway" && d !== null) this.fail(d.tok.startOffset, `'gateway' takes no direction ('${d.tok.image}')`);
    if (proto === null) return;
    const allowed: Record<AddrType, readonly ProtoName[]> = {
      host: ["ether", "ip", "ip6", "arp", "rarp"],
      net: ["ip", "ip6", "arp", "rarp"],
      port: ["tcp", "udp", "sctp", "ip", "ip6"],
      portrange: ["tcp", "udp", "sctp", "ip", "ip6"],
      gateway: [],
      proto: ["ether", "ip", "ip6"],
    };
    const list = allowed[type ?? "host"];
    if (!list.includes(proto)) {
      const ok = list.length === 0 ? "no protocol qualifier" : list.map((p) => `'${p}'`).join(", ");
      this.fail(where, `'${pname?.image} ${kw}' is not valid: '${kw}' takes ${ok}`);
    }
  }

  resolvedOperand(op: Operand): Operand {
    if (op.t !== "atom") return op;
    return this.resolved(op.atom);
  }

  resolved(atom: Atom): Operand {
    return { t: "bool", node: this.resolve(atom), start: atom.start, end: atom.end };
  }

  /** A bare word/number under the qualifiers in force: libpcap's gen_scode/gen_ncode/gen_mcode. */
  resolve(a: Atom): FilterNode {
    const q = this.qual;
    const shown = this.text(a.start, a.end);
    if (q === null) {
      if (a.kind === "number") this.fail(a.start, `a bare '${shown}' needs a qualifier before it, such as 'port ${shown}'`);
      else if (a.kind === "keyword") this.fail(a.start, `'${shown}' cannot follow here`);
      else if (a.image === "none") this.fail(a.start, `'none' can only be the whole filter`);
      else if (a.image !== a.image.toLowerCase() && isKeyword(a.image.toLowerCase())) this.fail(a.start, `filter keywords are lower case: write '${a.image.toLowerCase()}'`);
      else this.fail(a.start, `a bare '${shown}' needs a qualifier before it, such as 'host ${shown}'`);
      return ALL;
    }
    const dir: Direction = q.dir ?? "src or dst";
    const type = q.type;
    if (a.kind === "keyword" && type !== "proto") {
      this.fail(a.start, `'${a.image}' is a keyword, not a ${type === "port" || type === "portrange" ? "port" : "host name"} (escape it as '\\${a.image}')`);
      return ALL;
    }
    if ((a.prefix !== null || a.mask !== null) && type !== "net" && type !== null) {
      const at = (a.prefix ?? a.mask) as { start: number };
      this.fail(at.start, `a prefix length or netmask fits 'net', not '${q.lastTok.image}'`);
      return ALL;
    }
    switch (type) {
      case null:
      case "host": {
        if (type === null && (a.prefix !== null || a.mask !== null)) return this.net(a, q, dir);
        return this.host(a, q, dir);
      }
      case "net":
        return this.net(a, q, dir);
      case "port":
        return this.port(a, q, dir);
      case "portrange":
        return this.portrange(a, q, dir);
      case "proto":
        return this.proto(a, q);
      case "gateway":
        if (a.kind !== "word") {
          this.fail(a.start, `expected a gateway host name, found '${shown}'`);
          return ALL;
        }
        return { kind: "gateway", host: a.image };
    }
  }

  host(a: Atom, q: Qual, dir: Direction): FilterNode {
    const shown = this.text(a.start, a.end);
    const proto = q.proto as HostProto | null;
    if (a.kind === "number") {
      this.fail(a.start, `'${shown}' is not a host address${q.type === null ? ` (for a port write 'port ${shown}')` : ""}`);
      return ALL;
    }
    const mac = parseMac(a.image);
    if (mac !== null) {
      if (proto !== null && proto !== "ether") {
        this.fail(a.start, `'${shown}' is an Ethernet address: write 'ether host ${shown}'`);
        return ALL;
      }
      return { kind: "host", proto: "ether", dir, host: formatMac(mac) };
    }
    if (a.kind === "colon") {
      const v6 = parseIPv6(a.image);
      if (v6 === null) {
        this.fail(a.start, `'${shown}' is not a valid IPv6 or Ethernet address`);
        return ALL;
      }
      if (proto !== null && proto !== "ip6") {
        this.fail(a.start, `'${q.protoTok?.image} host' takes an IPv4 address, not '${shown}'`);
        return ALL;
      }
      return { kind: "host", proto, dir, host: formatIPv6(v6) };
    }
    const partial = parsePartialIPv4(a.image);
    if (partial !== null && partial.octets < 4) {
      this.fail(a.start, `'${shown}' is not a full IPv4 address; for a network write 'net ${shown}'`);
      return ALL;
    }
    if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(a.image) && parseIPv4(a.image) === null) {
      this.fail(a.start, `'${shown}' is not a valid IPv4 address`);
      return ALL;
    }
    if (proto === "ip6" && parseIPv4(a.image) !== null) {
      this.fail(a.start, `'ip6 host' takes an IPv6 address, not '${shown}'`);
      return ALL;
    }
    const name = a.image.startsWith("\\") ? a.image.slice(1) : a.image;
    return { kind: "host", proto, dir, host: name };
  }

  net(a: Atom, q: Qual, dir: Direction): FilterNode {
    const shown = this.text(a.start, a.end);
    const proto = q.proto as NetProto | null;
    const prefixLen = a.prefix === null ? null : parseNumber(a.prefix.image);
    if (a.kind === "colon") {
      const v6 = parseIPv6(a.image);
      if (v6 === null) {
        this.fail(a.start, `'${shown}' is not a valid IPv6 network`);
        return ALL;
      }
      const len = prefixLen ?? 128;
      if (len > 128) {
        this.fail((a.prefix as { start: number }).start, `prefix length ${len} is out of range (0-128)`);
        return ALL;
      }
      if (!v6Masked(v6, len)) {
        this.fail(a.start, `non-network bits set in '${shown}'`);
        return ALL;
      }
      if (proto !== null && proto !== "ip6") this.fail(a.start, `'${q.protoTok?.image} net' takes an IPv4 network, not '${shown}'`);
      return { kind: "net", proto, dir, addr: formatIPv6(v6), prefix: len };
    }
    if (a.kind === "keyword") return ALL; // reported by resolve
    // IPv4: `10`, `192.168`, `10.0.0.0/8`, `10.0.0.0 mask 255.0.0.0`
    const partial = a.kind === "number" ? numericNet(a.image) : parsePartialIPv4(a.image);
    if (partial === null) {
      if (a.kind === "number") {
        this.fail(a.start, badNumber(a.image));
        return ALL;
      }
      // a name or a masked address (`XX.XX.0.0/16`): kept as written
      return { kind: "net", proto, dir, addr: a.image, prefix: prefixLen };
    }
    let len: number;
    if (a.mask !== null) {
      const m = parseIPv4(a.mask.image);
      const bits = m === null ? null : maskBits(m);
      if (bits === null) {
        this.fail(a.mask.start, m === null ? `'${a.mask.image}' is not a netmask` : `netmask ${a.mask.image} is not contiguous`);
        return ALL;
      }
      len = bits;
    } else if (prefixLen !== null) {
      if (prefixLen > 32) {
        this.fail((a.prefix as { start: number }).start, `prefix length ${prefixLen} is out of range (0-32)`);
        return ALL;
      }
      len = prefixLen;
    } else {
      len = partial.octets * 8;
    }
    const netmask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    if ((partial.value & ~netmask) >>> 0 !== 0) {
      this.fail(a.start, `non-network bits set in '${shown}'`);
      return ALL;
    }
    if (proto === "ip6") this.fail(a.start, `'ip6 net' takes an IPv6 network, not '${shown}'`);
    return { kind: "net", proto, dir, addr: formatIPv4(partial.value), prefix: len };
  }

  port(a: Atom, q: Qual, dir: Direction): FilterNode {
    const proto = q.proto as PortProto | null;
    const shown = this.text(a.start, a.end);
    if (a.kind === "number") {
      const n = parseNumber(a.image);
      if (n === null) {
        this.fail(a.start, badNumber(a.image));
        return ALL;
      }
      if (n > 65535) {
        this.fail(a.start, `port ${n} is out of range (0-65535)`);
        return ALL;
      }
      return { kind: "port", proto, dir, port: n };
    }
    if (a.kind === "word") {
      const svc = SERVICES[a.image];
      if (svc !== undefined) return { kind: "port", proto, dir, port: svc, name: a.image };
      if (/^[^-]+-[^-]+$/.test(a.image) && !a.image.startsWith("-")) {
        this.fail(a.start, `'${shown}' is a range: write 'portrange ${shown}'`);
        return ALL;
      }
      if (/^[\d.]+$/.test(a.image)) {
        this.fail(a.start, `'port' needs a port number, not '${shown}'`);
        return ALL;
      }
      this.fail(a.start, `unknown port name '${shown}' (write the number)`);
      return ALL;
    }
    this.fail(a.start, `'port' needs a port number, not '${shown}'`);
    return ALL;
  }

  portrange(a: Atom, q: Qual, dir: Direction): FilterNode {
    const proto = q.proto as PortProto | null;
    const shown = this.text(a.start, a.end);
    let from: number | null = null;
    let to: number | null = null;
    if (a.kind === "number") {
      from = to = parseNumber(a.image);
    } else if (a.kind === "word") {
      const m = /^([^-]+)-([^-]+)$/.exec(a.image);
      if (m !== null) {
        from = portValue(m[1] as string);
        to = portValue(m[2] as string);
      }
    }
    if (from === null || to === null) {
      this.fail(a.start, `expected a port range like 1024-2047, found '${shown}'`);
      return ALL;
    }
    if (from > 65535 || to > 65535) {
      this.fail(a.start, `port range ${shown} is out of range (0-65535)`);
      return ALL;
    }
    if (from > to) [from, to] = [to, from];
    return { kind: "portrange", proto, dir, from, to };
  }

  proto(a: Atom, q: Qual): FilterNode {
    const shown = this.text(a.start, a.end);
    const over = q.proto;
    const name = a.image.startsWith("\\") ? a.image.slice(1) : a.image;
    if (over === "ether") {
      // libpcap takes any 32-bit number here (one above 0xffff never matches)
      const n = a.kind === "number" ? parseNumber(a.image) : a.kind === "colon" ? null : (ETHER_TYPES[name] ?? null);
      if (n === null) {
        this.fail(a.start, a.kind === "number" ? badNumber(a.image) : `unknown ethertype '${shown}'`);
        return ALL;
      }
      return a.kind === "number" ? { kind: "etherProto", ethertype: n } : { kind: "etherProto", ethertype: n, name: a.image };
    }
    const ipOver = over === "ip" || over === "ip6" ? over : null;
    const n = a.kind === "number" ? parseNumber(a.image) : a.kind === "colon" ? null : (IP_PROTOCOLS[name] ?? null);
    if (n === null || n > 255) {
      this.fail(a.start, a.kind === "number" ? `protocol ${shown} is out of range (0-255)` : `unknown protocol '${shown}'`);
      return ALL;
    }
    return a.kind === "number" ? { kind: "ipProto", over: ipOver, protocol: n } : { kind: "ipProto", over: ipOver, protocol: n, name: a.image };
  }
}

/** Does `word` lex as one keyword (`tcp`, `host`, `and` …)? */
function isKeyword(word: string): boolean {
  const lexed = T.filterLexer().tokenize(word);
  const t = lexed.tokens.length === 1 && lexed.errors.length === 0 ? lexed.tokens[0]?.tokenType : undefined;
  return t !== undefined && t !== T.Name && t !== T.Number && t !== T.Placeholder && t !== T.ColonAddress;
}

function endOf(tok: IToken): number {
  return tok.startOffset + tok.image.length;
}

/** `slash` (the `/` before a prefix length) is where a misplaced prefix is reported. */
function atomOf(kind: Atom["kind"], tok: IToken, prefix: IToken | null, mask: IToken | null, slash: IToken | null = null): Atom {
  const last = mask ?? prefix ?? tok;
  return {
    kind,
    image: tok.image,
    start: tok.startOffset,
    end: endOf(last),
    prefix: prefix === null ? null : { image: prefix.image, start: (slash ?? prefix).startOffset },
    mask: mask === null ? null : { image: mask.image, start: mask.startOffset },
  };
}

function atomOperand(a: Atom): Operand {
  return { t: "atom", atom: a, start: a.start, end: a.end };
}

function protoOf(tok: IToken): ProtoName {
  return (T.PROTO_WORDS[tok.image] ?? "ether") as ProtoName;
}

function addrTypeOf(tok: IToken): AddrType {
  return tok.image as AddrType;
}

function badNumber(image: string): string {
  if (/^0[0-7]*[89]/.test(image)) return `number ${image} contains a non-octal digit (a leading 0 means octal)`;
  return `number ${image} does not fit in 32 bits`;
}

function portValue(text: string): number | null {
  if (/^\d+$/.test(text)) return parseNumber(text);
  return SERVICES[text] ?? null;
}

/** `net 10` (a number): libpcap shifts it up to the first non-zero octet. */
function numericNet(image: string): { value: number; octets: number } | null {
  let v = parseNumber(image);
  if (v === null) return null;
  let octets = 4;
  while (v !== 0 && v <= 0xffffff && octets > 1) {
    v = (v * 256) >>> 0;
    octets--;
  }
  return { value: v, octets };
}

function maskBits(mask: number): number | null {
  let bits = 0;
  let m = mask >>> 0;
  while (m & 0x80000000) {
    bits++;
    m = (m << 1) >>> 0;
  }
  return m === 0 ? bits : null;
}

function v6Masked(bytes: Uint8Array, len: number): boolean {
  for (let i = 0; i < 16; i++) {
    const keep = Math.max(0, Math.min(8, len - i * 8));
    const mask = keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
    if (((bytes[i] ?? 0) & ~mask & 0xff) !== 0) return false;
  }
  return true;
}
