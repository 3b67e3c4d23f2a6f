/**
 * The words of the sniffer's verdict codes: title, explanation (precise about what was and was not
 * seen), remedy prose and commands, all from the finding's args.
 */
import type {
  AnsweredArgs,
  CaptureEndedArgs,
  Caveats,
  FilterExcludesRepliesArgs,
  KernelDropsArgs,
  NotForwardedArgs,
  OneWayArgs,
  PartiallyAnsweredArgs,
  RejectedArgs,
  UnansweredArgs,
  UnansweredTimeoutArgs,
  UnansweredUnitArgs,
  UnmatchedUnreachableArgs,
  UnrecognizedLinesArgs,
} from "../contract/args.js";
import type { Description, Finding } from "../contract/report.js";
import { listAddresses, ms, noun, plural } from "../format/words.js";
import { namedService, serviceLabel } from "../format/service.js";
import { flowDebugCommands, splitCatalogueRemedy } from "./remedy.js";

type Of<C extends Finding["code"]> = Finding<C>;

function label(f: Finding): string {
  return serviceLabel(f.proto ?? "", f.port);
}

function named(f: Finding, name: string | null): string {
  return namedService(label(f), name);
}

function requestWord(proto: string | null): [string, string] {
  if (proto === "tcp") return ["connection attempt", "connection attempts"];
  if (proto === "arp") return ["ARP request", "ARP requests"];
  if (proto === "icmp" || proto === "icmp6") return ["echo request", "echo requests"];
  return ["request", "requests"];
}

/** Ping targets are hosts, not servers. */
function serverWord(f: Finding, n: number): string {
  return plural(n, f.proto === "icmp" || f.proto === "icmp6" ? "host" : "server");
}

function nRequests(f: Finding, n: number): string {
  const [one, many] = requestWord(f.proto);
  return `${n} ${n === 1 ? one : many}`;
}

export function caveatText(c: Caveats): string {
  const out: string[] = [];
  if (c.kernelDrops !== null) out.push(`The sniffer reported ${plural(c.kernelDrops, "packet")} dropped by the kernel: missing replies may be among them.`);
  if (c.countLimit !== null) out.push(`The capture was limited to ${plural(c.countLimit, "packet")} (count ${c.countLimit}) and stopped there: replies after that point could not be captured.`);
  if (c.masked.length > 0) out.push(`Some addresses are masked in this paste (${listAddresses(c.masked, 2)}), so hosts cannot all be told apart.`);
  return out.length > 0 ? " " + out.join(" ") : "";
}

function inconclusiveNote(inconclusive: number, window: number): string {
  if (inconclusive === 0) return "";
  return ` ${inconclusive === 1 ? "The last request was" : `${inconclusive} requests were`} sent less than ${window} s before the capture ended, so ${inconclusive === 1 ? "its reply" : "their replies"} could still have come.`;
}

function seenOn(egress: readonly string[]): string {
  return egress.length > 0 ? ` on ${listAddresses(egress, 5)}` : "";
}

/** The catalogue's remedy for the service, or the generic one. */
function serviceRemedy(catalogue: string | null, f: Finding, servers: readonly string[], egress: readonly string[]): Pick<Description, "remedy" | "commands"> {
  if (catalogue !== null) return splitCatalogueRemedy(catalogue);
  const where = egress.length > 0 ? ` on ${listAddresses(egress, 5)}` : "";
  return {
    remedy:
      `Check that every firewall and router between the unit and ${listAddresses(servers, 3)} allows ${label(f)} in both directions, ` +
      `and capture${where} and on the far side at the same time to see where the replies stop ` +
      `(e.g. \`diagnose sniffer packet any 'host ${servers[0] ?? "<server>"}' 4 0 a\`).`,
    commands: [],
  };
}

export function describeUnanswered(f: Of<"unanswered">): Description {
  return f.args.kind === "unit-itself" ? unitItself(f, f.args) : unanswered(f, f.args);
}

