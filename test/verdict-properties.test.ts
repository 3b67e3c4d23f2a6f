/**
 * fast-check properties of the verdicts (issue 11): a reply present in the capture never yields
 * "no reply"; unrelated traffic added inside a capture's time span never changes its verdicts; the
 * same capture with its addresses renamed consistently gives the same verdicts.
 */
import { readdirSync } from "node:fs";
import fc from "fast-check";
import { analyze } from "../src/analyze.js";
import { builtinAnalyzeOptions } from "../src/services.js";
import type { Report, Verdict } from "../src/report.js";
import { readSample, samplesDir } from "./helpers/corpus.js";

const options = builtinAnalyzeOptions();
const NO_REPLY: ReadonlySet<string> = new Set(["unanswered", "not-forwarded", "capture-ended", "partially-answered", "local-in-unanswered"]);

function run(text: string): Report {
  return analyze(text, { ...options, source: "p.txt" });
}

const stamp = (t: number) => t.toFixed(6);

describe("a reply present never yields no-reply", () => {
  const exchange = fc.record({
    kind: fc.constantFrom("udp", "tcp", "icmp"),
    port: fc.constantFrom(53, 123, 443, 1812, 8888, 5353, 40000),
    delay: fc.double({ min: 0.0001, max: 30, noNaN: true }),
    tail: fc.double({ min: 0.001, max: 5, noNaN: true }),
    iface: fc.constantFrom("port1", "wan1"),
  });

  test("one request, its reply at any delay inside the capture: answered (maybe late), never silent", () => {
    fc.assert(
      fc.property(exchange, ({ kind, port, delay, tail, iface }) => {
        const t0 = 10;
        const t1 = t0 + delay;
        const lines = [`diagnose sniffer packet ${iface} 'host 192.0.2.9' 4 0 a`, `interfaces=[${iface}]`, "filters=[host 192.0.2.9]"];
        if (kind === "udp") {
          lines.push(`${stamp(t0)} ${iface} out 10.0.0.1.41000 -> 192.0.2.9.${port}: udp 40`);
          lines.push(`${stamp(t1)} ${iface} in 192.0.2.9.${port} -> 10.0.0.1.41000: udp 80`);
        } else if (kind === "tcp") {
          lines.push(`${stamp(t0)} ${iface} out 10.0.0.1.41000 -> 192.0.2.9.${port}: syn 1000`);
          lines.push(`${stamp(t1)} ${iface} in 192.0.2.9.${port} -> 10.0.0.1.41000: syn 5000 ack 1001`);
        } else {
          lines.push(`${stamp(t0)} ${iface} out 10.0.0.1 -> 192.0.2.9: icmp: echo request`);
          lines.push(`${stamp(t1)} ${iface} in 192.0.2.9 -> 10.0.0.1: icmp: echo reply`);
        }
        // something else later, so the capture goes on past the reply
        lines.push(`${stamp(t1 + tail)} ${iface} out 10.0.0.1.42000 -> 192.0.2.9.53: udp 40`);
        const r = run(lines.join("\n") + "\n");
        const svc = r.services.find((s) => s.proto === kind && (kind === "icmp" || s.port === port) && s.requests > 0 && !(kind === "udp" && port === 53 && s.requests === 2));
        const about = r.verdicts.filter((v) => v.proto === kind && (kind === "icmp" || v.port === port) && v.servers.includes("192.0.2.9"));
        if (!(kind === "udp" && port === 53)) {
          expect(svc?.answered).toBe(1);
          expect(about.filter((v) => NO_REPLY.has(v.code))).toEqual([]);
        } else {
          // the later query to the same service has no reply: the first one still counts as answered
          expect(r.services.find((s) => s.proto === "udp" && s.port === 53)?.answered).toBe(1);
        }
      }),
      { numRuns: 150 },
    );
  });
});

const sampleNames = readdirSync(samplesDir)
  .filter((f) => f.endsWith(".txt") && !f.startsWith("script_log") && !f.startsWith("pasted_"))
  .sort();

