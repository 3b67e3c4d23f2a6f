/**
 * The sequence diagram of one verdict, as data: which exchanges to draw, on which lifelines, and
 * how each ended. Renderer-independent: the HTML/web SVG ladder (ladder.ts) and the markdown
 * Mermaid diagram (mermaid.ts) both draw this model, so they show the same exchanges.
 *
 * - **The exchanges the verdict is about first**: its evidence lines (the unanswered, refused or
 *   stranded requests), then other failing exchanges, then at most a few answered ones for
 *   contrast; whatever is left is counted ("3343 more requests not drawn: 3340 answered, 3
 *   without reply").
 * - **Bounded lifelines**: one per host (its ports in the label), clients on the left, servers on
 *   the right, at most MAX_LIFELINES; the rest collapse into "N other clients/servers". A reply
 *   that comes back to a translated address (NAT) is drawn to the client's lifeline. The unit is
 *   a lifeline of its own, with its interfaces, when hops matter (a request that never left it).
 * - **Each outcome drawn as itself**: answered, answered late, refused (and by whom), no reply
 *   within the window, reply could still come (the capture ended inside the window), never left
 *   the unit.
 *
 * Built from the report as it is: the exchange steps the analyzer sampled (the first requests of
 * the service) and the verdict's evidence lines, which are parsed back into packets when the
 * steps do not hold them. Pure.
 */
import type { ExchangeStep, Report, ServiceSummary, Verdict } from "../report.js";
import { parseCapture } from "../parse.js";
import type { PacketRecord } from "../records.js";
import { plural } from "../format/words.js";

export const MAX_LIFELINES = 6;
/** failing exchanges drawn at most */
export const MAX_FAILING = 8;
/** answered exchanges drawn for contrast at most (fewer when failing ones fill the diagram) */
export const MAX_CONTRAST = 3;
/** answered exchanges drawn when none of the sampled ones failed */
export const MAX_ANSWERED_ONLY = 4;
/** retransmissions drawn per exchange at most */
const MAX_RETRANSMISSIONS = 2;

export type Outcome = "answered" | "late" | "refused" | "unanswered" | "pending" | "never-left" | "open";

export type RowKind = "request" | "retransmission" | "reply" | "late-reply" | "refused" | "unanswered" | "pending" | "never-left" | "contrast";

export interface Lifeline {
  /** label lines: the host (or "3 other servers"), then its ports or interfaces */
  lines: string[];
  role: "client" | "unit" | "server" | "other";
  /** hosts folded into this lifeline (1 for a named host) */
  hosts: number;
}

export interface DiagramRow {
  kind: RowKind;
  /** lifeline indexes; equal for a note on one lifeline */
  from: number;
  to: number;
  /** input line of the packet (the request's line for notes about it); null for a separator */
  line: number | null;
  ts: number | null;
  /** what the packet was (`udp 64`, `syn 1234`) or what the note says */
  label: string;
  /** one of the verdict's evidence lines */
  evidence: boolean;
}

export interface Diagram {
  lifelines: Lifeline[];
  rows: DiagramRow[];
  /** the first drawn packet's time (row times count from it) */
  t0: number;
  /** exchanges of the service not drawn, and the sentence that says so (null when all are drawn) */
  notDrawn: { count: number; text: string } | null;
  /** how the reply window is named, e.g. "2 s" */
  window: string;
  /** failing exchanges drawn, answered exchanges drawn */
  failing: number;
  answered: number;
}

export interface DiagramOptions {
  /** the reply window in words (default "the reply window") */
  window?: string;
  /** the service the verdict is about, for the count of exchanges not drawn */
  service?: ServiceSummary;
}

interface Endpoint {
  host: string;
  port: string | null;
}

/** `10.0.0.1:53` → host and port; `[2001:db8::1]:53` → host and port; `10.0.0.1`, `fe80::1` → host. */
export function splitEndpoint(endpoint: string): Endpoint {
  const v6 = /^\[(.+)\]:(\d+)$/.exec(endpoint);
  if (v6) return { host: v6[1] ?? endpoint, port: v6[2] ?? null };
  const v4 = /^([^:]+):(\d+)$/.exec(endpoint);
  if (v4) return { host: v4[1] ?? endpoint, port: v4[2] ?? null };
  return { host: endpoint, port: null };
}

