/**
 * Matching traces to sniffer packets (../shared/spec/debug-flow.md §3.2), the verdicts and their
 * supersede rules, on synthetic pastes built from the spec's patterns: the keys strongest first,
 * the negative cases (different attempts never match), the merged policy-denied verdict, and
 * properties (unrelated traces and interleaving never change a result).
 */
import fc from "fast-check";
import { analyzeTraces, matchTraces, TraceAssembler, traceVerdicts, type TraceMatch, type TraceRecord } from "../src/debugflow/index.js";
import { analyze, InputAnalyzer, parseCapture, splitLines } from "../src/internal.js";
import type { PacketRecord } from "../src/records.js";
import type { Finding, Report, Verdict, VerdictCode } from "../src/report.js";

type Pasted = ReturnType<typeof analyzeTraces> & { records: TraceRecord[]; packets: PacketRecord[]; sniffer: Finding[]; report: Report };

/**
 * A paste of sniffer output and debug-flow lines, through the whole pipeline: `analyze()` gives the
 * report; the matching step's detail (`matches`, `replaced`) comes from the same parse records, and
 * the report's verdicts must be exactly the step's.
 */
function paste(lines: string[]): Pasted {
  const text = lines.join("\n") + "\n";
  const parsed = parseCapture(text, { source: "t.txt" });
  const traces = parsed.records.filter((r): r is TraceRecord => r.type === "trace");
  // the sniffer's own findings: the same records without the traces
  const sniffing = new InputAnalyzer({ source: "t.txt" });
  for (const r of parsed.records) if (r.type !== "trace") sniffing.push(r);
  const sniffer = sniffing.end().verdicts;
  const a = analyzeTraces("t.txt", traces, parsed.packets, { verdicts: sniffer });
  const report = analyze(text, { source: "t.txt" });
  // the shipped path and the step agree; the shipped path also turns a not-forwarded verdict about
  // the unit's own address into `unanswered` (unit-itself)
  const unitItself = (v: Finding | Verdict) => v.code === "unanswered" && "kind" in v.args && v.args.kind === "unit-itself";
  const key = (v: Finding | Verdict) => `${v.code === "not-forwarded" || unitItself(v) ? "not-forwarded" : v.code}|${v.proto}|${v.port}|${v.evidence.map((e) => e.line).join(",")}`;
  expect(report.verdicts.map(key).sort()).toEqual(a.verdicts.map(key).sort());
  return { ...a, records: traces, packets: parsed.packets, sniffer, report };
}

/** The trace records the parser gives for a text. */
function tracesOf(text: string): TraceRecord[] {
  return parseCapture(text, { source: "p" }).records.filter((r): r is TraceRecord => r.type === "trace");
}

/** The report's one verdict of `code`. */
function reported<C extends VerdictCode>(r: Pasted, code: C): Verdict<C> {
  const found = r.report.verdicts.filter((v) => v.code === code) as unknown as Verdict<C>[];
  expect(found).toHaveLength(1);
  return found[0] as Verdict<C>;
}

const icmpTrace = (id: number, src: string, dst: string, iface: string, icmpId: number, seq: number, rest: string[]) => [
  `id=20085 trace_id=${id} func=print_pkt_detail line=5845 msg="vd-root:0 received a packet(proto=1, ${src}:${icmpId}->${dst}:2048) tun_id=0.0.0.0 from ${iface}. type=8, code=0, id=${icmpId}, seq=${seq}."`,
  ...rest.map((m) => `id=20085 trace_id=${id} func=f line=1 msg="${m}"`),
];

const tcpTrace = (id: number, sport: number, seq: number, rest: string[], from = "port1", src = "10.10.10.1", dst = "10.10.20.1", dport = 22) => [
  `id=20085 trace_id=${id} func=resolve_ip_tuple_fast line=4378 msg="vd-root received a packet(proto=6, ${src}:${sport}-&gt;${dst}:${dport}) from ${from}. flag [S], seq ${seq}, ack 0, win 3840"`,
  ...rest.map((m) => `id=20085 trace_id=${id} func=f line=1 msg="${m}"`),
];

