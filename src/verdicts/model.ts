/**
 * Rules over the correlator's model of the unit (issue 11): local-in traffic, refusals the unit
 * generated, ICMP errors of every kind with who sent them, late answers where the delay matters,
 * established connections, DHCP broadcasts, ESP tunnels, one-direction filters, empty captures and
 * grouped unmatched ICMP errors. Each returns findings (data); the words are src/describe/unit.ts's.
 */
import type { Evidence, Finding, Severity, VerdictCode } from "../contract/report.js";
import type { Caveats, VerdictArgs } from "../contract/args.js";
import type { HostUnreachableArgs, LatenessReason, LocalInUnansweredArgs, SentBy, UnitAddressFact } from "../contract/args-unit.js";
import { quote, type CaptureAnalysis, type RejectAgg, type ServiceAgg } from "../correlate/analyzer.js";
import { sampleEvidence } from "../correlate/evidence.js";
import { couldMatchReply, type Filter } from "../filter/index.js";
import type { PacketRecord } from "../records.js";
import { SEVERITY } from "./severity.js";

export interface ModelContext {
  source: string;
  captureIndex: number;
  analysis: CaptureAnalysis;
  captureFilter: Filter | null;
  interfaces: string | null;
  /** the catalogue's name of a service */
  nameOf: (proto: string, port: number | null) => string | null;
}

type Make = <C extends VerdictCode>(code: C, args: VerdictArgs[C], ev: Evidence[], servers: string[], severity?: Severity) => Finding;

const REFUSALS: ReadonlySet<string> = new Set(["tcp-rst", "port-unreachable", "protocol-unreachable", "admin-prohibited"]);
const ADMIN_PORTS: Record<number, string> = { 22: "ssh", 23: "telnet", 80: "http", 443: "https", 8443: "https", 8080: "http" };

function localHint(proto: string, port: number | null): { hint: LocalInUnansweredArgs["hint"]; allowaccess: string | null } {
  if (proto === "icmp" || proto === "icmp6") return { hint: "ping", allowaccess: "ping" };
  if (proto === "udp" && (port === 500 || port === 4500)) return { hint: "ike", allowaccess: null };
  if (proto === "udp" && port === 161) return { hint: "snmp", allowaccess: "snmp" };
  if (proto === "tcp" && port === 10443) return { hint: "sslvpn", allowaccess: null };
  if (proto === "tcp" && port !== null && ADMIN_PORTS[port] !== undefined) return { hint: "admin", allowaccess: ADMIN_PORTS[port] ?? null };
  return { hint: "other", allowaccess: null };
}

function sentBy(r: RejectAgg, servers: readonly string[]): SentBy {
  if (r.byUnit > 0) return "unit";
  const reporters = [...r.reporters];
  return reporters.length > 0 && reporters.every((a) => servers.includes(a)) ? "host" : "router";
}

function rejectEvidence(r: RejectAgg): Evidence[] {
  return sampleEvidence(quote(r.evidence.items()));
}

/** The slowest answers and how many were slower than `threshold`. */
function slowness(s: ServiceAgg, threshold: number): { slow: number; max: number } {
  let slow = 0;
  let max = 0;
  for (const v of s.servers.values()) {
    for (const r of v.rtts) {
      if (r > threshold) slow++;
      if (r > max) max = r;
    }
  }
  return { slow, max };
}

/** When a late or slow answer matters for this service, and from what delay. */
function lateness(s: ServiceAgg, window: number): { reason: LatenessReason; threshold: number } | null {
  const port = s.port;
  if (s.proto === "udp" && (port === 1812 || port === 1645)) return { reason: "radius-timeout", threshold: 5 };
  if ((s.proto === "udp" || s.proto === "tcp") && port === 53) return { reason: "dns-client-timeout", threshold: 2 };
  if ((s.proto === "icmp" || s.proto === "icmp6") && s.sentByUnit > 0 && s.sentByUnit === s.requests) return { reason: "sdwan-probe-timeout", threshold: 0.5 };
  if (s.late > 0) return { reason: "past-window", threshold: window };
  return null;
}

