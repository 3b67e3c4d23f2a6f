/**
 * Matching traces to sniffer packets (../shared/spec/debug-flow.md §3.2). Pure: the same traces and
 * packets give the same matches whatever their array order.
 *
 * The sniffer's copies of one packet (in on one interface, out on others, possibly translated)
 * are grouped into segments: an `in` copy with the `out` copies that follow it (CopyTracker's
 * chains), or an `out` copy with no `in` (the unit's own packets, captures on one interface).
 * A trace and a segment are compatible when nothing contradicts: same protocol, the trace's
 * tuple on the ingress copy (or its NAT-translated tuple on an egress-only copy), the ingress and
 * egress interfaces the trace names, the same TCP flags/seq/ack and ICMP type/id/seq where both
 * sides show them, and no egress copy for a packet the trace drops (an IPsec drop excepted: the
 * sniffer prints the copy on the tunnel interface before the selector check, S04).
 *
 * Among compatible pairs the strongest key decides, in passes: exact packet identifiers first
 * (TCP seq/ack, ICMP id+seq from the hex dump: they tell packets of one tuple apart), then the
 * spec's tuple keys (tuple + interface, NAT-translated tuple), then the tuple alone; within a
 * pass traces take segments in input order, so same-tuple traces pair in order (key `order` when
 * more than one trace or packet shared the choice). Different attempts never match: another
 * source port, another SYN sequence number or another ICMP id/seq is a contradiction.
 */
import type { PacketRecord } from "../records.js";
import { COPY_WINDOW, CopyTracker, type CopyChain } from "./copies.js";
import { renderHeader } from "../format/header.js";
import { splitLastColon } from "../../grammars/debugflow/index.js";
import { DROP_OUTCOMES, type TracePacket, type TraceRecord } from "../contract/trace-record.js";

import type { MatchKey } from "../contract/report.js";
export type { MatchKey } from "../contract/report.js";

/** Passes, strongest first. */
export const MATCH_KEYS: readonly MatchKey[] = ["tcp-seq", "icmp-id-seq", "tuple-iface", "nat-tuple", "order"];

export interface TraceMatch {
  trace: TraceRecord;
  /** the sniffer's copies of the traced packet, in input order (empty: unmatched) */
  packets: PacketRecord[];
  /** the copy arriving on the ingress interface */
  ingress: PacketRecord | null;
  /** the copies leaving the unit */
  egress: PacketRecord[];
  /** the key the match rests on; null when unmatched */
  key: MatchKey | null;
  /** why it matched, or why nothing matched */
  reason: string;
}

interface Tuple {
  src: string;
  sport: number | null;
  dst: string;
  dport: number | null;
}

interface Segment {
  index: number;
  ingress: PacketRecord | null;
  egress: PacketRecord[];
  /** a copy without interface or direction (verbose 1-3, `--`) */
  loose: PacketRecord | null;
}

interface View {
  trace: TraceRecord;
  proto: string;
  orig: Tuple;
  xlat: Tuple;
  nat: boolean;
  partial: boolean;
  ingressIf: string | null;
  egressIfs: Set<string>;
  dropped: boolean;
  ipsecDrop: boolean;
  icmpKind: "echo-request" | "echo-reply" | "other" | null;
  icmpId: number | null;
  xlatId: number | null;
  icmpSeq: number | null;
}

interface Candidate {
  seg: Segment;
  level: MatchKey;
  detail: string;
}

const IP_PROTOS = new Set(["tcp", "udp", "icmp", "icmp6", "ip"]);

/** Interface names compared without blanks (`from wan 1.` is a KB typo for wan1). */
function norm(iface: string | null): string | null {
  return iface === null ? null : iface.replace(/\s+/g, "");
}

function tupleText(t: Tuple, proto: string): string {
  const ep = (a: string, p: number | null) => (p === null || proto === "icmp" || proto === "icmp6" ? a : a.includes(":") ? `[${a}]:${p}` : `${a}:${p}`);
  return `${ep(t.src, t.sport)} -> ${ep(t.dst, t.dport)}`;
}

