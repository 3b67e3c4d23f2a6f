/**
 * Verdicts from debug-flow traces (../shared/spec/contract.md, debug-flow codes;
 * ../shared/spec/debug-flow.md §3.3), merged with the sniffer's own.
 *
 * One verdict per kind of finding: traces with the same outcome, policy, service and interfaces
 * share one (two pings dropped by the implicit deny from port5 to port1 are one finding). Each
 * finding carries the facts its words are made of (`args`; the words are `src/describe/trace.ts`'s)
 * and quotes both outputs: the sniffer's copies of the traced packets and the trace lines.
 *
 * Supersede rules (`replaced` lists the pairs; `mergeVerdicts` applies them):
 *
 * 1. A drop verdict (policy-denied, local-in-denied, reverse-path-drop, no-session-matched,
 *    ipsec-selector-mismatch, ipsec-not-ready) replaces a sniffer `not-forwarded`, `unanswered`
 *    or `capture-ended` verdict of the same capture and service (protocol and port) when one of
 *    its traces matched a request that verdict is about (an evidence line, or a request to one of
 *    its servers) and no allowed trace matched a request of that service and server: the sniffer
 *    saw the silence, the trace names its cause. The replacing verdict counts the sniffer's
 *    packets, quotes both outputs and carries the remedy. A `partially-answered` verdict is
 *    never replaced (some requests did pass); the drop verdict stands beside it.
 * 2. An `offloaded` verdict replaces a sniffer `unanswered`, `not-forwarded` or
 *    `partially-answered` verdict of the same capture and service when every request that
 *    verdict quotes as unanswered comes after the offloaded packet: those packets went through
 *    the NP and are missing from both outputs, which is not a drop.
 * 3. `trace-ended` and allowed traces replace nothing.
 *
 * A drop the contract has no code for (`dropped`: `Session is in BLOCK state`, or a drop message
 * outside the catalogue) is reported as `no-session-matched` when it is about the session
 * (BLOCK state) and as `policy-denied` otherwise, the message quoted verbatim.
 */
import type { SnifferSideArgs, TraceArgs, VerdictArgs } from "../contract/args.js";
import { VERDICT_CODES, type Evidence, type Finding, type FlowSummary, type FlowTrace, type TraceSummary, type VerdictCode } from "../contract/report.js";
import type { PacketRecord } from "../records.js";
import { renderHeader } from "../format/header.js";
import { sampleEvidence, MAX_TRACE_EVIDENCE } from "../correlate/evidence.js";
import { SEVERITY } from "./severity.js";
import type { ServiceInfoLookup } from "./engine.js";
import type { TraceMatch } from "../correlate/trace-match.js";
import { DROP_OUTCOMES, type NatFact, type TraceOutcome, type TraceRecord, type TraceRoute } from "../contract/trace-record.js";

export type { FlowTrace, TraceSummary } from "../contract/report.js";

export interface TraceVerdictContext {
  source: string;
  /** the sniffer's verdicts for the same input (to merge with) */
  snifferVerdicts?: readonly Finding[];
  /** the input's packets (to count the sniffer's side of a replaced verdict) */
  packets?: readonly PacketRecord[];
  /** the service catalogue, to name services as the sniffer verdicts do */
  info?: ServiceInfoLookup;
}

export interface TraceVerdicts {
  /** the verdicts the traces give */
  verdicts: Finding[];
  /** sniffer verdicts a trace verdict replaces (supersede rules 1 and 2) */
  replaced: { sniffer: Finding; by: Finding }[];
}

/** The drop outcomes that are verdict codes of their own (all but the generic `dropped`): one list, the contract's. */
export const DROP_CODES: ReadonlySet<VerdictCode> = new Set<VerdictCode>(
  Array.from(DROP_OUTCOMES).filter((o): o is TraceOutcome & VerdictCode => (VERDICT_CODES as readonly string[]).includes(o)),
);