function unanswered(f: Finding, a: UnansweredTimeoutArgs): Description {
  const nReq = nRequests(f, a.requests);
  const on = seenOn(a.egress);
  return {
    title: `${named(f, a.name)}: ${nReq} to ${serverWord(f, a.serverCount)}, 0 replies`,
    explanation:
      `${nReq} from ${listAddresses(a.clients, 2)} to ${listAddresses(f.servers, 4)}${on ? ` left${on}` : " were captured"}; no reply was captured${on} within ${a.window} s of any of them.` +
      ` ${a.unanswered === 1 ? "It" : a.unanswered === a.requests ? "All of them" : `${a.unanswered} of them`} timed out: the capture went on past the reply window${a.serverCount > 1 || a.requests > 1 ? " or the client tried again" : ""}.` +
      inconclusiveNote(a.inconclusive, a.window) +
      (a.serverCount > 1 && a.left !== false
        ? ` The client tried ${serverWord(f, a.serverCount)} and none answered: the requests are most likely dropped on the way (an upstream firewall or ISP filter), not by one ${f.proto === "icmp" || f.proto === "icmp6" ? "host" : "server"}.`
        : "") +
      (a.left === false ? ` The requests were seen arriving${a.ingress !== undefined && a.ingress.length > 0 ? ` on ${listAddresses(a.ingress, 5)}` : ""}, not leaving: this capture cannot tell whether the unit forwarded them.` : "") +
      (a.notForwarded > 0 ? ` ${a.notForwarded} of them never left the unit (seen only on ${listAddresses(a.notForwardedIngress, 5)}).` : "") +
      caveatText(a.caveats),
    ...(a.left === false
      ? {
          remedy: `First see whether the unit forwards the requests at all: capture on \`any\` (both sides of the unit at once), then trace one with the commands below; look upstream only once they are seen leaving.`,
          commands: [`diagnose sniffer packet any 'host ${f.servers[0] ?? "<server>"}' 4 0 a`, ...flowDebugCommands(f.servers[0] ?? "<server>")],
        }
      : serviceRemedy(a.catalogueRemedy, f, f.servers, a.egress)),
  };
}

function forwardedWhat(f: Finding, a: NotForwardedArgs): string {
  const [one, many] = requestWord(f.proto);
  return a.oneWay ? noun(a.count, "packet") : a.count === 1 ? one : many;
}

function notForwardedRemedy(a: NotForwardedArgs): Pick<Description, "remedy" | "commands"> {
  return {
    remedy: `Trace the next attempt with the commands below, then check the route with \`get router info routing-table details ${a.traceAddress}\` and the policies from ${a.ingress[0] ?? "the ingress interface"} toward it.`,
    commands: flowDebugCommands(a.traceAddress),
  };
}

function unitItself(f: Finding, a: UnansweredUnitArgs): Description {
  return {
    title: `${named(f, a.name)}: ${a.count} ${forwardedWhat(f, a)} arrived on ${listAddresses(a.ingress, 5)} for the unit itself and got no answer`,
    explanation:
      `The requests were addressed to ${listAddresses(f.servers, 5)}, which the debug flow trace shows is the unit's own address, so they were not meant to leave; the unit did not answer them. ` +
      "Check that the service is enabled on that interface (`set allowaccess` under `config system interface`, or the HA management interface settings) and that no local-in policy or trusted-host list refuses the client.",
    ...notForwardedRemedy(a),
  };
}

