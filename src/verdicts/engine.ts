/**
 * The verdict engine: rules that turn a capture's service roll-up into the contract's verdict
 * codes, each with a title, an explanation precise about what was and was not seen, a remedy
 * (with the CLI commands where there are any) and the evidence lines.
 */
import type { CaptureRecord } from "../records.js";
import type { Evidence, ServiceStatus, ServiceSummary, Severity, Verdict, VerdictCode } from "../report.js";
import { quote, rttStats, type CaptureAnalysis, type ServiceAgg, type ReplyWindows } from "../correlate/analyzer.js";
import { couldMatchReply, type Filter } from "../filter/index.js";

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

export const SEVERITY: Record<VerdictCode, Severity> = {
  unanswered: "error",
  "partially-answered": "warning",
  rejected: "error",
  "not-forwarded": "error",
  "filter-excludes-replies": "info",
  "capture-ended": "info",
  "kernel-drops": "warning",
  "unrecognized-lines": "warning",
  "one-way": "ok",
  answered: "ok",
  "unmatched-unreachable": "info",
  "policy-denied": "error",
  "local-in-denied": "error",
  "reverse-path-drop": "error",
  "no-session-matched": "warning",
  "ipsec-selector-mismatch": "error",
  "ipsec-not-ready": "error",
  "trace-ended": "info",
  offloaded: "info",
};

const IP_PROTOCOL_NAMES: Record<number, string> = { 1: "ICMP", 2: "IGMP", 6: "TCP", 17: "UDP", 47: "GRE", 50: "ESP", 51: "AH", 88: "EIGRP", 89: "OSPF", 103: "PIM", 112: "VRRP" };

export function serviceLabel(proto: string, port: number | null): string {
  switch (proto) {
    case "icmp":
      return "ICMP echo";
    case "icmp6":
      return "ICMPv6 echo";
    case "arp":
      return "ARP";
    case "ip":
      return port === null ? "IP" : `IP protocol ${port}${IP_PROTOCOL_NAMES[port] ? ` (${IP_PROTOCOL_NAMES[port]})` : ""}`;
    default:
      return port === null ? proto.toUpperCase() : `${proto.toUpperCase()}/${port}`;
  }
}

function plural(n: number, one: string, many = one + "s"): string {
  return `${n} ${n === 1 ? one : many}`;
}

function ms(seconds: number): string {
  if (seconds < 1) return `${(seconds * 1000).toFixed(seconds < 0.01 ? 2 : 1)} ms`;
  return `${seconds.toFixed(2)} s`;
}

function listAddresses(addrs: string[], max = 4): string {
  if (addrs.length <= max) return addrs.join(", ");
  return `${addrs.slice(0, max).join(", ")} and ${addrs.length - max} more`;
}

function requestWord(proto: string): [string, string] {
  if (proto === "tcp") return ["connection attempt", "connection attempts"];
  if (proto === "arp") return ["ARP request", "ARP requests"];
  if (proto === "icmp" || proto === "icmp6") return ["echo request", "echo requests"];
  return ["request", "requests"];
}

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
  verdicts: Verdict[];
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
function captureCaveats(ctx: VerdictContext, s: ServiceAgg): string[] {
  const out: string[] = [];
  const cap = ctx.capture;
  if (cap.dropped !== null && cap.dropped > 0) {
    out.push(`The sniffer reported ${plural(cap.dropped, "packet")} dropped by the kernel: missing replies may be among them.`);
  }
  if (cap.count !== null && ctx.analysis.packets >= cap.count) {
    out.push(`The capture was limited to ${plural(cap.count, "packet")} (count ${cap.count}) and stopped there: replies after that point could not be captured.`);
  }
  const masked = [...s.clients, ...s.servers.keys()].filter(isMasked);
  if (masked.length > 0) out.push(`Some addresses are masked in this paste (${listAddresses(masked, 2)}), so hosts cannot all be told apart.`);
  return out;
}

