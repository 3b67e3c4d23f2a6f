/**
 * Every verdict code of the contract, each produced by a realistic capture in samples/ (written
 * from the spec's line shapes), with the fields a ticket reader relies on.
 */
import { analyze } from "../src/analyze.js";
import { builtinAnalyzeOptions } from "../src/services.js";
import type { Report, Verdict, VerdictCode } from "../src/report.js";
import { VERDICT_CODES } from "../src/contract/report.js";
import { readSample } from "./helpers/corpus.js";

const options = builtinAnalyzeOptions();

function report(name: string): Report {
  return analyze(readSample(name), { ...options, source: name });
}

function only<C extends VerdictCode>(r: Report, code: C): Verdict<C> {
  const found = r.verdicts.filter((v) => v.code === code) as unknown as Verdict<C>[];
  expect(found).toHaveLength(1);
  return found[0] as Verdict<C>;
}

const lines = (v: Verdict) => v.evidence.map((e) => e.line);

describe("one sample per verdict code", () => {
  test("unanswered: RADIUS retried three times, never answered, while DNS is", () => {
    const r = report("v4_any_radius_unanswered_retries.txt");
    const v = only(r, "unanswered");
    expect(v).toMatchObject({ severity: "error", proto: "udp", port: 1812, servers: ["10.0.0.50"] });
    expect(v.args).toMatchObject({ kind: "timeout", name: "RADIUS authentication", requests: 4, serverCount: 1, unanswered: 4, inconclusive: 0 });
    expect(lines(v)).toEqual([6, 7, 8, 9]);
    expect(v.args.kind === "timeout" && v.args.catalogueRemedy).toBeTruthy();
    expect(only(r, "answered")).toMatchObject({ port: 53 });
    expect(r.services.find((s) => s.port === 1812)).toMatchObject({ status: "unanswered", requests: 4, unanswered: 4, inconclusive: 0 });
  });

  test("partially-answered: two NTP servers answer, the silent one is named", () => {
    const v = only(report("v4_any_ntp_partially_answered.txt"), "partially-answered");
    expect(v).toMatchObject({ severity: "warning", proto: "udp", port: 123, servers: ["192.0.2.30"] });
    expect(v.args).toMatchObject({ silent: ["192.0.2.30"], serverCount: 3 });
    expect(lines(v)).toEqual([10, 15]);
  });

  test("rejected by TCP RST (FortiGate-7000 slot prefixes)", () => {
    const r = report("fgt7000_fim_slot_syn_rst_rejected.txt");
    const v = only(r, "rejected");
    expect(v).toMatchObject({ severity: "error", proto: "tcp", port: 3389 });
    expect(v.args.rejectKinds).toEqual(["tcp-rst"]);
    expect(r.flows[0]?.state).toBe("REJ");
  });

  test("rejected by an ICMP port unreachable quoting the DNS query", () => {
    const v = only(report("v1_icmp_port_unreachable.txt"), "rejected");
    expect(v).toMatchObject({ severity: "error", proto: "udp", port: 53, servers: ["192.0.2.53"] });
    expect(v.args.rejectKinds).toEqual(["icmp-unreachable"]);
  });

  test("not-forwarded: SYNs arrive on port2 and never leave, while another client's session is forwarded", () => {
    const r = report("v4_any_not_forwarded_port2.txt");
    const v = only(r, "not-forwarded");
    expect(v).toMatchObject({ severity: "error", proto: "tcp", port: 443 });
    expect(v.args).toMatchObject({ name: "HTTPS", count: 1, oneWay: false, ingress: ["port2"] });
    expect(v.args.answered).toBeGreaterThan(0);
    expect(v.commands).toContain(`diagnose debug flow filter addr ${v.args.traceAddress}`);
    expect(lines(v)[0]).toBe(11);
    expect(r.verdicts.some((x) => x.code === "answered" && x.port === 443)).toBe(false);
  });

  test("filter-excludes-replies: 'dst host 10.0.0.5' shows only the requests", () => {
    const r = report("v4_any_dst_host_filter_requests_only.txt");
    expect(r.verdicts.map((v) => v.code)).toEqual(["filter-excludes-replies", "filter-excludes-replies"]);
    expect(r.verdicts.every((v) => v.severity === "info" && v.code === "filter-excludes-replies" && v.args.filter === "dst host 10.0.0.5")).toBe(true);
    expect(r.verdicts.some((v) => v.code === "unanswered" || v.code === "rejected")).toBe(false);
  });

  test("filter-excludes-replies: 'tcp[tcpflags] == tcp-syn' can never show a SYN-ACK", () => {
    const r = report("v1_port1_tcp_syn_filter_syns_only.txt");
    const v = only(r, "filter-excludes-replies");
    expect(v).toMatchObject({ severity: "info", proto: "tcp", port: 443 });
    expect(v.args.reason).toContain("SYN-ACK");
    expect(r.summary.errors).toBe(0);
  });

  test("capture-ended: the last NTP queries went out just before Ctrl-C", () => {
    const r = report("v1_port1_ntp_capture_ended.txt");
    const v = only(r, "capture-ended");
    expect(v).toMatchObject({ severity: "info", port: 123, args: { kind: "tail" } });
    expect(only(r, "answered").severity).toBe("ok");
    expect(r.summary.errors + r.summary.warnings).toBe(0);
  });

  test("kernel-drops: the trailer's drop count becomes a warning and a caveat", () => {
    const r = report("v4_any_dns_kernel_drops.txt");
    const v = only(r, "kernel-drops");
    expect(v).toMatchObject({ severity: "warning", capture: 0 });
    expect(v.args.dropped).toBe(1873);
    const dns = r.verdicts.find((x) => x.port === 53);
    expect(dns?.args).toMatchObject({ caveats: { kernelDrops: 1873 } });
  });

  test("unrecognized-lines: a wrapped packet line and an edited hex row are named", () => {
    const v = only(report("v4_any_edited_lines_unrecognized.txt"), "unrecognized-lines");
    expect(v).toMatchObject({ severity: "warning", capture: null, args: { count: 2 } });
    expect(lines(v)).toEqual([8, 9]);
  });

  test("one-way: syslog never expects a reply", () => {
    const v = only(report("v2_syslog_udp514_oneway_rawtab.txt"), "one-way");
    expect(v).toMatchObject({ severity: "ok", proto: "udp", port: 514, servers: ["10.1.1.200"] });
    expect(v.args).toMatchObject({ name: "Syslog", packets: 3, reason: "catalogue" });
  });

  test("answered: the TCP handshake, with its reply time", () => {
    const r = report("v6_any_tcp_handshake_rawtab.txt");
    const v = only(r, "answered");
    expect(v).toMatchObject({ severity: "ok", proto: "tcp", port: 80 });
    expect(v.args).toMatchObject({ requests: 1, serverCount: 1, answered: 1, inconclusive: 0 });
    expect(v.args.rtt?.min).toBe(v.args.rtt?.max);
    expect(r.flows[0]?.state).toBe("SF");
  });

  test("the same service never yields an ok and an error verdict", () => {
    for (const name of ["v4_any_not_forwarded_port2.txt", "v1_port1_ntp_capture_ended.txt", "v4_any_radius_unanswered_retries.txt"]) {
      const r = report(name);
      const byService = new Map<string, Set<string>>();
      for (const v of r.verdicts) {
        if (v.proto === null) continue;
        const k = `${v.capture}|${v.proto}|${v.port}`;
        byService.set(k, (byService.get(k) ?? new Set()).add(v.severity));
      }
      for (const severities of byService.values()) expect(severities.has("ok") && severities.has("error")).toBe(false);
    }
  });
});

