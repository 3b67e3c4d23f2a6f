/**
 * The verdict engine: rules that turn a capture's service roll-up into findings — the contract's
 * verdict codes with their facts (`args`) and evidence lines. The words are `src/describe`'s.
 */
import type { CaptureRecord } from "../records.js";
import type { CaptureEndedArgs, Caveats, OneWayArgs, RejectKind, UnansweredArgs, VerdictArgs } from "../contract/args.js";
import type { Evidence, Finding, ServiceStatus, ServiceSummary, Severity, VerdictCode } from "../contract/report.js";
import { quote, rttStats, type CaptureAnalysis, type ServiceAgg, type ReplyWindows } from "../correlate/analyzer.js";
import { sampleEvidence } from "../correlate/evidence.js";
import { couldMatchReply, type Filter } from "../filter/index.js";
import { SEVERITY } from "./severity.js";
import { modelCaptureFindings, modelServiceFindings } from "./model.js";

export { SEVERITY } from "./severity.js";
export { serviceLabel } from "../format/service.js";

/** What the verdicts need to know of a service (from the catalogue). */
export interface ServiceInfo {
  name: string | null;
  expectsReply: boolean;
  remedy: string | null;
  rejectedRemedy: string | null;
}

/** What the caller knows of the exchange, to tell apart services that share a port. */
export interface ServiceContext {
  servers?: readonly string[];
  direction?: "outbound" | "inbound";
  group?: boolean;
}

export type ServiceInfoLookup = (proto: string, port: number | null, context?: ServiceContext) => ServiceInfo | null;

function isMasked(addr: string): boolean {
  return /[xX<>]|^[A-Z_]+$/.test(addr);
}

export interface VerdictContext {
  source: string;
  capture: CaptureRecord;
  analysis: CaptureAnalysis;
  windows: ReplyWindows;
  info: ServiceInfoLookup;
  /** the capture's own filter (`filters=[...]`), compiled; null when none or unreadable */
  captureFilter: Filter | null;
}

export interface ServiceOutcome {
  summary: ServiceSummary;
  verdicts: Finding[];
}

function statusOf(s: ServiceAgg, oneWay: boolean): ServiceStatus {
  if (oneWay) return "one-way";
  if (s.answered > 0) return s.unanswered + s.rejected > 0 ? "partial" : "answered";
  if (s.rejected > 0) return "rejected";
  if (s.unanswered > 0) return "unanswered";
  return "inconclusive";
}

function windowFor(proto: string, w: ReplyWindows): number {
  return proto === "tcp" ? w.tcp : proto === "arp" ? w.arp : proto === "icmp" || proto === "icmp6" ? w.icmp : w.udp;
}

/** Caveats every problem verdict of this capture carries. */
function captureCaveats(ctx: VerdictContext, s: ServiceAgg): Caveats {
  const cap = ctx.capture;
  return {
    kernelDrops: cap.dropped !== null && cap.dropped > 0 ? cap.dropped : null,
    countLimit: cap.count !== null && ctx.analysis.packets >= cap.count ? cap.count : null,
    masked: [...s.clients, ...s.servers.keys()].filter(isMasked),
  };
}

