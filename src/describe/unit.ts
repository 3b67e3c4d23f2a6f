/**
 * The words of the verdict codes that rest on the model of the unit (issue 11): local-in traffic,
 * refusals the unit generated, ICMP errors and who sent them, late answers, tunnels, DHCP,
 * established connections, one-direction filters and empty captures.
 */
import type { Description, Finding } from "../contract/report.js";
import type { SentBy, UnitAddressFact } from "../contract/args-unit.js";
import { listAddresses, ms, plural } from "../format/words.js";
import { namedService, serviceLabel } from "../format/service.js";
import { flowDebugCommands } from "./remedy.js";
import { caveatText } from "./sniffer.js";

type Of<C extends Finding["code"]> = Finding<C>;

function named(f: Finding, name: string | null): string {
  return namedService(serviceLabel(f.proto ?? "", f.port), name);
}

function requests(proto: string | null, n: number): string {
  if (proto === "tcp") return plural(n, "connection attempt");
  if (proto === "icmp" || proto === "icmp6") return plural(n, "echo request");
  if (proto === "arp") return plural(n, "ARP request");
  return plural(n, "request");
}

const EVIDENCE_WORDS: Record<UnitAddressFact["evidence"], string> = {
  given: "given with --unit-address",
  "trace-local": "a debug-flow trace delivers packets to it locally",
  "icmp-error": "the unit sends ICMP errors from it",
  arp: "the unit sends ARP from it",
  snat: "the unit translates forwarded packets to it (SNAT)",
  "ike-esp": "the unit sends IKE/ESP from it",
  answer: "the unit answers requests to it itself",
  originated: "the unit sends packets from it",
};

function whyOwn(addresses: readonly UnitAddressFact[]): string {
  return addresses
    .slice(0, 3)
    .map((a) => `${a.address} (${EVIDENCE_WORDS[a.evidence]}${a.line !== null ? `, line ${a.line}` : ""})`)
    .join(", ");
}

function sentByWords(sentBy: SentBy, reporters: readonly string[]): string {
  const who = listAddresses([...reporters], 3);
  if (sentBy === "unit") return `the unit itself (${who})`;
  if (sentBy === "host") return `the host itself (${who})`;
  return `a router further on (${who})`;
}

function allowaccessCommands(iface: string | null, keyword: string): string[] {
  return ["config system interface", `    edit "${iface ?? "<interface>"}"`, `        append allowaccess ${keyword}`, "    next", "end"];
}

export function describeLocalInUnanswered(f: Of<"local-in-unanswered">): Description {
  const a = f.args;
  const svc = named(f, a.name);
  const to = listAddresses(a.addresses.map((x) => x.address), 3);
  const iface = a.ingress[0] ?? null;
  const some = a.answered > 0 ? `, ${a.answered} answered` : "";
  const title = `${svc}: the unit did not answer its own ${serviceLabel(f.proto ?? "", f.port)} on ${to} (${requests(f.proto, a.requests)}${some})`;
  const explanation =
    `${requests(f.proto, a.requests)} from ${listAddresses(a.clients, 3)} went to ${to}${a.ingress.length > 0 ? `, arriving on ${a.ingress.join(", ")}` : ""}: ` +
    `that is the unit's own address (${whyOwn(a.addresses)}), so this is traffic to the unit (local-in), not traffic it forwards. ` +
    `${a.unanswered + a.inconclusive === 1 ? "One got" : `${a.unanswered + a.inconclusive} got`} no answer from the unit` +
    (a.inconclusive > 0 ? ` (${a.inconclusive} sent less than the reply window before the capture ended)` : "") +
    ". Nothing upstream is involved: the unit received the packets and did not answer." +
    caveatText(a.caveats);
  const trust = "the administrator's trusted hosts (`trusthost1`… under `config system admin`) must include the client";
  const localIn = "no local-in policy may deny it (`show firewall local-in-policy`)";
  switch (a.hint) {
    case "admin":
      return {
        title,
        explanation,
        remedy:
          `Allow the administrative protocol on the interface the requests arrive on (\`allowaccess\`; \`append\` keeps the others); ${trust}; ${localIn}; ` +
          `a VIP or port forward on the same address and port takes the connection before the admin service (\`show firewall vip\`), and the admin port may have been moved (\`get system global | grep admin-\`).`,
        commands: allowaccessCommands(iface, a.allowaccess ?? "https"),
      };
    case "sslvpn":
      return {
        title,
        explanation,
        remedy: `The port may belong to SSL-VPN rather than the admin GUI (\`show vpn ssl settings\`: \`port\`, \`source-interface\`), or a VIP may take it (\`show firewall vip\`); SSL-VPN must listen on the interface the requests arrive on, and ${localIn}.`,
        commands: ["show vpn ssl settings", "show firewall local-in-policy"],
      };
    case "ike":
      return {
        title,
        explanation,
        remedy: `IKE to the unit got no answer: check that a phase 1 exists for this peer on the interface the packets arrive on (remote gateway, local gateway) and ${localIn}; the IKE daemon's debug says why it stays silent.`,
        commands: [`diagnose vpn ike log-filter dst-addr4 ${a.addresses[0]?.address ?? "<unit address>"}`, "diagnose debug application ike -1", "diagnose debug enable"],
      };
    case "ping":
      return {
        title,
        explanation,
        remedy: `Pings to the unit are answered only where the interface allows them (\`allowaccess ping\`; \`append\` keeps the others), and ${localIn}.`,
        commands: allowaccessCommands(iface, "ping"),
      };
    case "snmp":
      return {
        title,
        explanation,
        remedy: `The interface must allow SNMP (\`allowaccess snmp\`), the community or SNMPv3 user must list the querying host, and ${localIn}.`,
        commands: allowaccessCommands(iface, "snmp"),
      };
    case "other":
      return {
        title,
        explanation,
        remedy: `Check that the unit runs this service on that address and interface, and that ${localIn}; trace the next request to see what the unit decides.`,
        commands: flowDebugCommands(a.addresses[0]?.address ?? "<unit address>"),
      };
  }
}

