/**
 * The message catalogue of ../shared/spec/debug-flow.md §2.3: what each `msg="..."` means.
 * Every pattern is anchored at the start of the message and linear (no nested quantifiers);
 * the first that matches wins, so specific iprope forms come before the generic drop fallback.
 */

export type TraceEvent =
  | { kind: "packet" }
  | { kind: "session-new"; id: string }
  | { kind: "session-existing"; id: string; direction: "original" | "reply" }
  | { kind: "fast-path" }
  | { kind: "route"; gateway: string; iface: string; flag: string | null }
  | { kind: "policy-route"; rule: number; to: string }
  | { kind: "send-out"; iface: string }
  | { kind: "allowed"; policy: number; how: string }
  | { kind: "denied"; check: "forward-policy" | "quota" | "endpoint" | "other"; policy: number | null; name: string }
  | { kind: "local-in-denied"; policy: number | null }
  | { kind: "rpf-drop" }
  | { kind: "no-session" }
  | { kind: "session-block" }
  | { kind: "nat-disabled" }
  | { kind: "snat-plan"; ip: string; port: number | null; pool: boolean }
  | { kind: "dnat-plan"; ip: string; port: number | null }
  | { kind: "snat"; from: string; to: string }
  | { kind: "dnat"; from: string; to: string }
  | { kind: "vip"; mapped: string; outdev: string }
  | { kind: "ipsec-enter"; iface: string; policyMode: boolean }
  | { kind: "ipsec-output"; tunnel: string }
  | { kind: "ipsec-encrypt"; peer: string | null }
  | { kind: "ipsec-send"; peer: string; via: string | null }
  | { kind: "ipsec-selector-drop" }
  | { kind: "ipsec-sa-not-ready" }
  | { kind: "offload-try"; from: string; to: string }
  | { kind: "offload-installed" }
  | { kind: "session-confirmed" }
  | { kind: "ips" }
  | { kind: "check-policy"; from: string; to: string }
  | { kind: "iprope" }
  | { kind: "drop"; text: string }
  | { kind: "info" };

type Rule = [RegExp, (m: RegExpExecArray) => TraceEvent];

const g = (m: RegExpExecArray, i: number): string => m[i] ?? "";
const n = (m: RegExpExecArray, i: number): number | null => (m[i] === undefined ? null : Number(m[i]));