export function serviceVerdicts(ctx: VerdictContext, s: ServiceAgg): ServiceOutcome | null {
  if (s.requests === 0) return null;
  const context: ServiceContext = { servers: [...s.servers.keys()], group: s.group };
  if (s.sentByUnit === s.requests) context.direction = "outbound";
  const info = ctx.info(s.proto, s.port, context);
  const oneWay = info?.expectsReply === false || s.group || s.proto === "ip" || s.noReply !== null;
  const status = statusOf(s, oneWay);
  const servers = [...s.servers.values()];
  const summary: ServiceSummary = {
    source: ctx.source,
    capture: ctx.capture.index,
    proto: s.proto,
    port: s.port,
    name: info?.name ?? null,
    status,
    requests: s.requests,
    answered: s.answered,
    unanswered: s.unanswered,
    rejected: s.rejected,
    inconclusive: s.inconclusive,
    servers: servers.map((v) => ({ address: v.address, requests: v.requests, answered: v.answered, rejected: v.rejected, rtt: rttStats(v.rtts) })),
    clients: [...s.clients],
  };
  if (s.notForwarded > 0) summary.notForwarded = s.notForwarded;

  const name = info?.name ?? null;
  const window = windowFor(s.proto, ctx.windows);
  const counts = { name, requests: s.requests, serverCount: servers.length, window };
  const finding = <C extends VerdictCode>(code: C, args: VerdictArgs[C], ev: Evidence[], srv: string[]): Finding => {
    const f = { source: ctx.source, capture: ctx.capture.index, proto: s.proto, port: s.port, code, severity: SEVERITY[code], servers: srv, evidence: ev, args };
    return f as Finding;
  };
  const silentServers = servers.filter((v) => v.answered === 0 && v.rejected === 0).map((v) => v.address);
  const allServers = servers.map((v) => v.address);
  const egress = [...s.egress];
  const caveats = captureCaveats(ctx, s);

  // silence proves nothing when the capture's own filter could not have shown the replies
  if (ctx.captureFilter !== null && s.firstRequest !== null && !oneWay && (status === "unanswered" || status === "inconclusive")) {
    const check = couldMatchReply(ctx.captureFilter, s.firstRequest);
    if (check.possible === false) {
      summary.status = "inconclusive";
      const args = { ...counts, filter: ctx.captureFilter.source, reason: check.reason ?? null, notForwarded: s.notForwarded, interfaces: ctx.capture.interfaces };
      return { summary, verdicts: [finding("filter-excludes-replies", args, sampleEvidence(quote(s.unansweredEvidence.items())), allServers)] };
    }
  }

  // what the model of the unit decides: local-in, refusals it generated, ICMP errors and who sent
  // them, late answers, established connections, DHCP broadcasts
  const make = <C extends VerdictCode>(code: C, args: VerdictArgs[C], ev: Evidence[], srv: string[], severity?: Severity): Finding => {
    const f = finding(code, args, ev, srv);
    if (severity !== undefined) f.severity = severity;
    return f;
  };
  const modelled = modelServiceFindings(s, name, window, make, (a) => ctx.analysis.unit.find((u) => u.address === a), caveats);
  if (modelled !== null) return { summary, verdicts: modelled };

  // requests the unit dropped are the finding, whatever happened to the others
  const span = (ctx.analysis.end ?? 0) - (ctx.analysis.start ?? 0);
  const notForwardedAll = s.notForwarded > 0 && s.answered === 0 && s.rejected === 0 && s.notForwarded >= s.unanswered;
  if (!s.local && s.notForwarded > 0 && (notForwardedAll || s.answered + s.rejected > 0)) {
    if (notForwardedAll) summary.status = "unanswered";
    const nfServers = notForwardedAll ? allServers : silentServers.length > 0 ? silentServers : allServers;
    const args = {
      name,
      count: s.notForwarded,
      oneWay,
      answered: s.answered,
      ingress: [...s.notForwardedIngress],
      traceAddress: silentServers[0] ?? allServers[0] ?? "<destination>",
      caveats,
      shortPaste: span < window ? Math.round(span * 1e6) / 1e6 : null,
    };
    // a paste shorter than the reply window proves less: a warning, not an error
    return { summary, verdicts: [make("not-forwarded", args, sampleEvidence(quote(s.notForwardedEvidence.items())), nfServers, span < window ? "warning" : undefined)] };
  }

  switch (status) {
    case "one-way": {
      const reason = s.noReply !== null ? s.noReply : info?.expectsReply === false ? "catalogue" : s.group ? "group" : "peer-protocol";
      const args: OneWayArgs = { name, packets: s.requests, clients: [...s.clients], egress, reason };
      return { summary, verdicts: [finding("one-way", args, sampleEvidence(quote(s.requestEvidence.items())), allServers)] };
    }
    case "answered": {
      // headers printed without timestamps (KB pastes) time nothing
      const rtt = ctx.capture.timestamps === null && ctx.analysis.packets > 0 ? null : rttStats(servers.flatMap((v) => v.rtts));
      const evidence = sampleEvidence([...quote(s.requestEvidence.head.slice(0, 2)), ...quote(s.replyEvidence.items()).slice(0, 2)]);
      const verdicts = [finding("answered", { ...counts, answered: s.answered, inconclusive: s.inconclusive, rtt }, evidence, allServers)];
      if (s.inconclusive > 0) {
        // the answered ones are fine; the last ones were still inside their window at the end
        const args: CaptureEndedArgs = { kind: "tail", ...counts, answered: s.answered, inconclusive: s.inconclusive };
        verdicts.push(finding("capture-ended", args, sampleEvidence(quote(s.unansweredEvidence.items())), allServers));
      }
      return { summary, verdicts };
    }
    case "partial": {
      const args = {
        ...counts,
        answered: s.answered,
        unanswered: s.unanswered,
        rejected: s.rejected,
        inconclusive: s.inconclusive,
        silent: silentServers,
        egress,
        caveats,
        catalogueRemedy: info?.remedy ?? null,
      };
      // the failing exchanges are the evidence: the first refusals with their requests (whole pairs), then requests without a reply
      const pairs = s.rejectEvidence.head.length - (s.rejectEvidence.head.length % 2);
      const refusals = quote(s.rejectEvidence.head.slice(0, pairs));
      const silent = quote(s.unansweredEvidence.items());
      const failing = refusals.length === 0 ? sampleEvidence(silent) : sampleEvidence([...refusals, ...sampleEvidence(silent, Math.max(1, 5 - refusals.length))], 5);
      return { summary, verdicts: [finding("partially-answered", args, failing, silentServers.length > 0 ? silentServers : allServers)] };
    }
    case "rejected": {
      const args = { ...counts, rejected: s.rejected, unanswered: s.unanswered, rejectKinds: [...new Set([...s.rejectKinds].map((k) => (k === "tcp-rst" ? "tcp-rst" : "icmp-unreachable") as RejectKind))], errorKinds: [...s.rejectKinds], caveats, catalogueRemedy: info?.rejectedRemedy ?? null };
      const refusing = servers.filter((v) => v.rejected > 0).map((v) => v.address);
      return { summary, verdicts: [finding("rejected", args, sampleEvidence(quote(s.rejectEvidence.items())), refusing)] };
    }
    case "unanswered": {
      const args: UnansweredArgs = {
        kind: "timeout",
        ...counts,
        unanswered: s.unanswered,
        inconclusive: s.inconclusive,
        clients: [...s.clients],
        egress,
        notForwarded: s.notForwarded,
        notForwardedIngress: [...s.notForwardedIngress],
        caveats,
        catalogueRemedy: info?.remedy ?? null,
        // upstream is to blame only when the requests demonstrably left the unit
        left: egress.length > 0 || s.sentByUnit > 0 ? true : s.ingress.size > 0 ? false : null,
        ingress: [...s.ingress],
      };
      return { summary, verdicts: [finding("unanswered", args, sampleEvidence(quote(s.unansweredEvidence.items())), silentServers.length > 0 ? silentServers : allServers)] };
    }
    case "inconclusive": {
      const args: CaptureEndedArgs = { kind: "all", ...counts, caveats };
      return { summary, verdicts: [finding("capture-ended", args, sampleEvidence(quote(s.unansweredEvidence.items())), allServers)] };
    }
  }
}

/** Findings about the capture as a whole. */
export function captureVerdicts(ctx: VerdictContext): Finding[] {
  const out: Finding[] = [];
  const cap = ctx.capture;
  if (cap.dropped !== null && cap.dropped > 0) {
    out.push({
      source: ctx.source,
      capture: cap.index,
      code: "kernel-drops",
      severity: SEVERITY["kernel-drops"],
      proto: null,
      port: null,
      servers: [],
      evidence: [{ line: cap.endLine, text: `${cap.dropped} packets dropped by kernel` }],
      args: { dropped: cap.dropped, received: cap.received },
    });
  }
  const model = modelCaptureFindings({
    source: ctx.source,
    captureIndex: cap.index,
    analysis: ctx.analysis,
    captureFilter: ctx.captureFilter,
    interfaces: cap.interfaces,
    nameOf: (proto, port) => ctx.info(proto, port)?.name ?? null,
  });
  for (const v of model) out.push(v);
  return out;
}