export function describeNotForwarded(f: Of<"not-forwarded">): Description {
  const a = f.args;
  const [one, many] = requestWord(f.proto);
  const what = forwardedWhat(f, a);
  return {
    title: `${named(f, a.name)}: ${a.count} ${what} arrived on ${listAddresses(a.ingress, 5)} and never left the unit`,
    explanation:
      `${a.count} ${what} to ${listAddresses(f.servers, 3)} ${a.count === 1 ? "was" : "were"} seen arriving (in) on ${listAddresses(a.ingress, 5)}, but no copy left on any other interface${a.oneWay ? "" : " and no reply came back"}: the unit dropped ${a.count === 1 ? "it" : "them"}. ` +
      (a.answered > 0 ? `${a.answered} other ${a.answered === 1 ? one : many} to the same service ${a.answered === 1 ? "was" : "were"} forwarded and answered, so the path beyond the unit works. ` : "") +
      `The sniffer alone cannot say why: a policy drop (no matching firewall policy, or a deny policy), a missing route, or a session offloaded to the NP (offloaded packets are not shown) look the same here. ` +
      `\`diagnose debug flow\` names the cause ("Denied by forward policy check", "reverse path check fail", "no route").` +
      (a.shortPaste !== undefined && a.shortPaste !== null ? ` The paste is short (${ms(a.shortPaste)} of capture), so this rests on few packets: capture a little longer to confirm.` : "") +
      caveatText(a.caveats),
    ...notForwardedRemedy(a),
  };
}

export function describeFilterExcludesReplies(f: Of<"filter-excludes-replies">): Description {
  const a: FilterExcludesRepliesArgs = f.args;
  const proto = f.proto ?? "";
  const servicePart = f.port !== null && (proto === "udp" || proto === "tcp") ? ` and ${proto} port ${f.port}` : proto === "icmp" ? " and icmp" : "";
  return {
    title: `${named(f, a.name)}: ${nRequests(f, a.requests)} to ${serverWord(f, a.serverCount)}; the capture filter could not show the replies`,
    explanation:
      `No reply was captured, but the capture's filter '${a.filter}' excludes them: ${a.reason ?? "the replies do not match it"}. The silence proves nothing either way.` +
      (a.notForwarded > 0 ? ` (${a.notForwarded} of the requests were not seen leaving the unit either, which the filter may also hide.)` : ""),
    remedy: `Capture again with a filter that matches both directions, e.g. \`diagnose sniffer packet ${a.interfaces ?? "any"} 'host ${f.servers[0] ?? "<server>"}${servicePart}' 4 0 a\`.`,
    commands: [],
  };
}

export function describeOneWay(f: Of<"one-way">): Description {
  const a: OneWayArgs = f.args;
  const nPackets = plural(a.packets, "packet");
  const why =
    a.reason === "catalogue"
      ? `${a.name ?? label(f)} does not expect a reply`
      : a.reason === "group"
        ? "the destinations are multicast or broadcast addresses, which are not answered directly"
        : a.reason === "keepalive"
          ? "NAT-T keepalives (one byte to UDP/4500) only keep the NAT mapping open"
          : a.reason === "gratuitous-arp"
            ? "gratuitous ARP (asking for its own address) announces the address; nobody answers it"
            : `${label(f)} is a peer protocol without request and reply`;
  return {
    title: `${named(f, a.name)}: ${nPackets} to ${listAddresses(f.servers, 3)}, one-way`,
    explanation: `${nPackets} from ${listAddresses(a.clients, 3)}${seenOn(a.egress)}; ${why}, so no reply is needed.`,
    remedy: null,
    commands: [],
  };
}

export function describeAnswered(f: Of<"answered">): Description {
  const a: AnsweredArgs = f.args;
  const [one] = requestWord(f.proto);
  const rtt = a.rtt;
  const rttText = rtt === null ? "" : rtt.min === rtt.max ? `, reply time ${ms(rtt.median)}` : `, reply times ${ms(rtt.min)}–${ms(rtt.max)} (median ${ms(rtt.median)})`;
  return {
    title: `${named(f, a.name)}: ${nRequests(f, a.requests)} to ${serverWord(f, a.serverCount)}, ${a.answered} answered${rttText}` + (a.inconclusive > 0 ? `, ${a.inconclusive} cut off by the end of the capture` : ""),
    explanation: `Every ${one} got its reply${rttText}.${inconclusiveNote(a.inconclusive, a.window)}`,
    remedy: null,
    commands: [],
  };
}