describe("the merged verdict: a not-forwarded request whose trace says policy 0", () => {
  const lines = [
    "FGT # diagnose sniffer packet any 'host 8.8.8.8 and icmp' 4",
    "interfaces=[any]",
    "filters=[host 8.8.8.8 and icmp]",
    "1.000100 port2 in 192.168.1.10 -> 8.8.8.8: icmp: echo request",
    "2.000200 port2 in 192.168.1.10 -> 8.8.8.8: icmp: echo request",
    "3.000300 port2 in 192.168.1.10 -> 8.8.8.8: icmp: echo request",
    "6.000000 port3 in 10.0.0.5 -> 10.0.0.1: icmp: echo request",
    "",
    "FGT # diagnose debug flow trace start 1",
    ...icmpTrace(41, "192.168.1.10", "8.8.8.8", "port2", 7, 1, [
      "allocate a new session-00001234, tun_id=0.0.0.0",
      "find a route: flag=04000000 gw-203.0.113.1 via wan1",
      "Denied by forward policy check (policy 0)",
    ]),
  ];

  test("the sniffer alone says not-forwarded", () => {
    const r = paste(lines);
    expect(r.sniffer.map((v) => v.code)).toContain("not-forwarded");
  });

  test("one policy-denied verdict replaces it: the implicit deny from port2 to wan1, both outputs quoted, the remedy", () => {
    const r = paste(lines);
    expect(r.matches[0]).toMatchObject({ key: "order", packets: [expect.objectContaining({ line: 4 })] });
    const notForwarded = r.sniffer.find((v) => v.code === "not-forwarded" && v.servers.includes("8.8.8.8"));
    expect(r.trace.replaced).toEqual([{ sniffer: notForwarded, by: r.trace.verdicts[0] }]);
    const merged = r.verdicts.filter((v) => v.servers.includes("8.8.8.8"));
    expect(merged).toHaveLength(1);
    const v = merged[0] as Verdict;
    expect(v).toMatchObject({ code: "policy-denied", severity: "error", proto: "icmp", port: null, capture: 0 });
    const words = reported(r, "policy-denied");
    expect(words.args).toMatchObject({ policy: 0, ingress: ["port2"], egress: ["wan1"], route: { interface: "wan1", local: false } });
    expect(words.args.sniffer).toMatchObject({ replaced: ["not-forwarded"], seen: 3, ingress: ["port2"], egressCopies: [] });
    const lines_ = v.evidence.map((e) => e.line);
    expect(lines_).toEqual(expect.arrayContaining([4, 10, 13]));
    expect(v.evidence.find((e) => e.line === 4)?.text).toBe("1.000100 port2 in 192.168.1.10 -> 8.8.8.8: icmp: echo request");
    expect(words.commands).toEqual(expect.arrayContaining(['        set srcintf "port2"', '        set dstintf "wan1"', '        set service "ALL_ICMP"']));
    // a command line is never a sentence
    expect(words.commands.every((c) => !/[a-z]\. |\.$/.test(c))).toBe(true);
  });

  test("an allowed trace for the same service keeps the sniffer's verdict (mixed fates)", () => {
    const extra = icmpTrace(42, "192.168.1.10", "8.8.8.8", "port2", 7, 2, ["Find an existing session, id-00001234, original direction", "enter fast path"]);
    const r = paste([...lines, ...extra]);
    expect(r.trace.replaced).toEqual([]);
    expect(r.verdicts.map((v) => v.code)).toEqual(expect.arrayContaining(["not-forwarded", "policy-denied"]));
  });
});

