/**
 * The correlator's model of the unit (issue 11), asserted on the roll-up itself: which addresses
 * are the unit's and why, which requests were local-in, late, refused by the unit or tied to an ICMP
 * error, how copies count, how flows are oriented. Each sample in samples/ tells one story (line 1).
 */
import { parseCapture } from "../src/parse.js";
import { CaptureAnalyzer, DEFAULT_WINDOWS, type CaptureAnalysis, type ServiceAgg } from "../src/correlate/analyzer.js";
import { CopyTracker } from "../src/correlate/copies.js";
import { icmpError, echoOf } from "../src/correlate/icmp.js";
import { isBroadcastFor } from "../src/correlate/addresses.js";
import { builtinCatalogue, portFactsLookup } from "../src/catalogue/index.js";
import type { PacketRecord } from "../src/records.js";
import { readSample } from "./helpers/corpus.js";

const facts = portFactsLookup(builtinCatalogue());

function analyses(name: string, unitAddresses: string[] = []): CaptureAnalysis[] {
  const parsed = parseCapture(readSample(name), { source: name });
  const out: CaptureAnalysis[] = [];
  for (const c of parsed.captures) {
    const a = new CaptureAnalyzer(c, DEFAULT_WINDOWS, facts, { addresses: unitAddresses });
    for (const p of parsed.packets) if (p.capture === c.index) a.add(p);
    out.push(a.result());
  }
  return out;
}

function one(name: string, unitAddresses: string[] = []): CaptureAnalysis {
  const all = analyses(name, unitAddresses);
  expect(all).toHaveLength(1);
  return all[0] as CaptureAnalysis;
}

function service(a: CaptureAnalysis, proto: string, port: number | null, pick: (s: ServiceAgg) => boolean = () => true): ServiceAgg {
  const found = a.services.filter((s) => s.proto === proto && s.port === port && pick(s));
  expect(found).toHaveLength(1);
  return found[0] as ServiceAgg;
}

const lines = (ps: readonly PacketRecord[]) => ps.map((p) => p.line);

describe("the unit's own addresses", () => {
  test("learned from the ARP requests it sends; HTTPS to it is local-in, kept apart from transit", () => {
    const a = one("v4_any_local_in_admin_https_unanswered.txt");
    expect(a.unit).toContainEqual({ address: "192.168.1.99", evidence: "arp", line: 5 });
    const s = service(a, "tcp", 443);
    expect(s).toMatchObject({ local: true, requests: 2, unanswered: 2, answered: 0 });
    expect([...s.clients]).toEqual(["192.168.1.50"]);
    expect([...s.servers.keys()]).toEqual(["192.168.1.99"]);
  });

  test("given by the user (--unit-address) on a capture that cannot show it", () => {
    const without = one("v1_port1_snmp_to_unit_address_given.txt");
    expect(service(without, "udp", 161).local).toBe(false);
    const given = one("v1_port1_snmp_to_unit_address_given.txt", ["10.5.5.1"]);
    expect(given.unit).toContainEqual({ address: "10.5.5.1", evidence: "given", line: null });
    // the last poll went out less than the reply window before the capture ended
    expect(service(given, "udp", 161)).toMatchObject({ local: true, requests: 4, unanswered: 3, inconclusive: 1 });
  });

  test("learned from the answers it gives and the ICMP errors it sends", () => {
    const a = one("v4_any_host_unreachable_from_unit_arp_failure.txt");
    expect(a.unit.map((u) => [u.address, u.evidence])).toEqual(
      expect.arrayContaining([
        ["10.20.0.1", "arp"],
        ["10.1.1.1", "icmp-error"],
      ]),
    );
    // the unit answered DNS itself: local, answered
    expect(service(a, "udp", 53)).toMatchObject({ local: true, answered: 1 });
  });

  test("learned from the SNAT address of forwarded packets (exact, never a prefix)", () => {
    const a = one("v4_any_host_unreachable_from_router.txt");
    expect(a.unit.map((u) => [u.address, u.evidence])).toContainEqual(["172.16.0.2", "snat"]);
    expect(a.unitAddresses.has("172.16.0.25")).toBe(false);
  });
});

describe("late replies are replies", () => {
  test("a RADIUS reply 9.4 s after the request answers it, late", () => {
    const s = service(one("v4_any_radius_mfa_push_late_reply.txt"), "udp", 1812);
    expect(s).toMatchObject({ requests: 1, answered: 1, late: 1, unanswered: 0 });
    expect(s.servers.get("10.0.0.50")?.rtts[0]).toBeCloseTo(9.41165, 4);
    expect(lines(s.lateEvidence.items())).toEqual([7, 8]);
  });
});