interface Packet {
  line: number;
  ts: number;
  from: Endpoint;
  to: Endpoint;
  label: string;
  iface: string | null;
  /** a TCP reset or an ICMP unreachable: a refusal, not a request */
  refusal?: boolean;
  /** the host an ICMP error quotes (`icmp: host 192.168.5.10 unreachable`): the request's destination */
  quoted?: string | null;
}

interface Exchange {
  request: Packet | null;
  retransmissions: Packet[];
  outcome: Outcome;
  /** the reply or refusal */
  answer: Packet | null;
  evidence: boolean;
}

/** The host an ICMP error's text quotes: `icmp: host 192.168.5.10 unreachable`, `icmp: 10.0.1.10 udp port 53 unreachable`. */
function quotedHost(summary: string): string | null {
  return /\bicmp6?: (?:(?:host|net) )?([0-9A-Fa-f.:]+) (?:(?:udp|tcp) port \d+ |protocol \d+ )?unreachable\b/.exec(summary)?.[1] ?? null;
}

function packetOfStep(s: ExchangeStep): Packet {
  return { line: s.line, ts: s.ts, from: splitEndpoint(s.from), to: splitEndpoint(s.to), label: s.label, iface: null, quoted: s.kind === "reject" ? quotedHost(s.label) : null };
}

function packetOfRecord(p: PacketRecord, line: number): Packet {
  // a reset, or an ICMP error (unreachable, time exceeded…): not an echo request or reply
  const refusal = (p.tcp?.flags.includes("rst") ?? false) || (p.icmp !== undefined && p.icmp.kind !== "echo-request" && p.icmp.kind !== "echo-reply");
  return {
    line,
    ts: p.ts,
    from: { host: p.src ?? "?", port: p.sport === null ? null : String(p.sport) },
    to: { host: p.dst ?? "?", port: p.dport === null ? null : String(p.dport) },
    label: p.summary,
    iface: p.iface,
    refusal,
    quoted: p.icmp?.unreachable?.host ?? quotedHost(p.summary),
  };
}

const RETRANSMISSION = / \(retransmission\)$/;
const LATE = /\(late\b/;

/** Group the sampled steps into exchanges: a request, its retransmissions, and how it ended. */
function exchangesOf(steps: readonly ExchangeStep[]): Exchange[] {
  const out: Exchange[] = [];
  const byLine = new Map<number, Exchange>();
  const open = (pred: (e: Exchange) => boolean) => out.find((e) => e.outcome === "open" && e.request !== null && pred(e));
  for (const s of steps) {
    const p = packetOfStep(s);
    switch (s.kind) {
      case "request": {
        if (RETRANSMISSION.test(s.label)) {
          // the request it repeats, answered or not yet
          const first = [...out].reverse().find((e) => e.request !== null && sameEnds(e.request, p));
          if (first !== undefined) {
            first.retransmissions.push({ ...p, label: s.label.replace(RETRANSMISSION, "") });
            byLine.set(s.line, first);
            break;
          }
        }
        const e: Exchange = { request: p, retransmissions: [], outcome: "open", answer: null, evidence: false };
        out.push(e);
        byLine.set(s.line, e);
        break;
      }
      case "reply": {
        // to the request's endpoint, or back to a translated client address (NAT): match on the server
        const e = open((x) => x.request !== null && sameEnds(x.request, { ...p, from: p.to, to: p.from })) ?? open((x) => x.request !== null && sameEndpoint(x.request.to, p.from));
        if (e !== undefined) {
          e.outcome = LATE.test(s.label) ? "late" : "answered";
          e.answer = p;
        }
        break;
      }
      case "reject": {
        const e = open((x) => x.request !== null && x.request.from.host === p.to.host && (p.to.port === null || x.request.from.port === p.to.port)) ?? open((x) => x.request !== null && x.request.from.host === p.to.host);
        if (e !== undefined) {
          e.outcome = "refused";
          e.answer = p;
        } else out.push({ request: null, retransmissions: [], outcome: "refused", answer: p, evidence: false });
        break;
      }
      case "missing": {
        const e = byLine.get(s.line);
        if (e !== undefined && e.outcome === "open") e.outcome = "unanswered";
        break;
      }
    }
  }
  return out;
}

function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a.host === b.host && a.port === b.port;
}

