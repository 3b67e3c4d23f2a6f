/**
 * Verdicts from debug-flow traces (../shared/spec/contract.md, debug-flow codes;
 * ../shared/spec/debug-flow.md §3.3), merged with the sniffer's own.
 *
 * One verdict per kind of finding: traces with the same outcome, policy, service and interfaces
 * share one (two pings dropped by the implicit deny from port5 to port1 are one finding). Each
 * verdict names the line that decided, says what it means in plain words, gives the remedy with
 * CLI commands, and quotes both outputs: the sniffer's copies of the traced packets and the
 * trace lines.
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
import type { FlowSummary, Evidence, Verdict, VerdictCode } from "../report.js";
import type { PacketRecord } from "../records.js";
import { renderHeader } from "../render/header.js";
import { SEVERITY, serviceLabel, type ServiceInfoLookup } from "../verdicts/engine.js";
import type { TraceMatch } from "./match.js";
import type { NatFact, TraceOutcome, TraceRecord, TraceRoute } from "./records.js";

export interface TraceVerdictContext {
  source: string;
  /** the sniffer's verdicts for the same input (to merge with) */
  snifferVerdicts?: readonly Verdict[];
  /** the input's packets (to count the sniffer's side of a replaced verdict) */
  packets?: readonly PacketRecord[];
  /** the service catalogue, to name services as the sniffer verdicts do */
  info?: ServiceInfoLookup;
}

export interface TraceVerdicts {
  /** the verdicts the traces give */
  verdicts: Verdict[];
  /** sniffer verdicts a trace verdict replaces (supersede rules 1 and 2) */
  replaced: { sniffer: Verdict; by: Verdict }[];
}

export const DROP_CODES: ReadonlySet<VerdictCode> = new Set<VerdictCode>([
  "policy-denied",
  "local-in-denied",
  "reverse-path-drop",
  "no-session-matched",
  "ipsec-selector-mismatch",
  "ipsec-not-ready",
]);

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

/** Quoted lines per verdict at most (first and last kept). */
const MAX_EVIDENCE = 6;

function plural(n: number, one: string, many = one + "s"): string {
  return `${n} ${n === 1 ? one : many}`;
}

function list(items: readonly string[], max = 3): string {
  const u = [...new Set(items)];
  if (u.length <= max) return u.length <= 1 ? (u[0] ?? "") : `${u.slice(0, -1).join(", ")} and ${u[u.length - 1] as string}`;
  return `${u.slice(0, max).join(", ")} and ${u.length - max} more`;
}

function ids(traces: readonly TraceRecord[]): string {
  const t = traces.map((x) => (x.blade === null ? String(x.traceId) : `${x.blade}/${x.traceId}`));
  return `${t.length === 1 ? "trace" : "traces"} ${list(t, 4)}`;
}

function quote(msg: string): string {
  return `"${msg.trim()}"`;
}

