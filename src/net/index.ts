/**
 * Addresses: the one module that says what an address is (multicast, broadcast, link-local,
 * IPv4/IPv6 syntax). A leaf: every stage asks here, so the analyzer and the catalogue agree.
 *
 * Subnet broadcasts need the mask, which sniffer text never shows: an IPv4 address ending in
 * `.255` is taken for the broadcast of its /24 (the common case) — by the analyzer when it groups
 * destinations and by the catalogue when it picks a broadcast service — while `10.0.0.255` inside
 * a wider subnet would be a host. `isLimitedBroadcast` is the certain case alone.
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
  const first = addr.split(".", 1)[0] ?? "";
  if (!/^\d{1,3}$/.test(first)) return false;
  const n = Number(first);
  return n >= 224 && n <= 239;
}

/** 255.255.255.255, the limited broadcast. */
export function isLimitedBroadcast(addr: string): boolean {
  return addr === "255.255.255.255";
}

/** The limited broadcast, or `x.y.z.255` taken for the broadcast of its /24 (see above). */
export function isBroadcastAddress(addr: string): boolean {
  return isLimitedBroadcast(addr) || (!addr.includes(":") && addr.endsWith(".255"));
}

/** Multicast or broadcast: destinations that are not answered directly. */
export function isGroupAddress(addr: string): boolean {
  return isMulticastAddress(addr) || isBroadcastAddress(addr);
}

/** 169.254.0.0/16 and fe80::/10: the unit's own link (HA heartbeat, neighbour discovery), never routed. */
export function isLinkLocal(addr: string): boolean {
  if (addr.includes(":")) return /^fe[89ab]/i.test(addr);
  return addr.startsWith("169.254.");
}
