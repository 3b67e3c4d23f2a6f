/**
 * The built-in service catalogue: what each port means to a Fortinet unit, whether a reply is
 * expected, and what to do when requests go unanswered. Fortinet facts come from
 * ../shared/spec/fortinet-services.md and keep its source strings verbatim in `sources`;
 * generic services the facts file does not cover cite the IANA registry or the RFC.
 *
 * Pure data: no I/O, runs in Node and in the browser.
 */

/**
 * How the service is carried. `ports` means, by proto:
 * - `udp` / `tcp`: the server ports (at least one);
 * - `ip`: IP protocol numbers (`ip-proto-89` is OSPF);
 * - `ether`: ethertypes (layer-2 frames the sniffer prints as `Ether type 0x8890 ...`);
 * - `icmp` / `esp`: none (ICMP echo, IPsec ESP; IP protocol 50 is looked up as `esp`).
 */
export type ServiceProto = "udp" | "tcp" | "icmp" | "esp" | "ip" | "ether";

export const SERVICE_PROTOS: readonly ServiceProto[] = ["udp", "tcp", "icmp", "esp", "ip", "ether"];

/** Who opens the exchange, seen from the unit: it sends (`outbound`), it receives (`inbound`), or both happen. */
export type ServiceDirection = "outbound" | "inbound" | "either";

export const SERVICE_DIRECTIONS: readonly ServiceDirection[] = ["outbound", "inbound", "either"];

/**
 * Traffic sent to multicast groups. `reply`: `none` when nothing answers the sender (routing
 * hellos, mDNS answers sent to the group), `unicast` when members answer the sender from their
 * own address (SSDP M-SEARCH responses, LLMNR).
 */
export interface MulticastHandling {
  readonly groups: readonly string[];
  readonly reply: "none" | "unicast";
}

/**
 * Traffic sent to a broadcast address. `reply`: `none`, `unicast` (answers come back to the
 * sender's address), or `broadcast` (answers may themselves be broadcast, as DHCP's are).
 */
export interface BroadcastHandling {
  readonly reply: "none" | "unicast" | "broadcast";
}

export interface ServiceEntry {
  /** stable key; `--services FILE` entries override by it */
  readonly id: string;
  /** short name shown after the port: `UDP/8889 (FortiGuard antispam rating)` */
  readonly name: string;
  readonly proto: ServiceProto;
  /** see {@link ServiceProto} for what the numbers mean per proto */
  readonly ports: readonly number[];
  /** Fortinet products the facts name for this use of the port; empty: any device */
  readonly products: readonly string[];
  readonly direction: ServiceDirection;
  /** false for one-way traffic (syslog, SNMP traps, flow export, push notifications) */
  readonly expectsReply: boolean;
  readonly multicast?: MulticastHandling;
  readonly broadcast?: BroadcastHandling;
  /**
   * What to check or change when requests go unanswered. Format (what the renderers expect):
   * the first line is prose (inline `code` allowed); every further line is a CLI command
   * (a blank line separates alternative command sets). null: no specific advice (user entries
   * only; the verdict engine then gives its generic remedy).
   */
  readonly remedy: string | null;
  /** what to do when the far side refuses (TCP RST, ICMP unreachable), when it differs from `remedy`; same format */
  readonly rejectedRemedy?: string;
  /** caveats, and every place where sources disagree (said, not silently resolved) */
  readonly notes?: readonly string[];
  /** where the facts come from: the facts file's source strings verbatim, or "IANA service registry" / "RFC n" */
  readonly sources: readonly string[];
  /** host names the unit contacts for this service (from the sources) */
  readonly hosts?: readonly string[];
  /** server addresses seen for this service in the sources: a hint that names the service on a shared port, never a list to rely on */
  readonly addresses?: readonly string[];
  /**
   * Rank among entries sharing a proto and port, lower first (see lookupService):
   * 10 the generic protocol that owns the port, 20 a Fortinet service on its documented port,
   * 30 a Fortinet use limited to a special deployment or a non-default setting.
   * User entries added without one get 5.
   */
  readonly precedence: number;
}

/** Precedence bands (see ServiceEntry.precedence). */
export const PRECEDENCE = { user: 5, generic: 10, fortinet: 20, special: 30 } as const;

// ---- sources, verbatim from ../shared/spec/fortinet-services.md ------------------------------

const KB189511_TITLED = 'Fortinet KB 189511 "Resolving FDS Communication Issues"';
const KB189511 = "KB 189511";
const FOS64_FG_OPEN_PORTS_TITLED = 'FortiOS 6.4 Ports and Protocols, "FortiGuard open ports"';
const FOS64_FG_OPEN_PORTS = "FortiOS 6.4 FortiGuard open ports";
const KB192524_SEED = "Fortinet KB 192524 (the seed)";
const KB192524 = "KB 192524";
const FOS56_FORTIMAIL = "FortiOS 5.6 Ports and Protocols, FortiMail page";
const FML72_CLI_ANTISPAM = "FortiMail 7.2 CLI `system fortiguard antispam` (`set port {443 | 53 | 8888}`)";
const KB198064_TITLED = 'Fortinet KB 198064 "FortiManager Ports"';
const KB198064 = "KB 198064";
const FMG70_PORTS = "FortiManager 7.0 ports";
const FMG70_OUTGOING = "FortiManager 7.0 outgoing ports";
const FOS74_ANYCAST = 'FortiOS 7.4 Administration Guide "Anycast"';
const KB190041 = "KB 190041";
const FOS6015_RN = 'FortiOS 6.0.15 release notes "FortiGuard protocol and port number"';
const FML_PUSH = 'FortiMail Administration Guide "Configuring push updates" (the second seed document)';
const KB226149_TITLED = 'KB 226149 "Unable to connect to FortiGuard servers"';
const FOS50_HELP = 'FortiOS 5.0 help "FortiGuard"';
const FOS64_PORTS = "FortiOS 6.4 ports";
const FOS_PORTS_LIST = "FortiOS ports list";
const FOS64_70_INCOMING = "FortiOS 6.4 / 7.0 incoming ports";
const FOS70_INCOMING = "FortiOS 7.0 incoming ports";
const FOS64_FGT_OPEN_PORTS = "FortiOS 6.4 FortiGate open ports";
const FMG60_OUTGOING = "FortiManager 6.0 outgoing ports";
const FOS64 = "FortiOS 6.4";
const FAC_OPEN_PORTS = "FortiAuthenticator open ports";
const FOS64_70 = "FortiOS 6.4 / 7.0";
const RFC2131 = "RFC 2131";
const RFC6762 = "RFC 6762";
const UPNP = "UPnP";