function evidence(items: readonly Evidence[]): Evidence[] {
  const seen = new Set<number>();
  const unique = items.filter((e) => e.line > 0 && (seen.has(e.line) ? false : (seen.add(e.line), true))).sort((a, b) => a.line - b.line);
  if (unique.length <= MAX_EVIDENCE) return unique;
  return [...unique.slice(0, MAX_EVIDENCE - 1), unique[unique.length - 1] as Evidence];
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
  const verdicts: Verdict[] = [];
  const replaced: { sniffer: Verdict; by: Verdict }[] = [];
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
export function mergeVerdicts(snifferVerdicts: readonly Verdict[], result: TraceVerdicts): Verdict[] {
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
function concerns(v: Verdict, m: TraceMatch): boolean {
  const first = m.packets[0];
  if (first === undefined || v.capture !== first.capture) return false;
  const s = serviceOf(m.trace);
  if (s.proto === null || v.proto !== s.proto || v.port !== s.port) return false;
  const lines = new Set(m.packets.map((p) => p.line));
  if (v.evidence.some((e) => lines.has(e.line))) return true;
  const ends = m.packets.flatMap((p) => [p.src, p.dst]);
  return v.servers.some((srv) => ends.includes(srv));
}

function dropReplaces(group: readonly TraceMatch[], all: readonly TraceMatch[], ctx: TraceVerdictContext): Verdict[] {
  const out: Verdict[] = [];
  for (const v of ctx.snifferVerdicts ?? []) {
    if (!REPLACEABLE_BY_DROP.has(v.code)) continue;
    if (!group.some((m) => concerns(v, m))) continue;
    // mixed fates: an allowed trace of the same service and server keeps the sniffer's verdict
    const allowed = all.some((m) => (m.trace.outcome === "allowed" || m.trace.outcome === "offloaded") && concerns(v, m));
    if (!allowed) out.push(v);
  }
  return out;
}

function offloadReplaces(group: readonly TraceMatch[], _all: readonly TraceMatch[], ctx: TraceVerdictContext): Verdict[] {
  const out: Verdict[] = [];
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
  label: string;
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
  const label = named(proto, port, side, ctx);
  const matched = group.filter((m) => m.packets.length > 0);
  return {
    traces,
    first,
    proto,
    port,
    label,
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

function named(proto: string | null, port: number | null, traces: readonly TraceRecord[], ctx: TraceVerdictContext): string {
  if (proto === null) return "Unknown traffic (the packet line was cut)";
  const icmpType = traces[0]?.packet?.icmp?.type;
  const label = (proto === "icmp" || proto === "icmp6") && icmpType !== null && icmpType !== undefined && icmpType !== 8 && icmpType !== 0 && icmpType !== 128 && icmpType !== 129
    ? `${proto.toUpperCase()} type ${icmpType}`
    : serviceLabel(proto, port);
  const servers = uniq(traces.map((t) => t.packet?.dst ?? null));
  const name = ctx.info?.(proto, port, { servers })?.name ?? null;
  if (name === null || label.includes(`(${name})`)) return label;
  return name.includes("(") ? `${label} ${name}` : `${label} (${name})`;
}

function fromTo(f: Facts): string {
  const c = list(f.clients, 2);
  const s = list(f.servers, 2);
  if (c === "" && s === "") return "";
  return ` from ${c || "?"} to ${s || "?"}`;
}

function buildVerdict(
  code: VerdictCode,
  group: readonly TraceMatch[],
  all: readonly TraceMatch[],
  replaces: readonly Verdict[],
  ctx: TraceVerdictContext,
  sessionPolicy: Map<string, number>,
): Verdict {
  const f = facts(group, all, ctx);
  const text = describe(code, f, replaces, ctx, sessionPolicy);
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
  return {
    source: ctx.source,
    capture: captures.length === 1 ? (captures[0] as number) : null,
    code,
    severity: SEVERITY[code],
    proto: f.proto,
    port: f.port,
    servers: f.servers,
    title: text.title,
    explanation: text.explanation,
    remedy: text.remedy,
    evidence: evidence(ev),
  };
}

interface Text {
  title: string;
  explanation: string;
  remedy: string | null;
}

/** What the sniffer side adds to an explanation. */
function snifferSide(f: Facts, replaces: readonly Verdict[], ctx: TraceVerdictContext, dropped: boolean): string {
  const parts: string[] = [];
  const replacedCodes = uniq(replaces.map((r) => r.code));
  const egressCopies = uniq(f.matched.flatMap((m) => m.egress.map((p) => p.iface)));
  if (replaces.length > 0) {
    const seen = countSnifferRequests(f, replaces, ctx);
    const where = f.snifferIngress.length > 0 ? ` arrive on ${list(f.snifferIngress)}` : egressCopies.length > 0 ? ` on ${list(egressCopies)}` : "";
    const said = replacedCodes.map((c) => (c === "not-forwarded" ? "that the packets never left the unit" : c === "capture-ended" ? "that no reply was seen" : "that no reply came"));
    const traced = seen !== null && seen > f.matched.length ? ` (debug flow traced ${f.matched.length} of them; \`trace start N\` traces only the next N packets)` : "";
    parts.push(
      `The sniffer saw ${seen !== null ? plural(seen, "packet") + " of this traffic" : "this traffic"}${where}${dropped && egressCopies.length === 0 ? " and none leave the unit" : ""}${traced}; ` +
        `this verdict replaces its ${list(replacedCodes.map((c) => `"${c}"`))} verdict, which could say ${list(uniq(said))}, not why.`,
    );
  } else if (f.matched.length > 0) {
    const lines = f.matched.map((m) => m.ingress?.line ?? m.packets[0]?.line ?? 0).filter((l) => l > 0);
    parts.push(
      `The sniffer shows the traced ${f.matched.length === 1 ? "packet" : "packets"} (line ${list(lines.map(String), 4)})${dropped ? (f.matched.every((m) => m.egress.length === 0) ? " with no copy leaving the unit" : "") : ""}.`,
    );
  }
  if (f.unmatched.length > 0 && (ctx.packets?.length ?? 0) > 0) {
    const m = f.unmatched[0] as TraceMatch;
    parts.push(`${f.unmatched.length === f.traces.length ? "None of the traced packets is" : `${plural(f.unmatched.length, "traced packet")} ${f.unmatched.length === 1 ? "is" : "are"}`} in the capture: ${m.reason}.`);
  }
  return parts.join(" ");
}

function countSnifferRequests(f: Facts, replaces: readonly Verdict[], ctx: TraceVerdictContext): number | null {
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

function natText(f: Facts): string {
  const parts: string[] = [];
  if (f.snat !== null) parts.push(`source NAT ${f.snat.from} → ${f.snat.to}`);
  if (f.dnat !== null) parts.push(`destination NAT ${f.dnat.from} → ${f.dnat.to}`);
  return parts.length === 0 ? "" : ` (after ${parts.join(" and ")})`;
}

function describe(code: VerdictCode, f: Facts, replaces: readonly Verdict[], ctx: TraceVerdictContext, sessionPolicy: Map<string, number>): Text {
  const t = f.first;
  const said = `Debug flow (${ids(f.traces)}) says ${quote(t.decisive?.msg ?? t.steps[t.steps.length - 1]?.msg ?? "")}`;
  const head = `${f.label}${fromTo(f)}`;
  const ing = f.ingress.filter((i) => i !== "local");
  const ingText = ing.length > 0 ? list(ing) : null;
  const egrText = f.egress.length > 0 ? list(f.egress) : null;
  const sniffer = (dropped: boolean) => snifferSide(f, replaces, ctx, dropped);
  const join = (...parts: string[]) => parts.filter((p) => p !== "").join(" ");
  switch (code) {
    case "policy-denied": {
      const routeFact =
        f.route !== null && !f.route.local ? `The route lookup had already found the way out (via ${f.route.interface}, gateway ${f.route.gateway}), so routing is not the cause.` : "";
      const between = `${ingText !== null ? ` from ${ingText}` : ""}${egrText !== null ? ` to ${egrText}` : ""}`;
      if (t.outcome === "dropped") {
        return {
          title: `${head}: dropped by the unit: ${quote(t.decisive?.msg ?? "")}`,
          explanation: join(`${said}: a drop message this tool has no finer reading for.`, routeFact, sniffer(true)),
          remedy: `Search the Fortinet knowledge base for the exact message, and re-run the trace with \`diagnose debug flow show iprope enable\` to see the checks before it.`,
        };
      }
      if (t.check === "quota" || t.check === "endpoint" || t.check === "other") {
        const name = t.check === "quota" ? "traffic-shaping quota" : t.check === "endpoint" ? "endpoint (compliance)" : (/Denied by (.+?) check/.exec(t.decisive?.msg ?? "")?.[1] ?? "a");
        return {
          title: `${head}: dropped by the ${name} check`,
          explanation: join(
            `${said}.`,
            t.check === "quota" ? "A traffic shaper's quota on the matching policy (or a shaping policy) is used up: the policy allows the traffic, the shaper drops it." : "The policy matched, but a check attached to it refused the packet.",
            sniffer(true),
          ),
          remedy:
            t.check === "quota"
              ? "Check the shapers applied to this traffic: `diagnose firewall shaper traffic-shaper list`, `diagnose firewall shaper per-ip-shaper list`, and the shaping policies (`show firewall shaping-policy`); raise or remove the quota."
              : "Check the security profile and endpoint settings of the matching policy (`show firewall policy <id>`).",
        };
      }
      if (t.policy === 0) {
        const where = ingText !== null ? ` from ${ingText}${egrText !== null ? ` to ${egrText}` : ""}` : "";
        return {
          title: `${head}: dropped by the implicit deny: no firewall policy${where} matches this traffic`,
          explanation: join(
            `${said}: policy 0 is the implicit deny at the end of the policy list, so no firewall policy${where} accepts ${f.label}${fromTo(f)}${natText(f)}.`,
            routeFact,
            sniffer(true),
          ),
          remedy: policyRemedy(f, ingText, egrText),
        };
      }
      if (t.policy !== null) {
        return {
          title: `${head}: dropped by firewall policy ${t.policy} (a deny policy)${between}`,
          explanation: join(
            `${said}: policy ${t.policy} matches this traffic and its action is deny; it sits above any policy that would accept it.`,
            routeFact,
            sniffer(true),
          ),
          remedy:
            `Look at the policy: \`show firewall policy ${t.policy}\`. If this traffic should pass, narrow that policy's addresses or services, or move an accept policy above it:\n` +
            `config firewall policy\n    move <accept-policy-id> before ${t.policy}\nend`,
        };
      }
      return {
        title: `${head}: dropped by the forward policy check${between}`,
        explanation: join(
          `${said}, without a policy number: in transparent mode (br_fw_forward_handler) this is usually the implicit deny, no policy between the two interfaces matching.`,
          routeFact,
          sniffer(true),
        ),
        remedy: policyRemedy(f, ingText, egrText),
      };
    }
    case "local-in-denied": {
      const dst = list(f.servers, 2) || "the unit";
      const svc = allowaccessName(f.proto, f.port);
      const onIf = ingText ?? "the ingress interface";
      if (t.policy !== null && t.policy > 0) {
        return {
          title: `${head}: refused by local-in policy ${t.policy} on ${onIf}`,
          explanation: join(`${said}: traffic to the unit itself (${dst}) matched local-in policy ${t.policy}, which drops it.`, sniffer(true)),
          remedy: `Look at the local-in policy: \`show firewall local-in-policy ${t.policy}\`. Allow the source in it, or add an accept local-in policy for ${svc ?? f.label} from ${list(f.clients, 2) || "the source"} above it.`,
        };
      }
      const vipHint = f.traces.some((x) => x.packet?.proto === "tcp" || x.packet?.proto === "udp")
        ? ` If the traffic was meant for a server behind a VIP (port forwarding), the VIP did not match, so the unit took it for itself: check \`show firewall vip\` (extintf, extip, extport, mappedport) against ${list(f.servers.map((x) => `${x}:${f.port ?? "?"}`), 2)} arriving on ${onIf}.`
        : "";
      return {
        title: `${head}: refused by the unit's local-in check on ${onIf}${svc !== null ? ` (${svc} not allowed there)` : ""}`,
        explanation: join(
          `${said}: the packet was addressed to the unit itself (${dst}) and no local-in rule accepted it (policy 0 is the implicit deny). ` +
            `Usually the service is not enabled on the interface it arrived on (allowaccess), the source is not among the administrators' trusted hosts, or the address belongs to another interface than the one the packet came in on.` +
            vipHint,
          sniffer(true),
        ),
        remedy:
          (svc !== null
            ? `Enable the service on the interface the packet arrives on (the list replaces the old one: keep what is there):\nconfig system interface\n    edit "${onIf}"\n        set allowaccess <current services> ${svc}\n    next\nend\n`
            : `Check what listens on ${list(f.servers, 2)}:${f.port ?? "?"} and on which interface it is allowed.\n`) +
          `Check trusted hosts with \`show system admin\` (trusthost1...), and that ${f.servers.length > 1 ? `each of ${list(f.servers, 2)} is an address` : `${f.servers[0] ?? "the destination"} is the address`} of ${onIf} itself (\`show system interface ${onIf}\`): the unit refuses admin traffic to another interface's address.` +
          (vipHint !== "" ? " For port forwarding: `show firewall vip`." : ""),
      };
    }
    case "reverse-path-drop": {
      const src = list(f.clients, 2) || "the source";
      return {
        title: `${head}: dropped by the reverse path check: no route back to ${src} via ${ingText ?? "the ingress interface"}`,
        explanation: join(
          `${said}: before any policy, the unit checks that it would route replies to ${src} out of the interface the packet arrived on (${ingText ?? "?"}); it would not, so it took the packet for spoofed. ` +
            `Typical causes: a missing route to the source network, asymmetric routing, or a route that is configured but not active.`,
          sniffer(true),
        ),
        remedy:
          `See where the unit routes ${src}: \`get router info routing-table details ${f.clients[0] ?? "<source>"}\`. Add a route to the source network through ${ingText ?? "that interface"}:\n` +
          `config router static\n    edit 0\n        set dst <source network>\n        set gateway <next hop on ${ingText ?? "that interface"}>\n        set device "${ingText ?? "<interface>"}"\n    next\nend\n` +
          `Only for a deliberate asymmetric design: \`config system settings\` / \`set asymroute enable\` (weakens the anti-spoofing check).`,
      };
    }
    case "no-session-matched": {
      if (t.outcome === "dropped") {
        return {
          title: `${head}: dropped: the session is in BLOCK state`,
          explanation: join(
            `${said}: the packet belongs to an existing session that the unit has blocked, typically because the route under the session changed (a session created before the change keeps its old path).`,
            sniffer(true),
          ),
          remedy: `Clear the stale sessions (\`diagnose sys session filter dst ${f.servers[0] ?? "<destination>"}\`, then \`diagnose sys session clear\`), and for SNAT sessions consider \`config system global\` / \`set snat-route-change enable\`.`,
        };
      }
      const flags = t.packet?.tcp?.flags.join(",") ?? "";
      return {
        title: `${head}: dropped: a packet with no session (not a SYN)`,
        explanation: join(
          `${said}: the packet${flags ? ` (TCP ${flags})` : ""} is not the start of a connection and no session exists for it. ` +
            `The session was never created on this unit (the SYN took another path: asymmetric routing), or it had expired (idle or half-close timer), or the client reused the port quickly.`,
          sniffer(true),
        ),
        remedy:
          `Check that both directions of the connection pass this unit (routing symmetry), and look for the session: \`diagnose sys session filter dst ${f.servers[0] ?? "<destination>"}\` then \`diagnose sys session list\`. ` +
          `If sessions expire under long idle connections, raise the timer (\`config system global\` / \`set tcp-halfclose-timer <s>\`, or the service's session-ttl). Last resort for asymmetric designs: \`config system settings\` / \`set asymroute enable\`.`,
      };
    }
    case "ipsec-selector-mismatch": {
      const tunnel = t.ipsec?.tunnel ?? t.ipsec?.interface ?? "the tunnel";
      const fromLocal = f.traces.some((x) => x.packet?.local === true);
      const src = f.snat !== null ? f.snat.to.replace(/:\d+$/, "") : (f.clients[0] ?? "<source>");
      const tunnels = uniq(f.traces.map((x) => x.ipsec?.interface ?? null));
      return {
        title: `${head}: dropped entering IPsec ${list(tunnels.length > 0 ? tunnels : [tunnel])}: no phase-2 selector matches${f.snat !== null ? ` the translated source ${src}` : ""}`,
        explanation: join(
          `${said}: the route sent the packet${natText(f)} into ${list(tunnels.length > 0 ? tunnels : [tunnel])}, but ${src} -> ${f.servers[0] ?? "?"} is outside every phase-2 selector (quick-mode source and destination subnets) of the tunnel, so the unit drops it before encryption.` +
            (fromLocal ? ` The packet was sent by the unit itself (from local): with no address on the tunnel interface it takes its source from the outgoing WAN interface (here ${list(f.clients, 2)}), which the selectors do not cover.` : "") +
            (f.matched.some((m) => m.egress.length > 0) ? " The sniffer's copy on the tunnel interface is printed before the selector check: it does not mean the packet was encrypted." : ""),
          sniffer(true),
        ),
        remedy:
          `Compare the packet with the selectors: \`diagnose vpn tunnel list name ${tunnels[0] ?? tunnel}\` (proxyid src/dst). Either widen the phase 2 to include ${src}:\n` +
          `config vpn ipsec phase2-interface\n    edit "<phase2 of ${tunnels[0] ?? tunnel}>"\n        set src-subnet <subnet holding ${src}>\n        set dst-subnet <subnet holding ${f.servers[0] ?? "the destination"}>\n    next\nend\n` +
          (fromLocal
            ? `or give the unit's own traffic a source inside the selectors (SD-WAN health checks: \`config system sdwan\` / \`config members\` / \`edit <id>\` / \`set source <LAN address>\`, or an IP on the tunnel interface).`
            : f.snat !== null
              ? `or stop translating this traffic into the tunnel (disable NAT or change the IP pool on the policy).`
              : `or fix the source/destination so the traffic matches the existing selectors.`),
      };
    }
    case "ipsec-not-ready": {
      const tunnels = uniq(f.traces.map((x) => x.ipsec?.interface ?? null));
      const tunnel = list(tunnels) || "the tunnel";
      const stalled = t.check === "ipsec-no-tunnel";
      const later = stalled ? [] : laterSuccess(f);
      return {
        title: stalled
          ? `${head}: routed into IPsec ${tunnel}, but no tunnel took it (the trace stops there)`
          : `${head}: dropped: the IPsec SA of ${tunnel} was not ready`,
        explanation: join(
          stalled
            ? `Debug flow (${ids(f.traces)}) stops right after ${quote(t.decisive?.msg ?? "")}: the packet was routed into the IPsec interface but no tunnel instance (SA) took it — the tunnel, or the dial-up/ADVPN peer behind it, is down. Nothing after that line is a guess; the trace proves only where it stopped.`
            : `${said}: the tunnel had no usable phase-2 SA when the packet came, so the unit dropped it (the first packets start the negotiation).` +
                (later.length > 0 ? ` Later packets of the same traffic were encrypted and sent (${ids(later)}): the tunnel came up afterwards.` : ""),
          sniffer(true),
        ),
        remedy:
          `Check the tunnel: \`get vpn ipsec tunnel summary\`, \`diagnose vpn tunnel list name ${tunnels[0] ?? "<tunnel>"}\`, \`diagnose vpn ike gateway list name ${tunnels[0] ?? "<tunnel>"}\`; ` +
          `bring it up (\`diagnose vpn tunnel up <phase2> ${tunnels[0] ?? "<phase1>"}\`) and watch the negotiation with \`diagnose debug application ike -1\` / \`diagnose debug enable\`.`,
      };
    }
    case "trace-ended": {
      const last = t.steps[t.steps.length - 1];
      return {
        title: `${head}: ${ids(f.traces)} ended without a decisive line`,
        explanation: join(
          `Debug flow (${ids(f.traces)}) stops after ${quote(last?.msg ?? "")} with neither an allow nor a drop line: nothing is proven${t.note !== null ? `; ${t.note}` : ""}.`,
          sniffer(false),
        ),
        remedy: `Trace again with more detail: \`diagnose debug flow show iprope enable\`, \`diagnose debug flow show function-name enable\`, then \`diagnose debug flow trace start 20\`, and paste every line of the trace.`,
      };
    }
    case "offloaded": {
      const policy = f.traces.map((x) => x.policy ?? (x.session !== null ? sessionPolicy.get(`${x.blade ?? ""}|${x.session.id}`) : undefined)).find((p) => p !== undefined && p !== null) ?? null;
      return {
        title: `${head}: session offloaded to the NP processor: later packets are in neither output`,
        explanation: join(
          `Debug flow (${ids(f.traces)}) says "npu session installation succeeded": from then on the NP processor forwards this session's packets without the CPU, so neither the sniffer nor debug flow shows them. Their absence is not a drop.`,
          snifferSide(f, replaces, ctx, false),
        ),
        remedy:
          `To see every packet while troubleshooting, disable offloading on the policy${policy !== null ? ` (policy ${policy})` : ""} and re-enable it afterwards:\n` +
          `config firewall policy\n    edit ${policy ?? "<policy id>"}\n        set auto-asic-offload disable\n    next\nend`,
      };
    }
    default:
      return { title: `${head}: ${code}`, explanation: said, remedy: null };
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

function policyRemedy(f: Facts, ingress: string | null, egress: string | null): string {
  const svc = policyService(f.proto, f.port);
  return (
    `Add a firewall policy from ${ingress ?? "<ingress interface>"} to ${egress ?? "<egress interface>"} that accepts this traffic (above any deny policy for it), e.g.:\n` +
    `config firewall policy\n    edit 0\n        set name "${(ingress ?? "in").replace(/\s+/g, "")}-to-${(egress ?? "out").replace(/\s+/g, "")}"\n` +
    `        set srcintf "${ingress ?? "<ingress interface>"}"\n        set dstintf "${egress ?? "<egress interface>"}"\n` +
    `        set srcaddr "all"\n        set dstaddr "all"\n        set action accept\n        set schedule "always"\n        set service "${svc}"\n` +
    (f.snat !== null ? `        set nat enable\n` : "") +
    `    next\nend\n` +
    `If ${egress ?? "the egress interface"} is a member of an SD-WAN or other zone, the policy must name the zone, not the member. Narrow srcaddr/dstaddr to what should pass.`
  );
}

function policyService(proto: string | null, port: number | null): string {
  if (proto === "icmp") return "ALL_ICMP";
  if (proto === "icmp6") return "ALL_ICMP6";
  const known: Record<string, string> = { "tcp|22": "SSH", "tcp|80": "HTTP", "tcp|443": "HTTPS", "tcp|23": "TELNET", "udp|53": "DNS", "tcp|53": "DNS", "tcp|3389": "RDP", "udp|161": "SNMP", "udp|123": "NTP", "tcp|25": "SMTP" };
  return known[`${proto ?? ""}|${port ?? ""}`] ?? "ALL";
}

/** The `allowaccess` keyword of an admin service. */
function allowaccessName(proto: string | null, port: number | null): string | null {
  if (proto === "icmp") return "ping";
  const known: Record<string, string> = { "tcp|22": "ssh", "tcp|23": "telnet", "tcp|80": "http", "tcp|443": "https", "udp|161": "snmp", "udp|162": "snmp", "tcp|541": "fgfm" };
  return known[`${proto ?? ""}|${port ?? ""}`] ?? null;
}

// ---- flows and the report's trace list ---------------------------------------------------------------

/** The contract's flow `trace` field. */
export interface FlowTrace {
  policy: number | null;
  action: "allow" | "deny" | null;
  snat: NatFact | null;
  dnat: NatFact | null;
  route: { gateway: string; interface: string } | null;
  traceIds: number[];
  lines: number[];
}

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

/** One row of the report's `traces` list: every trace, matched or not, with the reason. */
export interface TraceSummary {
  source: string;
  blade: string | null;
  traceId: number;
  lines: number[];
  outcome: TraceOutcome;
  policy: number | null;
  /** input lines of the sniffer packets it matched (empty: unmatched) */
  packets: number[];
  key: TraceMatch["key"];
  reason: string;
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