/** Sniffer codes a drop verdict may replace (rule 1). */
const REPLACEABLE_BY_DROP: ReadonlySet<VerdictCode> = new Set<VerdictCode>(["not-forwarded", "unanswered", "capture-ended"]);
/** Sniffer codes an offloaded verdict may replace (rule 2). */
const REPLACEABLE_BY_OFFLOAD: ReadonlySet<VerdictCode> = new Set<VerdictCode>(["not-forwarded", "unanswered", "partially-answered"]);

/** The verdict code of a trace's outcome; null for allowed traces. */
export function verdictCodeOf(trace: TraceRecord): VerdictCode | null {
  const o: TraceOutcome = trace.outcome;
  switch (o) {
    case "allowed":
      return null;
    case "dropped":
      return trace.check === "session-block" ? "no-session-matched" : "policy-denied";
    default:
      return o;
  }
}

/** A trace's name in the words: `id` or `blade/id`. */
function traceId(x: TraceRecord): string {
  return x.blade === null ? String(x.traceId) : `${x.blade}/${x.traceId}`;
}

function ingressOf(t: TraceRecord): string | null {
  return t.packet?.local === true ? "local" : (t.packet?.iface ?? null);
}

function egressOf(t: TraceRecord): string | null {
  if (t.route !== null && !t.route.local) return t.route.interface;
  return t.egress[0] ?? null;
}

function groupKey(t: TraceRecord, code: VerdictCode): string {
  const p = t.packet;
  const port = p?.proto === "tcp" || p?.proto === "udp" ? p.dport : null;
  const base = `${code}|${p?.proto ?? ""}|${port ?? ""}`;
  switch (code) {
    case "policy-denied":
      return `${base}|${t.check ?? ""}|${t.policy ?? ""}|${ingressOf(t) ?? ""}|${egressOf(t) ?? ""}|${t.outcome === "dropped" ? (t.decisive?.msg ?? "") : ""}`;
    case "local-in-denied":
      return `${base}|${t.policy ?? ""}|${ingressOf(t) ?? ""}`;
    case "reverse-path-drop":
      return `${code}|${ingressOf(t) ?? ""}|${p?.src ?? ""}`;
    case "ipsec-selector-mismatch":
    case "ipsec-not-ready":
      return `${code}|${t.check ?? ""}|${p?.src ?? ""}|${p?.dst ?? ""}`;
    case "offloaded":
      return `${code}|${t.blade ?? ""}|${t.session?.id ?? `${p?.src}|${p?.dst}`}`;
    case "trace-ended":
      return `${base}|${p?.dst ?? ""}`;
    default:
      return `${base}|${t.check ?? ""}`;
  }
}

/** Verdicts for the traces, and the sniffer verdicts they replace. */
export function traceVerdicts(matches: readonly TraceMatch[], context: TraceVerdictContext): TraceVerdicts {
  const groups = new Map<string, { code: VerdictCode; matches: TraceMatch[] }>();
  for (const m of matches) {
    const code = verdictCodeOf(m.trace);
    if (code === null) continue;
    const key = groupKey(m.trace, code);
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { code, matches: [m] });
    else g.matches.push(m);
  }
  const verdicts: Finding[] = [];
  const replaced: { sniffer: Finding; by: Finding }[] = [];
  const sessionPolicy = policiesBySession(matches);
  for (const { code, matches: group } of groups.values()) {
    const replaces = code === "offloaded" ? offloadReplaces(group, matches, context) : DROP_CODES.has(code) ? dropReplaces(group, matches, context) : [];
    const v = buildVerdict(code, group, matches, replaces, context, sessionPolicy);
    verdicts.push(v);
    for (const s of replaces) replaced.push({ sniffer: s, by: v });
  }
  verdicts.sort((a, b) => (a.evidence[0]?.line ?? 0) - (b.evidence[0]?.line ?? 0));
  return { verdicts, replaced };
}