/**
 * One sample per code of the contract, written from the specs (samples/README.md says what each
 * shows). A code added to VERDICT_CODES without a sample fails here; so does a sample that stops
 * producing its code.
 */
const FIXTURE: Record<VerdictCode, string> = {
  unanswered: "v4_any_radius_unanswered_retries.txt",
  "partially-answered": "v4_any_ntp_partially_answered.txt",
  rejected: "v1_icmp_port_unreachable.txt",
  "not-forwarded": "v4_any_not_forwarded_port2.txt",
  "filter-excludes-replies": "v4_any_dst_host_filter_requests_only.txt",
  "capture-ended": "v1_port1_ntp_capture_ended.txt",
  "kernel-drops": "v4_any_dns_kernel_drops.txt",
  "unrecognized-lines": "v4_any_edited_lines_unrecognized.txt",
  "one-way": "v2_syslog_udp514_oneway_rawtab.txt",
  answered: "v6_any_tcp_handshake_rawtab.txt",
  "unmatched-unreachable": "v4_port1_icmp_stray_port_unreachable.txt",
  "policy-denied": "debugflow_cut_trace_attached_by_elimination.txt",
  "local-in-denied": "debugflow_local_in_denied_ssh_to_unit.txt",
  "reverse-path-drop": "debugflow_rpf_drop_asymmetric_return.txt",
  "no-session-matched": "debugflow_no_session_matched_ack.txt",
  "ipsec-selector-mismatch": "debugflow_ipsec_no_selector_and_sa_not_ready.txt",
  "ipsec-not-ready": "debugflow_ipsec_no_selector_and_sa_not_ready.txt",
  "trace-ended": "debugflow_np_offload_and_trace_ended.txt",
  offloaded: "debugflow_np_offload_and_trace_ended.txt",
  "local-in-unanswered": "v4_any_local_in_admin_https_unanswered.txt",
  "refused-by-unit": "v4_any_deny_policy_send_deny_packet.txt",
  "host-unreachable": "v4_any_host_unreachable_from_router.txt",
  "fragmentation-needed": "v4_any_radius_eap_tls_need_to_frag.txt",
  "ttl-exceeded": "v4_any_routing_loop_ttl_exceeded.txt",
  "answered-late": "v4_any_radius_mfa_push_late_reply.txt",
  "filter-excludes-requests": "v4_any_src_host_filter_replies_only.txt",
  "established-connection": "v4_wan1_midstream_established_session.txt",
  "esp-one-way": "v4_any_esp_one_way_tunnel.txt",
  "esp-both-ways": "v4_any_esp_one_way_tunnel.txt",
  "dhcp-no-offer": "v4_any_dhcp_discover_no_offer_and_relay.txt",
  "empty-capture": "v4_wan1_filter_matched_nothing.txt",
};

