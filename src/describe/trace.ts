/**
 * The words of the debug-flow verdict codes (../shared/spec/debug-flow.md §3.3): each names the
 * line that decided, says what it means in plain words, gives the remedy and its CLI commands,
 * and says what the sniffer's side adds — all from the finding's args.
 */
import type { SnifferSideArgs, TraceArgs } from "../contract/args.js";
import type { Description, Finding } from "../contract/report.js";
import { listWords as list, plural, quoted as quote } from "../format/words.js";
import { namedService, serviceLabel } from "../format/service.js";

type TraceCode = "policy-denied" | "local-in-denied" | "reverse-path-drop" | "no-session-matched" | "ipsec-selector-mismatch" | "ipsec-not-ready" | "trace-ended" | "offloaded";
type Of<C extends TraceCode> = Finding<C>;

function ids(traces: readonly string[]): string {
  return `${traces.length === 1 ? "trace" : "traces"} ${list(traces, 4)}`;
}

function label(f: Finding, a: TraceArgs): string {
  if (f.proto === null) return "Unknown traffic (the packet line was cut)";
  const t = a.icmpType;
  const base = (f.proto === "icmp" || f.proto === "icmp6") && t !== null && t !== 8 && t !== 0 && t !== 128 && t !== 129 ? `${f.proto.toUpperCase()} type ${t}` : serviceLabel(f.proto, f.port);
  return namedService(base, a.name);
}

function fromTo(f: Finding, a: TraceArgs): string {
  const c = list(a.clients, 2);
  const s = list(f.servers, 2);
  if (c === "" && s === "") return "";
  return ` from ${c || "?"} to ${s || "?"}`;
}

function natText(a: TraceArgs): string {
  const parts: string[] = [];
  if (a.snat !== null) parts.push(`source NAT ${a.snat.from} → ${a.snat.to}`);
  if (a.dnat !== null) parts.push(`destination NAT ${a.dnat.from} → ${a.dnat.to}`);
  return parts.length === 0 ? "" : ` (after ${parts.join(" and ")})`;
}

/** What the sniffer side adds to an explanation (`dropped`: the verdict is about a drop). */
function snifferSide(s: SnifferSideArgs, traces: number, dropped: boolean): string {
  const parts: string[] = [];
  if (s.replaced.length > 0) {
    const where = s.ingress.length > 0 ? ` arrive on ${list(s.ingress)}` : s.egressCopies.length > 0 ? ` on ${list(s.egressCopies)}` : "";
    const said = s.replaced.map((c) => (c === "not-forwarded" ? "that the packets never left the unit" : c === "capture-ended" ? "that no reply was seen" : "that no reply came"));
    const traced = s.seen !== null && s.seen > s.matched ? ` (debug flow traced ${s.matched} of them; \`trace start N\` traces only the next N packets)` : "";
    parts.push(
      `The sniffer saw ${s.seen !== null ? plural(s.seen, "packet") + " of this traffic" : "this traffic"}${where}${dropped && s.egressCopies.length === 0 ? " and none leave the unit" : ""}${traced}; ` +
        `this verdict replaces its ${list(s.replaced.map((c) => `"${c}"`))} verdict, which could say ${list([...new Set(said)])}, not why.`,
    );
  } else if (s.matched > 0) {
    parts.push(`The sniffer shows the traced ${s.matched === 1 ? "packet" : "packets"} (line ${list(s.matchedLines.map(String), 4)})${dropped && s.noEgress ? " with no copy leaving the unit" : ""}.`);
  }
  if (s.byElimination === true) {
    parts.push(`The trace's "received a packet" line is missing from the paste; it was attached by elimination to the only captured flow that fits (arrived, never left, no other trace).`);
  }
  if (s.unmatched > 0 && s.unmatchedReason !== null) {
    parts.push(`${s.unmatched === traces ? "None of the traced packets is" : `${plural(s.unmatched, "traced packet")} ${s.unmatched === 1 ? "is" : "are"}`} in the capture: ${s.unmatchedReason}.`);
  }
  return parts.join(" ");
}