function view(trace: TraceRecord): View | null {
  const p = trace.packet;
  if (p === null || p.proto === null || p.src === null || p.dst === null) return null;
  const proto = p.proto;
  const withPorts = proto === "tcp" || proto === "udp";
  const orig: Tuple = { src: p.src, sport: withPorts ? p.sport : null, dst: p.dst, dport: withPorts ? p.dport : null };
  const xlat: Tuple = { ...orig };
  let xlatId = p.icmp?.id ?? null;
  if (trace.snat !== null) {
    const [addr, port] = splitLastColon(trace.snat.to);
    xlat.src = addr;
    if (withPorts && port !== null) xlat.sport = port;
    if (!withPorts && port !== null) xlatId = port;
  }
  if (trace.dnat !== null) {
    const [addr, port] = splitLastColon(trace.dnat.to);
    xlat.dst = addr;
    if (withPorts && port !== null) xlat.dport = port;
    if (!withPorts && port !== null && port !== 0) xlatId = port;
  }
  const type = p.icmp?.type ?? null;
  const icmpKind = proto !== "icmp" && proto !== "icmp6" ? null : type === 8 || type === 128 ? "echo-request" : type === 0 || type === 129 ? "echo-reply" : type === null ? null : "other";
  const ipsecIfs = [trace.ipsec?.interface, trace.ipsec?.tunnel].filter((x): x is string => typeof x === "string");
  return {
    trace,
    proto,
    orig,
    xlat,
    nat: trace.snat !== null || trace.dnat !== null,
    partial: p.partial,
    ingressIf: p.local ? null : norm(p.iface),
    egressIfs: new Set([...trace.egress, ...ipsecIfs].map((i) => norm(i) as string)),
    dropped: DROP_OUTCOMES.has(trace.outcome),
    ipsecDrop: trace.outcome === "ipsec-selector-mismatch" || trace.outcome === "ipsec-not-ready",
    icmpKind,
    icmpId: p.icmp?.id ?? null,
    xlatId,
    icmpSeq: p.icmp?.seq ?? null,
  };
}

/** The address fits: equal, or — for a tuple cut in the paste — a prefix. */
function addrFits(have: string | null, want: string, partial: boolean): boolean {
  if (have === null) return false;
  return have === want || (partial && want.length > 0 && have.startsWith(want));
}

function tupleFits(p: PacketRecord, t: Tuple, partial: boolean, withPorts: boolean): boolean {
  if (!addrFits(p.src, t.src, partial) || !addrFits(p.dst, t.dst, partial)) return false;
  if (!withPorts) return true;
  if (t.sport !== null && p.sport !== t.sport) return false;
  return t.dport === null || p.dport === t.dport;
}

/** The sniffer's copies grouped by packet (see the module comment). */
function buildSegments(packets: readonly PacketRecord[]): Segment[] {
  const byCapture = new Map<number, PacketRecord[]>();
  for (const p of packets) {
    if (!IP_PROTOS.has(p.proto) || p.src === null || p.dst === null) continue;
    const list = byCapture.get(p.capture);
    if (list === undefined) byCapture.set(p.capture, [p]);
    else list.push(p);
  }
  const segments: Segment[] = [];
  for (const capture of [...byCapture.keys()].sort((a, b) => a - b)) {
    const list = (byCapture.get(capture) as PacketRecord[]).slice().sort((a, b) => a.line - b.line);
    const tracker = new CopyTracker();
    const chains = new Map<CopyChain, PacketRecord[]>();
    const order: CopyChain[] = [];
    for (const p of list) {
      const { chain } = tracker.observe(p);
      const copies = chains.get(chain);
      if (copies === undefined) {
        chains.set(chain, [p]);
        order.push(chain);
      } else copies.push(p);
    }
    for (const chain of order) {
      let cur: Segment | null = null;
      for (const c of chains.get(chain) as PacketRecord[]) {
        if (c.dir === "in") {
          cur = { index: 0, ingress: c, egress: [], loose: null };
          segments.push(cur);
        } else if (c.dir === "out") {
          if (cur === null) {
            cur = { index: 0, ingress: null, egress: [c], loose: null };
            segments.push(cur);
          } else cur.egress.push(c);
        } else {
          segments.push({ index: 0, ingress: null, egress: [], loose: c });
          cur = null;
        }
      }
    }
  }
  segments.sort((a, b) => firstLine(a) - firstLine(b));
  const merged = mergeStrayEgress(segments);
  merged.forEach((s, i) => (s.index = i));
  return merged;
}

