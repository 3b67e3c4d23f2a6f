/**
 * `--debug-flow N`: a second CLI session traces the same addresses as the capture filter
 * (`diagnose debug flow filter addr …`, `trace start N`) and, on every way out, turns it all off
 * again. Commands from ../shared/spec/debug-flow.md §1.1.
 */

/** IPv4 and IPv6 literals named in a capture filter, in order, without repeats. */
export function filterAddresses(filter: string): string[] {
  const out: string[] = [];
  const tokens = filter.split(/[\s()]+/);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    // a network (`net 10.1.0.0/16`) is not one host: debug flow would trace only its first address
    if (t.includes("/") || tokens[i - 1] === "net" || tokens[i - 1] === "mask") continue;
    const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(t);
    const isV4 = v4 !== null && v4.slice(1).every((x) => Number(x) <= 255);
    const isV6 = !isV4 && t.includes(":") && /^[0-9a-fA-F:]+$/.test(t) && t.split(":").length >= 3;
    if ((isV4 || isV6) && !out.includes(t)) out.push(t);
  }
  return out;
}

/** The debug-flow setup for these addresses (one, or two with `and` = traffic between them). */
export function debugFlowSetup(addresses: readonly string[], packets: number): string[] {
  const addr = addresses.length >= 2 ? `${addresses[0]} ${addresses[1]} and` : (addresses[0] as string);
  return [
    "diagnose debug disable",
    "diagnose debug reset",
    "diagnose debug flow filter clear",
    `diagnose debug flow filter addr ${addr}`,
    "diagnose debug flow show function-name enable",
    `diagnose debug flow trace start ${packets}`,
    "diagnose debug enable",
  ];
}

/** Run on every exit path once the setup has begun: nothing stays running on the unit. */
export const DEBUG_FLOW_CLEANUP: readonly string[] = [
  "diagnose debug disable",
  "diagnose debug flow trace stop",
  "diagnose debug flow filter clear",
  "diagnose debug reset",
];
