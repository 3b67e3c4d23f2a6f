/**
 * The analyze core on the shared corpus: the seed case exactly as the contract describes it, the
 * captures whose outcome is clear, the report validating against the schema, and properties
 * (unrelated traffic and capture order never change a verdict).
 */
import { readdirSync } from "node:fs";
import fc from "fast-check";
import { Ajv2020 } from "ajv/dist/2020.js";
import { analyze } from "../src/analyze.js";
import { builtinAnalyzeOptions } from "../src/services.js";
import { reportSchema } from "../src/schema.js";
import type { Report, Verdict } from "../src/report.js";
import { corpusDir, corpusFiles, describeCorpus, readCorpus } from "./helpers/corpus.js";

const options = builtinAnalyzeOptions();

function run(prefix: string): Report {
  const name = corpusFiles().find((f) => f.startsWith(prefix));
  if (name === undefined) throw new Error(`no corpus file ${prefix}`);
  return analyze(readCorpus(name), { ...options, source: name });
}

const codes = (r: Report) => r.verdicts.map((v) => `${v.code}:${v.proto ?? "-"}/${v.port ?? "-"}`).sort();

describeCorpus("analyze on the shared corpus", () => {
  test("seed: UDP/8889 unanswered with all three servers and lines 5-7; UDP/53 answered with its RTT", () => {
    const r = run("00_");
    expect(r.verdicts).toHaveLength(2);
    const [bad, good] = r.verdicts as [Verdict, Verdict];
    expect(bad).toMatchObject({ code: "unanswered", severity: "error", proto: "udp", port: 8889, capture: 0 });
    expect(bad.servers).toEqual(["82.71.226.65", "208.91.112.194", "216.156.209.26"]);
    expect(bad.evidence.map((e) => e.line)).toEqual([5, 6, 7]);
    expect(bad.evidence[0]?.text).toBe("2010-10-27 12:40:19.050364 port1 out 82.x.x.x.59730 -> 82.71.226.65.8889: udp 64");
    expect(bad.args).toMatchObject({ kind: "timeout", requests: 3, serverCount: 3, name: expect.stringMatching(/^FortiGuard/) });
    expect(bad.commands).toEqual(["config system fortiguard antispam", "    set port 53", "end"]);
    expect(good).toMatchObject({ code: "answered", severity: "ok", proto: "udp", port: 53, capture: 1 });
    const s8889 = r.services.find((s) => s.port === 8889);
    expect(s8889).toMatchObject({ status: "unanswered", requests: 3, answered: 0, unanswered: 2, rejected: 0, inconclusive: 1, clients: ["82.x.x.x"] });
    const s53 = r.services.find((s) => s.port === 53);
    expect(s53?.servers[0]).toMatchObject({ address: "208.91.112.194", requests: 1, answered: 1, rtt: { min: 0.005635, median: 0.005635, max: 0.005635 } });
    expect(r.summary).toEqual({ errors: 1, warnings: 0, infos: 0, oks: 1 });
    expect(r.flows.map((f) => f.state)).toEqual(["S0", "S0", "S0", "SF"]);
  });

  test("12: the TCP handshake is answered, the flow established", () => {
    const r = run("12_");
    expect(codes(r)).toEqual(["answered:tcp/26"]);
    expect(r.flows).toHaveLength(1);
    expect(r.flows[0]).toMatchObject({ client: "10.108.236.47", clientPort: 1045, server: "46.28.111.176", serverPort: 26, state: "S1", interfaces: ["ppp0"] });
  });

  test("32: handshakes answered through the virtual wire pair, counted once; the SYN to 443 unanswered", () => {
    const r = run("32_");
    expect(codes(r)).toEqual(["answered:icmp/-", "answered:tcp/22", "answered:tcp/80", "unanswered:tcp/443"]);
    const s80 = r.services.find((s) => s.port === 80);
    expect(s80).toMatchObject({ requests: 2, answered: 2 });
    const f = r.flows.find((x) => x.clientPort === 49159);
    expect(f?.interfaces.sort()).toEqual(["port1", "port2", "port3"]);
    // the SYN in on port1 and its copy out on port2 count once; the same SYN re-entering on
    // port3 29 ms later (past the copy window) and the handshake's ACK count once each
    expect(f?.toServer.packets).toBe(3);
    expect(f?.state).toBe("S1");
  });

  test("49: the pings are answered; the stray unreachable is reported, not called a rejection", () => {
    const r = run("49_");
    expect(codes(r)).toEqual(["answered:icmp/-", "unmatched-unreachable:udp/60614"]);
    expect(r.services.find((s) => s.proto === "icmp")).toMatchObject({ requests: 8, answered: 8 });
  });

  test("35: SNAT on any: requests and replies pair across the translation, each exchange once", () => {
    const r = run("35_");
    expect(codes(r)).toEqual(["answered:icmp/-"]);
    expect(r.flows).toHaveLength(1);
    expect(r.flows[0]).toMatchObject({ client: "192.168.1.10", server: "114.114.114.114", nat: { snat: "192.168.89.35", dnat: null } });
    // the ingress/egress pair of each direction is recorded
    expect(r.flows[0]?.hops).toEqual([
      { ingress: "port5", egress: "port1" },
      { ingress: "port1", egress: "port5" },
    ]);
    expect(r.flows[0]?.toServer.packets).toBe(2);
    expect(r.flows[0]?.toClient.packets).toBe(2);
  });

  test("29: unicast EIGRP/OSPF seen only arriving are not-forwarded; the multicast ones one-way", () => {
    const r = run("29_");
    expect(codes(r)).toEqual(["not-forwarded:ip/88", "not-forwarded:ip/89", "one-way:ip/88", "one-way:ip/89"]);
  });

  test("34: syslog is one-way, never unanswered", () => {
    const r = run("34_");
    expect(r.verdicts.every((v) => v.code === "one-way")).toBe(true);
  });

  test("no corpus file yields an error verdict outside the reviewed list", () => {
    // reviewed by hand: each of these is what an engineer reading the capture would say
    const expectedErrors: Record<string, string[]> = {
      "00_": ["unanswered:udp/8889"],
      "29_": ["not-forwarded:ip/88", "not-forwarded:ip/89"],
      "32_": ["unanswered:tcp/443"],
      "42_": ["unanswered:icmp/-", "unanswered:icmp/-"],
    };
    for (const name of corpusFiles()) {
      const r = analyze(readCorpus(name), { ...options, source: name });
      const errors = r.verdicts.filter((v) => v.severity === "error").map((v) => `${v.code}:${v.proto ?? "-"}/${v.port ?? "-"}`).sort();
      const key = Object.keys(expectedErrors).find((k) => name.startsWith(k));
      expect({ name, errors }).toEqual({ name, errors: key === undefined ? [] : expectedErrors[key] });
    }
  });

  test("every corpus report validates against the published schema", () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(reportSchema);
    for (const name of readdirSync(corpusDir).filter((f) => f.endsWith(".txt"))) {
      const report = JSON.parse(JSON.stringify(analyze(readCorpus(name), { ...options, source: name })));
      const ok = validate(report);
      expect({ name, errors: ok ? null : validate.errors }).toEqual({ name, errors: null });
    }
  });
});