/**
 * An `out` copy the chains left alone (its summary differs, e.g. an author's `#` note after it,
 * S08) right after an `in` copy with no egress yet, within the copy window and with the same
 * source or destination, is that packet's egress copy.
 */
function mergeStrayEgress(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const lone = s.ingress === null && s.loose === null ? s.egress[0] : undefined;
    if (lone !== undefined && s.egress.length === 1) {
      const host = out.findLast(
        (h) =>
          h.ingress !== null &&
          h.egress.length === 0 &&
          h.ingress.capture === lone.capture &&
          h.ingress.proto === lone.proto &&
          lone.ts - h.ingress.ts >= 0 &&
          lone.ts - h.ingress.ts <= COPY_WINDOW &&
          (h.ingress.src === lone.src || h.ingress.dst === lone.dst),
      );
      if (host !== undefined && host.ingress?.iface !== lone.iface) {
        host.egress.push(lone);
        continue;
      }
    }
    out.push(s);
  }
  return out;
}

function firstLine(s: Segment): number {
  return (s.ingress ?? s.loose ?? s.egress[0])?.line ?? 0;
}

function copies(s: Segment): PacketRecord[] {
  const out: PacketRecord[] = [];
  if (s.ingress !== null) out.push(s.ingress);
  if (s.loose !== null) out.push(s.loose);
  for (const e of s.egress) out.push(e);
  return out;
}

/** ICMP echo id and sequence from the hex dump (header bytes 4-7) [inferred from the ICMP header layout]. */
export function icmpIdSeqFromBytes(p: PacketRecord): { id: number; seq: number } | null {
  const hex = p.bytes;
  if (hex === null || (p.proto !== "icmp" && p.proto !== "icmp6")) return null;
  const byte = (i: number): number => parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  const total = hex.length / 2;
  for (const off of [0, 14, 16, 18]) {
    if (off + 28 > total) continue;
    const v = byte(off) >> 4;
    let icmp: number;
    if (v === 4 && p.proto === "icmp") {
      const ihl = (byte(off) & 15) * 4;
      if (ihl < 20 || byte(off + 9) !== 1) continue;
      const src = [12, 13, 14, 15].map((i) => byte(off + i)).join(".");
      if (p.src !== null && p.src !== src) continue;
      icmp = off + ihl;
    } else if (v === 6 && p.proto === "icmp6") {
      if (byte(off + 6) !== 58) continue;
      icmp = off + 40;
    } else continue;
    if (icmp + 8 > total) continue;
    return { id: byte(icmp + 4) * 256 + byte(icmp + 5), seq: byte(icmp + 6) * 256 + byte(icmp + 7) };
  }
  return null;
}

type Verdict = { ok: true; cand: Candidate } | { ok: false; why: string | null };

