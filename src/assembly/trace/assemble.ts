/**
 * Trace assembly (../shared/spec/debug-flow.md §3.1, §3.3): debug-flow records grouped into one
 * trace per packet and each trace reduced to what happened to the packet.
 *
 * Grouping is by (blade, trace_id), never by adjacency: lines of one trace may be separated by
 * other traces and prose (S01: trace 89's `SNAT` line after a heading; S18: two blades
 * interleaved). A `received a packet` line for a key that already has a trace starts a new one
 * (trace_id counters repeat across runs, S16) — except when it repeats the previous packet line
 * verbatim and nothing else was printed yet (the same lines pasted twice, S18).
 *
 * Traces are delivered at `end()`: a trace is only complete once the input is (late lines), and a
 * later trace can still prove an earlier one accepted (its session found existing).
 */
import { TraceLineJoiner, type TraceLineShape, type TraceRecordShape } from "../../../grammars/debugflow/index.js";
import type { TcpFlag } from "../../records.js";
import type { Evidence } from "../../contract/report.js";
import { classifyMessage, type TraceEvent } from "./messages.js";
import { DROP_OUTCOMES, type TraceCheck, type TraceIpsec, type TraceOutcome, type TracePacket, type TraceProto, type TraceRecord } from "../../contract/trace-record.js";

/** One physical input line. */
export interface TraceInputLine {
  no: number;
  text: string;
}

interface Entry {
  record: TraceRecordShape;
  lines: number[];
  event: TraceEvent;
}

interface Group {
  blade: string | null;
  traceId: number;
  entries: Entry[];
  /** the packet line's message, to recognise the same packet pasted twice */
  packetMsg: string | null;
}

/** Quoted lines per trace verdict at most. */
const MAX_EVIDENCE = 6;

export class TraceAssembler {
  readonly source: string;
  private readonly joiner = new TraceLineJoiner();
  private readonly open = new Map<string, Group>();
  private readonly done: Group[] = [];
  /** the text of every line that held a record, for evidence */
  private readonly texts = new Map<number, string>();

  constructor(source: string) {
    this.source = source;
  }

  /**
   * Feed one input line (raw or cleaned text; blank lines may be fed or skipped). True when the
   * line is debug-flow output, to be counted in the `trace` class; false when the sniffer grammar
   * should read it.
   */
  line(line: TraceInputLine): boolean {
    const shape = this.joiner.push(line);
    if (shape === null) return false;
    this.push(line, shape);
    return shape.kind === "trace";
  }

  /** Feed a line with the shape `TraceLineJoiner` (or `classifyTraceLine`) gave it. */
  push(line: TraceInputLine, shape: TraceLineShape): void {
    if (shape.kind === "trace") this.texts.set(line.no, line.text.trim());
    for (const record of shape.records) this.add(record, record.lines.length > 0 ? record.lines : [line.no]);
  }

  /** A record is waiting for the rest of its message: the next line may continue it. */
  get joining(): boolean {
    return this.joiner.open;
  }

  /** All traces, in the order of their first line. */
  end(): TraceRecord[] {
    for (const r of this.joiner.end()) this.add(r, r.lines);
    const groups = [...this.done, ...this.open.values()];
    this.open.clear();
    this.done.length = 0;
    const traces = groups.map((g) => this.reduce(g)).sort((a, b) => (a.lines[0] ?? 0) - (b.lines[0] ?? 0));
    provenAccepted(traces);
    return traces;
  }

  private add(record: TraceRecordShape, lines: number[]): void {
    const key = `${record.blade ?? ""}|${record.traceId}`;
    const event = classifyMessage(record.msg);
    const entry: Entry = { record, lines, event };
    let group = this.open.get(key);
    if (event.kind === "packet") {
      if (group !== undefined && !(group.entries.every((e) => e.event.kind === "packet") && group.packetMsg === record.msg)) {
        this.done.push(group);
        group = undefined;
      }
      if (group === undefined) {
        group = { blade: record.blade, traceId: record.traceId, entries: [], packetMsg: record.msg };
        this.open.set(key, group);
      }
    } else if (group === undefined) {
      // the paste starts inside a trace: its packet line is missing
      group = { blade: record.blade, traceId: record.traceId, entries: [], packetMsg: null };
      this.open.set(key, group);
    }
    group.entries.push(entry);
  }

  private text(line: number): string {
    return this.texts.get(line) ?? "";
  }