function sameEnds(a: Packet, b: Packet): boolean {
  return sameEndpoint(a.from, b.from) && sameEndpoint(a.to, b.to);
}

/** What the verdict's evidence lines are: the requests it is about, or the refusals. */
function evidenceRole(code: string): "request" | "refusal" | null {
  switch (code) {
    case "unmatched-unreachable":
      return "refusal";
    // the evidence is requests, and the refusals or late replies that answered them (told apart by the packet)
    case "rejected":
    case "refused-by-unit":
    case "host-unreachable":
    case "fragmentation-needed":
    case "ttl-exceeded":
    case "answered-late":
    case "unanswered":
    case "partially-answered":
    case "local-in-unanswered":
    case "not-forwarded":
    case "capture-ended":
    case "filter-excludes-replies":
    case "dhcp-no-offer":
    case "esp-one-way":
    case "one-way":
      return "request";
    default:
      return null;
  }
}

/** The outcome of an evidence request that the sampled steps do not hold. */
function evidenceOutcome(code: string): Outcome {
  if (code === "not-forwarded") return "never-left";
  if (code === "capture-ended") return "pending";
  return "unanswered";
}

/** Parse evidence texts (rendered packet lines) back into packets, keyed by their input line. */
function evidencePackets(v: Verdict): Map<number, Packet> {
  const out = new Map<number, Packet>();
  if (v.evidence.length === 0) return out;
  const parsed = parseCapture(v.evidence.map((e) => e.text).join("\n"));
  for (const p of parsed.packets) {
    const e = v.evidence[p.line - 1];
    if (e !== undefined) out.set(e.line, packetOfRecord(p, e.line));
  }
  return out;
}

function isFailing(o: Outcome): boolean {
  return o !== "answered" && o !== "open";
}