/** The sniffer verdicts minus those replaced, then the trace verdicts. */
export function mergeVerdicts(snifferVerdicts: readonly Finding[], result: TraceVerdicts): Finding[] {
  const gone = new Set(result.replaced.map((r) => r.sniffer));
  return [...snifferVerdicts.filter((v) => !gone.has(v)), ...result.verdicts];
}

// ---- supersede rules ---------------------------------------------------------------------------

/** The service a trace is about: a reply (session reply direction) names it by its source port. */
function serviceOf(t: TraceRecord): { proto: string | null; port: number | null } {
  const p = t.packet;
  if (p === null || p.proto === null) return { proto: null, port: null };
  const reply = t.session?.direction === "reply";
  return { proto: p.proto, port: p.proto === "tcp" || p.proto === "udp" ? (reply ? p.sport : p.dport) : p.proto === "ip" ? p.ipProto : null };
}

/** A sniffer verdict is about this matched trace: same capture and service, and one of its requests. */
function concerns(v: Finding, m: TraceMatch): boolean {
  const first = m.packets[0];
  if (first === undefined || v.capture !== first.capture) return false;
  const s = serviceOf(m.trace);
  if (s.proto === null || v.proto !== s.proto || v.port !== s.port) return false;
  const lines = new Set(m.packets.map((p) => p.line));
  if (v.evidence.some((e) => lines.has(e.line))) return true;
  const ends = m.packets.flatMap((p) => [p.src, p.dst]);
  return v.servers.some((srv) => ends.includes(srv));
}

function dropReplaces(group: readonly TraceMatch[], all: readonly TraceMatch[], ctx: TraceVerdictContext): Finding[] {
  const out: Finding[] = [];
  for (const v of ctx.snifferVerdicts ?? []) {
    if (!REPLACEABLE_BY_DROP.has(v.code)) continue;
    if (!group.some((m) => concerns(v, m))) continue;
    // mixed fates: an allowed trace of the same service and server keeps the sniffer's verdict
    const allowed = all.some((m) => (m.trace.outcome === "allowed" || m.trace.outcome === "offloaded") && concerns(v, m));
    if (!allowed) out.push(v);
  }
  return out;
}

function offloadReplaces(group: readonly TraceMatch[], _all: readonly TraceMatch[], ctx: TraceVerdictContext): Finding[] {
  const out: Finding[] = [];
  const matched = group.filter((m) => m.packets.length > 0);
  for (const v of ctx.snifferVerdicts ?? []) {
    if (!REPLACEABLE_BY_OFFLOAD.has(v.code)) continue;
    const m = matched.find((x) => concerns(v, x));
    if (m === undefined) continue;
    const after = m.packets.reduce((min, p) => Math.min(min, p.line), Infinity);
    if (v.evidence.length > 0 && v.evidence.every((e) => e.line > after)) out.push(v);
  }
  return out;
}

// ---- the verdict ---------------------------------------------------------------------------------

function policiesBySession(matches: readonly TraceMatch[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of matches) {
    const t = m.trace;
    if (t.session !== null && t.policy !== null && t.action === "allow") out.set(`${t.blade ?? ""}|${t.session.id}`, t.policy);
  }
  return out;
}

interface Facts {
  traces: TraceRecord[];
  first: TraceRecord;
  proto: string | null;
  port: number | null;
  name: string | null;
  icmpType: number | null;
  clients: string[];
  servers: string[];
  ingress: string[];
  egress: string[];
  route: TraceRoute | null;
  snat: NatFact | null;
  dnat: NatFact | null;
  matched: TraceMatch[];
  unmatched: TraceMatch[];
  snifferIngress: string[];
  /** every match of the input (for facts across traces) */
  all: readonly TraceMatch[];
}

