/**
 * Addresses: the one module that says what an address is (multicast, broadcast, link-local,
 * IPv4/IPv6 syntax). A leaf: every stage asks here, so the analyzer and the catalogue agree.
 *
 * Subnet broadcasts need the mask, which sniffer text never shows: `x.y.z.255` is a broadcast only
 * for the protocols that broadcast (`isBroadcastFor`; DNS to `10.0.1.255` is a request to a host
 * of a /23) — for the analyzer and, through `LookupContext.group`, for the catalogue alike.
 */

/** Dotted-quad IPv4 syntax. */
export function isIPv4(addr: string): boolean {
  const parts = addr.split(".");
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** IPv6 syntax (with `::` and an IPv4 tail). */
export function isIPv6(addr: string): boolean {
  if (!/^[0-9a-f:.]+$/i.test(addr) || !addr.includes(":")) return false;
  const halves = addr.split("::");
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === "" ? [] : h.split(":")));
  const tail = groups[groups.length - 1];
  const v4Tail = tail !== undefined && tail.includes(".");
  if (v4Tail && !isIPv4(tail)) return false;
  const hex = v4Tail ? groups.slice(0, -1) : groups;
  if (!hex.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return false;
  const count = hex.length + (v4Tail ? 2 : 0);
  return halves.length === 2 ? count < 8 : count === 8;
}

/** 224.0.0.0/4 or ff00::/8 (a masked paste keeps the first octet: `239.x.x.x` is multicast). */
export function isMulticastAddress(addr: string): boolean {
  if (addr.includes(":")) return /^ff[0-9a-f]{0,2}:/i.test(addr);
  const dot = addr.indexOf(".");
  const first = dot < 0 ? addr : addr.slice(0, dot);
  if (!/^\d{1,3}$/.test(first)) return false;
  const n = Number(first);
  return n >= 224 && n <= 239;
}

/** 255.255.255.255, the limited broadcast (the only broadcast an address alone proves). */
export function isBroadcastAddress(addr: string): boolean {
  return addr === "255.255.255.255";
}

/** Multicast or the limited broadcast: destinations that are never answered directly. */
export function isGroupAddress(addr: string): boolean {
  return isMulticastAddress(addr) || isBroadcastAddress(addr);
}

/** UDP ports whose protocols send to a subnet's directed broadcast (DHCP, NetBIOS, RIP, wake-on-LAN, discovery). */
const BROADCAST_UDP_PORTS: ReadonlySet<number> = new Set([7, 9, 67, 68, 137, 138, 520, 1947, 5678, 10001]);

/**
 * A destination that is not answered directly: a group address, or `x.x.x.255` for a protocol
 * that broadcasts. DNS to `x.x.x.255` is a request to a host (a /23 or wider subnet has hosts
 * ending in .255).
 */
export function isBroadcastFor(proto: string, port: number | null, addr: string): boolean {
  if (isGroupAddress(addr)) return true;
  if (addr.includes(":") || !addr.endsWith(".255")) return false;
  return proto === "udp" && port !== null && BROADCAST_UDP_PORTS.has(port);
}

/** 169.254.0.0/16 and fe80::/10: the unit's own link (HA heartbeat, neighbour discovery), never routed. */
export function isLinkLocal(addr: string): boolean {
  if (addr.includes(":")) return /^fe[89ab]/i.test(addr);
  return addr.startsWith("169.254.");
}

/** An address that cannot be one unit's own: unspecified, group, masked in the paste. */
export function isUsableUnitAddress(addr: string | null): addr is string {
  if (addr === null || addr === "" || addr === "0.0.0.0" || addr === "::" || addr === "?") return false;
  if (isGroupAddress(addr)) return false;
  return !/[xX<>]/.test(addr) && !/^[A-Z_]+$/.test(addr);
}