/**
 * The findings the model decides for one service, or null to leave it to the common rules.
 * Runs after the capture-filter check and before not-forwarded.
 */
export function modelServiceFindings(s: ServiceAgg, name: string | null, window: number, make: Make, unitFact: (address: string) => UnitAddressFact | undefined, caveats: Caveats): Finding[] | null {
  const servers = [...s.servers.values()];
  const allServers = servers.map((v) => v.address);
  // local-in: traffic to the unit's own address never is "not forwarded" or "upstream"
  if (s.local && s.unanswered > 0) {
    const { hint, allowaccess } = localHint(s.proto, s.port);
    const addresses = servers.map((v) => unitFact(v.address) ?? { address: v.address, evidence: "given" as const, line: null });
    const args: LocalInUnansweredArgs = {
      name,
      requests: s.requests,
      answered: s.answered,
      unanswered: s.unanswered,
      inconclusive: s.inconclusive,
      addresses,
      clients: [...new Set(servers.flatMap((v) => [...v.clients]))],
      ingress: [...new Set([...s.notForwardedIngress, ...s.ingress])],
      caveats,
      allowaccess,
      hint,
    };
    const silent = servers.filter((v) => v.unanswered + v.inconclusive > 0).map((v) => v.address);
    return [make("local-in-unanswered", args, sampleEvidence(quote(s.unansweredEvidence.items())), silent, s.answered > 0 ? "warning" : "error")];
  }
  if (s.established) {
    const args = { name, connections: s.requests, bothSides: s.bothSides };
    const ev = sampleEvidence([...quote(s.requestEvidence.items()), ...quote(s.replyEvidence.items())]);
    return [make("established-connection", args, ev, allServers, s.bothSides === s.requests ? "ok" : "info")];
  }
  if (s.dhcp && s.unanswered > 0) {
    const args = { discovers: s.requests, answered: s.answered, ingress: [...s.ingress] };
    return [make("dhcp-no-offer", args, sampleEvidence(quote(s.unansweredEvidence.items())), allServers)];
  }
  if (s.rejected > 0) {
    const rejects = [...s.rejects.values()];
    const byUnitRefusals = rejects.filter((r) => REFUSALS.has(r.kind)).reduce((n, r) => n + r.byUnit, 0);
    const errors = rejects.filter((r) => !REFUSALS.has(r.kind)).sort((a, b) => b.count - a.count);
    const top = errors[0];
    if (top !== undefined && top.count * 2 >= s.rejected) {
      const who = sentBy(top, allServers);
      const reporters = [...top.reporters];
      const hosts = servers.filter((v) => v.rejected > 0).map((v) => v.address);
      if (top.kind === "fragmentation-needed") {
        return [make("fragmentation-needed", { name, requests: s.requests, rejected: top.count, mtu: top.mtu, reporters, sentBy: who }, rejectEvidence(top), hosts)];
      }
      if (top.kind === "time-exceeded") {
        return [make("ttl-exceeded", { name, requests: s.requests, rejected: top.count, reporters, sentBy: who }, rejectEvidence(top), hosts)];
      }
      const kind = top.kind === "net-unreachable" ? "net-unreachable" : top.kind === "host-unreachable" ? "host-unreachable" : "unreachable";
      const args: HostUnreachableArgs = { name, requests: s.requests, rejected: top.count, kind, reporters, sentBy: who, ingress: [...s.ingress] };
      return [make("host-unreachable", args, rejectEvidence(top), hosts)];
    }
    if (byUnitRefusals > 0 && byUnitRefusals * 2 >= s.rejected) {
      const kinds = rejects.filter((r) => REFUSALS.has(r.kind) && r.byUnit > 0).map((r) => r.kind);
      const hosts = servers.filter((v) => v.rejected > 0).map((v) => v.address);
      const args = { name, requests: s.requests, refused: byUnitRefusals, kinds, ingress: [...s.ingress], traceAddress: hosts[0] ?? allServers[0] ?? "<destination>" };
      return [make("refused-by-unit", args, sampleEvidence(quote(s.rejectEvidence.items())), hosts)];
    }
    return null;
  }
  // answered, but later than the client waits
  if (s.answered > 0 && s.unanswered === 0) {
    const l = lateness(s, window);
    if (l !== null) {
      const { slow, max } = slowness(s, l.threshold);
      if (slow > 0) {
        const args = { name, requests: s.requests, answered: s.answered, late: s.late, slow, maxDelay: Math.round(max * 1e6) / 1e6, window, threshold: l.threshold, reason: l.reason };
        const ev = sampleEvidence(quote(s.lateEvidence.total > 0 ? s.lateEvidence.items() : [...s.requestEvidence.items(), ...s.replyEvidence.items()]));
        return [make("answered-late", args, ev, allServers)];
      }
    }
  }
  return null;
}