function facts(group: readonly TraceMatch[], all: readonly TraceMatch[], ctx: TraceVerdictContext): Facts {
  const traces = group.map((m) => m.trace);
  const first = traces[0] as TraceRecord;
  // a session's two directions (an offloaded session): describe it from the side that opened it
  const forward = traces.filter((t) => t.session?.direction !== "reply");
  const side = forward.length > 0 ? forward : traces;
  const { proto, port } = serviceOf(side[0] as TraceRecord);
  const { name, icmpType } = naming(proto, port, side, ctx);
  const matched = group.filter((m) => m.packets.length > 0);
  return {
    traces,
    first,
    proto,
    port,
    name,
    icmpType,
    clients: uniq(side.map((t) => t.packet?.src ?? null)),
    servers: uniq(side.map((t) => t.packet?.dst ?? null)),
    ingress: uniq(side.map(ingressOf)),
    egress: uniq(side.map(egressOf)),
    route: traces.find((t) => t.route !== null)?.route ?? null,
    snat: traces.find((t) => t.snat !== null)?.snat ?? null,
    dnat: traces.find((t) => t.dnat !== null)?.dnat ?? null,
    matched,
    unmatched: group.filter((m) => m.packets.length === 0),
    snifferIngress: uniq(matched.map((m) => m.ingress?.iface ?? null)),
    all,
  };
}

function uniq(items: readonly (string | null)[]): string[] {
  return [...new Set(items.filter((x): x is string => x !== null && x !== ""))];
}

/** The catalogue's name of the traffic and the ICMP type when it is not an echo. */
function naming(proto: string | null, port: number | null, traces: readonly TraceRecord[], ctx: TraceVerdictContext): { name: string | null; icmpType: number | null } {
  if (proto === null) return { name: null, icmpType: null };
  const type = traces[0]?.packet?.icmp?.type ?? null;
  const icmpType = (proto === "icmp" || proto === "icmp6") && type !== null ? type : null;
  const servers = uniq(traces.map((t) => t.packet?.dst ?? null));
  return { name: ctx.info?.(proto, port, { servers })?.name ?? null, icmpType };
}

function buildVerdict(
  code: VerdictCode,
  group: readonly TraceMatch[],
  all: readonly TraceMatch[],
  replaces: readonly Finding[],
  ctx: TraceVerdictContext,
  sessionPolicy: Map<string, number>,
): Finding {
  const f = facts(group, all, ctx);
  const captures = uniq(f.matched.map((m) => String(m.packets[0]?.capture ?? ""))).map(Number);
  const ev: Evidence[] = [];
  for (const r of replaces) {
    const e = r.evidence;
    if (e[0] !== undefined) ev.push(e[0]);
    if (e.length > 1) ev.push(e[e.length - 1] as Evidence);
  }
  const firstMatch = f.matched[0];
  const lastMatch = f.matched[f.matched.length - 1];
  for (const m of [firstMatch, lastMatch]) {
    const p = m?.ingress ?? m?.packets[0];
    if (p !== undefined) ev.push({ line: p.line, text: renderHeader(p) });
  }
  const lastTrace = f.traces[f.traces.length - 1] as TraceRecord;
  for (const e of f.first.evidence) ev.push(e);
  if (lastTrace !== f.first) {
    const d = lastTrace.evidence[lastTrace.evidence.length - 1];
    if (d !== undefined) ev.push(d);
  }
  const finding = {
    source: ctx.source,
    capture: captures.length === 1 ? (captures[0] as number) : null,
    code,
    severity: SEVERITY[code],
    proto: f.proto,
    port: f.port,
    servers: f.servers,
    evidence: sampleEvidence(ev, MAX_TRACE_EVIDENCE),
    args: argsOf(code, f, replaces, ctx, sessionPolicy),
  };
  return finding as Finding;
}