describe("keys, strongest first", () => {
  test("TCP seq picks the traced SYN among SYNs on the same tuple", () => {
    const r = paste([
      "diagnose sniffer packet any 'port 22' 4",
      "1.0 port1 in 10.10.10.1.60369 -> 10.10.20.1.22: syn 1111",
      "1.5 port1 in 10.10.10.1.60369 -> 10.10.20.1.22: syn 3960058270",
      "1.500020 port2 out 10.10.10.1.60369 -> 10.10.20.1.22: syn 3960058270",
      ...tcpTrace(7, 60369, 3960058270, ["allocate a new session-0000003c", "find a route: flags=00000000 gw-10.10.20.1 via port2", "Allowed by Policy-3:"]),
    ]);
    expect(r.matches[0]).toMatchObject({ key: "tcp-seq", packets: [expect.objectContaining({ line: 3 }), expect.objectContaining({ line: 4 })] });
    expect(r.matches[0]?.reason).toMatch(/TCP seq 3960058270/);
  });

  test("SYN-ACK: seq and ack both compared", () => {
    const r = paste([
      "diagnose sniffer packet any 'port 443' 4",
      "1.0 port1 in 63.137.229.1.443 -> 10.9.10.51.63611: syn 107956612 ack 3839416145",
      "id=65308 trace_id=3 func=print_pkt_detail line=5 msg=\"vd-root:0 received a packet(proto=6, 63.137.229.1:443->10.9.10.51:63611) tun_id=0.0.0.0 from port1. flag [S.], seq 107956612, ack 3839416145, win 65535\"",
      'id=65308 trace_id=3 func=f line=1 msg="Find an existing session, id-00000001, reply direction"',
    ]);
    expect(r.matches[0]).toMatchObject({ key: "tcp-seq" });
    expect(r.matches[0]?.reason).toMatch(/seq 107956612 ack 3839416145/);
  });

  test("a pure ACK: the sniffer prints only `ack N`", () => {
    const r = paste([
      "diagnose sniffer packet any 'port 443' 4",
      "1.0 port2 in 10.9.10.51.63611 -> 63.137.229.1.443: ack 107956613",
      'id=65308 trace_id=4 func=print_pkt_detail line=5 msg="vd-root:0 received a packet(proto=6, 10.9.10.51:63611->63.137.229.1:443) tun_id=0.0.0.0 from port2. flag [.], seq 3839416145, ack 107956613, "',
      'id=65308 trace_id=4 func=f line=1 msg="Find an existing session, id-00000001, original direction"',
    ]);
    expect(r.matches[0]).toMatchObject({ key: "tcp-seq" });
  });

  test("tuple + ingress interface, and the egress interface from the route", () => {
    const r = paste([
      "diagnose sniffer packet any 'udp and port 53' 4",
      "1.0 port1 in 10.0.0.9.5353 -> 10.0.0.53.53: udp 40",
      "2.0 port5 in 10.0.0.9.5353 -> 10.0.0.53.53: udp 40",
      "2.000010 port6 out 10.0.0.9.5353 -> 10.0.0.53.53: udp 40",
      'id=20085 trace_id=9 func=print_pkt_detail line=1 msg="vd-root:0 received a packet(proto=17, 10.0.0.9:5353->10.0.0.53:53) tun_id=0.0.0.0 from port5. "',
      'id=20085 trace_id=9 func=f line=1 msg="find a route: flag=04000000 gw-10.0.0.53 via port6"',
      'id=20085 trace_id=9 func=f line=1 msg="Allowed by Policy-4:"',
    ]);
    expect(r.matches[0]).toMatchObject({ key: "tuple-iface", ingress: expect.objectContaining({ line: 3, iface: "port5" }), egress: [expect.objectContaining({ line: 4 })] });
  });

  test("NAT-translated tuple: a capture on the egress interface only shows the SNAT copy", () => {
    const r = paste([
      "diagnose sniffer packet port1 'icmp' 4",
      "2.544394 port1 out 192.168.89.35 -> 114.114.114.114: icmp: echo request",
      ...icmpTrace(87, "192.168.1.10", "114.114.114.114", "port5", 2589, 1, [
        "allocate a new session-000ee70c, tun_id=0.0.0.0",
        "find a route: flag=04000000 gw-192.168.89.254 via port1",
        "Allowed by Policy-9: SNAT",
        "SNAT 192.168.1.10->192.168.89.35:63005",
      ]),
    ]);
    expect(r.matches[0]).toMatchObject({ key: "nat-tuple", packets: [expect.objectContaining({ line: 2 })] });
    expect(r.matches[0]?.reason).toMatch(/SNAT 192\.168\.1\.10 -> 192\.168\.89\.35:63005/);
  });

  test("ICMP id/seq from the hex dump (verbose 6) picks the traced echo, and rejects another ping", () => {
    // 0800 45 ... ICMP echo request id 0x0a1d (2589) seq 2
    const frame = (seq: number) => [
      `0x0000\t 0000 0000 0000 0000 0000 0000 0800 4500\t................E.`,
      `0x0010\t 0054 0000 4000 4001 0000 c0a8 010a 7272\t.T..@.@.......rr`,
      `0x0020\t 7272 0800 0000 0a1d 000${seq} 0000 0000 0000\trr..............`,
    ];
    const lines = [
      "diagnose sniffer packet any 'icmp' 6",
      "1.0 port5 in 192.168.1.10 -> 114.114.114.114: icmp: echo request",
      ...frame(1),
      "2.0 port5 in 192.168.1.10 -> 114.114.114.114: icmp: echo request",
      ...frame(2),
    ];
    const hit = paste([...lines, ...icmpTrace(89, "192.168.1.10", "114.114.114.114", "port5", 2589, 2, ["Find an existing session, id-000ee70c, original direction"])]);
    expect(hit.matches[0]).toMatchObject({ key: "icmp-id-seq", packets: [expect.objectContaining({ line: 6 })] });
    const miss = paste([...lines, ...icmpTrace(30, "192.168.1.10", "114.114.114.114", "port5", 4444, 1, ["Denied by forward policy check (policy 0)"])]);
    expect(miss.matches[0]).toMatchObject({ key: null });
    expect(miss.matches[0]?.reason).toMatch(/id 2589, the traced one id 4444: another ping/);
  });

  test("same tuple, no identifier (S17): sniffer `in` lines and denied traces paired by order", () => {
    const r = paste([
      "diagnose sniffer packet any 'icmp' 4 0 l",
      "2024-03-01 10:00:01.100000 port1 in 192.168.1.1 -> 192.168.1.99: icmp: echo request",
      "2024-03-01 10:00:02.100000 port1 in 192.168.1.1 -> 192.168.1.99: icmp: echo request",
      ...icmpTrace(1, "192.168.1.1", "192.168.1.99", "port1", 10, 0, ["allocate a new session-00000001", "Denied by forward policy check"]),
      ...icmpTrace(2, "192.168.1.1", "192.168.1.99", "port1", 10, 1, ["allocate a new session-00000002", "Denied by forward policy check"]),
    ]);
    expect(r.matches.map((m) => [m.trace.traceId, m.key, m.packets.map((p) => p.line)])).toEqual([
      [1, "order", [2]],
      [2, "order", [3]],
    ]);
    const v = r.trace.verdicts[0];
    expect(v).toMatchObject({ code: "policy-denied", args: { policy: null, check: "forward-policy", ingress: ["port1"] } });
  });
});