/** Findings about the capture as a whole that rest on the model: empty capture, tunnels, replies without requests, unmatched ICMP errors. */
export function modelCaptureFindings(ctx: ModelContext): Finding[] {
  const out: Finding[] = [];
  const a = ctx.analysis;
  const base = { source: ctx.source, capture: ctx.captureIndex };
  const push = <C extends VerdictCode>(code: C, args: VerdictArgs[C], evidence: Evidence[], servers: string[], proto: string | null, port: number | null, severity: Severity = SEVERITY[code]) => {
    out.push({ ...base, code, severity, proto, port, servers, evidence, args } as Finding);
  };
  const cap = a.capture;
  if (a.packets === 0 && (cap.interfaces !== null || cap.command !== null)) {
    push("empty-capture", { interfaces: cap.interfaces, filter: cap.filter, received: cap.received }, [{ line: cap.line, text: cap.command ?? `interfaces=[${cap.interfaces ?? ""}]` }], [], null, null);
  }
  for (const t of a.tunnels) {
    const both = t.aToB.packets > 0 && t.bToA.packets > 0;
    const out1 = t.aToB.packets >= t.bToA.packets ? t.aToB : t.bToA;
    const back = out1 === t.aToB ? t.bToA : t.aToB;
    const evidence = sampleEvidence(quote([...out1.evidence.items(), ...back.evidence.items()]));
    const args = {
      local: out1.from,
      remote: out1.to,
      sent: out1.packets,
      received: back.packets,
      sentSpis: [...out1.spis],
      receivedSpis: [...back.spis],
      sentByUnit: out1.sentByUnit > 0,
      span: Math.round((out1.last - out1.first) * 1e6) / 1e6,
    };
    if (both) push("esp-both-ways", args, evidence, [args.remote], "esp", null);
    else {
      // a single packet, or a capture that stopped right away, proves little
      const long = out1.packets >= 2 && (a.end ?? out1.last) - out1.first >= 2;
      push("esp-one-way", args, evidence, [args.remote], "esp", null, long ? "warning" : "info");
    }
  }
  if (ctx.captureFilter !== null) {
    for (const r of a.repliesOnly) {
      const sample = r.evidence.items()[0];
      if (sample === undefined) continue;
      const check = couldMatchReply(ctx.captureFilter, sample);
      if (check.possible !== false) continue;
      const args = { name: ctx.nameOf(r.proto, r.port), filter: ctx.captureFilter.source, reason: check.reason ?? null, flows: r.flows, packets: r.packets, interfaces: ctx.interfaces };
      push("filter-excludes-requests", args, sampleEvidence(quote(r.evidence.items())), [...r.servers], r.proto, r.port);
    }
  }
  for (const u of a.unmatchedErrors) {
    const first = u.evidence.items()[0] as PacketRecord | undefined;
    const args = {
      from: first?.src ?? null,
      to: first?.dst ?? null,
      host: u.hosts[0] ?? "?",
      kind: u.kind,
      count: u.count,
      hosts: u.hosts,
      hostCount: u.hostCount,
      reporters: [...u.reporters],
      reporterCount: u.reporterCount,
    };
    // errors that all quote one port name it, even a client port
    const port = u.port ?? (u.quotedPorts.size === 1 ? ([...u.quotedPorts][0] as number) : null);
    push("unmatched-unreachable", args, sampleEvidence(quote(u.evidence.items())), u.hosts.slice(0, 8), u.proto, port);
  }
  return out;
}