/** What the sniffer side adds to the verdict, as facts. */
function snifferSide(f: Facts, replaces: readonly Finding[], ctx: TraceVerdictContext): SnifferSideArgs {
  const replaced = uniq(replaces.map((r) => r.code)) as SnifferSideArgs["replaced"];
  const first = f.unmatched[0];
  return {
    replaced,
    seen: replaces.length > 0 ? countSnifferRequests(f, replaces, ctx) : null,
    ingress: f.snifferIngress,
    egressCopies: uniq(f.matched.flatMap((m) => m.egress.map((p) => p.iface))),
    matched: f.matched.length,
    matchedLines: f.matched.map((m) => m.ingress?.line ?? m.packets[0]?.line ?? 0).filter((l) => l > 0),
    noEgress: f.matched.every((m) => m.egress.length === 0),
    unmatched: f.unmatched.length,
    unmatchedReason: first !== undefined && (ctx.packets?.length ?? 0) > 0 ? first.reason : null,
    byElimination: f.matched.some((m) => m.key === "elimination"),
  };
}

function countSnifferRequests(f: Facts, replaces: readonly Finding[], ctx: TraceVerdictContext): number | null {
  const packets = ctx.packets;
  if (packets === undefined) return null;
  const capture = f.matched[0]?.packets[0]?.capture;
  const servers = new Set(replaces.flatMap((r) => r.servers));
  const first = f.matched[0]?.ingress ?? f.matched[0]?.packets[0];
  if (first === undefined) return null;
  const n = packets.filter(
    (p) => p.capture === capture && p.proto === first.proto && p.dst !== null && servers.has(p.dst) && p.src === first.src && (f.port === null || p.dport === f.port) && (p.dir === first.dir || p.dir === null),
  ).length;
  return n > 0 ? n : null;
}

/** The facts of a trace verdict (`args`), per code. */
function argsOf(code: VerdictCode, f: Facts, replaces: readonly Finding[], ctx: TraceVerdictContext, sessionPolicy: Map<string, number>): VerdictArgs[VerdictCode] {
  const t = f.first;
  const base: TraceArgs = {
    name: f.name,
    icmpType: f.icmpType,
    traces: f.traces.map(traceId),
    decisive: t.decisive?.msg ?? null,
    lastStep: t.steps[t.steps.length - 1]?.msg ?? null,
    outcome: t.outcome,
    check: t.check,
    policy: t.policy,
    clients: f.clients,
    ingress: f.ingress,
    egress: f.egress,
    route: f.route === null ? null : { gateway: f.route.gateway, interface: f.route.interface, local: f.route.local },
    snat: f.snat,
    dnat: f.dnat,
    sniffer: snifferSide(f, replaces, ctx),
  };
  const tunnels = uniq(f.traces.map((x) => x.ipsec?.interface ?? null));
  switch (code) {
    case "policy-denied":
      return { ...base, deniedBy: t.check === "other" ? (/Denied by (.+?) check/.exec(t.decisive?.msg ?? "")?.[1] ?? null) : null };
    case "local-in-denied":
      return { ...base, portTraffic: f.traces.some((x) => x.packet?.proto === "tcp" || x.packet?.proto === "udp") };
    case "no-session-matched":
      return { ...base, tcpFlags: [...(t.packet?.tcp?.flags ?? [])] };
    case "ipsec-selector-mismatch":
      return {
        ...base,
        tunnel: t.ipsec?.tunnel ?? t.ipsec?.interface ?? null,
        tunnels,
        fromLocal: f.traces.some((x) => x.packet?.local === true),
        egressCopied: f.matched.some((m) => m.egress.length > 0),
      };
    case "ipsec-not-ready": {
      const stalled = t.check === "ipsec-no-tunnel";
      return { ...base, tunnels, stalled, laterEncrypted: stalled ? [] : laterSuccess(f).map(traceId) };
    }
    case "trace-ended":
      return { ...base, note: t.note };
    case "offloaded":
      return {
        ...base,
        offloadPolicy: f.traces.map((x) => x.policy ?? (x.session !== null ? sessionPolicy.get(`${x.blade ?? ""}|${x.session.id}`) : undefined)).find((p) => p !== undefined && p !== null) ?? null,
      };
    default:
      return base;
  }
}