export function describeAnsweredLate(f: Of<"answered-late">): Description {
  const a = f.args;
  const svc = named(f, a.name);
  const n = a.reason === "sdwan-probe-timeout" ? a.slow : a.late;
  const title = `${svc}: ${n} of ${requests(f.proto, a.requests)} answered late, up to ${ms(a.maxDelay)}`;
  const base = `${a.answered} of ${requests(f.proto, a.requests)} got an answer, but ${n === 1 ? "one" : n} only after ${ms(a.threshold)} (the slowest after ${ms(a.maxDelay)}); the answers are in the capture, so the path works.`;
  switch (a.reason) {
    case "radius-timeout":
      return {
        title,
        explanation: `${base} The unit waits ${ms(a.threshold)} for a RADIUS answer by default (\`remoteauthtimeout\`): with MFA push or a slow back end the answer comes after the unit gave up, and the login fails though the server said yes.`,
        remedy: "Raise the unit's remote authentication timeout above the slowest answer (60 s covers a push approval).",
        commands: ["config system global", "    set remoteauthtimeout 60", "end"],
      };
    case "dns-client-timeout":
      return {
        title,
        explanation: `${base} DNS clients give up after 2–5 s and retry or fail, so an answer this late is as good as lost for them.`,
        remedy: "Find why the resolver answers so slowly (its forwarders, the path to them), or point the clients at a faster resolver.",
        commands: [],
      };
    case "sdwan-probe-timeout":
      return {
        title,
        explanation: `${base} If these are SD-WAN health-check probes, the default probe-timeout is 500 ms: a slower answer counts as a lost probe, and members fail their SLA though the server answers.`,
        remedy: "Raise the health check's probe-timeout above the measured reply time, or probe a closer server.",
        commands: ["config system sdwan", "    config health-check", '        edit "<health-check>"', "            set probe-timeout 1000", "        next", "    end", "end"],
      };
    case "past-window":
      return {
        title,
        explanation: `${base} Most clients have given up by then; the answer arrives but too late to be used.`,
        remedy: "Find what delays the answers on the server side or on the path; if the delay is expected, raise the client's timeout.",
        commands: [],
      };
  }
}