// ---- sources for what the facts file does not cover ------------------------------------------

const IANA = "IANA service registry";

/** The facts file cites these together for the FortiGuard host names. */
const HOST_NAME_SOURCES = ["KB 226149", KB192524, FOS50_HELP, FMG70_OUTGOING];

// ---- remedy pieces shared by several entries -------------------------------------------------

const UPDATE_DEBUG = "diagnose debug application updated 7\ndiagnose debug enable\nexecute update now";
const ANYCAST_ON = "config system fortiguard\n    set fortiguard-anycast enable\n    set protocol https\n    set port 443\nend";
const FORTIMAIL_ANTISPAM_PORT_53 = "config system fortiguard antispam\n    set port 53\nend";

const FORTIGUARD_ANTISPAM_ADDRESSES = ["208.91.112.194", "216.156.209.26", "82.71.226.65"];

export const BUILTIN_SERVICES: readonly ServiceEntry[] = [
  // ---- FortiGuard ------------------------------------------------------------------------------
  {
    id: "fortiguard-rating-udp",
    name: "FortiGuard rating (web filter / antispam)",
    proto: "udp",
    ports: [53, 8888],
    products: ["FortiGate"],
    direction: "outbound",
    expectsReply: true,
    remedy:
      "FortiGuard rating queries on UDP/53 or UDP/8888 got no reply: these ports are sometimes on ACLs of the service provider or of an upstream firewall, so allow them toward FortiGuard there; " +
      "`diagnose debug rating` lists the rating servers with their flags (`F` failed) and the \"Curr Lost\" / \"Total lost\" counters. " +
      "The commands below move rating to anycast HTTPS/443 (the default since FortiOS 6.4.3; HTTPS/443 works only with anycast servers), " +
      "and, when the upstream filter also drops low source ports, set the source port range under `config system global`.\n" +
      ANYCAST_ON +
      "\n\nconfig system global\n    set ip-src-port-range <start>-<end>\nend",
    notes: [
      "KB 189511 names UDP 53 or 8888 for legacy unicast rating; the FortiOS 6.4 table also lists TCP 53, TCP 8888 and TCP 443 (anycast) for FortiGuard queries, and since FortiOS 6.4.3 anycast HTTPS/443 is the default (FortiOS 7.4 Administration Guide \"Anycast\"). UDP rating is the legacy mode, not the default.",
      "UDP/53 is also plain DNS and UDP/8888 also FortiMail antispam rating: the catalogue names this entry only when the context (server addresses, product) points to it.",
      "Fortinet material also names fds1.fortinet.com and fqsvr.fortinet.com without saying which FortiGuard service each one serves.",
    ],
    sources: [KB189511_TITLED, FOS64_FG_OPEN_PORTS_TITLED, KB189511, ...HOST_NAME_SOURCES],
    hosts: ["service.fortiguard.net"],
    precedence: PRECEDENCE.fortinet,
  },
  {
    id: "fortiguard-https-unicast",
    name: "FortiGuard over HTTPS (unicast servers)",
    proto: "tcp",
    ports: [8888, 53],
    products: ["FortiGate"],
    direction: "outbound",
    expectsReply: true,
    remedy:
      "HTTPS connections to the unicast FortiGuard servers on TCP/8888 or TCP/53 (used when `fortiguard-anycast` is disabled) got no answer: allow that port toward FortiGuard on every upstream firewall, " +
      "check the servers' state with `diagnose debug rating`, or move to anycast HTTPS/443 with the commands below.\n" +
      ANYCAST_ON,
    notes: [
      "The FortiOS 6.4 table lists TCP 53 and TCP 8888 without naming the protocol; the Anycast page says \"When fortiguard-anycast is disabled, use HTTPS/8888 or HTTPS/53\"; the FortiOS 6.0.15 release notes make HTTPS TCP/8888 the unicast default after a factory reset.",
      "TCP/53 is also DNS over TCP.",
    ],
    sources: [FOS64_FG_OPEN_PORTS_TITLED, FOS74_ANYCAST, KB190041, FOS6015_RN, ...HOST_NAME_SOURCES],
    hosts: ["securewf.fortiguard.net"],
    precedence: PRECEDENCE.fortinet,
  },
  {
    id: "fortiguard-anycast",
    name: "FortiGuard anycast (HTTPS)",
    proto: "tcp",
    ports: [443],
    products: ["FortiGate"],
    direction: "outbound",
    expectsReply: true,
    remedy:
      "HTTPS connections to the FortiGuard anycast servers on TCP/443 got no answer: allow TCP/443 toward them upstream and check that the unit resolves their names (`globalguardservice.fortinet.net`, `globalupdate.fortinet.net`, `guard.fortinet.net`); " +
      "a device that intercepts TLS on the path also breaks the connection, because the unit completes the handshake only with a server whose certificate has a good OCSP status. " +
      "If TCP/443 cannot be opened, fall back to the unicast servers on HTTPS/8888 with the commands below.\n" +
      "config system fortiguard\n    set fortiguard-anycast disable\n    set protocol https\n    set port 8888\nend",
    notes: ["Anycast is the default since FortiOS 6.4.3; HTTPS/443 is only supported on anycast servers."],
    sources: [FOS74_ANYCAST, KB190041, FOS64_FG_OPEN_PORTS_TITLED, KB226149_TITLED, ...HOST_NAME_SOURCES],
    hosts: ["guard.fortinet.net", "globalupdate.fortinet.net", "globalguardservice.fortinet.net"],
    precedence: PRECEDENCE.fortinet,
  },
  {
    id: "fortimail-antispam-udp",
    name: "FortiGuard antispam rating",
    proto: "udp",
    ports: [8889, 8888, 53],
    products: ["FortiMail"],
    direction: "outbound",
    expectsReply: true,
    remedy:
      "Intermediary firewalls must allow the FortiMail unit to reach the FDN on the antispam query port in use (UDP/8888, UDP/8889 or UDP/53, per the FortiGuard Antispam options): allow it there, or switch the query port to 53 with the commands below " +
      "(in KB 192524 the queries on UDP/8889 went unanswered and were answered after the change to UDP/53). " +
      "The unit also needs a DNS server that resolves `antispam.fortigate.com` (`execute nslookup name antispam.fortigate.com`) and a route out (`execute ping`, `execute traceroute <address>`); " +
      "while queries fail, the antispam log shows `FortiGuard-Antispam: No Answer from server.`\n" +
      FORTIMAIL_ANTISPAM_PORT_53,
    rejectedRemedy:
      "The server refused the antispam query on this port: check that the queries go to the FortiGuard antispam servers (default `antispam.fortigate.com`) and not to a stale override address, or switch the query port with the commands below.\n" +
      FORTIMAIL_ANTISPAM_PORT_53,
    notes: [
      "Sources disagree on the ports: KB 192524 and the FortiOS 5.6 FortiMail page list UDP 53, 8888 or 8889; the FortiMail 7.2 CLI `system fortiguard antispam` offers `set port {443 | 53 | 8888}` (no 8889, and 443, which is not a UDP option in the KB).",
      "UDP/8889 is also the antispam port of a FortiManager acting as local FortiGuard server (KB 198064).",
      "The addresses are what `antispam.fortigate.com` resolved to in the KB 192524 capture (2009-2010); FortiGuard addresses change, so a match only helps name the service on a shared port.",
    ],
    sources: [KB192524_SEED, FOS56_FORTIMAIL, FML72_CLI_ANTISPAM, ...HOST_NAME_SOURCES],
    hosts: ["antispam.fortigate.com"],
    addresses: FORTIGUARD_ANTISPAM_ADDRESSES,
    precedence: PRECEDENCE.fortinet,
  },
  {
    id: "fortimanager-fds-antispam-udp",
    name: "FortiManager local FortiGuard antispam",
    proto: "udp",
    ports: [8889],
    products: ["FortiManager"],
    direction: "either",
    expectsReply: true,
    remedy:
      "Antispam queries to a FortiManager acting as local FortiGuard server (UDP/8889) got no answer: check that its FortiGuard antispam service is enabled, that the unit's FortiGuard override server is that FortiManager, and that UDP/8889 and TCP/8889 are allowed between them.",
    notes: [
      "\"Applies only when FortiManager is acting as a local FortiGuard server.\" Queries to FortiGuard itself on UDP/8889 are FortiMail antispam rating (KB 192524).",
    ],
    sources: [KB198064_TITLED, FMG70_PORTS],
    precedence: PRECEDENCE.special,
  },
  {
    id: "fortimanager-fds-antispam-tcp",
    name: "FortiManager local FortiGuard antispam",
    proto: "tcp",
    ports: [8889],
    products: ["FortiManager"],
    direction: "either",
    expectsReply: true,
    remedy:
      "Antispam connections to a FortiManager acting as local FortiGuard server (TCP/8889) got no answer: check that its FortiGuard antispam service is enabled, that the unit's FortiGuard override server is that FortiManager, and that TCP/8889 and UDP/8889 are allowed between them.",
    notes: ["\"Applies only when FortiManager is acting as a local FortiGuard server.\""],
    sources: [KB198064_TITLED, FMG70_PORTS],
    precedence: PRECEDENCE.special,
  },
  {
    id: "fortiguard-updates",
    name: "FortiGuard updates and licensing (HTTPS)",
    proto: "tcp",
    ports: [443],
    products: ["FortiGate", "FortiMail"],
    direction: "outbound",
    expectsReply: true,
    remedy:
      "AV/IPS updates, licensing and registration go to the FDN over HTTPS on TCP/443: intermediary firewalls must allow it. The unit also needs a FortiGuard contract and registration, a DNS server that resolves the FortiGuard names, " +
      "a route to the Internet (`execute ping`, `execute traceroute <address>`) and a correct system time and time zone; behind a web proxy, FortiMail needs the proxy under `config system fortiguard antivirus`; an override FDS server can be tried. " +
      "Debug one update attempt with the commands below (FortiMail syntax; a FortiGate uses `execute update-now`).\n" +
      UPDATE_DEBUG,
    sources: [FOS64_FG_OPEN_PORTS, ...HOST_NAME_SOURCES],
    hosts: ["update.fortiguard.net"],
    precedence: PRECEDENCE.fortinet,
  },
  {
    id: "fortiguard-updates-fds",
    name: "FortiGuard updates from FortiManager / FDS",
    proto: "tcp",
    ports: [8890],
    products: ["FortiGate", "FortiMail", "FortiManager"],
    direction: "outbound",
    expectsReply: true,
    remedy:
      "Update requests on TCP/8890 got no answer: when updates come from a FortiManager instead of the FDN, check that the unit's override server is that FortiManager, that it serves updates, and that TCP/8890 is allowed between them; " +
      "debug one update attempt with the commands below (FortiMail syntax; a FortiGate uses `execute update-now`).\n" +
      UPDATE_DEBUG,
    notes: [
      "The two sources give TCP/8890 different roles: the FortiOS 6.4 table uses it for updates requested from a FortiManager (\"this port must be reconfigured as TCP 8890\"), KB 192524 says FortiMail may need HTTPS on TCP/8890 allowed for its push-update path.",
    ],
    sources: [FOS64_FG_OPEN_PORTS, KB192524],
    precedence: PRECEDENCE.fortinet,
  },
  {
    id: "fortiguard-push",
    name: "FortiGuard push update notification",
    proto: "udp",
    ports: [9443],
    products: ["FortiMail"],
    direction: "inbound",
    expectsReply: false,
    remedy:
      "Push notifications come from the FDN to the unit on UDP/9443 and are never answered. Behind NAT, the NAT device must forward UDP/9443 to the unit and the unit must have \"Use override push IP\" set to the NAT device's external address, which must not be dynamic; " +
      "scheduled updates over TCP/443 keep working without push.",
    sources: [KB192524, FML_PUSH],
    precedence: PRECEDENCE.fortinet,
  },
  {
    id: "fortiguard-dns-dot",
    name: "FortiGuard DNS over TLS",
    proto: "tcp",
    ports: [853],
    products: ["FortiGate"],
    direction: "outbound",
    expectsReply: true,
    remedy:
      "DNS-over-TLS connections on TCP/853 got no answer: allow TCP/853 toward the DNS servers upstream, or change the DNS protocol of the unit's resolver (DoH on TCP/443, or cleartext UDP/53) under `config system dns`.",
    sources: [KB226149_TITLED, "RFC 7858"],
    precedence: PRECEDENCE.fortinet,
  },
  {
    id: "fortiguard-dns-doh",
    name: "FortiGuard DNS over HTTPS",
    proto: "tcp",
    ports: [443],
    products: ["FortiGate"],
    direction: "outbound",
    expectsReply: true,
    remedy:
      "DNS-over-HTTPS connections on TCP/443 got no answer: allow TCP/443 toward the DNS servers upstream, or change the DNS protocol of the unit's resolver (DoT on TCP/853, or cleartext UDP/53) under `config system dns`.",
    sources: [KB226149_TITLED, "RFC 8484"],
    precedence: PRECEDENCE.special,
  },
  {
    id: "fortiguard-app-db",
    name: "FortiGuard cloud application database",
    proto: "tcp",
    ports: [9582],
    products: ["FortiGate"],
    direction: "outbound",
    expectsReply: true,
    remedy: "Connections to the cloud application database (`flow.fortinet.net`, TCP/9582) got no answer: allow TCP/9582 upstream and check that the unit resolves `flow.fortinet.net`.",
    sources: [FOS64_FG_OPEN_PORTS],
    hosts: ["flow.fortinet.net"],
    precedence: PRECEDENCE.fortinet,
  },

  // ---- name resolution and time ----------------------------------------------------------------
  {
    id: "dns-udp",
    name: "DNS",
    proto: "udp",
    ports: [53],
    products: [],
    direction: "either",
    expectsReply: true,
    remedy:
      "DNS queries got no answer: check that the server address is right (`config system dns` on a FortiGate) and reachable (`execute ping <server>`), and that every firewall on the path allows UDP/53 both ways. " +
      "If the destinations are FortiGuard servers rather than resolvers, these are FortiGuard rating queries on port 53 (see that service).",
    rejectedRemedy:
      "The server answered with ICMP port unreachable: nothing listens on UDP/53 at that address. Point the unit at a working resolver (`config system dns`) or start the DNS service there.",
    sources: [FOS64_PORTS, KB226149_TITLED, "RFC 1035", IANA],
    precedence: PRECEDENCE.generic,
  },
  {
    id: "dns-tcp",
    name: "DNS over TCP",
    proto: "tcp",
    ports: [53],
    products: [],
    direction: "either",
    expectsReply: true,
    remedy:
      "DNS connections on TCP/53 (large answers, zone transfers) got no answer: allow TCP/53 to the server as well as UDP/53; some firewalls and ISP resolvers allow only UDP.",
    sources: [FOS64_PORTS, "RFC 7766", IANA],
    precedence: PRECEDENCE.generic,
  },
  {
    id: "ntp",
    name: "NTP",
    proto: "udp",
    ports: [123],
    products: [],
    direction: "either",
    expectsReply: true,
    remedy:
      "NTP requests got no answer: check the server address and that UDP/123 is allowed both ways; `diagnose sys ntp status` shows the FortiGate's view of its servers. A wrong clock also breaks FortiGuard updates.",
    sources: [FOS_PORTS_LIST, "RFC 5905", IANA],
    precedence: PRECEDENCE.generic,
  },

  // ---- IPsec -----------------------------------------------------------------------------------
  {
    id: "ipsec-ike",
    name: "IPsec IKE / NAT-T",
    proto: "udp",
    ports: [500, 4500],
    products: ["FortiGate"],
    direction: "either",
    expectsReply: true,
    remedy:
      "IKE on UDP/500 (UDP/4500 once NAT-T applies) got no answer from the peer: check the peer address, that UDP/500 and UDP/4500 reach it (upstream NAT devices and ISP filters drop them), and that the peer has a gateway defined for this address; watch the negotiation with the commands below.\n" +
      "diagnose vpn ike log-filter dst-addr4 <peer>\ndiagnose debug application ike -1\ndiagnose debug enable",
    rejectedRemedy:
      "The peer answered IKE with ICMP port unreachable: nothing listens for IKE at that address (no VPN gateway bound to that interface or address on the peer). Check the peer's IPsec configuration and the remote gateway address on the unit.",
    sources: [FOS64_70_INCOMING, "RFC 7296", "RFC 3948"],
    precedence: PRECEDENCE.fortinet,
  },
  {
    id: "ipsec-esp",
    name: "IPsec ESP",
    proto: "esp",
    ports: [],
    products: ["FortiGate"],
    direction: "either",
    expectsReply: true,
    remedy:
      "ESP leaves but nothing comes back: check that the path passes IP protocol 50 (behind NAT, ESP needs NAT-T on UDP/4500), and that the peer holds the SA; `diagnose vpn tunnel list` on both sides shows the SPIs and the packet counters.\n" +
      "diagnose vpn tunnel list",
    notes: ["The two directions of a tunnel use different SAs (different SPIs): the answer to ESP is the peer's ESP toward this address, not a packet with the same SPI."],
    sources: [FOS64_70_INCOMING, "RFC 4303"],
    precedence: PRECEDENCE.fortinet,
  },
  {
    id: "ipsec-fec",
    name: "IPsec FEC",
    proto: "udp",
    ports: [50000],
    products: ["FortiGate"],
    direction: "either",
    expectsReply: false,
    remedy:
      "Forward-error-correction packets go to UDP/50000 at the tunnel peer alongside the IPsec traffic: allow UDP/50000 on the path, or disable FEC (`fec-egress` / `fec-ingress` in the phase 1 settings) on both ends.",
    notes: ["The facts file does not say whether FEC expects a reply; FEC packets carry redundancy for the tunnel traffic, so they are treated as one-way and silence is not reported as a failure."],
    sources: [FOS70_INCOMING],
    precedence: PRECEDENCE.fortinet,
  },

  // ---- UDP/443: listed before SSL VPN DTLS so that it wins their precedence tie without context
  {
    id: "quic",
    name: "QUIC (HTTP/3)",
    proto: "udp",
    ports: [443],
    products: [],
    direction: "either",
    expectsReply: true,
    remedy:
      "QUIC on UDP/443 got no answer: browsers fall back to HTTPS over TCP/443 when QUIC is blocked, so this alone is often harmless; if QUIC must work, allow UDP/443 on the path.",
    sources: [IANA, "RFC 9000"],
    // ties with sslvpn-dtls on purpose: QUIC (listed first) for traffic through the unit, DTLS when the caller says the unit receives it
    precedence: PRECEDENCE.fortinet,
  },

  // ---- SSL VPN and administration --------------------------------------------------------------
  {
    id: "sslvpn-tls",
    name: "SSL VPN",
    proto: "tcp",
    ports: [443, 10443],
    products: ["FortiGate"],
    direction: "inbound",
    expectsReply: true,
    remedy:
      "Connections to the SSL VPN got no answer: check that clients use the listening port set under `config vpn ssl settings` (`set port`, often 10443), that they arrive on the listening interface (`set source-interface`), and that no upstream device blocks the port; debug with the commands below.\n" +
      "diagnose debug application sslvpn -1\ndiagnose debug enable",
    rejectedRemedy:
      "The unit refused the connection: nothing listens on this port on this interface. The SSL VPN may be on another port or interface (`config vpn ssl settings`), or a VIP or the admin HTTPS port takes the same port.",
    notes: ["The port is configurable; 443 and 10443 are the ones the sources name."],
    sources: [FOS70_INCOMING],
    precedence: PRECEDENCE.fortinet,
  },
  {
    id: "sslvpn-dtls",
    name: "SSL VPN (DTLS)",
    proto: "udp",
    ports: [443],
    products: ["FortiGate"],
    direction: "inbound",
    expectsReply: true,
    remedy:
      "DTLS tunnel packets on UDP/443 got no answer: DTLS must be enabled in the SSL VPN settings (`dtls-tunnel` under `config vpn ssl settings`) and on the client, and UDP/443 must be allowed on the path; clients fall back to TLS over TCP when DTLS fails.",
    notes: ["UDP/443 is also QUIC (HTTP/3) for traffic through the unit."],
    sources: [FOS70_INCOMING],
    precedence: PRECEDENCE.fortinet,
  },
  {
    id: "admin-access",
    name: "Administrative access (SSH, HTTP, HTTPS)",
    proto: "tcp",
    ports: [22, 80, 443],
    products: ["FortiGate"],
    direction: "inbound",
    expectsReply: true,
    remedy:
      "Administrative connections to the unit got no answer: the receiving interface must allow the protocol (`allowaccess`; `append` adds to the list instead of replacing it), the administrator's trusted hosts must include the source, and no local-in policy or VIP may take the port; the commands below allow HTTPS and SSH on one interface.\n" +
      "config system interface\n    edit <interface>\n        append allowaccess https ssh\n    next\nend",
    rejectedRemedy:
      "The unit refused the connection: the service is not open on this interface or listens on another port (`admin-sport`, `admin-port`, `admin-ssh-port` under `config system global`).",
    sources: [FOS70_INCOMING],
    precedence: PRECEDENCE.fortinet,
  },

  // ---- generic web and remote access ------------------------------------------------------------
  {
    id: "ssh",
    name: "SSH",
    proto: "tcp",
    ports: [22],
    products: [],
    direction: "either",
    expectsReply: true,
    remedy: "SSH connection attempts got no answer: check the server address, that the server listens on TCP/22, and that every firewall on the path allows TCP/22.",
    sources: [IANA, "RFC 4253"],
    precedence: PRECEDENCE.generic,
  },
  {
    id: "http",
    name: "HTTP",
    proto: "tcp",
    ports: [80],
    products: [],
    direction: "either",
    expectsReply: true,
    remedy: "HTTP connection attempts got no answer: check the server address, that the server listens on TCP/80, and that every firewall on the path allows TCP/80.",
    sources: [IANA, "RFC 9110"],
    precedence: PRECEDENCE.generic,
  },
  {
    id: "https",
    name: "HTTPS",
    proto: "tcp",
    ports: [443],
    products: [],
    direction: "either",
    expectsReply: true,
    remedy:
      "HTTPS connection attempts got no answer: check the server address, that the server listens on TCP/443, and that every firewall on the path allows TCP/443. " +
      "When the unit itself connects to FortiGuard on TCP/443 (anycast, updates, licensing), `diagnose debug rating` and an update debug tell more (see those services).",
    sources: [IANA, "RFC 9110"],
    precedence: PRECEDENCE.generic,
  },

  // ---- management and logging -----------------------------------------------------------------
  {
    id: "fgfm",
    name: "FGFM (FortiManager management)",
    proto: "tcp",
    ports: [541, 542],
    products: ["FortiGate", "FortiManager"],
    direction: "either",
    expectsReply: true,
    remedy:
      "FGFM connections between the unit and FortiManager got no answer: check the FortiManager address under `config system central-management`, that TCP/541 (TCP/542 for IPv6) is allowed both ways, and that the FortiManager lists the device; debug with the commands below.\n" +
      "diagnose debug application fgfmd -1\ndiagnose debug enable",
    sources: [KB198064],
    precedence: PRECEDENCE.fortinet,
  },
  {
    id: "oftp",
    name: "FortiAnalyzer logging (OFTP)",
    proto: "tcp",
    ports: [514],
    products: ["FortiGate", "FortiAnalyzer"],
    direction: "outbound",
    expectsReply: true,
    remedy:
      "Log connections to FortiAnalyzer on TCP/514 got no answer: check the FortiAnalyzer address, that TCP/514 is allowed on the path, and that the FortiAnalyzer has the device authorised; test from the unit with the command below.\n" +
      "execute log fortianalyzer test-connectivity",
    notes: ["FortiManager 6.0 outgoing ports also lists TCP 514 for syslog when reliable logging is enabled, so TCP/514 is not always OFTP."],
    sources: [FOS64_FGT_OPEN_PORTS, FMG60_OUTGOING],
    precedence: PRECEDENCE.fortinet,
  },
  {
    id: "syslog",
    name: "Syslog",
    proto: "udp",
    ports: [514],
    products: [],
    direction: "outbound",
    expectsReply: false,
    remedy:
      "Syslog over UDP is one-way: no reply is expected and none proves delivery. Capture on the collector to see whether the messages arrive; check the server address and port under `config log syslogd setting` and that UDP/514 is allowed on the path; `diagnose log test` sends test messages.",
    sources: [FMG60_OUTGOING, "RFC 5426"],
    precedence: PRECEDENCE.generic,
  },
  {
    id: "snmp",
    name: "SNMP query",
    proto: "udp",
    ports: [161],
    products: [],
    direction: "inbound",
    expectsReply: true,
    remedy:
      "SNMP queries got no answer: on a FortiGate the receiving interface must allow SNMP (`append allowaccess snmp`), the community or SNMPv3 user must list the querying host, and UDP/161 must be allowed on the path; debug the agent with the commands below.\n" +
      "diagnose debug application snmpd -1\ndiagnose debug enable",
    sources: [FOS_PORTS_LIST, "RFC 3417", IANA],
    precedence: PRECEDENCE.generic,
  },
  {
    id: "snmp-trap",
    name: "SNMP trap",
    proto: "udp",
    ports: [162],
    products: [],
    direction: "outbound",
    expectsReply: false,
    remedy:
      "SNMP traps are one-way: confirm on the manager that they arrive; check the trap receiver address in the SNMP community or user settings and that UDP/162 is allowed on the path.",
    notes: ["SNMP informs (RFC 3416) on UDP/162 are acknowledged; this entry follows the facts file, which lists UDP/162 traps as one-way."],
    sources: [FOS_PORTS_LIST, "RFC 3416", IANA],
    precedence: PRECEDENCE.generic,
  },
  {
    id: "netflow",
    name: "NetFlow / IPFIX export",
    proto: "udp",
    ports: [2055, 4739],
    products: [],
    direction: "outbound",
    expectsReply: false,
    remedy:
      "Flow export is one-way: confirm on the collector that records arrive; check the collector address and port under `config system netflow` and that the port is allowed on the path.",
    notes: ["4739 is the IANA port for IPFIX; 2055 is a common NetFlow collector port by convention, not an IANA assignment. Collectors may listen elsewhere."],
    sources: [IANA, "RFC 3954", "RFC 7011"],
    precedence: PRECEDENCE.generic,
  },
  {
    id: "sflow",
    name: "sFlow export",
    proto: "udp",
    ports: [6343],
    products: [],
    direction: "outbound",
    expectsReply: false,
    remedy:
      "sFlow export is one-way: confirm on the collector that datagrams arrive; check the collector address and port under `config system sflow` and that UDP/6343 is allowed on the path.",
    sources: [IANA, "RFC 3176"],
    precedence: PRECEDENCE.generic,
  },

  // ---- authentication --------------------------------------------------------------------------
  {
    id: "radius-auth",
    name: "RADIUS authentication",
    proto: "udp",
    ports: [1812, 1645],
    products: [],
    direction: "outbound",
    expectsReply: true,
    remedy:
      "RADIUS requests got no answer: a RADIUS server silently drops requests from a client address it does not know, so check that the server lists the unit's source address as a client (set `source-ip` under `config user radius` if the unit uses another interface's address), that the shared secret matches, and that the port (1812, or legacy 1645) is allowed and agreed on both sides; test with the command below.\n" +
      "diagnose test authserver radius <server> pap <user> <password>",
    notes: ["1645 is the legacy authentication port; client and server must use the same one."],
    sources: [FOS64, FAC_OPEN_PORTS, "RFC 2865"],
    precedence: PRECEDENCE.generic,
  },
  {
    id: "radius-acct",
    name: "RADIUS accounting",
    proto: "udp",
    ports: [1813, 1646],
    products: [],
    direction: "either",
    expectsReply: true,
    remedy:
      "RADIUS accounting requests got no Accounting-Response: check that the server accepts accounting from this client address with this shared secret, and that the port (1813, or legacy 1646) is allowed and agreed on both sides.",
    notes: ["1646 is the legacy accounting port; client and server must use the same one."],
    sources: [FOS64, FAC_OPEN_PORTS, "RFC 2866"],
    precedence: PRECEDENCE.generic,
  },
  {
    id: "radius-das",
    name: "RADIUS dynamic authorization (CoA)",
    proto: "udp",
    ports: [3799],
    products: ["FortiGate"],
    direction: "inbound",
    expectsReply: true,
    remedy:
      "CoA / Disconnect requests to the unit got no answer: the unit accepts them only from a configured RADIUS server with CoA enabled (`set radius-coa enable` under `config user radius`), and UDP/3799 must be allowed to the unit.",
    sources: [FOS64, "RFC 5176"],
    precedence: PRECEDENCE.generic,
  },
  {
    id: "ldap",
    name: "LDAP",
    proto: "tcp",
    ports: [389],
    products: [],
    direction: "outbound",
    expectsReply: true,
    remedy:
      "LDAP connections got no answer: check the server address and port under `config user ldap`, that the server listens, and that TCP/389 is allowed on the path; test with the command below.\n" +
      "diagnose test authserver ldap <server> <user> <password>",
    sources: [FOS64, "RFC 4511", IANA],
    precedence: PRECEDENCE.generic,
  },
  {
    id: "ldaps",
    name: "LDAPS",
    proto: "tcp",
    ports: [636],
    products: [],
    direction: "outbound",
    expectsReply: true,
    remedy:
      "LDAPS connections got no answer: check the server address and port under `config user ldap` (636 with `secure ldaps`), that the server listens for LDAPS, and that TCP/636 is allowed on the path; test with the command below.\n" +
      "diagnose test authserver ldap <server> <user> <password>",
    sources: [FOS64, IANA],
    precedence: PRECEDENCE.generic,
  },
  {
    id: "tacacs",
    name: "TACACS+",
    proto: "tcp",
    ports: [49],
    products: [],
    direction: "outbound",
    expectsReply: true,
    remedy:
      "TACACS+ connections got no answer: check the server address and key under `config user tacacs+`, that the server lists the unit's source address as a client, and that TCP/49 is allowed on the path.",
    sources: [IANA, "RFC 8907"],
    precedence: PRECEDENCE.generic,
  },
  {
    id: "fsso",
    name: "FSSO",
    proto: "tcp",
    ports: [8000, 8001, 8002, 8003],
    products: ["FortiGate", "FortiAuthenticator"],
    direction: "either",
    expectsReply: true,
    remedy:
      "FSSO connections got no answer: check the collector agent address and port (TCP/8000 by default) in the FSSO connector, that the password matches, and that the port is allowed on the path; `diagnose debug authd fsso server-status` shows the connection state.",
    sources: [FOS64, FAC_OPEN_PORTS],
    precedence: PRECEDENCE.fortinet,
  },

  // ---- mail ------------------------------------------------------------------------------------
  {
    id: "smtp",
    name: "SMTP",
    proto: "tcp",
    ports: [25],
    products: [],
    direction: "either",
    expectsReply: true,
    remedy:
      "SMTP connections got no answer: check the mail server or relay address, that it listens on TCP/25, and that every firewall on the path allows TCP/25 (many ISPs block outbound TCP/25 from access networks; relay through a submission server on 587 then).",
    sources: [IANA, "RFC 5321"],
    precedence: PRECEDENCE.generic,
  },
  {
    id: "smtp-submission",
    name: "Mail submission (SMTPS / submission)",
    proto: "tcp",
    ports: [465, 587],
    products: [],
    direction: "either",
    expectsReply: true,
    remedy: "Mail submission connections got no answer: check the server address and port (465 implicit TLS, 587 STARTTLS), that the server listens there, and that the port is allowed on the path.",
    sources: [IANA, "RFC 8314", "RFC 6409"],
    precedence: PRECEDENCE.generic,
  },

  // ---- routing and redundancy ------------------------------------------------------------------
  {
    id: "bgp",
    name: "BGP",
    proto: "tcp",
    ports: [179],
    products: [],
    direction: "either",
    expectsReply: true,
    remedy:
      "BGP connection attempts got no answer: check the neighbour address and remote AS on both routers, that TCP/179 is allowed between them, and for eBGP peers that are not directly connected the multihop setting (`ebgp-enforce-multihop`); `get router info bgp summary` shows the neighbour state.",
    sources: [IANA, "RFC 4271"],
    precedence: PRECEDENCE.generic,
  },
  {
    id: "ospf",
    name: "OSPF",
    proto: "ip",
    ports: [89],
    products: [],
    direction: "either",
    expectsReply: false,
    multicast: { groups: ["224.0.0.5", "224.0.0.6", "ff02::5", "ff02::6"], reply: "none" },
    remedy:
      "OSPF hellos are multicast and not answered one by one; when a neighbour does not form, check that area, hello and dead intervals, network type, authentication and MTU match on both routers and that nothing filters IP protocol 89 or the groups; `get router info ospf neighbor` lists the neighbours and their state.",
    sources: ["RFC 2328", "RFC 5340"],
    precedence: PRECEDENCE.generic,
  },
  {
    id: "eigrp",
    name: "EIGRP",
    proto: "ip",
    ports: [88],
    products: [],
    direction: "either",
    expectsReply: false,
    multicast: { groups: ["224.0.0.10", "ff02::a"], reply: "none" },
    remedy:
      "EIGRP hellos are multicast and not answered one by one; when a neighbour does not form, check that AS number, K values and authentication match and that nothing filters IP protocol 88 or 224.0.0.10.",
    sources: ["RFC 7868"],
    precedence: PRECEDENCE.generic,
  },
  {
    id: "vrrp",
    name: "VRRP",
    proto: "ip",
    ports: [112],
    products: [],
    direction: "either",
    expectsReply: false,
    multicast: { groups: ["224.0.0.18", "ff02::12"], reply: "none" },
    remedy:
      "VRRP advertisements come from the master only and are never answered; two masters for one VRID mean the routers do not see each other's advertisements: check they share the VLAN, the VRID and the VRRP version, and that nothing filters IP protocol 112 or the group.",
    sources: ["RFC 5798"],
    precedence: PRECEDENCE.generic,
  },
  {
    id: "igmp",
    name: "IGMP",
    proto: "ip",
    ports: [2],
    products: [],
    direction: "either",
    expectsReply: false,
    multicast: { groups: ["224.0.0.1", "224.0.0.2", "224.0.0.22"], reply: "none" },
    remedy:
      "IGMP queries and membership reports are not request and reply; when multicast does not flow, check that a querier is present on the segment and the multicast routing (PIM) toward the source.",
    sources: ["RFC 3376"],
    precedence: PRECEDENCE.generic,
  },
  {
    id: "ha-sync-tcp",
    name: "HA synchronisation",
    proto: "tcp",
    ports: [703],
    products: ["FortiGate"],
    direction: "either",
    expectsReply: true,
    remedy:
      "HA synchronisation between cluster members got no answer: check that the heartbeat interfaces are connected (directly or through a switch that passes them) and that the members see each other; the commands below show the cluster and compare configurations.\n" +
      "get system ha status\ndiagnose sys ha checksum cluster",
    sources: [FOS64_FGT_OPEN_PORTS],
    precedence: PRECEDENCE.fortinet,
  },
  {
    id: "ha-sync-udp",
    name: "HA synchronisation",
    proto: "udp",
    ports: [703],
    products: ["FortiGate"],
    direction: "either",
    expectsReply: false,
    remedy:
      "HA synchronisation packets between cluster members: check that the heartbeat interfaces are connected (directly or through a switch that passes them) and that the members see each other; the commands below show the cluster and compare configurations.\n" +
      "get system ha status\ndiagnose sys ha checksum cluster",
    notes: ["The facts file lists TCP/UDP 703 without saying whether UDP/703 expects a reply; treated as one-way so silence is not reported as a failure."],
    sources: [FOS64_FGT_OPEN_PORTS],
    precedence: PRECEDENCE.fortinet,
  },
  {
    id: "ha-heartbeat",
    name: "HA heartbeat (layer 2)",
    proto: "ether",
    ports: [0x8890, 0x8891, 0x8893],
    products: ["FortiGate"],
    direction: "either",
    expectsReply: false,
    remedy:
      "HA heartbeat frames are layer 2 (ethertypes 0x8890, 0x8891, 0x8893) and are not answered one by one; when members do not see each other, check the heartbeat cabling and any switch in between (it must pass these ethertypes); the commands below show the cluster.\n" +
      "get system ha status\ndiagnose sys ha checksum cluster",
    notes: ["The sniffer does not decode these frames: it prints `Ether type 0x8890 printer havn't been added to sniffer.`"],
    sources: [FOS64_FGT_OPEN_PORTS],
    precedence: PRECEDENCE.fortinet,
  },

  // ---- wireless and fabric ---------------------------------------------------------------------
  {
    id: "capwap-control",
    name: "CAPWAP control (FortiAP)",
    proto: "udp",
    ports: [5246],
    products: ["FortiGate", "FortiAP"],
    direction: "inbound",
    expectsReply: true,
    multicast: { groups: ["224.0.1.140"], reply: "unicast" },
    broadcast: { reply: "unicast" },
    remedy:
      "CAPWAP control from FortiAPs got no answer: the receiving interface must allow CAPWAP (`append allowaccess capwap`), the FortiAP must be authorised, and UDP/5246 must be allowed between them; the commands below list the access points and debug the controller.\n" +
      "diagnose wireless-controller wlac -c wtp\ndiagnose debug application cw_acd 0x7ff\ndiagnose debug enable",
    notes: ["The discovery multicast group 224.0.1.140 comes from RFC 5415, not from the facts file."],
    sources: [FOS64, "RFC 5415"],
    precedence: PRECEDENCE.fortinet,
  },
  {
    id: "capwap-data",
    name: "CAPWAP data (FortiAP)",
    proto: "udp",
    ports: [5247],
    products: ["FortiGate", "FortiAP"],
    direction: "inbound",
    expectsReply: true,
    remedy:
      "CAPWAP data keepalives got no answer: allow UDP/5247 between the FortiAP and the unit as well as UDP/5246; with control up and data blocked, the AP is managed but client traffic does not pass.\n" +
      "diagnose wireless-controller wlac -c wtp",
    sources: [FOS64, "RFC 5415"],
    precedence: PRECEDENCE.fortinet,
  },
  {
    id: "fabric-tcp",
    name: "Security Fabric",
    proto: "tcp",
    ports: [8013],
    products: ["FortiGate"],
    direction: "either",
    expectsReply: true,
    remedy:
      "Security Fabric connections on TCP/8013 got no answer: the upstream FortiGate must listen for Fabric connections on the interface facing the downstream one, and TCP/8013 must be allowed between them; debug with the commands below.\n" +
      "diagnose debug application csfd -1\ndiagnose debug enable",
    sources: [FOS64_70],
    precedence: PRECEDENCE.fortinet,
  },
  {
    id: "fabric-udp",
    name: "Security Fabric",
    proto: "udp",
    ports: [8014],
    products: ["FortiGate"],
    direction: "either",
    expectsReply: false,
    remedy: "Security Fabric traffic on UDP/8014: allow UDP/8014 between the Fabric members as well as TCP/8013.",
    notes: ["The facts file lists UDP 8014 without saying whether it expects a reply; treated as one-way so silence is not reported as a failure."],
    sources: [FOS64_70],
    precedence: PRECEDENCE.fortinet,
  },

  // ---- local-link discovery and addressing -----------------------------------------------------
  {
    id: "dhcp",
    name: "DHCP",
    proto: "udp",
    ports: [67, 68],
    products: [],
    direction: "either",
    expectsReply: true,
    broadcast: { reply: "broadcast" },
    remedy:
      "DHCP requests got no offer: on a FortiGate the DHCP server must be enabled on the receiving interface, or a relay configured toward a reachable server (broadcasts do not cross routers); check the leases and debug the server with the commands below.\n" +
      "execute dhcp lease-list\ndiagnose debug application dhcps -1\ndiagnose debug enable",
    notes: [
      "Replies may be broadcast (RFC 2131: to 255.255.255.255 while the client has no address), so a reply often does not reverse the request's addresses; requests to a broadcast address are never \"unanswered\" by themselves.",
    ],
    sources: [RFC2131, IANA],
    precedence: PRECEDENCE.generic,
  },
  {
    id: "dhcpv6",
    name: "DHCPv6",
    proto: "udp",
    ports: [547, 546],
    products: [],
    direction: "either",
    expectsReply: true,
    multicast: { groups: ["ff02::1:2", "ff05::1:3"], reply: "unicast" },
    remedy:
      "DHCPv6 solicits got no advertise: the server (or relay) must serve the receiving interface, and nothing may filter UDP/546-547 or the group ff02::1:2.",
    sources: ["RFC 8415", IANA],
    precedence: PRECEDENCE.generic,
  },
  {
    id: "ssdp",
    name: "SSDP (UPnP discovery)",
    proto: "udp",
    ports: [1900],
    products: [],
    direction: "either",
    expectsReply: false,
    multicast: { groups: ["239.255.255.250", "ff02::c"], reply: "unicast" },
    remedy:
      "SSDP is multicast discovery: announcements get no reply at all, and search responses come back unicast from each device, so silence is not a fault by itself; devices on other segments are not found unless multicast is routed there.",
    sources: [UPNP, IANA],
    precedence: PRECEDENCE.generic,
  },
  {
    id: "mdns",
    name: "mDNS",
    proto: "udp",
    ports: [5353],
    products: [],
    direction: "either",
    expectsReply: false,
    multicast: { groups: ["224.0.0.251", "ff02::fb"], reply: "none" },
    remedy:
      "mDNS is link-local multicast: answers normally go to the group, not back to the asker, and do not cross routers; silence is not a fault by itself.",
    sources: [RFC6762],
    precedence: PRECEDENCE.generic,
  },
  {
    id: "llmnr",
    name: "LLMNR",
    proto: "udp",
    ports: [5355],
    products: [],
    direction: "either",
    expectsReply: false,
    multicast: { groups: ["224.0.0.252", "ff02::1:3"], reply: "unicast" },
    remedy:
      "LLMNR queries are link-local multicast: only a host that owns the name answers (unicast), so silence usually means no host on the segment has it; not a fault by itself.",
    sources: [RFC6762, UPNP, "RFC 4795"],
    precedence: PRECEDENCE.generic,
  },

  // ---- ICMP ------------------------------------------------------------------------------------
  {
    id: "icmp-echo",
    name: "ping",
    proto: "icmp",
    ports: [],
    products: [],
    direction: "either",
    expectsReply: true,
    remedy:
      "Echo requests got no reply: the target host or a firewall on the path drops ping (many hosts do), or the host is down or unreachable; check the route and trace the path with the commands below.\n" +
      "get router info routing-table details <address>\nexecute traceroute <address>",
    notes: ["Covers ICMPv6 echo too."],
    sources: ["RFC 792", "RFC 4443"],
    precedence: PRECEDENCE.generic,
  },
];
