/**
 * The debug-flow line grammar (../shared/spec/debug-flow.md §2): every record shape of the
 * robustness checklist (§3.4), every packet-line variant (§2.2) and the message catalogue (§2.3),
 * on synthetic lines built from the spec's patterns.
 */
import { classifyTraceLine, parsePacketMessage, TraceLineJoiner, type TraceLineShape, type TraceRecordShape } from "../grammars/debugflow/index.js";
import { classifyMessage } from "../src/assembly/trace/messages.js";

function records(line: string): TraceRecordShape[] {
  const shape = classifyTraceLine(line);
  expect(shape).not.toBeNull();
  return (shape as TraceLineShape).records;
}

function one(line: string): TraceRecordShape {
  const r = records(line);
  expect(r).toHaveLength(1);
  return r[0] as TraceRecordShape;
}

/** Feed lines through a joiner; the completed records and which lines it claimed. */
function join(lines: string[]): { records: TraceRecordShape[]; claimed: number[] } {
  const j = new TraceLineJoiner();
  const out: TraceRecordShape[] = [];
  const claimed: number[] = [];
  lines.forEach((text, i) => {
    const s = j.push({ no: i + 1, text });
    if (s === null) return;
    if (s.kind === "trace") claimed.push(i + 1);
    out.push(...s.records);
  });
  out.push(...j.end());
  return { records: out, claimed };
}

const MSG = 'msg="allocate a new session-000ee70c, tun_id=0.0.0.0"';