  private reduce(g: Group): TraceRecord {
    const lines = [...new Set(g.entries.flatMap((e) => e.lines))].sort((a, b) => a - b);
    const first = g.entries[0];
    const packetEntry = g.entries.find((e) => e.event.kind === "packet" && e.record.packet !== null);
    const packet = packetEntry?.record.packet ? tracePacket(packetEntry.record.packet) : null;
    const trace: TraceRecord = {
      type: "trace",
      source: this.source,
      blade: g.blade,
      traceId: g.traceId,
      lines,
      time: g.entries.find((e) => e.record.timestamp !== null)?.record.timestamp ?? null,
      logId: first?.record.logId ?? null,
      packet,
      session: null,
      policy: null,
      action: null,
      check: null,
      snat: null,
      dnat: null,
      vip: null,
      route: null,
      egress: [],
      ipsec: null,
      offload: false,
      outcome: "trace-ended",
      decisive: null,
      note: null,
      steps: [],
      evidence: [],
    };
    const egress = new Set<string>();
    let decisive: { outcome: TraceOutcome; entry: Entry } | null = null;
    let weakAllow: Entry | null = null;
    let snatPlan: { ip: string; port: number | null } | null = null;
    let ipsecEntered: Entry | null = null;
    let ipsecProgress = false;
    let offloadFrom: string | null = null;
    let offloadEntry: Entry | null = null;
    const key: Entry[] = [];
    const decide = (outcome: TraceOutcome, e: Entry, check: TraceCheck | null, policy: number | null = null): void => {
      decisive = { outcome, entry: e };
      trace.action = DROP_OUTCOMES.has(outcome) ? "deny" : "allow";
      trace.check = check;
      if (policy !== null) trace.policy = policy;
      else if (outcome === "policy-denied" || outcome === "local-in-denied") trace.policy = null;
    };
    for (const e of g.entries) {
      const ev = e.event;
      trace.steps.push({ line: e.lines[0] ?? 0, func: e.record.func, msg: e.record.msg, kind: ev.kind });
      switch (ev.kind) {
        case "packet":
          break;
        case "session-new":
          trace.session ??= { id: ev.id, state: "new", direction: null };
          break;
        case "session-existing":
          trace.session ??= { id: ev.id, state: "existing", direction: ev.direction };
          weakAllow = e;
          break;
        case "fast-path":
        case "session-confirmed":
        case "ips":
          weakAllow = e;
          break;
        case "route": {
          const local = routeIsLocal(ev.flag, ev.iface, packet?.vdom ?? null);
          trace.route = { gateway: ev.gateway, interface: ev.iface, local };
          if (!local) egress.add(ev.iface);
          key.push(e);
          break;
        }
        case "send-out":
          egress.add(ev.iface);
          weakAllow = e;
          if (ipsecEntered !== null) ipsecProgress = true;
          break;
        case "allowed":
          decide("allowed", e, null, ev.policy);
          break;
        case "denied":
          decide("policy-denied", e, ev.check, ev.policy);
          break;
        case "local-in-denied":
          decide("local-in-denied", e, "local-in-policy", ev.policy);
          break;
        case "rpf-drop":
          decide("reverse-path-drop", e, "reverse-path");
          break;
        case "no-session":
          decide("no-session-matched", e, "no-session");
          break;
        case "session-block":
          decide("dropped", e, "session-block");
          break;
        case "drop":
          decide("dropped", e, "other");
          break;
        case "ipsec-selector-drop":
          decide("ipsec-selector-mismatch", e, "ipsec-selector");
          break;
        case "ipsec-sa-not-ready":
          decide("ipsec-not-ready", e, "ipsec-sa");
          break;
        case "snat-plan":
          snatPlan = { ip: ev.ip, port: ev.port };
          break;
        case "dnat-plan":
          snatPlan ??= { ip: ev.ip, port: ev.port };
          break;
        case "snat":
          trace.snat = { from: ev.from, to: ev.to };
          key.push(e);
          break;
        case "dnat":
          trace.dnat = { from: ev.from, to: ev.to };
          key.push(e);
          break;
        case "vip":
          trace.vip = { mapped: ev.mapped, outdev: ev.outdev };
          key.push(e);
          break;
        case "ipsec-enter":
          ipsec(trace).interface = ev.iface;
          ipsec(trace).policyMode = ev.policyMode;
          if (!ev.policyMode) egress.add(ev.iface);
          ipsecEntered = e;
          ipsecProgress = false;
          key.push(e);
          break;
        case "ipsec-output":
          ipsec(trace).tunnel = ev.tunnel;
          egress.add(ev.tunnel);
          ipsecProgress = true;
          break;
        case "ipsec-encrypt":
          ipsec(trace).encrypted = true;
          if (ev.peer !== null) ipsec(trace).peer = ev.peer;
          ipsecProgress = true;
          weakAllow = e;
          break;
        case "ipsec-send":
          ipsec(trace).peer = ev.peer;
          ipsec(trace).via = ev.via;
          ipsecProgress = true;
          weakAllow = e;
          break;
        case "offload-try":
          offloadFrom ??= ev.from;
          egress.add(ev.to);
          break;
        case "offload-installed":
          trace.offload = true;
          offloadEntry ??= e;
          break;
        case "check-policy":
          egress.add(ev.to);
          break;
        case "policy-route":
        case "nat-disabled":
        case "iprope":
        case "info":
          break;
      }
    }
    if (packet !== null) {
      if (packet.iface === null && !packet.local && offloadFrom !== null) packet.iface = offloadFrom;
      if (packet.tunnel !== null) ipsec(trace).fromTunnel = packet.tunnel;
    }
    if (trace.snat === null && snatPlan !== null && trace.action === "allow" && packet?.src != null) {
      // `find SNAT: IP-x, port-y` and `Allowed by Policy-N: SNAT` without the SNAT line
      const allowed = (decisive as { entry: Entry } | null)?.entry.event;
      if (allowed?.kind === "allowed" && /SNAT/i.test(allowed.how)) {
        trace.snat = { from: packet.src, to: snatPlan.port === null ? snatPlan.ip : `${snatPlan.ip}:${snatPlan.port}` };
      }
    }
    const d = decisive as { outcome: TraceOutcome; entry: Entry } | null;
    let outcome: TraceOutcome = d?.outcome ?? (weakAllow !== null ? "allowed" : "trace-ended");
    if (d !== null) trace.decisive = { line: d.entry.lines[0] ?? 0, msg: d.entry.record.msg };
    else if (weakAllow !== null) {
      trace.action = "allow";
      trace.note = `forwarded without a policy line: ${describeWeak((weakAllow as Entry).event)}`;
    }
    const entered = ipsecEntered as Entry | null;
    if (entered !== null && !ipsecProgress && !DROP_OUTCOMES.has(outcome)) {
      // S16: the trace stops right after entering the IPsec interface: no tunnel instance took it
      outcome = "ipsec-not-ready";
      trace.check = "ipsec-no-tunnel";
      trace.action = "deny";
      trace.decisive = { line: entered.lines[0] ?? 0, msg: entered.record.msg };
      trace.note = "the trace stops right after entering the IPsec interface: no tunnel took the packet";
    }
    if (outcome === "trace-ended") trace.note = endedNote(g, trace);
    if (trace.offload && !DROP_OUTCOMES.has(outcome)) outcome = "offloaded";
    trace.outcome = outcome;
    trace.egress = [...egress];
    trace.evidence = this.evidenceOf(packetEntry ?? null, key, d?.entry ?? (outcome === "ipsec-not-ready" ? entered : (offloadEntry as Entry | null)), g);
    return trace;
  }

