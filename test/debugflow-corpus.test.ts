/**
 * The shared debug-flow corpus (../shared/corpus-debugflow/): for each sample its traces, their
 * matches to the sniffer packets pasted with them, and the verdicts — and the conclusion the
 * sample's author states, reached by the shipped pipeline: `parseCapture` for the trace records
 * and `analyze()` for everything else (matches are the report's `traces`, verdicts its verdicts).
 */
import { readdirSync, readFileSync } from "node:fs";
import type { TraceRecord } from "../src/debugflow/index.js";
import { analyze, parseCapture, type ParseResult } from "../src/index.js";
import { describe as words } from "../src/describe/index.js";
import type { FlowTrace, Report, TraceSummary, Verdict, VerdictCode } from "../src/report.js";
import { TRACE_VERDICT_CODES } from "../src/contract/report.js";
import { debugFlowDir } from "./helpers/corpus.js";
import { describeWithCorpus } from "./helpers/require.js";

const describeCorpus = describeWithCorpus(debugFlowDir, "debug-flow corpus");

/** The contract's debug-flow verdict codes. */
const TRACE_CODES: ReadonlySet<VerdictCode> = new Set<VerdictCode>(TRACE_VERDICT_CODES);

interface Run {
  text: string;
  traces: TraceRecord[];
  parsed: ParseResult;
  report: Report;
  /** the report's verdicts from debug-flow traces */
  traceVerdicts: Verdict[];
  flows: FlowTrace[];
}

function run(prefix: string): Run {
  const name = readdirSync(debugFlowDir).find((f) => f.startsWith(prefix));
  if (name === undefined) throw new Error(`no debug-flow sample ${prefix}`);
  const text = readFileSync(debugFlowDir + name, "utf8");
  const parsed = parseCapture(text, { source: name });
  const traces = parsed.records.filter((r): r is TraceRecord => r.type === "trace");
  const report = analyze(text, { source: name });
  const traceVerdicts = report.verdicts.filter((v) => TRACE_CODES.has(v.code));
  const flows = report.flows.map((f) => f.trace).filter((t): t is FlowTrace => t !== undefined);
  return { text, traces, parsed, report, traceVerdicts, flows };
}

function trace(r: Run, id: number, blade: string | null = null): TraceRecord {
  const t = r.traces.find((x) => x.traceId === id && x.blade === blade);
  if (t === undefined) throw new Error(`no trace ${blade ?? ""}/${id}`);
  return t;
}

function matchOf(r: Run, id: number): { key: string | null; lines: number[]; reason: string } {
  const m: TraceSummary | undefined = (r.report.traces ?? []).find((x) => x.traceId === id);
  if (m === undefined) throw new Error(`no match entry for trace ${id}`);
  return { key: m.key, lines: m.packets, reason: m.reason };
}

const traceCodes = (r: Run) => r.traceVerdicts.map((v) => v.code).sort();
const codes = (r: Run) => r.report.verdicts.map((v) => v.code).sort();
const lineText = (r: Run, line: number) => r.text.split("\n")[line - 1] ?? "";
const only = <C extends VerdictCode>(r: Run, code: C): Verdict<C> => {
  const found = r.report.verdicts.filter((v) => v.code === code) as unknown as Verdict<C>[];
  expect(found).toHaveLength(1);
  return found[0] as Verdict<C>;
};