describe("never matching different attempts (spec §3.2 negative cases)", () => {
  test("S06: the sniffer's SYNs are from sport 60368, the traces 60369/60373", () => {
    const r = paste([
      "# diagnose sniffer packet port1 'port 22' 1",
      "1.000000 10.10.10.1.60368 -> 10.10.20.1.22: syn 2179876642",
      "4.000000 10.10.10.1.60368 -> 10.10.20.1.22: syn 2179876642",
      ...tcpTrace(1, 60369, 3960058270, ["allocate a new session-0000003c", "find a route: flags=00000000 gw-10.10.20.1 via port2", "Denied by forward policy check (policy 0)"]),
      ...tcpTrace(2, 60373, 3961358270, ["allocate a new session-0000003d", "find a route: flags=00000000 gw-10.10.20.1 via port2", "Allowed by Policy-1:"]),
    ]);
    expect(r.matches.map((m) => m.key)).toEqual([null, null]);
    expect(r.matches[0]?.reason).toMatch(/another source port \(60368, not 60369\): a different connection attempt/);
    expect(r.trace.replaced).toEqual([]);
  });

  test("the same tuple with another SYN sequence number is another attempt", () => {
    const r = paste(["diagnose sniffer packet any 'port 22' 4", "1.0 port1 in 10.10.10.1.60369 -> 10.10.20.1.22: syn 2179876642", ...tcpTrace(1, 60369, 3960058270, ["Denied by forward policy check (policy 0)"])]);
    expect(r.matches[0]?.key).toBeNull();
    expect(r.matches[0]?.reason).toMatch(/seq 2179876642, the traced one seq 3960058270: a different attempt/);
  });

  test("a packet the trace drops is not a packet the capture saw leaving", () => {
    const r = paste([
      "diagnose sniffer packet any 'port 22' 4",
      "1.0 port1 in 10.10.10.1.60369 -> 10.10.20.1.22: syn 3960058270",
      "1.000010 port2 out 10.10.10.1.60369 -> 10.10.20.1.22: syn 3960058270",
      ...tcpTrace(1, 60369, 3960058270, ["Denied by forward policy check (policy 0)"]),
    ]);
    expect(r.matches[0]?.key).toBeNull();
    expect(r.matches[0]?.reason).toMatch(/drops the packet, but the capture shows it leaving on port2/);
  });

  test("another ingress interface is another path (another unit, S15)", () => {
    const r = paste(["diagnose sniffer packet any 'port 22' 4", "1.0 port9 in 10.10.10.1.60369 -> 10.10.20.1.22: syn 3960058270", ...tcpTrace(1, 60369, 3960058270, ["Allowed by Policy-1:"])]);
    expect(r.matches[0]?.reason).toMatch(/arrive on port9, the traced packet arrived on port1/);
  });

  test("a packet the unit sent (from local) is not one that arrived", () => {
    const r = paste([
      "diagnose sniffer packet any 'icmp' 4",
      "1.0 port1 in 10.40.16.57 -> 172.31.128.20: icmp: echo request",
      'id=20085 trace_id=3 func=print_pkt_detail line=5517 msg="vd-root:0 received a packet(proto=1, 10.40.16.57:257->172.31.128.20:2048) from local. type=8, code=0, id=257, seq=50."',
    ]);
    expect(r.matches[0]?.reason).toMatch(/sent by the unit itself/);
  });

  test("more traces than packets: the later ones stay unmatched, with the reason", () => {
    const r = paste([
      "diagnose sniffer packet any 'icmp' 4",
      "1.0 port2 in 192.168.1.10 -> 8.8.8.8: icmp: echo request",
      ...icmpTrace(1, "192.168.1.10", "8.8.8.8", "port2", 7, 1, ["Denied by forward policy check (policy 0)"]),
      ...icmpTrace(2, "192.168.1.10", "8.8.8.8", "port2", 7, 2, ["Denied by forward policy check (policy 0)"]),
    ]);
    expect(r.matches.map((m) => m.key)).toEqual(["order", null]);
    expect(r.matches[1]?.reason).toMatch(/matched to another trace/);
  });
});