  private evidenceOf(packetEntry: Entry | null, key: Entry[], decisive: Entry | null, g: Group): Evidence[] {
    const wanted: number[] = [];
    if (packetEntry !== null) for (const l of packetEntry.lines) wanted.push(l);
    for (const e of key) wanted.push(e.lines[0] ?? 0);
    if (decisive !== null) for (const l of decisive.lines) wanted.push(l);
    else {
      const last = g.entries[g.entries.length - 1];
      if (last !== undefined) for (const l of last.lines) wanted.push(l);
    }
    const unique = [...new Set(wanted.filter((l) => l > 0))].sort((a, b) => a - b);
    const kept = unique.length <= MAX_EVIDENCE ? unique : [...unique.slice(0, MAX_EVIDENCE - 1), unique[unique.length - 1] as number];
    return kept.map((line) => ({ line, text: this.text(line) }));
  }
}

function ipsec(trace: TraceRecord): TraceIpsec {
  trace.ipsec ??= { interface: null, tunnel: null, peer: null, via: null, encrypted: false, fromTunnel: null, policyMode: false };
  return trace.ipsec;
}

/** `flag=84000000`, `flag=80000000`: the 0x80000000 bit marks a local route; without a flag, `via root` / `via <vdom>`. */
function routeIsLocal(flag: string | null, iface: string, vdom: string | null): boolean {
  if (flag !== null && flag.length === 8) return (parseInt(flag.slice(0, 1), 16) & 8) !== 0;
  return iface === "root" || (vdom !== null && iface === vdom);
}