describe("record envelope (§2.1) and the robustness checklist (§3.4)", () => {
  test("plain 7.0 record with func/line", () => {
    expect(one(`id=20085 trace_id=87 func=init_ip_session_common line=6024 ${MSG}`)).toMatchObject({
      logId: 20085,
      traceId: 87,
      func: "init_ip_session_common",
      funcLine: 6024,
      msg: "allocate a new session-000ee70c, tun_id=0.0.0.0",
      closed: true,
      blade: null,
      timestamp: null,
      prompt: null,
    });
  });

  test.each([
    ["FGT1-MASTER # ", "FGT1-MASTER #"],
    ["FortiGate_Transparent # ", "FortiGate_Transparent #"],
    ["FGT # ", "FGT #"],
    ["# ", "#"],
    ["FG100F (root) # ", "FG100F (root) #"],
  ])("prompt glued before the first record: %s", (prefix, prompt) => {
    expect(one(`${prefix}id=20085 trace_id=2 ${MSG}`)).toMatchObject({ prompt, traceId: 2 });
  });

  test("console timestamp prefix", () => {
    expect(one(`2022-11-30 19:54:07 id=20085 trace_id=87 ${MSG}`)).toMatchObject({ timestamp: "2022-11-30 19:54:07", traceId: 87 });
  });

  test.each([
    ["[FPM04]  id=20085 trace_id=6", "FPM04"],
    ["[FPC06]  id=20085 trace_id=2", "FPC06"],
    ["[FPC02] id=20085 trace_id=2", "FPC02"],
  ])("blade prefix %s", (prefix, blade) => {
    expect(one(`${prefix} ${MSG}`)).toMatchObject({ blade });
  });

  test("id= missing (pasted from trace_id=, S13) and other log ids (65308, 36870, 13)", () => {
    expect(one(`trace_id=76 func=print_pkt_detail line=6005 ${MSG}`)).toMatchObject({ logId: null, traceId: 76 });
    for (const id of [65308, 36870, 13]) expect(one(`id=${id} trace_id=5 ${MSG}`).logId).toBe(id);
  });

  test("pri= present, func/line missing (old KB FD31702 format)", () => {
    const r = one('id=36870 pri=emergency trace_id=1 msg="vd-root received a packet(proto=1,10.50.50.1:4608->10.50.50.2:8) from dmz."');
    expect(r).toMatchObject({ pri: "emergency", func: null, funcLine: null, traceId: 1 });
    expect(r.packet).toMatchObject({ proto: 1, src: "10.50.50.1", sport: 4608, dst: "10.50.50.2", dport: 8, iface: "dmz" });
  });

  test("leading indentation and Markdown list markers", () => {
    for (const prefix of ["   ", "    ", "     ", "- ", "* ", "1. ", "> "]) expect(one(`${prefix}id=20085 trace_id=3 ${MSG}`).traceId).toBe(3);
  });

  test("a `//` comment appended to a record (S17)", () => {
    const shape = classifyTraceLine(`id=20085 trace_id=9 func=br_fw_forward_handler line=1 msg="Denied by forward policy check"   // no policy from port1 to port2`);
    expect(shape?.records[0]?.msg).toBe("Denied by forward policy check");
    expect(shape?.comment).toBe("no policy from port1 to port2");
  });

  test("`//` comment lines between records (S09) are not trace lines", () => {
    expect(classifyTraceLine("//received a packet 表示 FortiGate 收到一个报文")).toBeNull();
  });

  test("`<-----` arrows and **bold** (S04, S16)", () => {
    expect(one('**id=20085 trace_id=4 func=ipsec_common_output4 line=804 msg="No matching IPsec selector, drop" <-----**').msg).toBe("No matching IPsec selector, drop");
    expect(one('id=65308 trace_id=1 msg="enter IPSec interface EDGE_INET1, tun_id=0.0.0.0" <----- The packet goes nowhere').msg).toBe("enter IPSec interface EDGE_INET1, tun_id=0.0.0.0");
    expect(one('`id=20085 trace_id=5 msg="enter fast path"`').msg).toBe("enter fast path");
  });

  test("blank lines between records (S04, S11) change nothing", () => {
    const { records: r, claimed } = join([`id=20085 trace_id=5 ${MSG}`, "", `id=20085 trace_id=5 msg="enter fast path"`, ""]);
    expect(r.map((x) => x.msg)).toEqual(["allocate a new session-000ee70c, tun_id=0.0.0.0", "enter fast path"]);
    expect(claimed).toEqual([1, 3]);
  });

  test("msg= split from its value by a blank line (S04)", () => {
    const { records: r, claimed } = join([
      "id=20085 trace_id=3 func=ipsec_common_output4 line=804 msg=",
      "",
      '**"No matching IPsec selector, drop"**<-----',
      'id=20085 trace_id=4 msg="enter fast path"',
    ]);
    expect(r[0]).toMatchObject({ traceId: 3, msg: "No matching IPsec selector, drop", closed: true, lines: [1, 3] });
    expect(r[1]).toMatchObject({ traceId: 4, lines: [4] });
    expect(claimed).toEqual([1, 3, 4]);
  });

  test("PDF hard wraps inside msg, over three lines (S12)", () => {
    const { records: r, claimed } = join([
      '# id=65308 trace_id=25 func=print_pkt_detail line=5939 msg="vd-root:0 received a packet',
      "(proto=1, 172.16.200.2:5->172.16.200.1:2048) tun_id=0.0.0.0 from port1. type=8, code=0,",
      'id=5, seq=0."',
      'id=65308 trace_id=25 func=init_ip_session_common line=6121 msg="allocate a new session-',
      '00029409, tun_id=0.0.0.0"',
      'id=65308 trace_id=21 func=fw_local_in_handler line=545 msg="iprope_in_check() check',
      'failed on policy 3, drop"',
    ]);
    expect(claimed).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(r.map((x) => x.lines)).toEqual([[1, 2, 3], [4, 5], [6, 7]]);
    expect(r[0]?.packet).toMatchObject({ src: "172.16.200.2", sport: 5, dst: "172.16.200.1", dport: 2048, iface: "port1", icmp: { type: 8, code: 0, id: 5, seq: 0 } });
    expect(r[1]?.msg).toBe("allocate a new session-00029409, tun_id=0.0.0.0");
    expect(r[2]?.msg).toBe("iprope_in_check() check failed on policy 3, drop");
  });

  test.each([
    ["raw", ">10.2.2.10:8) from port1."],
    ["after cleanLine ate the `>`", "10.2.2.10:8) from port1."],
  ])("a wrap inside `->` (S15, %s)", (_, second) => {
    const { records: r } = join(['FGT1 # id=36870 trace_id=615 msg="vd-root received a packet(proto=1, 10.1.1.10:512-', second]);
    expect(r[0]?.packet).toMatchObject({ src: "10.1.1.10", sport: 512, dst: "10.2.2.10", dport: 8, iface: "port1", partial: false });
  });

  test("a wrap after `(proto=6,` (5.0 help) and after the tuple", () => {
    const { records: r } = join([
      'id=20085 trace_id=1 func=resolve_ip_tuple_fast line=1 msg="vd-root received a packet(proto=6,',
      '192.168.3.221:1487->203.160.224.97:80) from port5."',
      'id=36870 trace_id=616 msg="vd-root received a packet(proto=1, 10.1.1.10:512->10.2.2.10:8)',
      'from port1."',
    ]);
    expect(r[0]?.packet).toMatchObject({ src: "192.168.3.221", sport: 1487, dst: "203.160.224.97", dport: 80, iface: "port5" });
    expect(r[1]?.packet).toMatchObject({ src: "10.1.1.10", iface: "port1" });
  });

  test("an open message followed by sniffer output or a new record is ended, not joined", () => {
    const { records: r, claimed } = join([
      'id=20085 trace_id=22 msg="vd-root:0 received a packet(proto=1, 192.168.10.10:1->1',
      "3.530807 Inside_VLAN10 in 192.168.10.10 -> 192.168.20.10: icmp: echo request",
      'id=20085 trace_id=23 msg="vd-root:0 received a packet(proto=1, 192.168.10.10:1->19',
      'id=20085 trace_id=23 msg="enter fast path"',
    ]);
    expect(claimed).toEqual([1, 3, 4]);
    expect(r.map((x) => [x.traceId, x.closed, x.lines])).toEqual([
      [22, false, [1]],
      [23, false, [3]],
      [23, true, [4]],
    ]);
  });

  test("the prose sentence that quotes a record (S15) is not a record", () => {
    const { records: r, claimed } = join(['The message "id=36870 trace_id=615 msg="SA is not ready yet,', 'drop " simply means that the tunnel was not up yet.']);
    expect(r).toEqual([]);
    expect(claimed).toEqual([]);
  });

  test("several records on one physical line (S19)", () => {
    const r = records(
      '[FPC02] id=20085 trace_id=2 func=resolve_ip6_tuple_fast line=4190 msg="vd-vlan:0 received a packet(proto=6, 3ff5::100:10001->4ff5::28:80) from vlan-port1." ' +
        '[FPC02] id=20085 trace_id=2 func=resolve_ip6_tuple line=4307 msg="allocate a new session-000f00fb" ' +
        '[FPC02] id=20085 trace_id=2 func=vf_ip6_route_input line=1125 msg="find a route: gw-4ff5::28 via vlan-port2 err 0 flags 01000001" ' +
        '[FPC02] id=20085 trace_id=2 func=fw6_forward_handler line=345 msg="Check policy between vlan-port1 -> vlan-port2"',
    );
    expect(r.map((x) => x.msg)).toEqual([
      "vd-vlan:0 received a packet(proto=6, 3ff5::100:10001->4ff5::28:80) from vlan-port1.",
      "allocate a new session-000f00fb",
      "find a route: gw-4ff5::28 via vlan-port2 err 0 flags 01000001",
      "Check policy between vlan-port1 -> vlan-port2",
    ]);
    expect(r.every((x) => x.blade === "FPC02" && x.traceId === 2)).toBe(true);
    const text = r[1]?.text ?? "";
    expect(text.startsWith("[FPC02] id=20085 trace_id=2 func=resolve_ip6_tuple ")).toBe(true);
  });

  test("two records run together without a blank (KB 268514 page)", () => {
    const r = records('id=20085 trace_id=1 msg="enter fast path"id=20085 trace_id=1 msg="send to ips"'.replace('"id', '" id'));
    expect(r.map((x) => x.msg)).toEqual(["enter fast path", "send to ips"]);
  });

  test("HTML entity -&gt; (S06)", () => {
    const r = one('id=20085 trace_id=1 func=resolve_ip_tuple_fast line=4378 msg="vd-root received a packet(proto=6, 10.10.10.1:60369-&gt;10.10.20.1:22) from port1. flag [S], seq 3960058270, ack 0, win 3840"');
    expect(r.packet).toMatchObject({ vdom: "root", vdomIndex: null, src: "10.10.10.1", sport: 60369, dst: "10.10.20.1", dport: 22, tcp: { flags: "S", seq: 3960058270, ack: 0, win: 3840 } });
  });

  test("truncated messages (S05): the closing quote is there, the text is cut", () => {
    const a = one('id=20085 trace_id=22 func=print_pkt_detail line=5871 msg="vd-root:0 received a packet(proto=1, 192.168.10.10:1->1"');
    expect(a.packet).toMatchObject({ proto: 1, src: "192.168.10.10", sport: 1, dst: "1", dport: null, partial: true, truncated: true, iface: null });
    const b = one('id=20085 trace_id=23 msg="vd-root:0 received a packet(proto=1, 192.168.10.10:1->192.168.20.10:2048) tun_i"');
    expect(b.packet).toMatchObject({ dst: "192.168.20.10", dport: 2048, partial: false, truncated: true, tunnel: null });
    const c = one('id=20085 trace_id=23 msg="Trying to offloading session from Outside_Vlan20 to Inside_VLAN20, skb.npu_"');
    expect(c.msg).toBe("Trying to offloading session from Outside_Vlan20 to Inside_VLAN20, skb.npu_");
    const d = one('id=20085 trace_id=2 msg="vd-root received a packet(proto=6, 10.1.1.1:1234->10.2.2.2:80) from port1. flag [S], seq 112318697,"');
    expect(d.packet?.tcp).toEqual({ flags: "S", seq: 112318697, ack: null, win: null });
  });

  test("IPv6 tuples split on the last colon (S19)", () => {
    const r = one('[FPC06]  id=20085 trace_id=2 func=resolve_ip6_tuple_fast line=4190 msg="vd-vlan:0 received a packet(proto=6, 3ff5::100:10001->4ff5::13:80) from vlan-port1."');
    expect(r.packet).toMatchObject({ vdom: "vlan", vdomIndex: 0, src: "3ff5::100", sport: 10001, dst: "4ff5::13", dport: 80, iface: "vlan-port1" });
  });

  test("traffic-log lines with msg=\"Denied...\" or \"no session matched\" are not traces (KB 274367)", () => {
    expect(classifyTraceLine('date=2023-05-01 time=10:00:00 logid="0000000007" type="traffic" subtype="forward" action="deny" msg="no session matched"')).toBeNull();
    expect(classifyTraceLine('date=2023-05-01 logid="0000000013" type="traffic" msg="Denied by forward policy check (policy 0)"')).toBeNull();
    expect(classifyTraceLine('func=fw_forward_handler line=839 msg="Denied by forward policy check (policy 0)"')).toBeNull();
  });

  test("sniffer lines, commands and prose are not traces", () => {
    for (const line of [
      "2.544370 port5 in 192.168.1.10 -> 114.114.114.114: icmp: echo request",
      "FGT # diagnose debug flow trace start 10",
      "diagnose debug enable",
      "interfaces=[any]",
      "第1个数据包：ping请求echo request",
      "",
    ]) {
      expect(classifyTraceLine(line)).toBeNull();
    }
  });
});

