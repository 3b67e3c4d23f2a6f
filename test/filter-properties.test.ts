/**
 * fast-check properties of the capture-filter grammar and its three-valued evaluation, over
 * generated filter trees and generated packet records:
 * printing round-trips, the parser only ever throws FilterSyntaxError, `not not E` ≡ `E`,
 * De Morgan, `A and B` ⊆ `A` ⊆ `A or B`, and the answers from parsed fields never contradict the
 * answers from the packet's real bytes.
 */
import fc from "fast-check";
import type { PacketRecord, TcpFlag, IcmpKind } from "../src/records.js";
import { compileFilter, FilterSyntaxError, parseFilter, printFilter, type ArithNode, type FilterNode, type Tri } from "../src/filter/index.js";
import { formatIPv4, formatIPv6, formatMac } from "../grammars/filter/index.js";
import { NAMED_CONSTANTS } from "../grammars/filter/tokens.js";

// ---- generated filter trees (canonical: they print and parse back to themselves) -------------------------

const dir = fc.constantFrom("src", "dst", "src or dst", "src and dst") as fc.Arbitrary<"src" | "dst" | "src or dst" | "src and dst">;
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });

/** Addresses the packets below use too, so host tests sometimes match. */
const V4_POOL = ["10.0.1.10", "172.217.15.14", "8.8.8.8", "10.0.0.1", "192.168.1.99", "224.0.0.10", "255.255.255.255"];
const V6_POOL = ["2001:aa:1::10", "2001:bb:1::10", "fe80::1", "ff02::1"];
const MASKED_POOL = ["82.x.x.x", "XX.XX.98.156", "<NAS-IP>", "forti1"];

const ipv4 = fc.oneof(fc.constantFrom(...V4_POOL), u32.map(formatIPv4));
const ipv6 = fc.oneof(fc.constantFrom(...V6_POOL), bytes(16).map(formatIPv6));

const hostNode: fc.Arbitrary<FilterNode> = fc.oneof(
  fc.record({ kind: fc.constant("host" as const), proto: fc.constantFrom(null, "ip" as const, "arp" as const), dir, host: ipv4 }),
  fc.record({ kind: fc.constant("host" as const), proto: fc.constantFrom(null, "ip6" as const), dir, host: ipv6 }),
  fc.record({ kind: fc.constant("host" as const), proto: fc.constant(null), dir, host: fc.constantFrom(...MASKED_POOL) }),
  fc.record({ kind: fc.constant("host" as const), proto: fc.constant("ether" as const), dir, host: bytes(6).map(formatMac) }),
);

const netNode: fc.Arbitrary<FilterNode> = fc.oneof(
  fc.tuple(u32, fc.integer({ min: 0, max: 32 }), fc.constantFrom(null, "ip" as const), dir).map(([a, len, proto, d]) => {
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    return { kind: "net" as const, proto, dir: d, addr: formatIPv4((a & mask) >>> 0), prefix: len };
  }),
  fc.tuple(bytes(16), fc.integer({ min: 0, max: 128 }), dir).map(([b, len, d]) => {
    const masked = b.map((x, i) => {
      const keep = Math.max(0, Math.min(8, len - i * 8));
      return keep === 0 ? 0 : x & ((0xff << (8 - keep)) & 0xff);
    });
    return { kind: "net" as const, proto: null, dir: d, addr: formatIPv6(masked), prefix: len };
  }),
);

const portProto = fc.constantFrom(null, "tcp" as const, "udp" as const, "sctp" as const, "ip" as const, "ip6" as const);
const port = fc.oneof(fc.constantFrom(22, 53, 443, 40000, 53211, 8889), fc.integer({ min: 0, max: 65535 }));

const portNode: fc.Arbitrary<FilterNode> = fc.oneof(
  fc.record({ kind: fc.constant("port" as const), proto: portProto, dir, port }),
  fc.tuple(portProto, dir, port, port).map(([proto, d, a, b]) => ({ kind: "portrange" as const, proto, dir: d, from: Math.min(a, b), to: Math.max(a, b) })),
);