describe("supersede rule 2: offloaded explains missing packets", () => {
  const pair = (t: number, n: number) => [
    `${t}.000000 port5 in 192.168.1.10 -> 114.114.114.114: icmp: echo request`,
    `${t}.000010 port1 out 192.168.89.35 -> 114.114.114.114: icmp: echo request`,
    ...(n < 3 ? [`${t}.020000 port1 in 114.114.114.114 -> 192.168.89.35: icmp: echo reply`, `${t}.020010 port5 out 114.114.114.114 -> 192.168.1.10: icmp: echo reply`] : []),
  ];
  test("replies missing after the reply direction went to the NP are not a drop", () => {
    const r = paste([
      "diagnose sniffer packet any 'host 114.114.114.114 and icmp' 4",
      ...pair(1, 1),
      ...pair(2, 2),
      ...pair(3, 3),
      ...pair(4, 4),
      ...pair(8, 5),
      "",
      'id=20085 trace_id=88 func=print_pkt_detail line=5845 msg="vd-root:0 received a packet(proto=1, 114.114.114.114:63005->192.168.89.35:0) tun_id=0.0.0.0 from port1. type=0, code=0, id=63005, seq=1."',
      'id=20085 trace_id=88 func=f line=1 msg="Find an existing session, id-000ee70c, reply direction"',
      'id=20085 trace_id=88 func=f line=1 msg="DNAT 192.168.89.35:0->192.168.1.10:2589"',
      'id=20085 trace_id=90 func=print_pkt_detail line=5845 msg="vd-root:0 received a packet(proto=1, 114.114.114.114:63005->192.168.89.35:0) tun_id=0.0.0.0 from port1. type=0, code=0, id=63005, seq=2."',
      'id=20085 trace_id=90 func=f line=1 msg="Find an existing session, id-000ee70c, reply direction"',
      'id=20085 trace_id=90 func=f line=1 msg="DNAT 192.168.89.35:0->192.168.1.10:2589"',
      'id=20085 trace_id=90 func=f line=1 msg="npu session installation succeeded"',
    ]);
    expect(r.sniffer.map((v) => v.code)).toContain("partially-answered");
    expect(r.matches.map((m) => [m.trace.traceId, m.trace.outcome, m.packets.map((p) => p.line)])).toEqual([
      [88, "allowed", [4, 5]],
      [90, "offloaded", [8, 9]],
    ]);
    expect(r.trace.replaced.map((x) => [x.sniffer.code, x.by.code])).toEqual([["partially-answered", "offloaded"]]);
    expect(r.verdicts.map((v) => v.code)).toEqual(["offloaded"]);
  });
});