describeCorpus("analyze properties", () => {
  const seed = () => readCorpus(corpusFiles().find((f) => f.startsWith("00_")) as string).toString("utf8");
  const key = (v: Verdict) => `${v.capture}|${v.code}|${v.proto}|${v.port}|${v.servers.join(",")}|${v.title}`;

  test("adding unrelated traffic never changes a verdict", () => {
    const base = analyze(seed(), options).verdicts.map(key);
    const octet = fc.integer({ min: 1, max: 254 });
    fc.assert(
      fc.property(fc.array(fc.tuple(octet, octet, fc.integer({ min: 1024, max: 65000 }), fc.integer({ min: 1, max: 1400 })), { maxLength: 6 }), (extra) => {
        const lines = seed().split("\n");
        // unrelated answered DNS exchanges in the first capture, between its existing packets
        // in time order between the first and the second request (12:40:19.05 and 12:40:21.01)
        const injected = extra.flatMap(([a, b, port, len], i) => [
          `2010-10-27 12:40:19.${String(100000 + i * 200000).padStart(6, "0")} port9 out 10.9.${a}.${b}.${port} -> 10.8.0.1.53: udp ${len}`,
          `2010-10-27 12:40:19.${String(150000 + i * 200000).padStart(6, "0")} port9 in 10.8.0.1.53 -> 10.9.${a}.${b}.${port}: udp ${len}`,
        ]);
        lines.splice(5, 0, ...injected);
        const after = analyze(lines.join("\n"), options).verdicts.filter((v) => v.port !== 53 || v.capture !== 0).map(key);
        expect(after).toEqual(base);
      }),
      { numRuns: 50 },
    );
  });

  test("reordering the captures of a file never changes the per-capture results", () => {
    const text = seed();
    const lines = text.split("\n");
    const first = lines.slice(1, 9).join("\n");
    const second = lines.slice(9).join("\n");
    const a = analyze(`${first}\n${second}`, options);
    const b = analyze(`${second}\n${first}\n`, options);
    const strip = (r: Report) =>
      r.verdicts
        .map((v) => ({ code: v.code, port: v.port, servers: v.servers, title: v.title, evidence: v.evidence.map((e) => e.text) }))
        .sort((x, y) => (x.title < y.title ? -1 : 1));
    expect(strip(b)).toEqual(strip(a));
  });
});