describe("ICMP errors with or without a quoted port", () => {
  test("host unreachable from a router further on ties to the TCP and UDP requests to that host", () => {
    const a = one("v4_any_host_unreachable_from_router.txt");
    for (const [proto, port, n] of [["tcp", 443, 1], ["udp", 53, 2]] as const) {
      const s = service(a, proto, port);
      expect(s).toMatchObject({ rejected: n, unanswered: 0, inconclusive: 0 });
      const r = s.rejects.get("host-unreachable");
      expect(r).toMatchObject({ count: n, byUnit: 0 });
      expect([...(r?.reporters ?? [])]).toEqual(["172.16.0.254"]);
    }
  });

  test("host unreachable the unit sent itself, out of the ingress interface (ARP failure)", () => {
    const a = one("v4_any_host_unreachable_from_unit_arp_failure.txt");
    const r = service(a, "tcp", 3389).rejects.get("host-unreachable");
    expect(r).toMatchObject({ count: 1, byUnit: 1 });
    expect([...(r?.reporters ?? [])]).toEqual(["10.1.1.1"]);
    expect(service(a, "arp", null)).toMatchObject({ requests: 3, answered: 0 });
  });

  test("the error kinds FortiOS prints, read from the words", () => {
    const k = (text: string) => icmpError({ text, kind: "other" });
    expect(k("host 192.168.5.10 unreachable")).toMatchObject({ kind: "host-unreachable", host: "192.168.5.10", port: null });
    expect(k("net 10.9.0.0 unreachable")).toMatchObject({ kind: "net-unreachable", host: "10.9.0.0" });
    expect(k("10.0.0.5 protocol 47 unreachable")).toMatchObject({ kind: "protocol-unreachable", host: "10.0.0.5" });
    expect(k("host 10.0.0.5 unreachable - admin prohibited filter")).toMatchObject({ kind: "admin-prohibited", host: "10.0.0.5" });
    expect(k("10.0.0.5 unreachable - need to frag (mtu 1400)")).toMatchObject({ kind: "fragmentation-needed", mtu: 1400 });
    expect(k("time exceeded in-transit")).toMatchObject({ kind: "time-exceeded", host: null });
    expect(k("echo request")).toBeNull();
  });
});

describe("who refused", () => {
  test("an RST and an ICMP error sent back out of the ingress interface while the request never left: the unit", () => {
    const a = one("v4_any_deny_policy_send_deny_packet.txt");
    expect(service(a, "tcp", 22).rejects.get("tcp-rst")).toMatchObject({ count: 1, byUnit: 1 });
    expect(service(a, "udp", 161).rejects.get("port-unreachable")).toMatchObject({ count: 1, byUnit: 1 });
  });

  test("an RST from the server through the unit is the server's", () => {
    const parsed = parseCapture(readSample("fgt7000_fim_slot_syn_rst_rejected.txt"));
    const a = new CaptureAnalyzer(parsed.captures[0]!, DEFAULT_WINDOWS, facts);
    for (const p of parsed.packets) a.add(p);
    const r = a.result().services.find((s) => s.port === 3389)?.rejects.get("tcp-rst");
    expect(r?.count).toBeGreaterThan(0);
    expect(r?.byUnit).toBe(0);
  });
});

describe("copies the way FortiOS makes them", () => {
  test("a bridge flood out of three ports is one request with three hops", () => {
    const a = one("v4_any_transparent_bridge_flood.txt");
    expect(service(a, "udp", 161)).toMatchObject({ requests: 2, answered: 2 });
    expect(a.flows).toHaveLength(1);
    expect(a.flows[0]?.hops).toEqual([
      { ingress: "port3", egress: "port1" },
      { ingress: "port3", egress: "port2" },
      { ingress: "port3", egress: "port4" },
      { ingress: "port2", egress: "port3" },
    ]);
  });

  test("hairpin and VIP with NAT: both addresses translated, one answered attempt each", () => {
    const a = one("v4_any_hairpin_vip_and_double_nat.txt");
    expect(service(a, "tcp", 443)).toMatchObject({ requests: 2, answered: 2, notForwarded: 0 });
    expect(a.flows.map((f) => [f.client, f.server, f.nat])).toEqual([
      ["10.0.10.25", "203.0.113.10", { snat: "10.0.10.1:50844", dnat: "10.0.10.80:443" }],
      ["198.51.100.7", "203.0.113.10", { snat: "10.0.10.1:61000", dnat: "10.0.10.80:443" }],
    ]);
    expect(a.flows[0]?.hops).toEqual([{ ingress: "port2", egress: "port2" }]);
  });

  test("N identical copies of one packet cost linear time (the chain scan is bounded)", () => {
    const tracker = new CopyTracker();
    const base: PacketRecord = { type: "packet", source: "x", capture: 0, line: 1, ts: 1, iface: "port1", dir: "in", proto: "udp", src: "10.0.0.1", sport: 1000, dst: "10.0.0.2", dport: 53, length: 40, summary: "udp 40", bytes: null };
    let chains = 0;
    const n = 40_000;
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) if (!tracker.observe({ ...base, line: i + 1 }).isCopy) chains++;
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    // every one is a new packet (same interface, same direction); not a timing assertion, but a
    // quadratic scan of 40k chains would take minutes, so the suite would time out
    expect(chains).toBe(n);
    expect(ms).toBeGreaterThanOrEqual(0);
  });
});