const join = (...parts: string[]) => parts.filter((p) => p !== "").join(" ");

/** What every trace verdict starts from. */
function common(f: Finding, a: TraceArgs) {
  const ing = a.ingress.filter((i) => i !== "local");
  return {
    said: `Debug flow (${ids(a.traces)}) says ${quote(a.decisive ?? a.lastStep ?? "")}`,
    head: `${label(f, a)}${fromTo(f, a)}`,
    ingText: ing.length > 0 ? list(ing) : null,
    egrText: a.egress.length > 0 ? list(a.egress) : null,
    sniffer: (dropped: boolean) => snifferSide(a.sniffer, a.traces.length, dropped),
  };
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

function policyRemedy(f: Finding, a: TraceArgs, ingress: string | null, egress: string | null): Pick<Description, "remedy" | "commands"> {
  return {
    remedy:
      `Add a firewall policy from ${ingress ?? "<ingress interface>"} to ${egress ?? "<egress interface>"} that accepts this traffic (above any deny policy for it), e.g. with the commands below. ` +
      `If ${egress ?? "the egress interface"} is a member of an SD-WAN or other zone, the policy must name the zone, not the member. Narrow srcaddr/dstaddr to what should pass.`,
    commands: [
      "config firewall policy",
      "    edit 0",
      `        set name "${(ingress ?? "in").replace(/\s+/g, "")}-to-${(egress ?? "out").replace(/\s+/g, "")}"`,
      `        set srcintf "${ingress ?? "<ingress interface>"}"`,
      `        set dstintf "${egress ?? "<egress interface>"}"`,
      `        set srcaddr "all"`,
      `        set dstaddr "all"`,
      "        set action accept",
      `        set schedule "always"`,
      `        set service "${policyService(f.proto, f.port)}"`,
      ...(a.snat !== null ? ["        set nat enable"] : []),
      "    next",
      "end",
    ],
  };
}

export function describePolicyDenied(f: Of<"policy-denied">): Description {
  const a = f.args;
  const { said, head, ingText, egrText, sniffer } = common(f, a);
  const routeFact = a.route !== null && !a.route.local ? `The route lookup had already found the way out (via ${a.route.interface}, gateway ${a.route.gateway}), so routing is not the cause.` : "";
  const between = `${ingText !== null ? ` from ${ingText}` : ""}${egrText !== null ? ` to ${egrText}` : ""}`;
  if (a.outcome === "dropped") {
    return {
      title: `${head}: dropped by the unit: ${quote(a.decisive ?? "")}`,
      explanation: join(`${said}: a drop message this tool has no finer reading for.`, routeFact, sniffer(true)),
      remedy: `Search the Fortinet knowledge base for the exact message, and re-run the trace with \`diagnose debug flow show iprope enable\` to see the checks before it.`,
      commands: [],
    };
  }
  if (a.check === "quota" || a.check === "endpoint" || a.check === "other") {
    const name = a.check === "quota" ? "traffic-shaping quota" : a.check === "endpoint" ? "endpoint (compliance)" : (a.deniedBy ?? "a");
    return {
      title: `${head}: dropped by the ${name} check`,
      explanation: join(
        `${said}.`,
        a.check === "quota" ? "A traffic shaper's quota on the matching policy (or a shaping policy) is used up: the policy allows the traffic, the shaper drops it." : "The policy matched, but a check attached to it refused the packet.",
        sniffer(true),
      ),
      remedy:
        a.check === "quota"
          ? "Check the shapers applied to this traffic: `diagnose firewall shaper traffic-shaper list`, `diagnose firewall shaper per-ip-shaper list`, and the shaping policies (`show firewall shaping-policy`); raise or remove the quota."
          : "Check the security profile and endpoint settings of the matching policy (`show firewall policy <id>`).",
      commands: [],
    };
  }
  if (a.policy === 0) {
    const where = ingText !== null ? ` from ${ingText}${egrText !== null ? ` to ${egrText}` : ""}` : "";
    return {
      title: `${head}: dropped by the implicit deny: no firewall policy${where} matches this traffic`,
      explanation: join(`${said}: policy 0 is the implicit deny at the end of the policy list, so no firewall policy${where} accepts ${label(f, a)}${fromTo(f, a)}${natText(a)}.`, routeFact, sniffer(true)),
      ...policyRemedy(f, a, ingText, egrText),
    };
  }
  if (a.policy !== null) {
    return {
      title: `${head}: dropped by firewall policy ${a.policy} (a deny policy)${between}`,
      explanation: join(`${said}: policy ${a.policy} matches this traffic and its action is deny; it sits above any policy that would accept it.`, routeFact, sniffer(true)),
      remedy: `Look at the policy: \`show firewall policy ${a.policy}\`. If this traffic should pass, narrow that policy's addresses or services, or move an accept policy above it:`,
      commands: ["config firewall policy", `    move <accept-policy-id> before ${a.policy}`, "end"],
    };
  }
  return {
    title: `${head}: dropped by the forward policy check${between}`,
    explanation: join(
      `${said}, without a policy number: in transparent mode (br_fw_forward_handler) this is usually the implicit deny, no policy between the two interfaces matching.`,
      routeFact,
      sniffer(true),
    ),
    ...policyRemedy(f, a, ingText, egrText),
  };
}

export function describeLocalInDenied(f: Of<"local-in-denied">): Description {
  const a = f.args;
  const { said, head, ingText, sniffer } = common(f, a);
  const dst = list(f.servers, 2) || "the unit";
  const svc = allowaccessName(f.proto, f.port);
  const onIf = ingText ?? "the ingress interface";
  if (a.policy !== null && a.policy > 0) {
    return {
      title: `${head}: refused by local-in policy ${a.policy} on ${onIf}`,
      explanation: join(`${said}: traffic to the unit itself (${dst}) matched local-in policy ${a.policy}, which drops it.`, sniffer(true)),
      remedy: `Look at the local-in policy: \`show firewall local-in-policy ${a.policy}\`. Allow the source in it, or add an accept local-in policy for ${svc ?? label(f, a)} from ${list(a.clients, 2) || "the source"} above it.`,
      commands: [],
    };
  }
  const vipHint = a.portTraffic
    ? ` If the traffic was meant for a server behind a VIP (port forwarding), the VIP did not match, so the unit took it for itself: check \`show firewall vip\` (extintf, extip, extport, mappedport) against ${list(f.servers.map((x) => `${x}:${f.port ?? "?"}`), 2)} arriving on ${onIf}.`
    : "";
  const trusted =
    `Check trusted hosts with \`show system admin\` (trusthost1...), and that ${f.servers.length > 1 ? `each of ${list(f.servers, 2)} is an address` : `${f.servers[0] ?? "the destination"} is the address`} of ${onIf} itself (\`show system interface ${onIf}\`): the unit refuses admin traffic to another interface's address.` +
    (vipHint !== "" ? " For port forwarding: `show firewall vip`." : "");
  return {
    title: `${head}: refused by the unit's local-in check on ${onIf}${svc !== null ? ` (${svc} not allowed there)` : ""}`,
    explanation: join(
      `${said}: the packet was addressed to the unit itself (${dst}) and no local-in rule accepted it (policy 0 is the implicit deny). ` +
        `Usually the service is not enabled on the interface it arrived on (allowaccess), the source is not among the administrators' trusted hosts, or the address belongs to another interface than the one the packet came in on.` +
        vipHint,
      sniffer(true),
    ),
    remedy:
      svc !== null
        ? `Enable the service on the interface the packet arrives on with the commands below (the list replaces the old one: keep what is there). ${trusted}`
        : `Check what listens on ${list(f.servers, 2)}:${f.port ?? "?"} and on which interface it is allowed. ${trusted}`,
    commands: svc !== null ? ["config system interface", `    edit "${onIf}"`, `        set allowaccess <current services> ${svc}`, "    next", "end"] : [],
  };
}

export function describeReversePathDrop(f: Of<"reverse-path-drop">): Description {
  const a = f.args;
  const { said, head, ingText, sniffer } = common(f, a);
  const src = list(a.clients, 2) || "the source";
  return {
    title: `${head}: dropped by the reverse path check: no route back to ${src} via ${ingText ?? "the ingress interface"}`,
    explanation: join(
      `${said}: before any policy, the unit checks that it would route replies to ${src} out of the interface the packet arrived on (${ingText ?? "?"}); it would not, so it took the packet for spoofed. ` +
        `Typical causes: a missing route to the source network, asymmetric routing, or a route that is configured but not active.`,
      sniffer(true),
    ),
    remedy:
      `See where the unit routes ${src}: \`get router info routing-table details ${a.clients[0] ?? "<source>"}\`. Add a route to the source network through ${ingText ?? "that interface"} with the commands below. ` +
      `Only for a deliberate asymmetric design: \`config system settings\` / \`set asymroute enable\` (weakens the anti-spoofing check).`,
    commands: [
      "config router static",
      "    edit 0",
      "        set dst <source network>",
      `        set gateway <next hop on ${ingText ?? "that interface"}>`,
      `        set device "${ingText ?? "<interface>"}"`,
      "    next",
      "end",
    ],
  };
}

export function describeNoSessionMatched(f: Of<"no-session-matched">): Description {
  const a = f.args;
  const { said, head, sniffer } = common(f, a);
  if (a.outcome === "dropped") {
    return {
      title: `${head}: dropped: the session is in BLOCK state`,
      explanation: join(
        `${said}: the packet belongs to an existing session that the unit has blocked, typically because the route under the session changed (a session created before the change keeps its old path).`,
        sniffer(true),
      ),
      remedy: `Clear the stale sessions (\`diagnose sys session filter dst ${f.servers[0] ?? "<destination>"}\`, then \`diagnose sys session clear\`), and for SNAT sessions consider \`config system global\` / \`set snat-route-change enable\`.`,
      commands: [],
    };
  }
  const flags = a.tcpFlags.join(",");
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
    commands: [],
  };
}