function evidence(items: { line: number; text: string }[], max = 5): Evidence[] {
  const seen = new Set<number>();
  const unique = items.filter((e) => (seen.has(e.line) ? false : (seen.add(e.line), true))).sort((a, b) => a.line - b.line);
  if (unique.length <= max) return unique;
  return [...unique.slice(0, max - 1), unique[unique.length - 1] as Evidence];
}

function genericRemedy(label: string, servers: string[], ifaces: string[]): string {
  const where = ifaces.length > 0 ? ` on ${ifaces.join(", ")}` : "";
  return (
    `Check that every firewall and router between the unit and ${listAddresses(servers, 3)} allows ${label} in both directions, ` +
    `and capture${where} and on the far side at the same time to see where the replies stop ` +
    `(e.g. \`diagnose sniffer packet any 'host ${servers[0] ?? "<server>"}' 4 0 a\`).`
  );
}

const FLOW_DEBUG = (dst: string) =>
  `diagnose debug flow filter addr ${dst}\ndiagnose debug flow show function-name enable\ndiagnose debug console timestamp enable\ndiagnose debug enable\ndiagnose debug flow trace start 20`;

export function serviceVerdicts(ctx: VerdictContext, s: ServiceAgg): ServiceOutcome | null {
  if (s.requests === 0) return null;
  const context: ServiceContext = { servers: [...s.servers.keys()], group: s.group };
  if (s.sentByUnit === s.requests) context.direction = "outbound";
  const info = ctx.info(s.proto, s.port, context);
  const oneWay = info?.expectsReply === false || s.group || s.proto === "ip";
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

  const label = serviceLabel(s.proto, s.port);
  const named =
    info?.name === undefined || info.name === null || label.includes(`(${info.name})`)
      ? label
      : info.name.includes("(")
        ? `${label} ${info.name}`
        : `${label} (${info.name})`;
  const [one, many] = requestWord(s.proto);
  const nReq = `${s.requests} ${s.requests === 1 ? one : many}`;
  const nSrv = plural(servers.length, "server");
  const window = windowFor(s.proto, ctx.windows);
  const base = { source: ctx.source, capture: ctx.capture.index, proto: s.proto, port: s.port };
  const verdict = (code: VerdictCode, title: string, explanation: string, remedy: string | null, ev: Evidence[], srv: string[]): Verdict => ({
    ...base,
    code,
    severity: SEVERITY[code],
    servers: srv,
    title,
    explanation,
    remedy,
    evidence: ev,
  });
  const silentServers = servers.filter((v) => v.answered === 0 && v.rejected === 0).map((v) => v.address);
  const allServers = servers.map((v) => v.address);
  const egress = [...s.egress];
  const seenOn = egress.length > 0 ? ` on ${egress.join(", ")}` : "";
  const caveats = captureCaveats(ctx, s);
  const inconclusiveNote =
    s.inconclusive > 0
      ? ` ${s.inconclusive === 1 ? "The last request was" : `${s.inconclusive} requests were`} sent less than ${window} s before the capture ended, so ${s.inconclusive === 1 ? "its reply" : "their replies"} could still have come.`
      : "";

  // silence proves nothing when the capture's own filter could not have shown the replies
  if (ctx.captureFilter !== null && s.firstRequest !== null && !oneWay && (status === "unanswered" || status === "inconclusive")) {
    const check = couldMatchReply(ctx.captureFilter, s.firstRequest);
    if (check.possible === false) {
      summary.status = "inconclusive";
      return {
        summary,
        verdicts: [
          verdict(
            "filter-excludes-replies",
            `${named}: ${nReq} to ${nSrv}; the capture filter could not show the replies`,
            `No reply was captured, but the capture's filter '${ctx.captureFilter.source}' excludes them: ${check.reason ?? "the replies do not match it"}. The silence proves nothing either way.` +
              (s.notForwarded > 0 ? ` (${s.notForwarded} of the requests were not seen leaving the unit either, which the filter may also hide.)` : ""),
            `Capture again with a filter that matches both directions, e.g. \`diagnose sniffer packet ${ctx.capture.interfaces ?? "any"} 'host ${allServers[0] ?? "<server>"}${s.port !== null && (s.proto === "udp" || s.proto === "tcp") ? ` and ${s.proto} port ${s.port}` : s.proto === "icmp" ? " and icmp" : ""}' 4 0 a\`.`,
            evidence(quote(s.unansweredEvidence.items())),
            allServers,
          ),
        ],
      };
    }
  }

  // requests the unit dropped are the finding, whatever happened to the others
  const notForwardedAll = s.notForwarded > 0 && s.answered === 0 && s.rejected === 0 && s.notForwarded >= s.unanswered;
  if (s.notForwarded > 0 && (notForwardedAll || s.answered + s.rejected > 0)) {
    if (notForwardedAll) summary.status = "unanswered";
    const ingress = [...s.notForwardedIngress];
    const dst = silentServers[0] ?? allServers[0] ?? "<destination>";
    const nfWhat = oneWay ? (s.notForwarded === 1 ? "packet" : "packets") : s.notForwarded === 1 ? one : many;
    const nfServers = notForwardedAll ? allServers : silentServers.length > 0 ? silentServers : allServers;
    return {
      summary,
      verdicts: [
        verdict(
          "not-forwarded",
          `${named}: ${s.notForwarded} ${nfWhat} arrived on ${ingress.join(", ")} and never left the unit`,
          `${s.notForwarded} ${nfWhat} to ${listAddresses(nfServers, 3)} ${s.notForwarded === 1 ? "was" : "were"} seen arriving (in) on ${ingress.join(", ")}, but no copy left on any other interface${oneWay ? "" : " and no reply came back"}: the unit dropped ${s.notForwarded === 1 ? "it" : "them"}. ` +
            (s.answered > 0 ? `${s.answered} other ${s.answered === 1 ? one : many} to the same service ${s.answered === 1 ? "was" : "were"} forwarded and answered, so the path beyond the unit works. ` : "") +
            `The sniffer alone cannot say why: a policy drop (no matching firewall policy, or a deny policy), a missing route, or a session offloaded to the NP (offloaded packets are not shown) look the same here. ` +
            `\`diagnose debug flow\` names the cause ("Denied by forward policy check", "reverse path check fail", "no route").` +
            (caveats.length ? " " + caveats.join(" ") : ""),
          `Trace the next attempt with:\n${FLOW_DEBUG(dst)}\nthen check the route with \`get router info routing-table details ${dst}\` and the policies from ${ingress[0] ?? "the ingress interface"} toward it.`,
          evidence(quote(s.notForwardedEvidence.items())),
          nfServers,
        ),
      ],
    };
  }

  switch (status) {
    case "one-way": {
      const nPackets = plural(s.requests, "packet");
      const why =
        info?.expectsReply === false
          ? `${info.name ?? label} does not expect a reply`
          : s.group
            ? "the destinations are multicast or broadcast addresses, which are not answered directly"
            : `${label} is a peer protocol without request and reply`;
      return {
        summary,
        verdicts: [
          verdict(
            "one-way",
            `${named}: ${nPackets} to ${listAddresses(allServers, 3)}, one-way`,
            `${nPackets} from ${listAddresses([...s.clients], 3)}${seenOn}; ${why}, so no reply is needed.`,
            null,
            evidence(quote(s.requestEvidence.items())),
            allServers,
          ),
        ],
      };
    }
    case "answered": {
      const rtts = servers.flatMap((v) => v.rtts);
      const rtt = rttStats(rtts);
      const rttText = rtt === null ? "" : rtt.min === rtt.max ? `, reply time ${ms(rtt.median)}` : `, reply times ${ms(rtt.min)}–${ms(rtt.max)} (median ${ms(rtt.median)})`;
      const verdicts = [
          verdict(
            "answered",
            `${named}: ${nReq} to ${nSrv}, ${s.answered} answered${rttText}` + (s.inconclusive > 0 ? `, ${s.inconclusive} cut off by the end of the capture` : ""),
            `Every ${one} got its reply${rttText}.${inconclusiveNote}`,
            null,
            evidence([...quote(s.requestEvidence.head.slice(0, 2)), ...quote(s.replyEvidence.items()).slice(0, 2)]),
            allServers,
          ),
        ];
      if (s.inconclusive > 0) {
        // the answered ones are fine; the last ones were still inside their window at the end
        verdicts.push(
          verdict(
            "capture-ended",
            `${named}: the last ${s.inconclusive === 1 ? one : `${s.inconclusive} ${many}`} went out less than ${window} s before the capture ended`,
            `${s.answered} of ${nReq} were answered; ${s.inconclusive === 1 ? "the last one was" : `the last ${s.inconclusive} were`} sent too close to the end of the capture for a missing reply to mean anything.`,
            null,
            evidence(quote(s.unansweredEvidence.items())),
            allServers,
          ),
        );
      }
      return { summary, verdicts };
    }
    case "partial": {
      const bad = s.unanswered + s.rejected;
      return {
        summary,
        verdicts: [
          verdict(
            "partially-answered",
            `${named}: ${nReq} to ${nSrv}, ${s.answered} answered, ${bad} not${silentServers.length > 0 ? ` (silent: ${listAddresses(silentServers, 3)})` : ""}`,
            `${s.answered} of ${nReq} got a reply; ${s.unanswered > 0 ? `${s.unanswered} got none within ${window} s` : ""}${s.unanswered > 0 && s.rejected > 0 ? " and " : ""}${s.rejected > 0 ? `${s.rejected} were refused` : ""}.` +
              (silentServers.length > 0 ? ` No reply was captured from ${listAddresses(silentServers, 4)}${seenOn}, while other servers answered: the silent ones are unreachable or filtered.` : " The same servers answered some requests and not others: look for loss or rate limiting on the path.") +
              inconclusiveNote +
              (caveats.length ? " " + caveats.join(" ") : ""),
            info?.remedy ?? genericRemedy(label, silentServers.length ? silentServers : allServers, egress),
            evidence(quote(s.unansweredEvidence.items())),
            silentServers.length > 0 ? silentServers : allServers,
          ),
        ],
      };
    }
    case "rejected": {
      const how = [...s.rejectKinds].map((k) => (k === "tcp-rst" ? "a TCP RST in answer to the SYN" : "an ICMP unreachable quoting the request")).join(" and ");
      const who = listAddresses(servers.filter((v) => v.rejected > 0).map((v) => v.address), 3);
      return {
        summary,
        verdicts: [
          verdict(
            "rejected",
            `${named}: ${nReq} to ${nSrv}, refused (${s.rejectKinds.has("tcp-rst") ? "TCP RST" : "ICMP unreachable"})`,
            `${s.rejected} of ${nReq} were refused with ${how} from ${who}: the far side (or a device in the path answering for it) actively refused ${label}; the packets did reach it.` +
              (s.unanswered > 0 ? ` ${s.unanswered} other ${s.unanswered === 1 ? one : many} got no reply at all.` : "") +
              (caveats.length ? " " + caveats.join(" ") : ""),
            info?.rejectedRemedy ??
              (s.rejectKinds.has("tcp-rst")
                ? `Check that the service listens on port ${s.port ?? "?"} at ${who} and that no firewall in the path answers with a reset (a FortiGate policy with \`set send-deny-packet enable\` does).`
                : `Check that ${who} runs the service on ${label}; an ICMP port unreachable means the host received the packet and nothing listens there.`),
            evidence(quote(s.rejectEvidence.items())),
            servers.filter((v) => v.rejected > 0).map((v) => v.address),
          ),
        ],
      };
    }
    case "unanswered": {
      const clients = [...s.clients];
      return {
        summary,
        verdicts: [
          verdict(
            "unanswered",
            `${named}: ${nReq} to ${nSrv}, 0 replies`,
            `${nReq} from ${listAddresses(clients, 2)} to ${listAddresses(allServers, 4)}${seenOn ? ` left${seenOn}` : " were captured"}; no reply was captured${seenOn} within ${window} s of any of them.` +
              ` ${s.unanswered === 1 ? "It" : s.unanswered === s.requests ? "All of them" : `${s.unanswered} of them`} timed out: the capture went on past the reply window${servers.length > 1 || s.requests > 1 ? " or the client tried again" : ""}.` +
              inconclusiveNote +
              (servers.length > 1 ? ` The client tried ${servers.length} servers and none answered: the requests are most likely dropped on the way (an upstream firewall or ISP filter), not by one server.` : "") +
              (s.notForwarded > 0 ? ` ${s.notForwarded} of them never left the unit (seen only on ${[...s.notForwardedIngress].join(", ")}).` : "") +
              (caveats.length ? " " + caveats.join(" ") : ""),
            info?.remedy ?? genericRemedy(label, allServers, egress),
            evidence(quote(s.unansweredEvidence.items())),
            silentServers.length > 0 ? silentServers : allServers,
          ),
        ],
      };
    }
    case "inconclusive":
      return {
        summary,
        verdicts: [
          verdict(
            "capture-ended",
            `${named}: ${nReq} to ${nSrv}, the capture ended before the replies were due`,
            `No reply was captured, but the capture stopped less than ${window} s after ${s.requests === 1 ? "the request" : "the last request"} and the client did not retry, so nothing is proven either way.` +
              (caveats.length ? " " + caveats.join(" ") : ""),
            `Capture again for longer (count 0, stop with Ctrl-C a few seconds after the test).`,
            evidence(quote(s.unansweredEvidence.items())),
            allServers,
          ),
        ],
      };
  }
}