export function describeCaptureEnded(f: Of<"capture-ended">): Description {
  const a: CaptureEndedArgs = f.args;
  const [one, many] = requestWord(f.proto);
  const nReq = nRequests(f, a.requests);
  if (a.kind === "tail") {
    return {
      title: `${named(f, a.name)}: the last ${a.inconclusive === 1 ? one : `${a.inconclusive} ${many}`} went out less than ${a.window} s before the capture ended`,
      explanation: `${a.answered} of ${nReq} were answered; ${a.inconclusive === 1 ? "the last one was" : `the last ${a.inconclusive} were`} sent too close to the end of the capture for a missing reply to mean anything.`,
      remedy: null,
      commands: [],
    };
  }
  return {
    title: `${named(f, a.name)}: ${nReq} to ${serverWord(f, a.serverCount)}, the capture ended before the replies were due`,
    explanation:
      `No reply was captured, but the capture stopped less than ${a.window} s after ${a.requests === 1 ? "the request" : "the last request"} and the client did not retry, so nothing is proven either way.` +
      caveatText(a.caveats),
    remedy: `Capture again for longer (count 0, stop with Ctrl-C a few seconds after the test).`,
    commands: [],
  };
}

export function describePartiallyAnswered(f: Of<"partially-answered">): Description {
  const a: PartiallyAnsweredArgs = f.args;
  const nReq = nRequests(f, a.requests);
  const bad = a.unanswered + a.rejected;
  return {
    title: `${named(f, a.name)}: ${nReq} to ${serverWord(f, a.serverCount)}, ${a.answered} answered, ${bad} not${a.silent.length > 0 ? ` (silent: ${listAddresses(a.silent, 3)})` : ""}`,
    explanation:
      `${a.answered} of ${nReq} got a reply; ${a.unanswered > 0 ? `${a.unanswered} got none within ${a.window} s` : ""}${a.unanswered > 0 && a.rejected > 0 ? " and " : ""}${a.rejected > 0 ? `${a.rejected} were refused` : ""}.` +
      (a.silent.length > 0
        ? ` No reply was captured from ${listAddresses(a.silent, 4)}${seenOn(a.egress)}, while other servers answered: the silent ones are unreachable or filtered.`
        : " The same servers answered some requests and not others: look for loss or rate limiting on the path.") +
      inconclusiveNote(a.inconclusive, a.window) +
      caveatText(a.caveats),
    ...serviceRemedy(a.catalogueRemedy, f, f.servers, a.egress),
  };
}

export function describeRejected(f: Of<"rejected">): Description {
  const a: RejectedArgs = f.args;
  const [one, many] = requestWord(f.proto);
  const nReq = nRequests(f, a.requests);
  const how = a.rejectKinds.map((k) => (k === "tcp-rst" ? "a TCP RST in answer to the SYN" : "an ICMP unreachable quoting the request")).join(" and ");
  const who = listAddresses(f.servers, 3);
  const rst = a.rejectKinds.includes("tcp-rst");
  const fallback = rst
    ? `Check that the service listens on port ${f.port ?? "?"} at ${who} and that no firewall in the path answers with a reset (a FortiGate policy with \`set send-deny-packet enable\` does).`
    : `Check that ${who} runs the service on ${label(f)}; an ICMP port unreachable means the host received the packet and nothing listens there.`;
  return {
    title: `${named(f, a.name)}: ${nReq} to ${serverWord(f, a.serverCount)}, refused (${rst ? "TCP RST" : "ICMP unreachable"})`,
    explanation:
      `${a.rejected} of ${nReq} were refused with ${how} from ${who}: the far side (or a device in the path answering for it) actively refused ${label(f)}; the packets did reach it.` +
      (a.unanswered > 0 ? ` ${a.unanswered} other ${a.unanswered === 1 ? one : many} got no reply at all.` : "") +
      caveatText(a.caveats),
    ...(a.catalogueRemedy !== null ? splitCatalogueRemedy(a.catalogueRemedy) : { remedy: fallback, commands: [] }),
  };
}