export function describeIpsecSelectorMismatch(f: Of<"ipsec-selector-mismatch">): Description {
  const a = f.args;
  const { said, head, sniffer } = common(f, a);
  const tunnel = a.tunnel ?? "the tunnel";
  const src = a.snat !== null ? a.snat.to.replace(/:\d+$/, "") : (a.clients[0] ?? "<source>");
  const into = list(a.tunnels.length > 0 ? a.tunnels : [tunnel]);
  const alternative = a.fromLocal
    ? `or give the unit's own traffic a source inside the selectors (SD-WAN health checks: \`config system sdwan\` / \`config members\` / \`edit <id>\` / \`set source <LAN address>\`, or an IP on the tunnel interface).`
    : a.snat !== null
      ? `or stop translating this traffic into the tunnel (disable NAT or change the IP pool on the policy).`
      : `or fix the source/destination so the traffic matches the existing selectors.`;
  return {
    title: `${head}: dropped entering IPsec ${into}: no phase-2 selector matches${a.snat !== null ? ` the translated source ${src}` : ""}`,
    explanation: join(
      `${said}: the route sent the packet${natText(a)} into ${into}, but ${src} -> ${f.servers[0] ?? "?"} is outside every phase-2 selector (quick-mode source and destination subnets) of the tunnel, so the unit drops it before encryption.` +
        (a.fromLocal ? ` The packet was sent by the unit itself (from local): with no address on the tunnel interface it takes its source from the outgoing WAN interface (here ${list(a.clients, 2)}), which the selectors do not cover.` : "") +
        (a.egressCopied ? " The sniffer's copy on the tunnel interface is printed before the selector check: it does not mean the packet was encrypted." : ""),
      sniffer(true),
    ),
    remedy: `Compare the packet with the selectors: \`diagnose vpn tunnel list name ${a.tunnels[0] ?? tunnel}\` (proxyid src/dst). Either widen the phase 2 to include ${src} with the commands below, ${alternative}`,
    commands: [
      "config vpn ipsec phase2-interface",
      `    edit "<phase2 of ${a.tunnels[0] ?? tunnel}>"`,
      `        set src-subnet <subnet holding ${src}>`,
      `        set dst-subnet <subnet holding ${f.servers[0] ?? "the destination"}>`,
      "    next",
      "end",
    ],
  };
}