/** Whether a trace and a segment can be the same packet, and on which key. */
function compat(v: View, s: Segment): Verdict {
  const entry = s.ingress ?? s.loose ?? s.egress[0];
  if (entry === undefined || entry.proto !== v.proto) return { ok: false, why: null };
  const withPorts = v.proto === "tcp" || v.proto === "udp";
  const side = s.ingress !== null ? "ingress" : s.loose !== null ? "loose" : "egress";
  const viaNat = !tupleFits(entry, v.orig, v.partial, withPorts);
  if (viaNat && !(side !== "ingress" && v.nat && tupleFits(entry, v.xlat, v.partial, withPorts))) return { ok: false, why: null };

  const seen = renderHeader(entry);
  if (side === "ingress") {
    if (v.trace.packet?.local === true) return { ok: false, why: `the capture shows it arriving on ${entry.iface ?? "?"}, but the traced packet was sent by the unit itself (from local)` };
    if (v.ingressIf !== null && entry.iface !== null && norm(entry.iface) !== v.ingressIf) {
      return { ok: false, why: `the capture saw this tuple arrive on ${entry.iface}, the traced packet arrived on ${v.trace.packet?.iface ?? "?"}` };
    }
  }
  const outs = s.egress;
  if (v.dropped) {
    const left = outs.filter((o) => !(v.ipsecDrop && v.egressIfs.has(norm(o.iface) ?? "")));
    if (left.length > 0) return { ok: false, why: `the trace drops the packet, but the capture shows it leaving on ${left.map((o) => o.iface ?? "?").join(", ")}` };
  }
  if (v.egressIfs.size > 0 && outs.length > 0 && !outs.some((o) => v.egressIfs.has(norm(o.iface) ?? ""))) {
    return { ok: false, why: `the capture shows it leaving on ${outs.map((o) => o.iface ?? "?").join(", ")}, the trace sends it out of ${[...v.egressIfs].join(", ")}` };
  }

  // TCP: flags, seq, ack (the sniffer prints only `ack N` for a pure ACK)
  let exact: string | null = null;
  const vt = v.trace.packet?.tcp;
  const et = entry.tcp;
  if (vt !== undefined && et !== undefined) {
    const vSyn = vt.flags.includes("syn");
    if (vSyn !== et.flags.includes("syn") || vt.flags.includes("rst") !== et.flags.includes("rst")) {
      return { ok: false, why: `the capture's packet on this tuple is another TCP segment (${et.flags.join(",")}) than the traced one (${vt.flags.join(",")})` };
    }
    if (vt.seq !== null && et.seq !== null) {
      if (vt.seq !== et.seq) return { ok: false, why: `the capture's ${vSyn ? "SYN" : "segment"} on this tuple has seq ${et.seq}, the traced one seq ${vt.seq}: a different attempt` };
      exact = `TCP seq ${vt.seq}`;
    }
    if (vt.flags.includes("ack") && vt.ack !== null && et.ack !== null) {
      if (vt.ack !== et.ack) return { ok: false, why: `the capture's segment on this tuple acknowledges ${et.ack}, the traced one ${vt.ack}` };
      exact = exact === null ? `TCP ack ${vt.ack}` : `${exact} ack ${vt.ack}`;
    }
  }

  // ICMP: message type, id and sequence where the sniffer shows them
  const ei = entry.icmp;
  if (v.icmpKind !== null && ei !== undefined) {
    const kind = ei.kind === "echo-request" || ei.kind === "echo-reply" ? ei.kind : "other";
    if (kind !== v.icmpKind) return { ok: false, why: null };
    const fromHex = icmpIdSeqFromBytes(entry);
    const wantId = viaNat ? v.xlatId : v.icmpId;
    if (fromHex !== null) {
      if (wantId !== null && fromHex.id !== wantId) return { ok: false, why: `the captured echo on this tuple has id ${fromHex.id}, the traced one id ${wantId}: another ping` };
      if (v.icmpSeq !== null && fromHex.seq !== v.icmpSeq) return { ok: false, why: `the captured echo on this tuple has seq ${fromHex.seq}, the traced one seq ${v.icmpSeq}` };
      if (wantId !== null && v.icmpSeq !== null) exact = `ICMP id ${wantId} seq ${v.icmpSeq}`;
    } else if (ei.seq !== undefined && v.icmpSeq !== null && ei.seq !== v.icmpSeq) {
      return { ok: false, why: `the captured echo on this tuple has seq ${ei.seq}, the traced one seq ${v.icmpSeq}` };
    }
  }

  const where = [side === "ingress" && entry.iface !== null ? `in on ${entry.iface}` : null, outs.length > 0 ? `out on ${outs.map((o) => o.iface ?? "?").join(", ")}` : null]
    .filter((x) => x !== null)
    .join(", ");
  const tuple = tupleText(viaNat ? v.xlat : v.orig, v.proto);
  if (exact !== null) {
    return { ok: true, cand: { seg: s, level: vt !== undefined ? "tcp-seq" : "icmp-id-seq", detail: `${exact} on ${tuple}${where ? ` (${where})` : ""}` } };
  }
  if (viaNat) {
    const nat = v.trace.snat !== null ? `SNAT ${v.trace.snat.from} -> ${v.trace.snat.to}` : `DNAT ${v.trace.dnat?.from ?? "?"} -> ${v.trace.dnat?.to ?? "?"}`;
    return { ok: true, cand: { seg: s, level: "nat-tuple", detail: `the copy "${seen}" carries the translated tuple ${tuple} (${nat})` } };
  }
  const ifaceConfirmed = (side === "ingress" && v.ingressIf !== null && entry.iface !== null) || outs.some((o) => v.egressIfs.has(norm(o.iface) ?? ""));
  if (ifaceConfirmed) return { ok: true, cand: { seg: s, level: "tuple-iface", detail: `tuple ${tuple} ${where}` } };
  return { ok: true, cand: { seg: s, level: "order", detail: `tuple ${tuple}${where ? ` (${where})` : ""}${v.partial ? " (the traced tuple is cut short in the paste)" : ""}` } };
}

