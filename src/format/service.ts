/** How a service is named in titles and tables (`UDP/53`, `ICMP echo`, `IP protocol 89 (OSPF)`). A leaf. */

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

/** The label with the catalogue's name: `UDP/8889 (FortiGuard antispam rating)`. */
export function namedService(label: string, name: string | null): string {
  if (name === null || label.includes(`(${name})`)) return label;
  return name.includes("(") ? `${label} ${name}` : `${label} (${name})`;
}
