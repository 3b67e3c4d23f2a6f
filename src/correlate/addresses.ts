/**
 * What an address is, as far as pairing cares: a group (multicast, limited broadcast), a directed
 * broadcast (only for the protocols that broadcast), the unit's own link. Exact comparisons only:
 * never a prefix match on the text (10.0.0.1 is not 10.0.0.15).
 */

/** Multicast (224.0.0.0/4, ff00::/8) or the limited broadcast 255.255.255.255. */
export function isGroupAddress(addr: string): boolean {
  if (addr.includes(":")) return addr.toLowerCase().startsWith("ff");
  if (addr === "255.255.255.255") return true;
  const dot = addr.indexOf(".");
  const first = Number(dot < 0 ? addr : addr.slice(0, dot));
  return first >= 224 && first <= 239;
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