describe("orientation", () => {
  test("answers to client ports the catalogue knows (5353, 8888, 4500) stay answers; no request invented", () => {
    const a = one("v4_any_src_host_filter_replies_only.txt");
    expect(a.services.filter((s) => s.requests > 0)).toEqual([]);
    expect(a.flows.map((f) => [f.server, f.serverPort, f.clientPort])).toEqual([
      ["10.0.0.53", 53, 5353],
      ["10.0.0.53", 53, 8888],
      ["10.0.0.53", 53, 4500],
    ]);
    expect(a.repliesOnly).toEqual([expect.objectContaining({ proto: "udp", port: 53, flows: 3, packets: 3 })]);
  });

  test("a capture that starts mid-connection counts established connections, not attempts", () => {
    const a = one("v4_wan1_midstream_established_session.txt");
    expect(service(a, "tcp", 22)).toMatchObject({ established: true, requests: 1, answered: 1, bothSides: 1 });
    expect(a.services.filter((s) => s.proto === "tcp" && !s.established)).toEqual([]);
  });
});

describe("traffic that expects no reply", () => {
  test("gratuitous ARP and NAT-T keepalives are no requests waiting for answers", () => {
    const a = one("v4_any_gratuitous_arp_natt_keepalive.txt");
    expect(service(a, "arp", null)).toMatchObject({ noReply: "gratuitous-arp", requests: 3 });
    expect(service(a, "udp", 4500)).toMatchObject({ noReply: "keepalive", requests: 3 });
  });

  test("ESP per tunnel: one way to 198.51.100.20, both ways to 198.51.100.30", () => {
    const t = one("v4_any_esp_one_way_tunnel.txt").tunnels;
    const to20 = t.find((x) => x.b === "198.51.100.20");
    expect(to20).toMatchObject({ a: "203.0.113.2", aToB: { packets: 5 }, bToA: { packets: 0 } });
    expect([...(to20?.aToB.spis ?? [])]).toEqual(["8c1f2a01"]);
    const to30 = t.find((x) => x.b === "198.51.100.30");
    expect(to30).toMatchObject({ aToB: { packets: 2 }, bToA: { packets: 2 } });
  });

  test("DHCP: broadcast discovers wait for an offer; a relayed one is request/reply", () => {
    const a = one("v4_any_dhcp_discover_no_offer_and_relay.txt");
    const bc = service(a, "udp", 67, (s) => s.dhcp);
    expect(bc).toMatchObject({ requests: 5, answered: 1 });
    const relay = service(a, "udp", 67, (s) => !s.dhcp);
    expect(relay).toMatchObject({ requests: 1, answered: 1 });
    expect([...relay.servers.keys()]).toEqual(["10.0.0.67"]);
  });

  test("x.x.x.255 is a broadcast only for protocols that broadcast", () => {
    expect(isBroadcastFor("udp", 53, "10.8.1.255")).toBe(false);
    expect(isBroadcastFor("udp", 137, "10.8.1.255")).toBe(true);
    expect(isBroadcastFor("udp", 53, "255.255.255.255")).toBe(true);
    const s = service(one("v4_any_dns_to_subnet_dot255_host.txt"), "udp", 53);
    expect(s).toMatchObject({ group: false, requests: 2, answered: 2 });
  });
});

describe("short pastes and echo pairing", () => {
  test("three independent requests arriving and never leaving are all not forwarded, the last one too", () => {
    const a = one("v4_any_short_paste_not_forwarded.txt");
    expect(a.services.map((s) => [s.proto, s.port, s.notForwarded])).toEqual([
      ["tcp", 443, 1],
      ["udp", 53, 1],
      ["icmp", null, 1],
    ]);
  });

  test("echo replies without sequence numbers pair with the most recent request: honest reply times", () => {
    const s = service(one("v1_port1_ping_without_seq_rtt.txt"), "icmp", null);
    expect(s).toMatchObject({ requests: 6, answered: 4, unanswered: 2 });
    const rtts = s.servers.get("10.3.3.3")?.rtts ?? [];
    expect(rtts).toHaveLength(4);
    for (const r of rtts) expect(r).toBeLessThan(0.02);
  });

  test("echo id and seq where printed", () => {
    expect(echoOf({ text: "echo request, id 4660, seq 7, length 64", kind: "other" })).toEqual({ kind: "echo-request", id: 4660, seq: 7 });
    expect(echoOf({ text: "echo reply seq 415", kind: "echo-reply", seq: 415 })).toEqual({ kind: "echo-reply", id: null, seq: 415 });
  });
});

describe("empty captures", () => {
  test("a capture that matched nothing is analysed with zero packets", () => {
    const a = one("v4_wan1_filter_matched_nothing.txt");
    expect(a).toMatchObject({ packets: 0, start: null, services: [] });
    expect(a.capture).toMatchObject({ interfaces: "wan1", filter: "host 198.51.100.99 and tcp port 8443", received: 0 });
  });
});