describe("every verdict code of the contract has a sample that produces it", () => {
  test("the fixture list names exactly the contract's codes", () => {
    expect(Object.keys(FIXTURE).sort()).toEqual([...VERDICT_CODES].sort());
  });

  test.each([...VERDICT_CODES])("%s", (code) => {
    const name = (FIXTURE as Partial<Record<string, string>>)[code];
    if (name === undefined) throw new Error(`no sample in FIXTURE for the verdict code ${code}: write one from the spec`);
    const r = report(name);
    const found = r.verdicts.filter((v) => v.code === code);
    expect([name, found.length > 0]).toEqual([name, true]);
    // a finding is data: every verdict of the code carries evidence lines of the sample
    for (const v of found) expect(v.evidence.length).toBeGreaterThan(0);
  });
});

describe("the samples written for the ICMP-error and debug-flow codes", () => {
  test("ttl-exceeded: each HTTPS connection answered by the upstream router's time exceeded", () => {
    const v = only(report("v4_any_routing_loop_ttl_exceeded.txt"), "ttl-exceeded");
    expect(v).toMatchObject({ severity: "error", proto: "tcp", port: 443, servers: ["203.0.113.80"] });
    expect(v.args).toMatchObject({ requests: 3, rejected: 3, reporters: ["198.51.100.1"], sentBy: "router" });
  });

  test("fragmentation-needed: the large RADIUS requests, with the next-hop MTU", () => {
    const v = only(report("v4_any_radius_eap_tls_need_to_frag.txt"), "fragmentation-needed");
    expect(v).toMatchObject({ severity: "warning", proto: "udp", port: 1812 });
    expect(v.args).toMatchObject({ requests: 4, rejected: 3, mtu: 1400, reporters: ["10.255.0.1"], sentBy: "router" });
  });

  test("unmatched-unreachable: the client's stray port unreachable is not a rejected service", () => {
    const r = report("v4_port1_icmp_stray_port_unreachable.txt");
    const v = only(r, "unmatched-unreachable");
    expect(v).toMatchObject({ severity: "info", proto: "udp", port: 52344 });
    expect(v.args).toMatchObject({ kind: "port-unreachable", count: 1, from: "10.0.1.10", to: "192.0.2.53" });
    expect(lines(v)).toEqual([9]);
    expect(r.verdicts.some((x) => x.code === "rejected")).toBe(false);
  });

  test("local-in-denied: SSH to the unit, implicit local-in policy 0", () => {
    const v = only(report("debugflow_local_in_denied_ssh_to_unit.txt"), "local-in-denied");
    expect(v).toMatchObject({ severity: "error", proto: "tcp", port: 22, servers: ["10.1.1.1"] });
    expect(v.args).toMatchObject({ policy: 0, check: "local-in-policy", ingress: ["port2"], traces: ["12"] });
  });

  test("reverse-path-drop: RPF drops the pings before any policy", () => {
    const v = only(report("debugflow_rpf_drop_asymmetric_return.txt"), "reverse-path-drop");
    expect(v).toMatchObject({ severity: "error", proto: "icmp" });
    expect(v.args).toMatchObject({ check: "reverse-path", policy: null, ingress: ["port3"], traces: ["301"] });
    expect(v.args.sniffer?.replaced).toEqual(["not-forwarded"]);
  });

  test("no-session-matched: the mid-connection packet has no session", () => {
    const v = only(report("debugflow_no_session_matched_ack.txt"), "no-session-matched");
    expect(v).toMatchObject({ severity: "warning", proto: "tcp", port: 443 });
    expect(v.args).toMatchObject({ check: "no-session", traces: ["77"] });
  });

  test("ipsec-selector-mismatch and ipsec-not-ready: one trace each, each replacing not-forwarded", () => {
    const r = report("debugflow_ipsec_no_selector_and_sa_not_ready.txt");
    const selector = only(r, "ipsec-selector-mismatch");
    expect(selector).toMatchObject({ severity: "error", proto: "tcp", port: 443, servers: ["10.200.1.10"] });
    expect(selector.args).toMatchObject({ policy: 7, egress: ["VPN-HQ"], traces: ["501"] });
    const sa = only(r, "ipsec-not-ready");
    expect(sa).toMatchObject({ severity: "error", proto: "icmp", servers: ["10.201.0.5"] });
    expect(sa.args).toMatchObject({ policy: 8, check: "ipsec-sa", traces: ["502"] });
    expect(r.verdicts.some((v) => v.code === "not-forwarded")).toBe(false);
  });

  test("offloaded and trace-ended: the NP explains the missing reply; the stopped trace proves nothing", () => {
    const r = report("debugflow_np_offload_and_trace_ended.txt");
    const np = only(r, "offloaded");
    expect(np).toMatchObject({ severity: "info", proto: "icmp" });
    expect(np.args).toMatchObject({ traces: ["902"], lastStep: "npu session installation succeeded" });
    expect(np.args.sniffer?.replaced).toEqual(["partially-answered"]);
    const ended = only(r, "trace-ended");
    expect(ended).toMatchObject({ severity: "info", proto: "udp", port: 53 });
    expect(ended.args).toMatchObject({ traces: ["903"], decisive: null });
    expect(r.summary.errors).toBe(0);
  });
});