export function describeHostUnreachable(f: Of<"host-unreachable">): Description {
  const a = f.args;
  const svc = named(f, a.name);
  const hosts = listAddresses(f.servers, 3);
  const what = a.kind === "net-unreachable" ? "network unreachable" : "host unreachable";
  const title = `${svc}: ${hosts} ${what}, said ${a.sentBy === "unit" ? "by the unit itself" : a.sentBy === "host" ? "by the host" : `by ${listAddresses(a.reporters, 2)}`}`;
  const explanation =
    `${requests(f.proto, a.rejected)} to ${hosts} ${a.rejected === 1 ? "was" : "were"} answered with an ICMP ${what} from ${sentByWords(a.sentBy, a.reporters)}. ` +
    (a.sentBy === "unit"
      ? `The unit sent it back${a.ingress.length > 0 ? ` out of ${a.ingress.join(", ")}, where the request came in` : ""}: it could not deliver the packet itself — no ARP answer from the host on a connected network, or no route.`
      : `The request got past the unit; that router has no way to the host (it is down, or its network is not routed there).`);
  return {
    title,
    explanation,
    remedy:
      a.sentBy === "unit"
        ? `Check that ${hosts} is up and answers ARP on the connected network (\`get system arp\`, \`diagnose ip arp list\`), and that the unit has a route to it.`
        : `Ask the owner of ${listAddresses(a.reporters, 2)} why it cannot reach ${hosts}; check that the host is up and its network routed.`,
    commands: a.sentBy === "unit" ? ["get system arp", `get router info routing-table details ${f.servers[0] ?? "<host>"}`] : [],
  };
}

export function describeRefusedByUnit(f: Of<"refused-by-unit">): Description {
  const a = f.args;
  const svc = named(f, a.name);
  const how = a.kinds.map((k) => (k === "tcp-rst" ? "a TCP RST" : `an ICMP ${k.replace(/-/g, " ")}`)).join(" and ");
  return {
    title: `${svc}: the unit refused ${requests(f.proto, a.refused)} itself (${a.kinds.includes("tcp-rst") ? "TCP RST" : "ICMP"})`,
    explanation:
      `${requests(f.proto, a.refused)} to ${listAddresses(f.servers, 3)} arrived on ${a.ingress.join(", ") || "the unit"} and never left; ${how} went straight back out of the same interface, generated by the unit. ` +
      "The server never saw the request: the unit refused it (a deny policy with `send-deny-packet enable`, or a local-in rule that rejects).",
    remedy: `Find the policy that denies this traffic (the trace names it) and allow it, or disable send-deny-packet if silent drops are wanted.`,
    commands: flowDebugCommands(a.traceAddress),
  };
}

export function describeFragmentationNeeded(f: Of<"fragmentation-needed">): Description {
  const a = f.args;
  const svc = named(f, a.name);
  return {
    title: `${svc}: fragmentation needed${a.mtu !== null ? ` (next-hop MTU ${a.mtu})` : ""}, said by ${a.sentBy === "unit" ? "the unit itself" : listAddresses(a.reporters, 2)}`,
    explanation:
      `${requests(f.proto, a.rejected)} to ${listAddresses(f.servers, 3)} ${a.rejected === 1 ? "was" : "were"} too big for the path with Don't Fragment set; ${sentByWords(a.sentBy, a.reporters)} answered with ICMP fragmentation needed` +
      `${a.mtu !== null ? ` and a next-hop MTU of ${a.mtu}` : ""}. If the sender ignores it (or the ICMP is filtered on the way back), large packets are lost while small ones pass (PMTU black hole).`,
    remedy: `Let the ICMP reach the sender, or lower the MTU or the TCP MSS on the path (\`set tcp-mss-sender\` / \`set tcp-mss-receiver\` on the policy, \`set mtu-override enable\` and \`set mtu\` on the interface).`,
    commands: [],
  };
}

export function describeTtlExceeded(f: Of<"ttl-exceeded">): Description {
  const a = f.args;
  const svc = named(f, a.name);
  return {
    title: `${svc}: time exceeded on the way to ${listAddresses(f.servers, 2)}, said by ${a.sentBy === "unit" ? "the unit itself" : listAddresses(a.reporters, 2)}`,
    explanation: `${requests(f.proto, a.rejected)} ran out of TTL before reaching ${listAddresses(f.servers, 3)}; ${sentByWords(a.sentBy, a.reporters)} reported it. Outside a traceroute this points to a routing loop.`,
    remedy: `Follow the route toward the destination hop by hop (\`execute traceroute\`) and look for two routers pointing at each other.`,
    commands: [`execute traceroute ${f.servers[0] ?? "<destination>"}`],
  };
}

export function describeFilterExcludesRequests(f: Of<"filter-excludes-requests">): Description {
  const a = f.args;
  const svc = named(f, a.name);
  return {
    title: `${svc}: only answers from ${listAddresses(f.servers, 2)} were captured; the capture filter could not show the requests`,
    explanation: `${plural(a.packets, "packet")} in ${plural(a.flows, "conversation")} came from the server side only. The capture's filter '${a.filter}' excludes the other direction${a.reason !== null ? `: ${a.reason}` : ""}, so nothing can be said about the requests, and these answers are not requests of their own.`,
    remedy: `Capture again with a filter that matches both directions, e.g. \`diagnose sniffer packet ${a.interfaces ?? "any"} 'host ${f.servers[0] ?? "<server>"}' 4 0 a\`.`,
    commands: [],
  };
}