/** The diagram of verdict `v` from the sampled `steps` of its service; null when there is nothing to draw. */
export function buildDiagram(v: Verdict, steps: readonly ExchangeStep[] | undefined, options: DiagramOptions = {}): Diagram | null {
  const window = options.window ?? "the reply window";
  const exchanges = exchangesOf(steps ?? []);
  // exchanges still open at the end of the steps: no reply among the sampled steps
  for (const e of exchanges) if (e.outcome === "open" && v.code === "capture-ended") e.outcome = "pending";

  // the evidence lines: mark the exchanges that hold them, add those the steps do not hold
  const role = evidenceRole(v.code);
  if (role !== null) {
    const parsed = evidencePackets(v);
    for (const ev of v.evidence) {
      const held = exchanges.find((e) => e.request?.line === ev.line || e.answer?.line === ev.line || e.retransmissions.some((r) => r.line === ev.line));
      const p = parsed.get(ev.line);
      if (held !== undefined) {
        held.evidence = true;
        // the steps do not name interfaces: take them from the evidence line
        if (p !== undefined && held.request !== null && held.request.line === ev.line) held.request.iface = p.iface;
        const stepsSay = held.outcome === "answered" || held.outcome === "late" || held.outcome === "refused";
        if (!stepsSay && (held.outcome === "open" || (held.outcome === "unanswered" && v.code !== "unanswered" && v.code !== "partially-answered"))) held.outcome = role === "refusal" ? "refused" : evidenceOutcome(v.code);
        continue;
      }
      if (p === undefined) continue;
      if (role === "refusal" || p.refusal === true) {
        // a refusal among the evidence answers the evidence request it is addressed to
        const open = [...exchanges].reverse().filter((e) => e.evidence && e.answer === null && e.request !== null);
        // sent back to the client, or (an ICMP error from a router) quoting the request's destination
        const asked =
          open.find((e) => e.request !== null && e.request.from.host === p.to.host && (p.to.port === null || e.request.from.port === p.to.port)) ??
          open.find((e) => e.request !== null && p.quoted !== undefined && p.quoted !== null && e.request.to.host === p.quoted);
        if (asked !== undefined) {
          asked.outcome = "refused";
          asked.answer = p;
        } else exchanges.push({ request: null, retransmissions: [], outcome: "refused", answer: p, evidence: true });
      } else {
        // a packet back from an evidence request's server to its client is that request's (late) reply
        const answered = [...exchanges].reverse().find((e) => e.evidence && e.answer === null && e.request !== null && e.request.to.host === p.from.host && e.request.from.host === p.to.host && (p.to.port === null || e.request.from.port === p.to.port));
        if (answered !== undefined) {
          answered.outcome = v.code === "answered-late" ? "late" : "answered";
          answered.answer = p;
        } else exchanges.push({ request: p, retransmissions: [], outcome: evidenceOutcome(v.code), answer: null, evidence: true });
      }
    }
  }
  // a refusal from a router (an ICMP error quoting the destination) answers the request it quotes,
  // when the request was sent from another address (NAT) and nothing else answered it
  for (let i = 0; i < exchanges.length; i++) {
    const r = exchanges[i] as Exchange;
    const quoted = r.answer?.quoted;
    if (r.request !== null || r.outcome !== "refused" || r.answer === null || quoted === undefined || quoted === null) continue;
    const asked = exchanges.find((e) => e.request !== null && e.answer === null && (e.outcome === "unanswered" || e.outcome === "open") && e.request.to.host === quoted && e.request.line < (r.answer?.line ?? 0));
    if (asked === undefined) continue;
    asked.outcome = "refused";
    asked.answer = r.answer;
    asked.evidence = asked.evidence || r.evidence;
    exchanges.splice(i, 1);
    i--;
  }
  if (exchanges.length === 0) return null;

  // selection: evidence first, then other failing exchanges, then a few answered ones
  const failing = exchanges.filter((e) => e.evidence || isFailing(e.outcome));
  failing.sort((a, b) => Number(b.evidence) - Number(a.evidence) || startOf(a) - startOf(b));
  const drawnFailing = failing.slice(0, MAX_FAILING);
  // nothing failing among the sampled exchanges: a few answered ones show the traffic
  const contrastRoom = drawnFailing.length === 0 ? MAX_ANSWERED_ONLY : Math.max(1, Math.min(MAX_CONTRAST, MAX_FAILING + MAX_CONTRAST - drawnFailing.length - 2));
  const drawnAnswered = exchanges.filter((e) => !e.evidence && e.outcome === "answered" && e.request !== null).slice(0, contrastRoom);
  drawnFailing.sort((a, b) => startOf(a) - startOf(b));
  const drawn = [...drawnFailing, ...drawnAnswered];
  if (drawn.length === 0) return null;

  const lanes = laneModel(drawn);
  const rows: DiagramRow[] = [];
  const t0 = drawn.flatMap((e) => [e.request?.ts, e.answer?.ts].filter((t): t is number => t !== undefined)).reduce((min, t) => Math.min(min, t), Infinity);
  const push = (e: Exchange, withSeparator: boolean) => {
    const client = e.request !== null ? lanes.of(e.request.from.host, "client") : lanes.of(e.answer?.to.host ?? "?", "client");
    const server = e.request !== null ? lanes.of(e.request.to.host, "server") : lanes.of(e.answer?.from.host ?? "?", "server");
    if (withSeparator) rows.push({ kind: "contrast", from: 0, to: lanes.list.length - 1, line: null, ts: null, label: drawnFailing.length > 0 ? "answered, for contrast" : "answered", evidence: false });
    const unit = lanes.unit;
    if (e.request !== null) {
      const target = e.outcome === "never-left" && unit !== null ? unit : server;
      rows.push({ kind: "request", from: client, to: target, line: e.request.line, ts: e.request.ts, label: e.request.label, evidence: e.evidence });
      for (const r of e.retransmissions.slice(0, MAX_RETRANSMISSIONS)) rows.push({ kind: "retransmission", from: client, to: target, line: r.line, ts: r.ts, label: `${r.label} (retransmission)`, evidence: false });
      if (e.retransmissions.length > MAX_RETRANSMISSIONS) {
        rows.push({ kind: "retransmission", from: client, to: target, line: null, ts: null, label: `${e.retransmissions.length - MAX_RETRANSMISSIONS} more retransmissions`, evidence: false });
      }
    }
    const reqLine = e.request?.line ?? null;
    switch (e.outcome) {
      case "answered":
      case "late":
        if (e.answer !== null) rows.push({ kind: e.outcome === "late" ? "late-reply" : "reply", from: server, to: client, line: e.answer.line, ts: e.answer.ts, label: e.answer.label, evidence: false });
        break;
      case "refused": {
        if (e.answer === null) break;
        const by = e.answer.from.host;
        const serverHost = e.request?.to.host ?? null;
        const from = serverHost !== null && by === serverHost ? server : lanes.of(by, "other");
        const who = v.code === "refused-by-unit" ? "refused by the unit" : serverHost !== null && by === serverHost ? "refused by the server" : `refused by ${by}`;
        rows.push({ kind: "refused", from, to: client, line: e.answer.line, ts: e.answer.ts, label: `${e.answer.label} (${who})`, evidence: e.evidence });
        break;
      }
      case "unanswered":
        rows.push({ kind: "unanswered", from: server, to: client, line: reqLine, ts: null, label: `no reply within ${window}`, evidence: false });
        break;
      case "pending":
        rows.push({ kind: "pending", from: server, to: client, line: reqLine, ts: null, label: "reply could still come: the capture ended inside the reply window", evidence: false });
        break;
      case "never-left": {
        const at = unit ?? server;
        rows.push({ kind: "never-left", from: at, to: at, line: reqLine, ts: null, label: "never left the unit: no copy on an egress interface", evidence: false });
        break;
      }
      case "open":
        break;
    }
  };
  drawnFailing.forEach((e) => push(e, false));
  drawnAnswered.forEach((e, i) => push(e, i === 0 && drawnFailing.length > 0));

  // what is not drawn
  let notDrawn: Diagram["notDrawn"] = null;
  const svc = options.service;
  const drawnRequests = drawn.filter((e) => e.request !== null).length;
  if (svc !== undefined && svc.requests > drawnRequests) {
    const count = svc.requests - drawnRequests;
    const answered = Math.max(0, svc.answered - drawn.filter((e) => e.outcome === "answered" || e.outcome === "late").length);
    const silent = Math.max(0, svc.unanswered + svc.inconclusive - drawn.filter((e) => e.outcome === "unanswered" || e.outcome === "pending" || e.outcome === "never-left").length);
    const refused = Math.max(0, svc.rejected - drawn.filter((e) => e.outcome === "refused" && e.request !== null).length);
    const parts = [answered > 0 ? `${answered} answered` : "", silent > 0 ? `${silent} without reply` : "", refused > 0 ? `${refused} refused` : ""].filter((x) => x !== "");
    notDrawn = { count, text: `${plural(count, "more request", "more requests")} not drawn${parts.length > 0 ? `: ${parts.join(", ")}` : ""}` };
  } else if (svc === undefined && exchanges.length > drawn.length) {
    const count = exchanges.length - drawn.length;
    notDrawn = { count, text: `${plural(count, "more exchange", "more exchanges")} not drawn` };
  }
  return {
    lifelines: lanes.list,
    rows,
    t0: Number.isFinite(t0) ? t0 : 0,
    notDrawn,
    window,
    failing: drawnFailing.length,
    answered: drawnAnswered.length,
  };
}