describe("the packet line (§2.2)", () => {
  test.each<[string, string, Record<string, unknown>]>([
    [
      "7.x TCP SYN",
      "vd-root:0 received a packet(proto=6, 10.0.1.101:40070->10.0.2.101:22) tun_id=0.0.0.0 from port5. flag [S], seq 4037558586, ack 0, win 64240",
      { vdom: "root", vdomIndex: 0, proto: 6, src: "10.0.1.101", sport: 40070, dst: "10.0.2.101", dport: 22, tunnel: "0.0.0.0", iface: "port5", tcp: { flags: "S", seq: 4037558586, ack: 0, win: 64240 } },
    ],
    [
      "7.x TCP SYN-ACK",
      "vd-root:0 received a packet(proto=6, 63.137.229.1:443->10.9.10.51:63611) tun_id=0.0.0.0 from port1. flag [S.], seq 107956612, ack 3839416145, win 65535",
      { tcp: { flags: "S.", seq: 107956612, ack: 3839416145, win: 65535 } },
    ],
    ["7.x TCP ACK", "vd-root:0 received a packet(proto=6, 10.9.10.51:63611->63.137.229.1:443) tun_id=0.0.0.0 from port2. flag [.], seq 3839416145, ack 107956613, ", { tcp: { flags: ".", seq: 3839416145, ack: 107956613, win: null } }],
    [
      "7.0 ICMP",
      "vd-root:0 received a packet(proto=1, 192.168.1.10:2589->114.114.114.114:2048) tun_id=0.0.0.0 from port5. type=8, code=0, id=2589, seq=1.",
      { proto: 1, sport: 2589, dport: 2048, icmp: { type: 8, code: 0, id: 2589, seq: 1 } },
    ],
    ["ICMP reply after SNAT", "vd-root:0 received a packet(proto=1, 114.114.114.114:63005->192.168.89.35:0) tun_id=0.0.0.0 from port1. type=0, code=0, id=63005, seq=1.", { dport: 0, icmp: { type: 0, id: 63005 } }],
    ["UDP (nothing after the interface)", "vd-vsys_hamgmt:0 received a packet(proto=17, 192.168.77.77:53831->192.168.77.1:161) tun_id=0.0.0.0 from port1. ", { vdom: "vsys_hamgmt", proto: 17, iface: "port1", tcp: null, icmp: null, truncated: false }],
    ["locally originated", "vd-root:0 received a packet(proto=1, 10.40.16.57:257->172.31.128.20:2048) from local. type=8, code=0, id=257, seq=50.", { local: true, iface: null, tunnel: null, truncated: false }],
    ["7.4.4 from local", "vd-root:0 received a packet(proto=1, 172.16.200.1:5->172.16.200.2:0) tun_id=0.0.0.0 from local. type=0, code=0, id=5, seq=0.", { local: true }],
    ["from a tunnel", "vd-root:0 received a packet(proto=1, 192.168.1.10:23728->192.168.0.10:0) tun_id=200.1.1.2 from VPN-to-SH. type=0, code=0, id=23728, seq=1.", { tunnel: "200.1.1.2", iface: "VPN-to-SH" }],
    ["6.x (no tun_id)", "vd-root:0 received a packet(proto=1, 192.168.1.1:10->192.168.1.99:2048) from port1. type=8, code=0, id=10, seq=0.", { tunnel: null, iface: "port1", icmp: { id: 10, seq: 0 } }],
    ["5.0 (no flags)", "vd-root received a packet(proto=6, 192.168.3.221:1487->203.160.224.97:80) from port5.", { vdomIndex: null, tcp: null, iface: "port5" }],
    ["non-root VDOM without index", "vd-Vdom1 received a packet(proto=17, 10.0.0.1:5000->10.0.0.2:53) from internal.", { vdom: "Vdom1", vdomIndex: null }],
    ["interface name with a blank", "vd-root:0 received a packet(proto=6, 10.1.1.1:1000->8.8.8.8:443) tun_id=0.0.0.0 from LAN Aggregate. flag [S], seq 1, ack 0, win 64240", { iface: "LAN Aggregate" }],
    ["VLAN interface with a dot", "vd-root:0 received a packet(proto=1, 10.1.1.1:7->8.8.8.8:2048) tun_id=0.0.0.0 from vlan.100. type=8, code=0, id=7, seq=1.", { iface: "vlan.100" }],
    ["old ICMP type-only port", "vd-root received a packet(proto=1, 10.1.1.10:512->10.2.2.10:8) from port1.", { sport: 512, dport: 8, icmp: null }],
    ["IPv6", "vd-vlan:0 received a packet(proto=6, 3ff5::100:10001->4ff5::13:80) from vlan-port1.", { src: "3ff5::100", dst: "4ff5::13" }],
  ])("%s", (_, msg, expected) => {
    expect(parsePacketMessage(msg)).toMatchObject(expected);
  });

  test("a message cut anywhere still parses (unknown parts are null)", () => {
    const full = "vd-root:0 received a packet(proto=6, 10.0.1.101:40070->10.0.2.101:22) tun_id=0.0.0.0 from port5. flag [S], seq 4037558586, ack 0, win 64240";
    for (let cut = "vd-root:0 received a packet".length; cut <= full.length; cut++) {
      const p = parsePacketMessage(full.slice(0, cut));
      expect(p).not.toBeNull();
      if (p?.iface !== null) expect(p?.iface).toBe("port5");
      if (p?.src !== null) expect(p?.src).toBe("10.0.1.101");
    }
  });

  test("other messages are not packet lines", () => {
    expect(parsePacketMessage("allocate a new session-000ee70c")).toBeNull();
  });
});

