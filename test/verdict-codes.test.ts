/**
 * Every verdict code of the contract, each produced by a realistic capture in samples/ (written
 * from the spec's line shapes), with the fields a ticket reader relies on.
 */
import { analyze } from "../src/analyze.js";
import { builtinAnalyzeOptions } from "../src/services.js";
import type { Report, Verdict, VerdictCode } from "../src/report.js";
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