function startOf(e: Exchange): number {
  return e.request?.line ?? e.answer?.line ?? 0;
}

interface LaneModel {
  list: Lifeline[];
  unit: number | null;
  /** the lifeline of a host (a collapsed one when the host was folded) */
  of(host: string, role: "client" | "server" | "other"): number;
}

/**
 * Lifelines for the drawn exchanges: clients (most requests first), the unit when a request never
 * left it, servers, then other hosts (refusers in between); beyond MAX_LIFELINES the least busy
 * hosts of a side fold into one "N other …" lifeline.
 */
function laneModel(drawn: Exchange[]): LaneModel {
  const clients = new Map<string, { n: number; ports: Set<string>; first: number }>();
  const servers = new Map<string, { n: number; ports: Set<string>; first: number }>();
  const others = new Map<string, { n: number; ports: Set<string>; first: number }>();
  const note = (m: typeof clients, ep: Endpoint, order: number) => {
    let x = m.get(ep.host);
    if (x === undefined) {
      x = { n: 0, ports: new Set(), first: order };
      m.set(ep.host, x);
    }
    x.n++;
    if (ep.port !== null) x.ports.add(ep.port);
  };
  let unitIfaces: Set<string> | null = null;
  drawn.forEach((e, i) => {
    if (e.request !== null) {
      note(clients, e.request.from, i);
      if (e.outcome !== "never-left") note(servers, e.request.to, i);
      else {
        unitIfaces ??= new Set();
        if (e.request.iface !== null) unitIfaces.add(e.request.iface);
        // the server the request was for still gets its lifeline: the request was meant for it
        note(servers, e.request.to, i);
      }
    }
    if (e.answer !== null) {
      if (e.outcome === "refused") {
        const byServer = e.request !== null && e.answer.from.host === e.request.to.host;
        if (e.request === null) {
          note(clients, e.answer.to, i);
          note(servers, e.answer.from, i);
        } else if (!byServer) note(others, e.answer.from, i);
      }
    }
  });
  for (const h of clients.keys()) {
    servers.delete(h);
    others.delete(h);
  }
  for (const h of servers.keys()) others.delete(h);

  const hasUnit = unitIfaces !== null;
  const budget = MAX_LIFELINES - (hasUnit ? 1 : 0);
  const rank = (m: typeof clients) => [...m.entries()].sort((a, b) => b[1].n - a[1].n || a[1].first - b[1].first);
  const cl = rank(clients);
  const sv = rank(servers);
  const ot = rank(others);
  // clients take at most two lifelines (one named + "N other clients" when there are more)
  const clientLanes = Math.min(cl.length, 2);
  const rightBudget = Math.max(1, budget - clientLanes);
  const serverLanes = Math.min(sv.length + ot.length, rightBudget);

  const list: Lifeline[] = [];
  const index = new Map<string, number>();
  const portLine = (ports: Set<string>): string[] => {
    const p = [...ports];
    if (p.length === 0) return [];
    if (p.length === 1) return [`port ${p[0]}`];
    return [`ports ${p.slice(0, 3).join(", ")}${p.length > 3 ? ` +${p.length - 3}` : ""}`];
  };
  const place = (entries: [string, { ports: Set<string> }][], lanes: number, role: Lifeline["role"], otherWord: string) => {
    if (entries.length === 0 || lanes <= 0) return;
    const named = entries.length <= lanes ? entries : entries.slice(0, lanes - 1);
    for (const [host, x] of named) {
      index.set(host, list.length);
      list.push({ lines: [host, ...portLine(x.ports)], role, hosts: 1 });
    }
    const folded = entries.slice(named.length);
    if (folded.length > 0) {
      const at = list.length;
      for (const [host] of folded) index.set(host, at);
      list.push({ lines: [`${folded.length} other ${otherWord}`, folded.slice(0, 2).map(([h]) => h).join(", ") + (folded.length > 2 ? ", …" : "")], role, hosts: folded.length });
    }
  };
  place(cl, clientLanes, "client", "clients");
  let unit: number | null = null;
  if (hasUnit) {
    unit = list.length;
    const ifaces = [...(unitIfaces as Set<string> | null ?? new Set<string>())];
    list.push({ lines: ["the unit", ifaces.length > 0 ? `in on ${ifaces.slice(0, 3).join(", ")}${ifaces.length > 3 ? ` +${ifaces.length - 3}` : ""}` : "arrived, not forwarded"], role: "unit", hosts: 1 });
  }
  // servers first, then the other hosts (refusers), sharing the right-hand budget
  const right = [...sv.map(([h, x]) => [h, x, "server"] as const), ...ot.map(([h, x]) => [h, x, "other"] as const)];
  const namedRight = right.length <= serverLanes ? right : right.slice(0, serverLanes - 1);
  for (const [host, x, role] of namedRight) {
    index.set(host, list.length);
    list.push({ lines: [host, ...portLine(x.ports)], role, hosts: 1 });
  }
  const foldedRight = right.slice(namedRight.length);
  if (foldedRight.length > 0) {
    const at = list.length;
    for (const [host] of foldedRight) index.set(host, at);
    list.push({ lines: [`${foldedRight.length} other hosts`, foldedRight.slice(0, 2).map(([h]) => h).join(", ") + (foldedRight.length > 2 ? ", …" : "")], role: "server", hosts: foldedRight.length });
  }
  return {
    list,
    unit,
    of(host: string, role: "client" | "server" | "other"): number {
      const at = index.get(host);
      if (at !== undefined) return at;
      // a host not placed (a NAT address): the first lifeline of its side
      const first = list.findIndex((l) => (role === "client" ? l.role === "client" : l.role === "server" || l.role === "other"));
      return first >= 0 ? first : 0;
    },
  };
}