describe("assembly: grouping by (blade, trace_id)", () => {
  test("trace_id reuse across runs starts a new trace at each packet line (S16)", () => {
    const a = new TraceAssembler("t");
    const lines = [
      'id=65308 trace_id=1 func=print_pkt_detail line=5 msg="vd-root:0 received a packet(proto=1, 10.1.1.1:1->10.9.9.9:2048) tun_id=0.0.0.0 from port1. type=8, code=0, id=1, seq=1."',
      'id=65308 trace_id=1 func=f line=1 msg="Allowed by Policy-5:"',
      'id=65308 trace_id=1 func=f line=1 msg="enter IPSec interface EDGE_INET1, tun_id=0.0.0.0"',
      "second run:",
      'id=65308 trace_id=1 func=print_pkt_detail line=5 msg="vd-root:0 received a packet(proto=1, 10.1.1.1:2->10.9.9.9:2048) tun_id=0.0.0.0 from port1. type=8, code=0, id=2, seq=1."',
      'id=65308 trace_id=1 func=f line=1 msg="Allowed by Policy-5:"',
      'id=65308 trace_id=1 func=f line=1 msg="enter IPSec interface EDGE_INET1, tun_id=0.0.0.0"',
      'id=65308 trace_id=1 func=f line=1 msg="output to IPSec tunnel EDGE_INET1_0, tun_id=10.0.0.4, vrf 0"',
      'id=65308 trace_id=1 func=f line=1 msg="IPsec encrypt/auth"',
      'id=65308 trace_id=1 func=f line=1 msg="send to 10.0.0.4 via intf-port2"',
    ];
    splitLines(lines.join("\n")).forEach((l) => a.line(l));
    const traces = a.end();
    expect(traces.map((t) => [t.traceId, t.lines, t.outcome, t.check])).toEqual([
      [1, [1, 2, 3], "ipsec-not-ready", "ipsec-no-tunnel"],
      [1, [5, 6, 7, 8, 9, 10], "allowed", null],
    ]);
    const v = traceVerdicts(matchTraces(traces, []), { source: "t" }).verdicts;
    expect(v.map((x) => x.code)).toEqual(["ipsec-not-ready"]);
    expect(v[0]?.args).toMatchObject({ stalled: true });
  });

  test("lines of a trace may arrive late and without their packet line", () => {
    const a = new TraceAssembler("t");
    const lines = [
      'id=20085 trace_id=8 func=f line=1 msg="Denied by forward policy check (policy 0)"',
      'id=20085 trace_id=9 func=print_pkt_detail line=1 msg="vd-root:0 received a packet(proto=17, 10.0.0.1:999->10.0.0.2:53) tun_id=0.0.0.0 from port1. "',
    ];
    splitLines(lines.join("\n")).forEach((l) => a.line(l));
    const traces = a.end();
    expect(traces.map((t) => [t.traceId, t.packet === null, t.outcome])).toEqual([
      [8, true, "policy-denied"],
      [9, false, "trace-ended"],
    ]);
    expect(matchTraces(traces, [])[0]?.reason).toMatch(/no packet line/);
  });
});