const protoNode: fc.Arbitrary<FilterNode> = fc.oneof(
  fc.record({
    kind: fc.constant("proto" as const),
    proto: fc.constantFrom("ip" as const, "ip6" as const, "tcp" as const, "udp" as const, "icmp" as const, "icmp6" as const, "arp" as const, "esp" as const, "stp" as const, "sctp" as const, "igmp" as const, "pim" as const),
  }),
  fc.record({ kind: fc.constant("ipProto" as const), over: fc.constantFrom(null, "ip" as const, "ip6" as const), protocol: fc.constantFrom(1, 6, 17, 50, 58, 88, 89) }),
  fc.record({ kind: fc.constant("etherProto" as const), ethertype: fc.constantFrom(0x0800, 0x0806, 0x86dd, 0x8100, 0x8863, 0x8864, 0x8890) }),
  fc.record({ kind: fc.constant("vlan" as const), id: fc.option(fc.integer({ min: 0, max: 4095 }), { nil: null }) }),
  fc.constant({ kind: "pppoed" as const }),
  fc.record({ kind: fc.constant("pppoes" as const), session: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: null }) }),
  fc.record({ kind: fc.constant("length" as const), op: fc.constantFrom("less" as const, "greater" as const), value: fc.integer({ min: 0, max: 2000 }) }),
  fc.record({ kind: fc.constant("broadcast" as const), proto: fc.constantFrom(null, "ether" as const, "ip" as const) }),
  fc.record({ kind: fc.constant("multicast" as const), proto: fc.constantFrom(null, "ether" as const, "ip" as const, "ip6" as const) }),
  fc.constantFrom({ kind: "inbound" as const }, { kind: "outbound" as const }),
);

const namedConst = fc.constantFrom(...Object.entries(NAMED_CONSTANTS)).map(([name, value]): ArithNode => ({ kind: "num", value, name }));
const loadProto = fc.constantFrom("ip" as const, "ip6" as const, "tcp" as const, "udp" as const, "icmp" as const, "icmp6" as const, "arp" as const, "ether" as const);

const { arith } = fc.letrec<{ arith: ArithNode }>((tie) => ({
  arith: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.integer({ min: 0, max: 70000 }).map((value): ArithNode => ({ kind: "num", value })),
    namedConst,
    fc.record({
      kind: fc.constant("load" as const),
      proto: loadProto,
      offset: fc.oneof(fc.integer({ min: 0, max: 40 }).map((value): ArithNode => ({ kind: "num", value })), namedConst),
      size: fc.constantFrom(1 as const, 2 as const, 4 as const),
    }),
    fc.constant({ kind: "len" as const }),
    fc.record({
      kind: fc.constant("binary" as const),
      op: fc.constantFrom("+" as const, "-" as const, "*" as const, "/" as const, "%" as const, "&" as const, "|" as const, "^" as const, "<<" as const, ">>" as const),
      left: tie("arith"),
      right: tie("arith"),
    }),
    fc.record({ kind: fc.constant("neg" as const), expr: tie("arith") }),
  ),
}));

const compareNode: fc.Arbitrary<FilterNode> = fc.record({
  kind: fc.constant("compare" as const),
  op: fc.constantFrom("=" as const, "==" as const, "!=" as const, "<" as const, "<=" as const, ">" as const, ">=" as const),
  left: arith,
  right: arith,
});

/** Byte tests the sniffer text can often answer, so the logic properties see true and false too. */
const answerable: fc.Arbitrary<FilterNode> = fc.constantFrom(
  "tcp[tcpflags] & tcp-syn != 0",
  "tcp[tcpflags] == tcp-syn",
  "tcp[13] = 18",
  "icmp[icmptype] == icmp-echo",
  "icmp[0] = 0",
  "udp[2:2] = 53",
  "ip[9] = 17",
).map(parseFilter);

