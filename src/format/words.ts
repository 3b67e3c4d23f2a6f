/**
 * Small wording helpers shared by the describe module and the renderers. A leaf: imports nothing.
 */

/**
 * `1 packet`, `3 packets` (`many` for irregular plurals); `digits` writes the number (the web page
 * groups thousands: `12,345 lines`).
 */
export function plural(n: number, one: string, many = one + "s", digits: (n: number) => string = String): string {
  return `${digits(n)} ${n === 1 ? one : many}`;
}

/** The noun alone, by count: `request` / `requests`. */
export function noun(n: number, one: string, many = one + "s"): string {
  return n === 1 ? one : many;
}

/** `a, b, c` up to `max`, then `a, b and 3 more` (addresses, in the order given). */
export function listAddresses(addrs: readonly string[], max = 4): string {
  if (addrs.length <= max) return addrs.join(", ");
  return `${addrs.slice(0, max).join(", ")} and ${addrs.length - max} more`;
}

/** `a`, `a and b`, `a, b and c`, `a, b, c and 2 more`: distinct items in prose. */
export function listWords(items: readonly string[], max = 3): string {
  const u = [...new Set(items)];
  if (u.length <= max) return u.length <= 1 ? (u[0] ?? "") : `${u.slice(0, -1).join(", ")} and ${u[u.length - 1] as string}`;
  return `${u.slice(0, max).join(", ")} and ${u.length - max} more`;
}

/** A duration in seconds as `5.64 ms`, `12.3 ms`, `1.50 s`. */
export function ms(seconds: number): string {
  if (seconds < 1) return `${(seconds * 1000).toFixed(seconds < 0.01 ? 2 : 1)} ms`;
  return `${seconds.toFixed(2)} s`;
}

/** A message quoted verbatim: `"msg"` (trimmed). */
export function quoted(msg: string): string {
  return `"${msg.trim()}"`;
}