/** Verdicts about the capture as a whole. */
export function captureVerdicts(ctx: VerdictContext): Verdict[] {
  const out: Verdict[] = [];
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
      title: `The sniffer dropped ${plural(cap.dropped, "packet")} (${cap.received ?? "?"} received by the filter)`,
      explanation: `The trailer says ${cap.dropped} packets were dropped by the kernel: the capture is incomplete, and a missing reply may be one of them.`,
      remedy: "Capture again with a narrower filter (a host and a port) and a lower verbose level so the sniffer keeps up.",
      evidence: [{ line: cap.endLine, text: `${cap.dropped} packets dropped by kernel` }],
    });
  }
  for (const u of ctx.analysis.unmatchedUnreachables) {
    const p = u.packet;
    out.push({
      source: ctx.source,
      capture: cap.index,
      code: "unmatched-unreachable",
      severity: SEVERITY["unmatched-unreachable"],
      proto: u.proto,
      port: u.port,
      servers: [u.host],
      title: `ICMP unreachable from ${p.src ?? "?"} for ${u.proto.toUpperCase()}/${u.port ?? "?"}: the refused packet is not in this capture`,
      explanation:
        `${p.src ?? "?"} told ${p.dst ?? "?"} that ${u.proto.toUpperCase()} port ${u.port ?? "?"} on ${u.host} is unreachable, but the packet it refused was not captured (the capture filter or its start left it out).` +
        (u.port !== null && u.port >= 1024 ? ` Port ${u.port} is not a service port: most likely a late reply reached a client that had already given up (closed its socket).` : ""),
      remedy: null,
      evidence: [{ line: p.line, text: `${p.src ?? "?"} -> ${p.dst ?? "?"}: ${p.summary}` }],
    });
  }
  return out;
}