const primitive = fc.oneof(hostNode, netNode, portNode, protoNode, compareNode, answerable);

const { filter } = fc.letrec<{ filter: FilterNode }>((tie) => ({
  filter: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    primitive,
    fc.record({ kind: fc.constant("and" as const), left: tie("filter"), right: tie("filter") }),
    fc.record({ kind: fc.constant("or" as const), left: tie("filter"), right: tie("filter") }),
    fc.record({ kind: fc.constant("not" as const), expr: tie("filter") }),
  ),
}));

// ---- generated packets --------------------------------------------------------------------------------------

const addr = fc.oneof(fc.constantFrom(...V4_POOL, ...V6_POOL, ...MASKED_POOL), ipv4, fc.constant(null));
const nullablePort = fc.option(port, { nil: null });
const flags = fc.subarray(["syn", "fin", "rst", "psh", "ack", "urg"] as TcpFlag[]);
const icmpKind = fc.constantFrom("echo-request", "echo-reply", "unreachable", "other") as fc.Arbitrary<IcmpKind>;

function base(over: Partial<PacketRecord>): PacketRecord {
  return {
    type: "packet",
    source: "gen",
    capture: 0,
    line: 1,
    ts: 0,
    iface: null,
    dir: null,
    proto: "other",
    src: null,
    sport: null,
    dst: null,
    dport: null,
    length: null,
    summary: "",
    bytes: null,
    ...over,
  };
}

const direction = fc.constantFrom("in" as const, "out" as const, "unknown" as const, null);

const packetArb: fc.Arbitrary<PacketRecord> = fc.oneof(
  fc
    .record({ src: addr, dst: addr, sport: nullablePort, dport: nullablePort, flags, seq: fc.option(u32, { nil: null }), ack: fc.option(u32, { nil: null }), dir: direction })
    .map((r) => base({ proto: "tcp", src: r.src, dst: r.dst, sport: r.sport, dport: r.dport, dir: r.dir, tcp: { flags: r.flags, seq: r.seq, ack: r.ack } })),
  fc.record({ src: addr, dst: addr, sport: nullablePort, dport: nullablePort, dir: direction }).map((r) => base({ proto: "udp", ...r, length: 10 })),
  fc.record({ src: addr, dst: addr, kind: icmpKind, v6: fc.boolean(), dir: direction }).map((r) =>
    base({ proto: r.v6 ? "icmp6" : "icmp", src: r.src, dst: r.dst, dir: r.dir, icmp: { text: r.kind.replace("-", " "), kind: r.kind } }),
  ),
  fc.record({ target: ipv4, sender: ipv4 }).map((r) => base({ proto: "arp", src: r.sender, dst: r.target, arp: { op: "who-has", target: r.target, sender: r.sender, mac: null } })),
  fc.record({ src: addr, dst: addr, p: fc.integer({ min: 0, max: 255 }) }).map((r) => base({ proto: "ip", src: r.src, dst: r.dst, ipProto: r.p })),
  fc.record({ id: fc.integer({ min: 0, max: 4095 }) }).map((r) => base({ proto: "vlan", vlan: { id: r.id, priority: 0 } })),
  fc.constant(base({ proto: "stp" })),
  fc.constantFrom("pppoe printer hasn't been added to sniffer", "Ether type 0x8890 printer hasn't been added to sniffer.", "").map((summary) => base({ proto: "other", summary })),
  fc.record({ src: addr, dst: addr }).map((r) => base({ proto: "esp", ...r, esp: { spi: "1", seq: 1 } })),
);

/** A packet with any hex dump at all: evaluation must never throw on it. */
const junkBytes = fc.tuple(packetArb, fc.uint8Array({ maxLength: 80 })).map(([p, b]) => ({ ...p, bytes: Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("") }));

const TRI: Tri[] = [true, false, "unknown"];
const params = { numRuns: 300 };