/** Traces of the same session encrypted after an SA-not-ready drop. */
function laterSuccess(f: Facts): TraceRecord[] {
  const ids = new Set(f.traces.map((t) => (t.session === null ? null : `${t.blade ?? ""}|${t.session.id}`)).filter((x): x is string => x !== null));
  const after = f.traces.reduce((min, t) => Math.min(min, t.lines[0] ?? 0), Infinity);
  return f.all
    .map((m) => m.trace)
    .filter((t) => t.session !== null && ids.has(`${t.blade ?? ""}|${t.session.id}`) && t.ipsec?.encrypted === true && (t.lines[0] ?? 0) > after);
}

// ---- flows and the report's trace list ---------------------------------------------------------------

function sameEnds(p: PacketRecord, f: FlowSummary): "client" | "server" | null {
  const ports = f.clientPort !== null || f.serverPort !== null;
  if (p.src === f.client && p.dst === f.server && (!ports || (p.sport === f.clientPort && p.dport === f.serverPort))) return "client";
  if (p.src === f.server && p.dst === f.client && (!ports || (p.sport === f.serverPort && p.dport === f.clientPort))) return "server";
  return null;
}

/** The trace facts of a flow (SNAT/DNAT, policy, route), from the traces matched to its packets; null when none is. */
export function flowTrace(flow: FlowSummary, matches: readonly TraceMatch[]): FlowTrace | null {
  const mine: { m: TraceMatch; side: "client" | "server" }[] = [];
  for (const m of matches) {
    for (const p of m.packets) {
      if (p.capture !== flow.capture || p.line < flow.firstLine || p.line > flow.lastLine) continue;
      const side = sameEnds(p, flow);
      if (side !== null) {
        mine.push({ m, side });
        break;
      }
    }
  }
  if (mine.length === 0) return null;
  const requests = mine.filter((x) => x.side === "client").map((x) => x.m.trace);
  const all = mine.map((x) => x.m.trace);
  const fromRequests = requests.length > 0 ? requests : all;
  const denied = all.some((t) => t.action === "deny");
  const route = fromRequests.find((t) => t.route !== null)?.route ?? null;
  return {
    policy: all.find((t) => t.policy !== null)?.policy ?? null,
    action: denied ? "deny" : all.some((t) => t.action === "allow") ? "allow" : null,
    snat: fromRequests.find((t) => t.snat !== null)?.snat ?? null,
    dnat: fromRequests.find((t) => t.dnat !== null)?.dnat ?? all.find((t) => t.dnat !== null && t.snat === null && requests.length === 0)?.dnat ?? null,
    route: route === null ? null : { gateway: route.gateway, interface: route.interface },
    traceIds: [...new Set(all.map((t) => t.traceId))],
    lines: [...new Set(all.flatMap((t) => t.lines))].sort((a, b) => a - b),
  };
}

export function traceSummaries(matches: readonly TraceMatch[]): TraceSummary[] {
  return matches.map((m) => ({
    source: m.trace.source,
    blade: m.trace.blade,
    traceId: m.trace.traceId,
    lines: m.trace.lines,
    outcome: m.trace.outcome,
    policy: m.trace.policy,
    packets: m.packets.map((p) => p.line),
    key: m.key,
    reason: m.reason,
  }));
}

/**
 * Addresses the traces prove are the unit's own: destinations routed locally (`flag=8xxxxxxx`,
 * `via root`) and sources of packets the unit sent (`from local.`). Traffic to them is not
 * forwarded by design, whichever attempt was traced (S02: SNMP to the HA management address).
 */
export function unitAddresses(traces: readonly TraceRecord[]): Set<string> {
  const out = new Set<string>();
  for (const t of traces) {
    const p = t.packet;
    if (p === null || p.partial) continue;
    if (t.route?.local === true && p.dst !== null && p.dst !== "0.0.0.0") out.add(p.dst);
    if (p.local && p.src !== null) out.add(p.src);
  }
  return out;
}