function traceOrder(a: TraceRecord, b: TraceRecord): number {
  return (a.lines[0] ?? 0) - (b.lines[0] ?? 0) || (a.blade ?? "").localeCompare(b.blade ?? "") || a.traceId - b.traceId;
}

/** Match every trace to the sniffer's copies of its packet (or say why none fits). */
export function matchTraces(traces: readonly TraceRecord[], packets: readonly PacketRecord[]): TraceMatch[] {
  const sorted = [...traces].sort(traceOrder);
  const segments = buildSegments(packets);
  const views = sorted.map(view);
  const candidates: Candidate[][] = [];
  const failures: string[][] = [];
  const perSegment = new Map<string, number>();
  views.forEach((v, i) => {
    const cands: Candidate[] = [];
    const fails: string[] = [];
    if (v !== null) {
      for (const s of segments) {
        const r = compat(v, s);
        if (r.ok) {
          cands.push(r.cand);
          const k = `${r.cand.level}|${s.index}`;
          perSegment.set(k, (perSegment.get(k) ?? 0) + 1);
        } else if (r.why !== null && !fails.includes(r.why)) fails.push(r.why);
      }
    }
    candidates[i] = cands;
    failures[i] = fails;
  });

  const result: (TraceMatch | null)[] = sorted.map(() => null);
  const claimed = new Set<number>();
  const lastOfGroup = new Map<string, number>();
  for (const level of MATCH_KEYS) {
    views.forEach((v, i) => {
      if (v === null || result[i] !== null) return;
      const all = (candidates[i] as Candidate[]).filter((c) => c.level === level);
      const open = all.filter((c) => !claimed.has(c.seg.index));
      if (open.length === 0) return;
      const group = `${v.proto}|${tupleText(v.orig, v.proto)}|${v.ingressIf ?? ""}`;
      const last = lastOfGroup.get(group) ?? -1;
      const pick = open.find((c) => c.seg.index > last) ?? (open[0] as Candidate);
      claimed.add(pick.seg.index);
      lastOfGroup.set(group, Math.max(last, pick.seg.index));
      const sharing = perSegment.get(`${level}|${pick.seg.index}`) ?? 1;
      const ambiguous = all.length > 1 || sharing > 1;
      const exact = level === "tcp-seq" || level === "icmp-id-seq";
      const key: MatchKey = ambiguous && !exact ? "order" : level;
      const s = pick.seg;
      result[i] = {
        trace: v.trace,
        packets: copies(s).sort((a, b) => a.line - b.line),
        ingress: s.ingress,
        egress: s.egress,
        key,
        reason:
          key === "order" && level !== "order"
            ? `${pick.detail}; ${Math.max(all.length, sharing)} traced and captured packets share this tuple: paired in order`
            : key === "order"
              ? `${pick.detail}: nothing but the tuple ties them, paired in order`
              : pick.detail,
      };
    });
  }

  eliminate(sorted, result, segments, claimed, packets);
  return sorted.map((trace, i) => {
    const done = result[i];
    if (done !== null && done !== undefined) return done;
    return { trace, packets: [], ingress: null, egress: [], key: null, reason: unmatchedReason(trace, views[i] ?? null, candidates[i] ?? [], failures[i] ?? [], packets) };
  });
}

/** The IP protocol number of a sniffer packet, as a trace prints it. */
function ipProtoOf(p: PacketRecord): number | null {
  return p.proto === "tcp" ? 6 : p.proto === "udp" ? 17 : p.proto === "icmp" ? 1 : p.proto === "icmp6" ? 58 : (p.ipProto ?? null);
}

/**
 * A cut trace (its "received a packet" line missing) that drops the packet attaches to the one
 * flow that fits when exactly one does: arrived on an interface, never left, not claimed by
 * another trace. The trace then speaks about that flow's packet, and says it was attached by
 * elimination.
 */