export function describeIpsecNotReady(f: Of<"ipsec-not-ready">): Description {
  const a = f.args;
  const { said, head, sniffer } = common(f, a);
  const tunnel = list(a.tunnels) || "the tunnel";
  return {
    title: a.stalled ? `${head}: routed into IPsec ${tunnel}, but no tunnel took it (the trace stops there)` : `${head}: dropped: the IPsec SA of ${tunnel} was not ready`,
    explanation: join(
      a.stalled
        ? `Debug flow (${ids(a.traces)}) stops right after ${quote(a.decisive ?? "")}: the packet was routed into the IPsec interface but no tunnel instance (SA) took it — the tunnel, or the dial-up/ADVPN peer behind it, is down. Nothing after that line is a guess; the trace proves only where it stopped.`
        : `${said}: the tunnel had no usable phase-2 SA when the packet came, so the unit dropped it (the first packets start the negotiation).` +
            (a.laterEncrypted.length > 0 ? ` Later packets of the same traffic were encrypted and sent (${ids(a.laterEncrypted)}): the tunnel came up afterwards.` : ""),
      sniffer(true),
    ),
    remedy:
      `Check the tunnel: \`get vpn ipsec tunnel summary\`, \`diagnose vpn tunnel list name ${a.tunnels[0] ?? "<tunnel>"}\`, \`diagnose vpn ike gateway list name ${a.tunnels[0] ?? "<tunnel>"}\`; ` +
      `bring it up (\`diagnose vpn tunnel up <phase2> ${a.tunnels[0] ?? "<phase1>"}\`) and watch the negotiation with \`diagnose debug application ike -1\` / \`diagnose debug enable\`.`,
    commands: [],
  };
}