const RULES: Rule[] = [
  [/^(?:vd-\S+\s+)?received a packet/, () => ({ kind: "packet" })],
  [/^allocate a new session-([0-9a-fA-F]+)/, (m) => ({ kind: "session-new", id: g(m, 1).toLowerCase() })],
  [
    /^Find an existing session,\s*id-([0-9a-fA-F]+),\s*(original|reply) direction/,
    (m) => ({ kind: "session-existing", id: g(m, 1).toLowerCase(), direction: g(m, 2) as "original" | "reply" }),
  ],
  [/^enter fast path/, () => ({ kind: "fast-path" })],
  [
    /^find a route:\s*(?:flags?=([0-9a-fA-F]{1,8})\s+)?gw-(\S+)\s+via\s+(\S+)/,
    (m) => ({ kind: "route", flag: m[1] ?? null, gateway: g(m, 2), iface: g(m, 3) }),
  ],
  [/^Match policy routing id=(\d+):\s*to\s+(\S+)/, (m) => ({ kind: "policy-route", rule: Number(m[1]), to: g(m, 2) })],
  [/^send out via dev-([^,\s]+)/, (m) => ({ kind: "send-out", iface: g(m, 1) })],
  [/^Allowed by Policy-(\d+):?\s*(.*)$/, (m) => ({ kind: "allowed", policy: Number(m[1]), how: g(m, 2).trim() })],
  [/^Denied by forward policy check(?:\s*\(policy (\d+)\))?/, (m) => ({ kind: "denied", check: "forward-policy", policy: n(m, 1), name: "forward policy" })],
  [
    /^Denied by ([A-Za-z-]+(?: [A-Za-z-]+)?) check(?:\s*\(policy (\d+)\))?/,
    (m) => {
      const name = g(m, 1);
      const check = name === "quota" ? "quota" : name === "endpoint" ? "endpoint" : "other";
      return { kind: "denied", check, policy: n(m, 2), name };
    },
  ],
  [/^iprope_in_check\(\) check failed(?: on policy (\d+))?,\s*drop/, (m) => ({ kind: "local-in-denied", policy: n(m, 1) })],
  [/^reverse path check fail,\s*drop/, () => ({ kind: "rpf-drop" })],
  [/^no session matched/, () => ({ kind: "no-session" })],
  [/^Session is in BLOCK state/, () => ({ kind: "session-block" })],
  [/^NAT disabled by central SNAT policy/, () => ({ kind: "nat-disabled" })],
  [/^find SNAT: IP-([^,(\s]+)(\(from IPPOOL\))?,\s*port-(\d+)/, (m) => ({ kind: "snat-plan", ip: g(m, 1), port: n(m, 3), pool: m[2] !== undefined })],
  [/^find DNAT: IP-([^,(\s]+),\s*port-(\d+)/, (m) => ({ kind: "dnat-plan", ip: g(m, 1), port: n(m, 2) })],
  [/^SNAT (\S+)->(\S+)/, (m) => ({ kind: "snat", from: g(m, 1), to: g(m, 2) })],
  // `DNAT 10.10.10.1 0:23->192.168.1.1:23`: a KB typo with a stray blank, read without it
  [/^DNAT ([^>]{1,80})->(\S+)/, (m) => ({ kind: "dnat", from: g(m, 1).replace(/\s+/g, ""), to: g(m, 2) })],
  [/^VIP-(\S+),\s*outdev-(\S+)/, (m) => ({ kind: "vip", mapped: g(m, 1), outdev: g(m, 2) })],
  [/^enter IPsec interface[- ]([^,\s]+)/i, (m) => ({ kind: "ipsec-enter", iface: g(m, 1), policyMode: false })],
  [/^enter IPsec tunnel-(\S+)/i, (m) => ({ kind: "ipsec-enter", iface: g(m, 1), policyMode: true })],
  [/^output to IPsec tunnel ([^,\s]+)/i, (m) => ({ kind: "ipsec-output", tunnel: g(m, 1) })],
  [/^IPsec encrypt\/auth/i, () => ({ kind: "ipsec-encrypt", peer: null })],
  [/^encrypted, and send to (\S+)/, (m) => ({ kind: "ipsec-encrypt", peer: g(m, 1) })],
  [/^send to (\S+) via intf-(\S+)/, (m) => ({ kind: "ipsec-send", peer: g(m, 1), via: g(m, 2) })],
  [/^No matching IPsec selector/i, () => ({ kind: "ipsec-selector-drop" })],
  [/^SA is not ready yet/, () => ({ kind: "ipsec-sa-not-ready" })],
  [/^Trying to offloading session from (\S+) to ([^,\s]+)/, (m) => ({ kind: "offload-try", from: g(m, 1), to: g(m, 2) })],
  [/^npu session installation succeeded/, () => ({ kind: "offload-installed" })],
  [/^npu_state=\S+,\s*hook=\d+/, () => ({ kind: "session-confirmed" })],
  [/^send to ips/, () => ({ kind: "ips" })],
  [/^Check policy between (\S+) -> (\S+)/, (m) => ({ kind: "check-policy", from: g(m, 1), to: g(m, 2) })],
  // show iprope output: group and policy lookups, not verdicts
  [/^(?:policy-\d+ is matched|checked gnum-|after check:|gnum-|after iprope_|in-\[|result:|len=|ret-)/, () => ({ kind: "iprope" })],
  [/(?:,\s*drop\b|\bDrop the packet|\bdropped\b|^drop\b)/i, (m) => ({ kind: "drop", text: m.input })],
];

/** What a message means. */
export function classifyMessage(msg: string): TraceEvent {
  const text = msg.trim();
  for (const [re, make] of RULES) {
    const m = re.exec(text);
    if (m !== null) return make(m);
  }
  return { kind: "info" };
}