describe("message catalogue (§2.3)", () => {
  test.each<[string, Record<string, unknown>]>([
    ["allocate a new session-000ee70c, tun_id=0.0.0.0", { kind: "session-new", id: "000ee70c" }],
    ["allocate a new session-0000003c", { kind: "session-new", id: "0000003c" }],
    ["Find an existing session, id-000ee70c, original direction", { kind: "session-existing", id: "000ee70c", direction: "original" }],
    ["Find an existing session, id-000ee70c, reply direction", { kind: "session-existing", direction: "reply" }],
    ["enter fast path", { kind: "fast-path" }],
    ["find a route: flag=04000000 gw-192.168.89.254 via port1", { kind: "route", flag: "04000000", gateway: "192.168.89.254", iface: "port1" }],
    ["find a route: flag=84000000 gw-192.168.1.1 via root", { kind: "route", flag: "84000000", iface: "root" }],
    ["find a route: flags=00000000 gw-10.10.20.1 via port2", { kind: "route", gateway: "10.10.20.1", iface: "port2" }],
    ["find a route: gw-192.168.11.254 via port6", { kind: "route", flag: null, iface: "port6" }],
    ["find a route: gw-4ff5::13 via vlan-port2 err 0 flags 01000001", { kind: "route", gateway: "4ff5::13", iface: "vlan-port2" }],
    ["Match policy routing id=2130837505: to 8.8.8.8 via ifindex-34", { kind: "policy-route", rule: 2130837505, to: "8.8.8.8" }],
    ["send out via dev-Outside_VLAN10, dst-mac-aa:bb:cc:00:20:00", { kind: "send-out", iface: "Outside_VLAN10" }],
    ["auxiliary ses proto=1 dev=18->17 192.168.10.10/1=>192.168.20.10/8", { kind: "info" }],
    ["Check policy between vlan-port1 -> vlan-port2", { kind: "check-policy", from: "vlan-port1", to: "vlan-port2" }],
    ["state=00010204, state2=00000001, npu_state=04000000", { kind: "info" }],
    ["npu_state=0x100, hook=4", { kind: "session-confirmed" }],
    ["dir-1, tun_id=192.169.1.1", { kind: "info" }],
    ["trace", { kind: "info" }],
    ["Allowed by Policy-9: SNAT", { kind: "allowed", policy: 9, how: "SNAT" }],
    ["Allowed by Policy-3:", { kind: "allowed", policy: 3, how: "" }],
    ["Allowed by Policy-10000:", { kind: "allowed", policy: 10000 }],
    ["Allowed by Policy-1: encrypt", { kind: "allowed", policy: 1, how: "encrypt" }],
    ["Denied by forward policy check (policy 0)", { kind: "denied", check: "forward-policy", policy: 0 }],
    ["Denied by forward policy check (policy 9)", { kind: "denied", check: "forward-policy", policy: 9 }],
    ["Denied by forward policy check", { kind: "denied", check: "forward-policy", policy: null }],
    ["iprope_in_check() check failed on policy 0, drop", { kind: "local-in-denied", policy: 0 }],
    ["iprope_in_check() check failed on policy 3, drop", { kind: "local-in-denied", policy: 3 }],
    ["iprope_in_check() check failed, drop", { kind: "local-in-denied", policy: null }],
    ["reverse path check fail, drop", { kind: "rpf-drop" }],
    ["no session matched", { kind: "no-session" }],
    ["Session is in BLOCK state. Drop the packet.", { kind: "session-block" }],
    ["NAT disabled by central SNAT policy!", { kind: "nat-disabled" }],
    ["policy-0 is matched, act-accept", { kind: "iprope" }],
    ["policy-4294967295 is matched, act-drop", { kind: "iprope" }],
    ["checked gnum-100004 policy-1, ret-matched, act-accept", { kind: "iprope" }],
    ["after check: ret-no-match, act-drop, flag-00000000, flag2-00000000", { kind: "iprope" }],
    ["gnum-100004, use addr/intf hash, len=10", { kind: "iprope" }],
    ["in-[port2], out-[port3], skb_flags-02000000, vid-0, app_id: 0, url_cat_id: 0", { kind: "iprope" }],
    ["result: skb_flags-02000001, vid-0, ret-no-match, act-accept, flag-00000000", { kind: "iprope" }],
    ["Denied by quota check", { kind: "denied", check: "quota" }],
    ["Denied by endpoint check", { kind: "denied", check: "endpoint" }],
    ["find SNAT: IP-192.168.89.35(from IPPOOL), port-63005", { kind: "snat-plan", ip: "192.168.89.35", port: 63005, pool: true }],
    ["find SNAT: IP-192.168.11.59, port-31925", { kind: "snat-plan", ip: "192.168.11.59", port: 31925, pool: false }],
    ["SNAT 192.168.1.10->192.168.89.35:63005", { kind: "snat", from: "192.168.1.10", to: "192.168.89.35:63005" }],
    ["DNAT 192.168.89.35:0->192.168.1.10:2589", { kind: "dnat", from: "192.168.89.35:0", to: "192.168.1.10:2589" }],
    ["VIP-192.168.1.1:23, outdev-wan1", { kind: "vip", mapped: "192.168.1.1:23", outdev: "wan1" }],
    ["DNAT 10.10.10.1 0:23->192.168.1.1:23", { kind: "dnat", from: "10.10.10.10:23", to: "192.168.1.1:23" }],
    ["find DNAT: IP-192.168.0.10, port-49928", { kind: "dnat-plan", ip: "192.168.0.10", port: 49928 }],
    ["find DNAT: IP-10.255.255.11, port-0(fixed port)", { kind: "dnat-plan", ip: "10.255.255.11", port: 0 }],
    ["enter IPSec interface VPN-IPSEC, tun_id=0.0.0.0", { kind: "ipsec-enter", iface: "VPN-IPSEC", policyMode: false }],
    ["enter IPsec interface-HO_port1_2", { kind: "ipsec-enter", iface: "HO_port1_2" }],
    ["output to IPSec tunnel VPN-IPSEC", { kind: "ipsec-output", tunnel: "VPN-IPSEC" }],
    ["output to IPSec tunnel HUB1-VPN1_0, tun_id=203.0.113.1, vrf 0", { kind: "ipsec-output", tunnel: "HUB1-VPN1_0" }],
    ["output to IPSec tunnel To-Tunnel-A vrf 0", { kind: "ipsec-output", tunnel: "To-Tunnel-A" }],
    ["IPsec encrypt/auth", { kind: "ipsec-encrypt" }],
    ["send to 100.1.1.1 via intf-port2", { kind: "ipsec-send", peer: "100.1.1.1", via: "port2" }],
    ["No matching IPsec selector, drop", { kind: "ipsec-selector-drop" }],
    ["Trying to offload IPsec encrypt SA (p1/p2/spi={...}), npudev=-1, skb-dev=port2", { kind: "info" }],
    ["IPSec encrypt SA (p1/p2) offloading-check failed, reason_code=2.", { kind: "info" }],
    ["enter IPsec tunnel-to_FGT2", { kind: "ipsec-enter", iface: "to_FGT2", policyMode: true }],
    ["encrypted, and send to 10.2.2.100 with source 10.1.1.100", { kind: "ipsec-encrypt", peer: "10.2.2.100" }],
    ["SA is not ready yet, drop", { kind: "ipsec-sa-not-ready" }],
    ["Trying to offloading session from port1 to port5, skb.npu_flag=00000000 ses.state=00010204 ses.npu_state=0x04000000", { kind: "offload-try", from: "port1", to: "port5" }],
    ["npu session installation succeeded", { kind: "offload-installed" }],
    ["send to ips", { kind: "ips" }],
    ["exceeded shaper limit, drop", { kind: "drop" }],
  ])("%s", (msg, expected) => {
    expect(classifyMessage(msg)).toMatchObject(expected);
  });
});