describeCorpus("debug-flow corpus: traces, matches, verdicts and the author's conclusion", () => {
  test("every sample: each trace line is claimed, no line of it is left unrecognized, every trace has a packet line", () => {
    for (const name of readdirSync(debugFlowDir).filter((f) => /^\d\d_.*\.txt$/.test(f))) {
      const r = run(name.slice(0, 3));
      expect(r.parsed.summary.classes.unrecognized).toBe(0);
      expect(r.traces.length).toBeGreaterThan(0);
      // every line of every trace is counted in the trace class (and in no other)
      const traceLines = new Set(r.traces.flatMap((t) => t.lines));
      expect(r.parsed.summary.classes.trace).toBeGreaterThanOrEqual(traceLines.size);
      for (const t of r.traces) {
        expect(t.packet).not.toBeNull();
        for (const e of t.evidence) expect(lineText(r, e.line)).toContain(e.text.trim().slice(0, 20));
      }
    }
  });

  test("01 NP offload, ICMP SNAT/DNAT — author: after 'npu session installation succeeded' later pings go through the NP and show in neither output", () => {
    const r = run("01_");
    expect(r.traces.map((t) => [t.traceId, t.outcome])).toEqual([
      [87, "allowed"],
      [88, "allowed"],
      [89, "offloaded"],
      [90, "offloaded"],
    ]);
    expect(trace(r, 87)).toMatchObject({
      policy: 9,
      action: "allow",
      snat: { from: "192.168.1.10", to: "192.168.89.35:63005" },
      route: { gateway: "192.168.89.254", interface: "port1", local: false },
      time: "2022-11-30 19:54:07",
      logId: 20085,
      packet: { proto: "icmp", src: "192.168.1.10", sport: 2589, dst: "114.114.114.114", iface: "port5", icmp: { type: 8, id: 2589, seq: 1 } },
    });
    expect(trace(r, 88)).toMatchObject({ dnat: { from: "192.168.89.35:0", to: "192.168.1.10:2589" }, session: { state: "existing", direction: "reply" } });
    // trace 89's SNAT line comes after the author's heading for packet 4: grouped by key, not adjacency
    expect(trace(r, 89).lines).toContain(34);
    expect(trace(r, 89)).toMatchObject({ offload: true, snat: { to: "192.168.89.35:63005" } });
    // 4 traces <-> 4 sniffer pairs (in copy + translated out copy), paired in order: the sniffer shows no ICMP id/seq
    expect([87, 88, 89, 90].map((id) => matchOf(r, id).lines)).toEqual([
      [45, 46],
      [48, 49],
      [51, 52],
      [54, 55],
    ]);
    expect(matchOf(r, 87).key).toBe("order");
    expect(traceCodes(r)).toEqual(["offloaded"]);
    const off = only(r, "offloaded");
    expect(off).toMatchObject({ severity: "info", proto: "icmp", servers: ["114.114.114.114"], capture: 0 });
    expect(off.args).toMatchObject({ offloadPolicy: 9, traces: ["89", "90"] });
    expect(off.commands).toContain("    edit 9");
    expect(codes(r)).toContain("answered");
    // SNAT facts on the flow
    const [flow] = r.flows;
    expect(flow).toMatchObject({ policy: 9, action: "allow", snat: { from: "192.168.1.10", to: "192.168.89.35:63005" }, route: { gateway: "192.168.89.254", interface: "port1" }, traceIds: [87, 88, 89, 90] });
  });

  test("02 HA management SNMP, full iprope output — the traced request (sport 53831) is not any captured one (53750/53751): no match", () => {
    const r = run("02_");
    expect(r.traces).toHaveLength(2);
    expect(trace(r, 1)).toMatchObject({ outcome: "allowed", route: { interface: "vsys_hamgmt", local: true }, session: { id: "00014576", state: "new" } });
    expect(trace(r, 1).note).toMatch(/found by trace 2/);
    expect(trace(r, 1).lines[0]).toBe(19); // glued to the prompt
    for (const id of [1, 2]) {
      const m = matchOf(r, id);
      expect(m.key).toBeNull();
      expect(m.reason).toMatch(/another source port \(53750, not 53831\)/);
    }
    // nothing matched, so no trace verdict; but the traces prove 192.168.77.1 is the unit's own
    // address, and traffic to the unit itself is never "not-forwarded" (issue 11): the SNMP
    // requests arrived for the unit, which did not answer (local-in, with the SNMP checks)
    expect(r.traceVerdicts).toEqual([]);
    expect(codes(r)).not.toContain("not-forwarded");
    const v = only(r, "local-in-unanswered");
    expect(v).toMatchObject({ proto: "udp", port: 161, servers: ["192.168.77.1"] });
    expect(v.args).toMatchObject({ hint: "snmp", allowaccess: "snmp", ingress: ["port1"], addresses: [{ address: "192.168.77.1", evidence: "trace-local", line: null }] });
  });

  test("03 SNAT with an IP pool into IPsec — author: 'No matching IPsec selector, drop' (the translated source is outside the phase 2)", () => {
    const r = run("03_");
    expect(trace(r, 2)).toMatchObject({
      outcome: "ipsec-selector-mismatch",
      check: "ipsec-selector",
      snat: { from: "10.0.1.6", to: "10.0.11.17:7390" },
      ipsec: { interface: "VPN-IPSEC", tunnel: "VPN-IPSEC" },
      session: { state: "existing" },
    });
    expect(matchOf(r, 2).reason).toBe("the input holds no sniffer packets");
    expect(codes(r)).toEqual(["ipsec-selector-mismatch"]);
    const v = only(r, "ipsec-selector-mismatch");
    expect(v).toMatchObject({ severity: "error", proto: "icmp", servers: ["192.168.110.11"], capture: null });
    expect(v.args).toMatchObject({ snat: { from: "10.0.1.6", to: "10.0.11.17:7390" }, tunnels: ["VPN-IPSEC"], fromLocal: false });
    expect(v.evidence.map((e) => e.line)).toEqual([9, 12, 13, 15]);
  });

  test("04 SD-WAN SLA probes from local — author: the probe's source does not match the phase-2 selectors (set a source on the member)", () => {
    const r = run("04_");
    expect(trace(r, 3)).toMatchObject({ outcome: "ipsec-selector-mismatch", packet: { local: true, iface: null, src: "10.40.16.57", icmp: { id: 257, seq: 50 } }, ipsec: { interface: "HO_port1_2" } });
    // msg= split from its value by a blank line, and Markdown bold with arrows
    expect(trace(r, 3).lines).toEqual([16, 18, 20, 22, 24]);
    expect(trace(r, 4).decisive).toMatchObject({ line: 32, msg: "No matching IPsec selector, drop" });
    // the sniffer's out copies on the tunnel interfaces (printed before the selector check)
    expect(matchOf(r, 3).lines).toEqual([8]);
    expect(matchOf(r, 4).lines).toEqual([10]);
    expect(traceCodes(r)).toEqual(["ipsec-selector-mismatch"]);
    const v = only(r, "ipsec-selector-mismatch");
    expect(v.args).toMatchObject({ tunnels: ["HO_port1_2", "HO_port2_3"], fromLocal: true });
    // supersede rule 1: it replaces the sniffer's "no reply" verdict for these echo requests
    expect(v.args.sniffer.replaced).toEqual(["unanswered"]);
    expect(codes(r)).toEqual(["ipsec-selector-mismatch"]);
    expect(v.evidence.some((e) => e.line === 8) && v.evidence.some((e) => e.line === 32)).toBe(true);
  });

  test("05 transparent VLAN bridge, truncated messages — the ping passes (policy 3); each trace is one pass through the bridge", () => {
    const r = run("05_");
    expect(trace(r, 22)).toMatchObject({ outcome: "allowed", policy: 3, egress: ["Outside_VLAN10"], packet: { partial: true, truncated: true, dst: "1" } });
    expect(trace(r, 23)).toMatchObject({ outcome: "allowed", packet: { iface: "Outside_Vlan20", partial: false } });
    // each pass leaves on the VLAN and on its parent port (port2/port1): one packet, three lines
    expect([22, 23, 24, 25].map((id) => matchOf(r, id))).toEqual([
      expect.objectContaining({ key: "tuple-iface", lines: [6, 7, 8] }),
      expect.objectContaining({ key: "tuple-iface", lines: [9, 10, 11] }),
      expect.objectContaining({ key: "tuple-iface", lines: [12, 13, 14] }),
      expect.objectContaining({ key: "tuple-iface", lines: [15, 16, 17] }),
    ]);
    expect(traceCodes(r)).toEqual([]);
    expect(r.flows[0]).toMatchObject({ policy: 3, action: "allow", traceIds: [22, 23, 24, 25] });
  });

  test("07 catalogue — author: policy 0 (implicit deny), policy 9 deny, reverse path check, local-in refused ×3", () => {
    const r = run("07_");
    expect(r.traces.map((t) => [t.traceId, t.outcome, t.policy])).toEqual([
      [30, "policy-denied", 0],
      [37, "policy-denied", 9],
      [38, "reverse-path-drop", null],
      [52, "local-in-denied", 0],
      [58, "trace-ended", null],
      [72, "local-in-denied", 0],
    ]);
    const denied = r.report.verdicts.filter((v): v is Verdict<"policy-denied"> => v.code === "policy-denied");
    expect(denied.map((v) => [v.severity, v.args.policy, v.args.ingress, v.args.egress])).toEqual([
      ["error", 0, ["port5"], ["port1"]],
      ["error", 9, ["port5"], ["port1"]],
    ]);
    expect(denied[1]?.commands).toContain("    move <accept-policy-id> before 9");
    const rpf = only(r, "reverse-path-drop");
    expect(rpf.args).toMatchObject({ clients: ["192.168.5.10"], ingress: ["port5"] });
    const localIn = only(r, "local-in-denied");
    expect(localIn).toMatchObject({ proto: "tcp", port: 22, servers: ["192.168.1.1", "192.168.89.35"] });
    expect(localIn.commands).toContain("        set allowaccess <current services> ssh");
    // trace 58 (trusted hosts, says the author) prints no drop line: nothing proven, with the hint
    const ended = only(r, "trace-ended");
    expect(ended.args.note).toMatch(/trusted hosts/);
    expect(traceCodes(r)).toEqual(["local-in-denied", "policy-denied", "policy-denied", "reverse-path-drop", "trace-ended"]);
  });

  test("08 route-based IPsec encrypt path and the reply from the tunnel — matched port5 in + VPN-to-SH out / VPN-to-SH in + port5 out", () => {
    const r = run("08_");
    expect(trace(r, 1)).toMatchObject({ outcome: "allowed", policy: 4, ipsec: { interface: "VPN-to-SH", tunnel: "VPN-to-SH", peer: "100.1.1.1", via: "port2", encrypted: true } });
    expect(trace(r, 2)).toMatchObject({ outcome: "allowed", packet: { tunnel: "200.1.1.2", iface: "VPN-to-SH" }, ipsec: { fromTunnel: "200.1.1.2" } });
    expect(matchOf(r, 1)).toMatchObject({ key: "tuple-iface", lines: [5, 6] });
    expect(matchOf(r, 2)).toMatchObject({ key: "tuple-iface", lines: [7, 8] });
    expect(traceCodes(r)).toEqual([]);
    expect(r.flows[0]).toMatchObject({ policy: 4, route: { interface: "VPN-to-SH", gateway: "200.1.1.2" }, traceIds: [1, 2] });
  });

  test("09 annotated SNAT walkthrough with // comments between records — allowed by policy 9 with SNAT, then offloaded", () => {
    const r = run("09_");
    expect(r.traces.map((t) => [t.traceId, t.outcome])).toEqual([
      [26, "allowed"],
      [27, "allowed"],
      [28, "offloaded"],
    ]);
    expect(trace(r, 26)).toMatchObject({ policy: 9, snat: { from: "192.168.1.10", to: "192.168.89.35:62696" } });
    expect(trace(r, 26).lines).toEqual([26, 29, 32, 35, 38, 41]);
    expect(traceCodes(r)).toEqual(["offloaded"]);
    expect(only(r, "offloaded").args.offloadPolicy).toBe(9);
  });

  test("11 SD-WAN member with an IP pool (7.x, id=65308, blank lines) — allowed by policy 1, SNAT to 1.1.10.4 via wan1", () => {
    const r = run("11_");
    expect(trace(r, 5)).toMatchObject({
      logId: 65308,
      outcome: "allowed",
      policy: 1,
      snat: { from: "192.168.30.3", to: "1.1.10.4:60418" },
      route: { gateway: "192.168.10.20", interface: "wan1" },
    });
    expect(r.report.verdicts).toEqual([]);
  });

  test("12 7.4.4 local-in policy, PDF-wrapped lines — author: ping from other subnets is dropped by local-in policy 3", () => {
    const r = run("12_");
    expect(r.traces.map((t) => [t.traceId, t.outcome])).toEqual([
      [25, "allowed"],
      [26, "allowed"],
      [27, "allowed"],
      [28, "trace-ended"],
      [21, "local-in-denied"],
    ]);
    expect(trace(r, 25).lines).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(trace(r, 26).packet).toMatchObject({ local: true, src: "172.16.200.1" });
    const v = only(r, "local-in-denied");
    expect(v).toMatchObject({ proto: "icmp", servers: ["172.16.200.1"] });
    expect(v.args).toMatchObject({ policy: 3, ingress: ["port2"] });
  });

  test("13 central NAT, iprope verbose, no id= — allowed by policy 1, the pool lookup labelled DNAT, then SNAT; the id-less, trace_id-less excerpt is not a trace", () => {
    const r = run("13_");
    expect(r.traces).toHaveLength(1);
    expect(trace(r, 76)).toMatchObject({ logId: null, outcome: "allowed", policy: 1, snat: { from: "192.168.1.10", to: "192.168.0.10:49928" }, route: { interface: "port3" } });
    expect(r.traces.flatMap((t) => t.lines).every((l) => l <= 28)).toBe(true);
    expect(r.report.verdicts).toEqual([]);
  });

  test("14 VIP port forwarding — author: VIP not matched → local-in drop; VIP matched → DNAT and policy 2; the captured SYNs are other attempts", () => {
    const r = run("14_");
    expect(trace(r, 1)).toMatchObject({ outcome: "local-in-denied", policy: 0, packet: { sport: 53236, tcp: { flags: ["syn"], seq: 3447622355 } } });
    expect(trace(r, 5)).toMatchObject({ outcome: "allowed", policy: 2, vip: { mapped: "192.168.1.1:23", outdev: "wan1" }, dnat: { from: "10.10.10.10:23", to: "192.168.1.1:23" } });
    expect(trace(r, 17)).toMatchObject({ outcome: "local-in-denied", packet: { dport: 8080 } });
    // negative cases: sniffer SYN sport 53178 seq 3664790935 vs trace sport 53236 seq 3447622355
    expect(matchOf(r, 1)).toMatchObject({ key: null });
    expect(matchOf(r, 1).reason).toMatch(/another source port \(53178, not 53236\)/);
    expect(matchOf(r, 5).key).toBeNull();
    expect(matchOf(r, 17).reason).toMatch(/50287, not 50314/);
    expect(traceCodes(r)).toEqual(["local-in-denied", "local-in-denied"]);
    const v23 = r.report.verdicts.find((v): v is Verdict<"local-in-denied"> => v.code === "local-in-denied" && v.port === 23);
    expect(v23?.args).toMatchObject({ portTraffic: true, sniffer: { replaced: [], matched: 0, unmatched: 1 } });
    expect(v23?.args.sniffer.unmatchedReason).toMatch(/53178, not 53236/);
    // the words say so: a VIP may have been meant, and no traced packet is in the capture
    expect(words(v23 as Verdict).explanation).toMatch(/VIP.*None of the traced packets is in the capture/s);
  });

  test("15 5.6.3 policy-mode IPsec, old format, PDF wraps — author: 'SA is not ready yet, drop' simply means the tunnel was not up yet", () => {
    const r = run("15_");
    expect(r.traces).toHaveLength(8);
    expect(trace(r, 615)).toMatchObject({ outcome: "ipsec-not-ready", check: "ipsec-sa", policy: 1, logId: 36870 });
    expect(trace(r, 615).steps.every((s) => s.func === null)).toBe(true);
    expect(trace(r, 615).packet).toMatchObject({ src: "10.1.1.10", sport: 512, dst: "10.2.2.10", dport: 8, iface: "port1", icmp: { type: 8, id: 512 } });
    expect(trace(r, 616)).toMatchObject({ outcome: "allowed", ipsec: { interface: "to_FGT2", encrypted: true, peer: "10.2.2.100", policyMode: true } });
    const v = only(r, "ipsec-not-ready");
    expect(v.args).toMatchObject({ stalled: false, laterEncrypted: ["616", "617", "619"] });
    // FGT1's traces are not the FGT2 capture's packets (another ingress interface); FGT2's are
    expect(matchOf(r, 616).reason).toMatch(/arrive on port2, the traced packet arrived on port1/);
    expect(matchOf(r, 51)).toMatchObject({ lines: [68, 69] });
    expect(matchOf(r, 52)).toMatchObject({ lines: [70] });
  });

  test("18 FortiGate-7000 FPM blades interleaved — grouped by (blade, trace_id); the block pasted twice is one trace", () => {
    const r = run("18_");
    expect(r.traces.map((t) => [t.blade, t.traceId, t.outcome, t.policy])).toEqual([
      ["FPM04", 6, "allowed", 10000],
      ["FPM03", 7, "allowed", 10000],
    ]);
    expect(trace(r, 6, "FPM04").lines).toEqual([3, 5, 6, 7]);
    expect(trace(r, 7, "FPM03").lines).toEqual([4, 10, 11, 12, 13]);
    expect(trace(r, 7, "FPM03").route).toMatchObject({ interface: "HA-LAG1" });
  });

  test("20 KB 190880, id=13 — author: non-SYN packet with no session (after tcp-halfclose-timer expiry)", () => {
    const r = run("20_");
    expect(trace(r, 101)).toMatchObject({ logId: 13, outcome: "no-session-matched", check: "no-session", packet: { iface: "lan", sport: 63620, dport: 8888 } });
    expect(r.report.verdicts.map((v) => [v.code, v.severity, v.proto, v.port])).toEqual([["no-session-matched", "warning", "tcp", 8888]]);
    expect(only(r, "no-session-matched").args).toMatchObject({ outcome: "no-session-matched", tcpFlags: [] });
  });
});