export function describeEstablishedConnection(f: Of<"established-connection">): Description {
  const a = f.args;
  const svc = named(f, a.name);
  const one = a.connections - a.bothSides;
  return {
    title: `${svc}: ${plural(a.connections, "established connection")} (already open when the capture started)${one > 0 ? `, ${one} with one side only` : ""}`,
    explanation:
      `The capture started inside ${a.connections === 1 ? "a connection" : "connections"} to ${listAddresses(f.servers, 3)}: no SYN was seen, only data and acknowledgements. ` +
      (a.bothSides > 0 ? `${a.bothSides === a.connections ? "Both sides" : `In ${a.bothSides} of them both sides`} were heard. ` : "") +
      (one > 0 ? `In ${one === 1 ? "one" : one} only the client's packets were seen: the other direction takes another path (asymmetric routing) or the filter hides it. ` : "") +
      "How the connections were opened is not in the capture.",
    remedy: one > 0 ? "Capture on `any` (or on both interfaces) to see the other direction, and start the capture before the connection is opened." : null,
    commands: [],
  };
}

export function describeEspOneWay(f: Of<"esp-one-way">): Description {
  const a = f.args;
  return {
    title: `IPsec ESP to ${a.remote}: ${plural(a.sent, "packet")} out (SPI ${a.sentSpis.join(", ") || "?"}), nothing back`,
    explanation:
      `${a.local} sent ${plural(a.sent, "ESP packet")} to ${a.remote} over ${ms(a.span)}${a.sentByUnit ? " (the unit encrypts and sends them)" : ""}, and no ESP came back from ${a.remote}: the tunnel is up but no traffic returns ("tunnel up, no traffic"). ` +
      "The remote side may drop it (no matching policy or route behind it, different selectors), or ESP is filtered on the way (NAT without NAT-T).",
    remedy: `Check the SA counters on both ends (\`diagnose vpn tunnel list\`: enc/dec packets) and the remote side's policy and route for this traffic; if NAT is in the path, make sure NAT-T (UDP/4500) is used.`,
    commands: [`diagnose vpn tunnel list | grep -A20 ${a.remote}`],
  };
}

export function describeEspBothWays(f: Of<"esp-both-ways">): Description {
  const a = f.args;
  return {
    title: `IPsec ESP between ${a.local} and ${a.remote}: ${a.sent} out, ${a.received} back`,
    explanation: `ESP flows both ways (SPIs ${a.sentSpis.join(", ") || "?"} out, ${a.receivedSpis.join(", ") || "?"} back): the tunnel carries traffic.`,
    remedy: null,
    commands: [],
  };
}

export function describeDhcpNoOffer(f: Of<"dhcp-no-offer">): Description {
  const a = f.args;
  return {
    title: `DHCP: ${plural(a.discovers, "broadcast discover")}${a.ingress.length > 0 ? ` on ${a.ingress.join(", ")}` : ""}, ${a.answered === 0 ? "no offer" : `${a.answered} answered`}`,
    explanation: `Clients broadcast DHCP discovers${a.ingress.length > 0 ? ` on ${a.ingress.join(", ")}` : ""} and no server answered ${a.answered === 0 ? "any" : "the others"} with an offer: the clients get no address.`,
    remedy: "On that interface, enable the unit's DHCP server (with free addresses in its range) or a DHCP relay to the server (`set dhcp-relay-service enable`, `set dhcp-relay-ip`).",
    commands: ["show system dhcp server", "diagnose debug application dhcps -1"],
  };
}

export function describeEmptyCapture(f: Of<"empty-capture">): Description {
  const a = f.args;
  const where = a.interfaces ?? "the interface";
  return {
    title: `The filter matched nothing on ${where}`,
    explanation: `The capture on ${where}${a.filter !== null && a.filter !== "none" ? ` with the filter '${a.filter}'` : ""} printed no packet${a.received !== null ? ` (${a.received} received by filter)` : ""}: either no such traffic passed, or it passed on another interface, or the filter does not say what was meant.`,
    remedy: "Check the interface and the filter: capture on `any` with only a host in the filter first, then narrow it.",
    commands: [`diagnose sniffer packet any 'host <address>' 4 0 a`],
  };
}