/** What a verdict says, without words: code, severity, proto, port, servers. */
function facts(vs: readonly Verdict[], rename: (a: string) => string = (a) => a): string[] {
  return vs.map((v) => `${v.capture}|${v.code}|${v.severity}|${v.proto}|${v.port}|${v.servers.map(rename).join(",")}`).sort();
}

describe("unrelated traffic and renamed addresses", () => {
  test("adding unrelated traffic inside a capture's time span never changes its verdicts", () => {
    fc.assert(
      fc.property(fc.constantFrom(...sampleNames), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }), (name, where) => {
        const text = readSample(name).toString("utf8");
        const base = run(text);
        const lines = text.split("\n");
        // unrelated exchanges (hosts of 172.31.0.0/16 and 172.30.0.0/16, a service no sample uses:
        // UDP/39999), placed between two packet lines of the same capture, stamped like the line
        // before them, in the capture's own form
        const packetLine = /^(\s*)(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+|\d+\.\d+) (?:(\S+) (in|out|--) )?/;
        const idx = lines.map((l, i) => (packetLine.test(l) ? i : -1)).filter((i) => i >= 0);
        fc.pre(idx.length >= 2);
        const inserts = new Map<number, string[]>();
        where.forEach((w, k) => {
          const j = Math.min(idx.length - 2, Math.floor(w * (idx.length - 1)));
          const at = idx[j] as number;
          const m = packetLine.exec(lines[at] as string) as RegExpExecArray;
          const [, indent, ts, iface, dir] = m;
          const where2 = iface === undefined ? "" : `${iface} ${dir === "out" ? "in" : dir} `;
          const back = iface === undefined ? "" : `${iface} ${dir === "in" ? "out" : dir === "out" ? "in" : dir} `;
          const list = inserts.get(at) ?? [];
          list.push(`${indent}${ts} ${where2}172.31.0.${k + 1}.5${k}000 -> 172.30.0.${k + 1}.39999: udp 41`);
          list.push(`${indent}${ts} ${back}172.30.0.${k + 1}.39999 -> 172.31.0.${k + 1}.5${k}000: udp 77`);
          inserts.set(at, list);
        });
        const noisy = lines.flatMap((l, i) => [l, ...(inserts.get(i) ?? [])]).join("\n");
        const r = run(noisy);
        const unrelated = (v: Verdict) => v.servers.some((a) => a.startsWith("172.30.0.") || a.startsWith("172.31.0."));
        expect(facts(r.verdicts.filter((v) => !unrelated(v) && v.code !== "unrecognized-lines"))).toEqual(facts(base.verdicts.filter((v) => v.code !== "unrecognized-lines")));
      }),
      { numRuns: 60 },
    );
  });

  test("the same capture with addresses renamed consistently gives the same verdicts", () => {
    fc.assert(
      fc.property(fc.constantFrom(...sampleNames), fc.integer({ min: 1, max: 200 }), (name, shift) => {
        const text = readSample(name).toString("utf8");
        // a bijection on the last octet of unicast IPv4 addresses (1..254), outside hex rows
        const map = (o: number) => (o === 0 || o === 255 ? o : ((o - 1 + shift) % 254) + 1);
        const rename = (a: string) => a.replace(/^(\d+\.\d+\.\d+)\.(\d+)$/, (_, p: string, o: string) => (Number(p.split(".")[0]) >= 224 ? `${p}.${o}` : `${p}.${map(Number(o))}`));
        const renamedText = text
          .split("\n")
          .map((l) => (/^\s*0x[0-9a-f]{4}|^\s*[0-9a-f]{6}\t/i.test(l) ? l : l.replace(/\b(\d{1,3}\.\d{1,3}\.\d{1,3})\.(\d{1,3})(?=\b)/g, (m) => rename(m))))
          .join("\n");
        // hex dumps still carry the old addresses; the verdicts rest on the header lines
        const a = run(text);
        const b = run(renamedText);
        expect(facts(b.verdicts)).toEqual(facts(a.verdicts, rename));
      }),
      { numRuns: 60 },
    );
  });
});