export function describeKernelDrops(f: Of<"kernel-drops">): Description {
  const a: KernelDropsArgs = f.args;
  return {
    title: `The sniffer dropped ${plural(a.dropped, "packet")} (${a.received ?? "?"} received by the filter)`,
    explanation: `The trailer says ${a.dropped} packets were dropped by the kernel: the capture is incomplete, and a missing reply may be one of them.`,
    remedy: "Capture again with a narrower filter (a host and a port) and a lower verbose level so the sniffer keeps up.",
    commands: [],
  };
}

export function describeUnmatchedUnreachable(f: Of<"unmatched-unreachable">): Description {
  const a: UnmatchedUnreachableArgs = f.args;
  const proto = (f.proto ?? "").toUpperCase();
  const count = a.count ?? 1;
  const kind = a.kind ?? "port-unreachable";
  if (count === 1 && kind === "port-unreachable") {
    return {
      title: `ICMP unreachable from ${a.from ?? "?"} for ${proto}/${f.port ?? "?"}: the refused packet is not in this capture`,
      explanation:
        `${a.from ?? "?"} told ${a.to ?? "?"} that ${proto} port ${f.port ?? "?"} on ${a.host} is unreachable, but the packet it refused was not captured (the capture filter or its start left it out).` +
        (f.port !== null && f.port >= 1024 ? ` Port ${f.port} is not a service port: most likely a late reply reached a client that had already given up (closed its socket).` : ""),
      remedy: null,
      commands: [],
    };
  }
  // many errors of one kind are one finding: a handful of hosts named, the rest counted
  const hosts = a.hosts ?? [a.host];
  const shown = hosts.slice(0, 3);
  const more = Math.max(hosts.length, a.hostCount ?? hosts.length) - shown.length;
  const hostList = shown.join(", ") + (more > 0 ? ` and ${more} more` : "");
  const words = kind.replace(/-/g, " ");
  const service = f.port !== null ? ` for ${proto}/${f.port}` : f.proto !== null && kind === "port-unreachable" ? ` for ${proto} client ports` : "";
  const reporters = a.reporters ?? (a.from === null ? [] : [a.from]);
  const fromShown = reporters.slice(0, 3);
  const fromMore = Math.max(reporters.length, a.reporterCount ?? reporters.length) - fromShown.length;
  const from = fromShown.join(", ") + (fromMore > 0 ? ` and ${fromMore} more` : "");
  return {
    title: `${plural(count, `ICMP ${words} message`)}${service} from ${from || "?"}: no request of this capture is waiting for ${count === 1 ? "it" : "them"}`,
    explanation:
      `${plural(count, "ICMP error")} (${words}) about ${hostList} came from ${from || "?"}, but no request in the capture that was still waiting fits ${count === 1 ? "it" : "them"} (the capture filter or its start left the requests out, or they were already answered).` +
      ((f.port === null || f.port >= 1024) && kind === "port-unreachable" ? " The ports are not service ports: most likely late replies reached clients that had already given up (closed their sockets)." : ""),
    remedy: null,
    commands: [],
  };
}

export function describeUnrecognizedLines(f: Of<"unrecognized-lines">): Description {
  const a: UnrecognizedLinesArgs = f.args;
  return {
    title: a.count === 1 ? "1 line that looks like capture output could not be read" : `${a.count} lines that look like capture output could not be read`,
    explanation: "These lines start like packet or hex lines but do not follow the sniffer's format (edited, cut or wrapped in the paste). Packets on them are not in the analysis.",
    remedy: "Paste the capture as the unit printed it (no wrapping, no edits), or check the lines named.",
    commands: [],
  };
}

export type { UnansweredArgs };