export function describeTraceEnded(f: Of<"trace-ended">): Description {
  const a = f.args;
  const { head, sniffer } = common(f, a);
  return {
    title: `${head}: ${ids(a.traces)} ended without a decisive line`,
    explanation: join(`Debug flow (${ids(a.traces)}) stops after ${quote(a.lastStep ?? "")} with neither an allow nor a drop line: nothing is proven${a.note !== null ? `; ${a.note}` : ""}.`, sniffer(false)),
    remedy: `Trace again with more detail: \`diagnose debug flow show iprope enable\`, \`diagnose debug flow show function-name enable\`, then \`diagnose debug flow trace start 20\`, and paste every line of the trace.`,
    commands: [],
  };
}

export function describeOffloaded(f: Of<"offloaded">): Description {
  const a = f.args;
  const { head, sniffer } = common(f, a);
  const policy = a.offloadPolicy;
  return {
    title: `${head}: session offloaded to the NP processor: later packets are in neither output`,
    explanation: join(
      `Debug flow (${ids(a.traces)}) says "npu session installation succeeded": from then on the NP processor forwards this session's packets without the CPU, so neither the sniffer nor debug flow shows them. Their absence is not a drop.`,
      sniffer(false),
    ),
    remedy: `To see every packet while troubleshooting, disable offloading on the policy${policy !== null ? ` (policy ${policy})` : ""} and re-enable it afterwards:`,
    commands: ["config firewall policy", `    edit ${policy ?? "<policy id>"}`, "        set auto-asic-offload disable", "    next", "end"],
  };
}