function describeWeak(ev: TraceEvent): string {
  switch (ev.kind) {
    case "session-existing":
      return `the packet belongs to an existing session (${ev.direction} direction)`;
    case "fast-path":
      return "the packet took the session fast path";
    case "send-out":
      return `the packet was sent out via ${ev.iface}`;
    case "session-confirmed":
      return "the session was confirmed";
    case "ips":
      return "the packet was handed to the IPS engine";
    case "ipsec-encrypt":
    case "ipsec-send":
      return "the packet was encrypted into the tunnel";
    default:
      return ev.kind;
  }
}

function endedNote(g: Group, trace: TraceRecord): string {
  const last = g.entries[g.entries.length - 1];
  if (last !== undefined && last.event.kind === "packet") return "nothing follows its packet line: the paste may be cut there";
  if (trace.route?.local === true) {
    return "for traffic to the unit itself, a trace that stops after the route lookup is how a refusal by the administrators' trusted hosts (or a service that is not listening) can look";
  }
  return "the paste may be cut, or the drop was silent";
}

const TCP_FLAG_LETTERS: Record<string, TcpFlag> = { S: "syn", F: "fin", R: "rst", P: "psh", ".": "ack", U: "urg", E: "ece", W: "cwr" };

function protoName(n: number | null): TraceProto | null {
  switch (n) {
    case null:
      return null;
    case 6:
      return "tcp";
    case 17:
      return "udp";
    case 1:
      return "icmp";
    case 58:
      return "icmp6";
    default:
      return "ip";
  }
}

function tracePacket(p: NonNullable<TraceRecordShape["packet"]>): TracePacket {
  const proto = protoName(p.proto);
  const out: TracePacket = {
    proto,
    ipProto: p.proto,
    src: p.src,
    sport: p.sport,
    dst: p.dst,
    dport: p.dport,
    iface: p.iface,
    local: p.local,
    vdom: p.vdom,
    tunnel: p.tunnel === null || p.tunnel === "0.0.0.0" || p.tunnel === "0" ? null : p.tunnel,
    partial: p.partial,
    truncated: p.truncated,
  };
  if (p.tcp !== null) {
    const flags: TcpFlag[] = [];
    for (const ch of p.tcp.flags) {
      const f = TCP_FLAG_LETTERS[ch];
      if (f !== undefined && !flags.includes(f)) flags.push(f);
    }
    out.tcp = { flags, seq: p.tcp.seq, ack: p.tcp.ack };
  }
  if (proto === "icmp" || proto === "icmp6") {
    const i = p.icmp;
    // old builds print no `type=... id=...`: the "ports" carry them (sport = id, dport = type or type<<8|code)
    const dport = p.dport;
    const type = i?.type ?? (dport === null ? null : dport > 255 ? dport >> 8 : dport);
    const code = i?.code ?? (dport === null ? null : dport > 255 ? dport & 255 : null);
    out.icmp = { type, code, id: i?.id ?? p.sport, seq: i?.seq ?? null };
  }
  return out;
}

/**
 * A trace that ended without a verdict but whose new session a later trace found existing was
 * accepted (S02: trace 1 allocates session 00014576, trace 2 finds it).
 */
function provenAccepted(traces: TraceRecord[]): void {
  const foundBy = new Map<string, TraceRecord>();
  for (const t of traces) {
    if (t.session?.state !== "existing") continue;
    const k = `${t.blade ?? ""}|${t.session.id}`;
    if (!foundBy.has(k)) foundBy.set(k, t);
  }
  for (const t of traces) {
    if (t.outcome !== "trace-ended" || t.session?.state !== "new") continue;
    const later = foundBy.get(`${t.blade ?? ""}|${t.session.id}`);
    if (later === undefined || (later.lines[0] ?? 0) < (t.lines[0] ?? 0)) continue;
    t.outcome = t.offload ? "offloaded" : "allowed";
    t.action = "allow";
    t.note = `accepted: its session ${t.session.id} was found by trace ${later.traceId}`;
  }
}