describe("properties", () => {
  const base = [
    "FGT # diagnose sniffer packet any 'host 114.114.114.114 and icmp' 4",
    "2.544370 port5 in 192.168.1.10 -> 114.114.114.114: icmp: echo request",
    "2.544394 port1 out 192.168.89.35 -> 114.114.114.114: icmp: echo request",
    "3.546345 port5 in 192.168.1.10 -> 114.114.114.114: icmp: echo request",
    "3.546356 port1 out 192.168.89.35 -> 114.114.114.114: icmp: echo request",
    "4.0 port3 in 10.0.0.1.40000 -> 10.0.0.2.22: syn 5555",
    ...icmpTrace(87, "192.168.1.10", "114.114.114.114", "port5", 2589, 1, ["find a route: flag=04000000 gw-192.168.89.254 via port1", "Allowed by Policy-9: SNAT", "SNAT 192.168.1.10->192.168.89.35:63005"]),
    ...icmpTrace(89, "192.168.1.10", "114.114.114.114", "port5", 2589, 2, ["Find an existing session, id-000ee70c, original direction", "SNAT 192.168.1.10->192.168.89.35:63005"]),
    ...tcpTrace(5, 40000, 5555, ["Denied by forward policy check (policy 0)"], "port3", "10.0.0.1", "10.0.0.2"),
  ];
  const text = base.join("\n") + "\n";
  const parsed = parseCapture(text, { source: "p" });
  const traces = tracesOf(text);
  const packets = parsed.packets;
  const key = (m: TraceMatch) => `${m.trace.traceId}|${m.key}|${m.packets.map((p) => p.line).join(",")}`;
  const baseline = matchTraces(traces, packets).map(key).sort();

  const unrelated = fc
    .record({
      id: fc.integer({ min: 100, max: 100000 }),
      line: fc.integer({ min: 1, max: 400 }),
      a: fc.integer({ min: 1, max: 254 }),
      b: fc.integer({ min: 1, max: 254 }),
      port: fc.integer({ min: 1024, max: 65535 }),
      outcome: fc.constantFrom("allowed", "policy-denied", "trace-ended" as const),
      blade: fc.constantFrom(null, "FPM03", "FPM04"),
    })
    .map(({ id, line, a, b, port, outcome, blade }): TraceRecord => {
      const t = traces[0] as TraceRecord;
      return {
        ...t,
        blade,
        traceId: id,
        lines: [line],
        outcome,
        packet: { proto: "udp", ipProto: 17, src: `10.99.${a}.${b}`, sport: port, dst: "10.98.0.1", dport: 53, iface: "port5", local: false, vdom: "root", tunnel: null, partial: false, truncated: false },
      };
    });

  test("shuffling in unrelated traces never changes a match", () => {
    fc.assert(
      fc.property(fc.array(unrelated, { maxLength: 12 }), fc.array(fc.nat(), { minLength: 20, maxLength: 20 }), (extra, order) => {
        const all = [...traces, ...extra];
        const shuffled = all.map((t, i) => ({ t, k: order[i % order.length] ?? 0 })).sort((x, y) => x.k - y.k).map((x) => x.t);
        const got = matchTraces(shuffled, [...packets].reverse())
          .filter((m) => traces.includes(m.trace))
          .map(key)
          .sort();
        expect(got).toEqual(baseline);
      }),
      { numRuns: 200 },
    );
  });

  test("interleaving the lines of different traces never changes what they say", () => {
    const traceText = base.filter((l) => l.includes("trace_id="));
    const byId = new Map<string, string[]>();
    for (const l of traceText) {
      const id = /trace_id=(\d+)/.exec(l)?.[1] ?? "";
      byId.set(id, [...(byId.get(id) ?? []), l]);
    }
    const summary = (ts: TraceRecord[]) =>
      ts.map((t) => `${t.traceId}|${t.outcome}|${t.policy}|${JSON.stringify(t.snat)}|${JSON.stringify(t.route)}|${t.lines.length}`).sort();
    const expected = summary(tracesOf(traceText.join("\n")));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...byId.keys()), { minLength: traceText.length, maxLength: traceText.length }), (picks) => {
        const queues = new Map([...byId].map(([k, v]) => [k, [...v]]));
        const out: string[] = [];
        for (const p of picks) {
          const q = queues.get(p) ?? [];
          const next = q.shift() ?? [...queues.values()].find((x) => x.length > 0)?.shift();
          if (next !== undefined) out.push(next, "some prose between the lines");
        }
        for (const q of queues.values()) out.push(...q);
        expect(summary(tracesOf(out.join("\n")))).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  const fragment = fc.constantFrom(
    "id=20085 ",
    "trace_id=7 ",
    "[FPM04]  ",
    "2022-11-30 19:54:07 ",
    'msg="',
    'msg=',
    '"',
    "received a packet(proto=1, ",
    "10.0.0.1:5->10.0.0.2:2048) ",
    "from port1. ",
    "flag [S], seq 1, ack 0, win 5",
    "type=8, code=0, id=5, seq=1.",
    "-&gt;",
    "**",
    "<-----",
    "// note",
    "FGT # ",
    "\t",
    " ",
    "-",
    ">",
  );
  const traceish = fc.array(fc.oneof(fragment, fc.string({ maxLength: 6 })), { maxLength: 30 }).map((a) => a.join(""));

  test("any text: classification never throws, every line is claimed at most once, a line without trace_id= is never a record", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(traceish, fc.string()), { maxLength: 20 }), (lines) => {
        const a = new TraceAssembler("p");
        const claimed = new Set<number>();
        splitLines(lines.join("\n")).forEach((l) => {
          if (a.line(l)) {
            expect(claimed.has(l.no)).toBe(false);
            claimed.add(l.no);
          }
        });
        const ts = a.end();
        for (const t of ts) for (const l of t.lines) expect(claimed.has(l)).toBe(true);
        expect(() => matchTraces(ts, [])).not.toThrow();
        expect(() => traceVerdicts(matchTraces(ts, []), { source: "p" })).not.toThrow();
      }),
      { numRuns: 400 },
    );
  });
});