function eliminate(sorted: TraceRecord[], result: (TraceMatch | null)[], segments: readonly Segment[], claimed: Set<number>, packets: readonly PacketRecord[]): void {
  const cut = sorted.map((t, i) => (result[i] === null && t.packet === null && DROP_OUTCOMES.has(t.outcome) ? i : -1)).filter((i) => i >= 0);
  if (cut.length !== 1) return;
  const i = cut[0] as number;
  const trace = sorted[i] as TraceRecord;
  // a flow that got an answer (the unit's own service answering, or a reply from beyond) was not dropped
  const answered = new Set(packets.map((p) => `${p.proto}|${p.dst}|${p.dport ?? ""}|${p.src}|${p.sport ?? ""}`));
  const open = segments.filter((s) => {
    if (claimed.has(s.index) || s.ingress === null || s.egress.length > 0 || s.loose !== null) return false;
    const p = s.ingress;
    return !answered.has(`${p.proto}|${p.src}|${p.sport ?? ""}|${p.dst}|${p.dport ?? ""}`);
  });
  const flows = new Map<string, Segment[]>();
  for (const s of open) {
    const p = s.ingress as PacketRecord;
    const key = `${p.proto}|${p.src}|${p.sport ?? ""}|${p.dst}|${p.dport ?? ""}`;
    const list = flows.get(key);
    if (list === undefined) flows.set(key, [s]);
    else list.push(s);
  }
  if (flows.size !== 1) return;
  const seg = ([...flows.values()][0] as Segment[])[0] as Segment;
  const p = seg.ingress as PacketRecord;
  claimed.add(seg.index);
  const packet: TracePacket = {
    proto: p.proto === "tcp" || p.proto === "udp" || p.proto === "icmp" ? p.proto : "ip",
    ipProto: ipProtoOf(p),
    src: p.src,
    sport: p.sport,
    dst: p.dst,
    dport: p.dport,
    iface: p.iface,
    local: false,
    vdom: null,
    tunnel: null,
    partial: false,
    truncated: false,
  };
  if (p.tcp !== undefined) packet.tcp = { flags: p.tcp.flags, seq: p.tcp.seq, ack: p.tcp.ack };
  const attached: TraceRecord = { ...trace, packet, byElimination: true };
  result[i] = {
    trace: attached,
    packets: copies(seg).sort((a, b) => a.line - b.line),
    ingress: seg.ingress,
    egress: seg.egress,
    key: "elimination",
    reason: `the trace's packet line is missing; ${tupleText({ src: p.src ?? "?", sport: p.sport, dst: p.dst ?? "?", dport: p.dport }, packet.proto ?? "ip")} arrived on ${p.iface ?? "?"} (line ${p.line}) and never left, the only flow that fits: attached by elimination`,
  };
}

function unmatchedReason(trace: TraceRecord, v: View | null, cands: Candidate[], fails: string[], packets: readonly PacketRecord[]): string {
  const p = trace.packet;
  if (p === null) return "the trace has no packet line (the paste starts inside it)";
  if (v === null) return "its packet line was cut before the addresses";
  if (packets.length === 0) return "the input holds no sniffer packets";
  if (cands.length > 0) return `every captured packet that fits (${cands.length}) is matched to another trace`;
  if (fails.length > 0) return fails[0] as string;
  const withPorts = v.proto === "tcp" || v.proto === "udp";
  const sameHosts = withPorts
    ? packets.filter((q) => q.proto === v.proto && ((q.src === v.orig.src && q.dst === v.orig.dst) || (v.nat && q.src === v.xlat.src && q.dst === v.xlat.dst)))
    : [];
  const near = sameHosts.find((q) => q.dport === v.orig.dport || q.dport === v.xlat.dport) ?? sameHosts[0];
  if (near !== undefined) {
    const other = tupleText({ src: near.src ?? "?", sport: near.sport, dst: near.dst ?? "?", dport: near.dport }, v.proto);
    const what =
      near.dport === v.orig.dport || near.dport === v.xlat.dport ? `another source port (${near.sport ?? "?"}, not ${v.orig.sport ?? "?"}): a different ${v.proto === "tcp" ? "connection attempt" : "request"}` : "other ports";
    return `no captured packet has ${tupleText(v.orig, v.proto)}; the capture has ${other} (line ${near.line}), ${what}`;
  }
  if (v.partial) return `its packet line is cut (${tupleText(v.orig, v.proto)}…) and no captured packet fits what is left`;
  return `no captured packet has ${tupleText(v.orig, v.proto)}${v.nat ? ` (nor the translated ${tupleText(v.xlat, v.proto)})` : ""}`;
}