// ---- properties ------------------------------------------------------------------------------------------------

describe("printing and parsing", () => {
  test("parse(print(tree)) is the tree", () => {
    fc.assert(
      fc.property(filter, (t) => {
        expect(parseFilter(printFilter(t))).toEqual(t);
      }),
      params,
    );
  });

  test("any text: a tree or a FilterSyntaxError with a column inside the text (or just past it), never anything else", () => {
    const soup = fc
      .array(
        fc.constantFrom("host", "port", "net", "src", "dst", "or", "and", "not", "!", "&&", "||", "(", ")", "[", "]", "tcp", "udp", "icmp", "ip", "10.0.0.1", "53", ":", "2",
          "=", "!=", "<", "&", "|", "-", "/", "mask", "255.0.0.0", "tcp-syn", "tcpflags", "proto", "ether", "vlan", "<NAS-IP>", "fe80::1", "'", "\\tcp", " "),
        { maxLength: 14 },
      )
      .map((parts) => parts.join(" "));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 20 }), soup), (text) => {
        try {
          parseFilter(text);
        } catch (e) {
          expect(e).toBeInstanceOf(FilterSyntaxError);
          const err = e as FilterSyntaxError;
          expect(err.column).toBeGreaterThanOrEqual(1);
          expect(err.column).toBeLessThanOrEqual(text.length + 2);
          expect(err.frame().split("\n")).toHaveLength(3);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("three-valued logic over generated filters and packets", () => {
  const run = (text: string, p: PacketRecord): Tri => compileFilter(text).match(p);
  const anyPacket = fc.oneof(packetArb, junkBytes);

  test("match never throws and answers true, false or unknown", () => {
    fc.assert(
      fc.property(filter, anyPacket, (t, p) => {
        expect(TRI).toContain(run(printFilter(t), p));
      }),
      params,
    );
  });

  test("not not E ≡ E", () => {
    fc.assert(
      fc.property(filter, anyPacket, (t, p) => {
        const e = printFilter(t);
        expect(run(`not not (${e})`, p)).toBe(run(e, p));
      }),
      params,
    );
  });

  test("De Morgan: not (A and B) ≡ not A or not B; not (A or B) ≡ not A and not B", () => {
    fc.assert(
      fc.property(filter, filter, anyPacket, (a, b, p) => {
        const A = printFilter(a);
        const B = printFilter(b);
        expect(run(`not ((${A}) and (${B}))`, p)).toBe(run(`not (${A}) or not (${B})`, p));
        expect(run(`not ((${A}) or (${B}))`, p)).toBe(run(`not (${A}) and not (${B})`, p));
      }),
      params,
    );
  });

  test("A and B ⊆ A ⊆ A or B", () => {
    fc.assert(
      fc.property(filter, filter, anyPacket, (a, b, p) => {
        const A = printFilter(a);
        const B = printFilter(b);
        const ra = run(A, p);
        const rand = run(`(${A}) and (${B})`, p);
        const ror = run(`(${A}) or (${B})`, p);
        if (rand === true) expect(ra).toBe(true);
        if (ra === false) expect(rand).toBe(false);
        if (ra === true) expect(ror).toBe(true);
      }),
      params,
    );
  });

  test("and/or are commutative", () => {
    fc.assert(
      fc.property(filter, filter, anyPacket, (a, b, p) => {
        const A = printFilter(a);
        const B = printFilter(b);
        expect(run(`(${A}) and (${B})`, p)).toBe(run(`(${B}) and (${A})`, p));
        expect(run(`(${A}) or (${B})`, p)).toBe(run(`(${B}) or (${A})`, p));
      }),
      params,
    );
  });
});

// ---- parsed fields versus real bytes -------------------------------------------------------------------------

const hex = (b: number[]): string => b.map((x) => x.toString(16).padStart(2, "0")).join("");
const be = (v: number, n: number): number[] => Array.from({ length: n }, (_, i) => Math.floor(v / 256 ** (n - 1 - i)) % 256);
const v4 = (a: string): number[] => a.split(".").map(Number);
const FLAG_BITS: Record<TcpFlag, number> = { fin: 1, syn: 2, rst: 4, psh: 8, ack: 16, urg: 32, ece: 64, cwr: 128 };

/** A TCP, UDP or ICMP packet over IPv4, and its bytes (with a pseudo-Ethernet header or from the IP header). */
const realPacket = fc
  .record({
    kind: fc.constantFrom("tcp" as const, "udp" as const, "icmp" as const),
    src: fc.constantFrom(...V4_POOL),
    dst: fc.constantFrom(...V4_POOL),
    sport: port,
    dport: port,
    flags,
    seq: u32,
    ack: u32,
    icmp: fc.constantFrom("echo-request" as const, "echo-reply" as const),
    ttl: fc.integer({ min: 1, max: 255 }),
    payload: fc.integer({ min: 0, max: 12 }),
    link: fc.boolean(),
  })
  .map((r) => {
    const proto = r.kind === "tcp" ? 6 : r.kind === "udp" ? 17 : 1;
    let l4: number[];
    if (r.kind === "tcp") {
      const fl = r.flags.reduce((a, f) => a | FLAG_BITS[f], 0);
      l4 = [...be(r.sport, 2), ...be(r.dport, 2), ...be(r.seq, 4), ...be(r.ack, 4), 0x50, fl, 0x72, 0x10, 0, 0, 0, 0];
    } else if (r.kind === "udp") {
      l4 = [...be(r.sport, 2), ...be(r.dport, 2), ...be(8 + r.payload, 2), 0, 0];
    } else {
      l4 = [r.icmp === "echo-request" ? 8 : 0, 0, 0, 0, 0, 1, 0, 1];
    }
    const body = [...l4, ...Array<number>(r.payload).fill(0x61)];
    const ip = [0x45, 0, ...be(20 + body.length, 2), 0x12, 0x34, 0x40, 0, r.ttl, proto, 0, 0, ...v4(r.src), ...v4(r.dst)];
    const frame = r.link ? [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00, ...ip, ...body] : [...ip, ...body];
    const record = base({
      proto: r.kind,
      src: r.src,
      dst: r.dst,
      bytes: hex(frame),
      ...(r.kind === "icmp"
        ? { icmp: { text: r.icmp.replace("-", " "), kind: r.icmp } }
        : { sport: r.sport, dport: r.dport, ...(r.kind === "tcp" ? { tcp: { flags: r.flags, seq: r.flags.includes("syn") || r.flags.includes("psh") ? r.seq : null, ack: r.flags.includes("ack") ? r.ack : null } } : { length: r.payload }) }),
    });
    return record;
  });

describe("parsed fields never contradict the bytes", () => {
  test("with the hex dump and without it, the answers agree wherever both know", () => {
    fc.assert(
      fc.property(fc.oneof(filter, compareNode), realPacket, (t, p) => {
        const f = compileFilter(printFilter(t));
        const truth = f.match(p);
        const fromText = f.match({ ...p, bytes: null });
        if (fromText !== "unknown" && truth !== "unknown") expect(fromText).toBe(truth);
      }),
      { numRuns: 500 },
    );
  });

  test("the TCP flag and ICMP type tests are always answered from the text", () => {
    const tests = ["tcp[tcpflags] & tcp-syn != 0", "tcp[13] = 18", "tcp[tcpflags] == tcp-ack", "icmp[icmptype] == icmp-echo", "icmp[0] = 0", "ip[9] = 6"].map(compileFilter);
    fc.assert(
      fc.property(realPacket, (p) => {
        for (const f of tests) {
          const truth = f.match(p);
          expect(truth).not.toBe("unknown");
          expect(f.match({ ...p, bytes: null })).toBe(truth);
        }
      }),
      { numRuns: 300 },
    );
  });
});