/** Seconds since the first drawn packet: `+0.000 s`, `+5.635 ms` under a second, `+1.960 s` above. */
export function relativeTime(seconds: number): string {
  const d = Math.max(0, seconds);
  if (d > 0 && d < 1) return `+${(d * 1000).toFixed(3)} ms`;
  return `+${d.toFixed(3)} s`;
}

/** The service summary a verdict is about (same input, capture, protocol and port). */
export function serviceOfVerdict(services: readonly ServiceSummary[], v: Verdict): ServiceSummary | undefined {
  if (v.capture === null || v.proto === null) return undefined;
  return services.find((s) => s.source === v.source && s.capture === v.capture && s.proto === v.proto && s.port === v.port);
}

/** The reply window of the verdict ("2 s"), else "the reply window". */
export function windowOfVerdict(v: Verdict): string {
  // findings carry the window as data (args.window, seconds); older reports only say it in words
  const w = (v as { args?: { window?: unknown } }).args?.window;
  if (typeof w === "number" && Number.isFinite(w)) return `${w} s`;
  const m = /\bwithin (\d+(?:\.\d+)? m?s)\b/.exec(v.explanation);
  return m?.[1] ?? "the reply window";
}

/** The diagram of verdict number `index` of `report` (problem verdicts with exchanges only). */
export function diagramOfVerdict(report: Pick<Report, "verdicts" | "services" | "exchanges">, index: number): Diagram | null {
  const v = report.verdicts[index];
  if (v === undefined || v.severity === "ok") return null;
  const steps = report.exchanges?.find((e) => e.verdict === index)?.steps;
  const service = serviceOfVerdict(report.services, v);
  const options: DiagramOptions = { window: windowOfVerdict(v) };
  if (service !== undefined) options.service = service;
  if (steps === undefined && evidenceRole(v.code) === null) return null;
  return buildDiagram(v, steps, options);
}

/** A caption that says what is drawn: the failing exchanges, the answered ones for contrast, and what is left out. */
export function diagramCaption(service: string, d: Diagram): string {
  const parts: string[] = [];
  if (d.failing > 0) parts.push(plural(d.failing, "failing exchange", "failing exchanges"));
  if (d.answered > 0) parts.push(`${plural(d.answered, "answered exchange", "answered exchanges")}${d.failing > 0 ? " for contrast" : ""}`);
  return `${service}: ${parts.join(", ")}${d.notDrawn !== null ? `; ${d.notDrawn.text}` : ""}. Time from the first drawn packet, input line beside it.`;
}

