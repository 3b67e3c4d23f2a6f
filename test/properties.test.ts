/** fast-check properties of the parser's invariants. */
import fc from "fast-check";
import { parseCapture, parseStream, splitLines, type AssembledRecord } from "../src/internal.js";
import { formatTime } from "../src/format/time.js";

const classTotal = (r: ReturnType<typeof parseCapture>) => Object.values(r.summary.classes).reduce((a, b) => a + b, 0);

/** Text that looks a bit like sniffer output: fragments of real line shapes mixed with noise. */
const fragment = fc.constantFrom(
  "0x0000\t 4500 0054 ",
  "0x0010   0028 0000",
  "000010\t ff ff",
  "2010-10-27 12:40:19.050364 ",
  "1.5 ",
  "port1 in ",
  "-- ",
  "10.0.0.1.53 -> 10.0.0.2.999: ",
  "udp 64",
  "syn 1 ack 2 ",
  "icmp: echo request",
  "arp who-has 1.2.3.4 tell 5.6.7.8",
  "interfaces=[any]",
  "filters=[",
  "]",
  "diag snif pack any 'x' 6 0 a",
  "FGT # ",
  "# ",
  "^C",
  "3 packets received by filter",
  "\n",
  "\r\n",
  "\r",
  "\t",
  " ",
  "\x1b[K",
  "\x08",
  "&gt;",
  "> ",
  "**",
  "```",
  "\u00a0",
  "\ufeff",
);
const snifferish = fc.array(fc.oneof(fragment, fc.string({ maxLength: 8 }), fc.string({ unit: "binary", maxLength: 4 })), { maxLength: 60 }).map((a) => a.join(""));

describe("properties", () => {
  test("any text parses without throwing, and every line is counted exactly once", () => {
    fc.assert(
      fc.property(fc.oneof(snifferish, fc.string({ unit: "binary" })), (text) => {
        const r = parseCapture(text);
        expect(r.summary.lines).toBe(splitLines(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).length);
        expect(classTotal(r)).toBe(r.summary.lines);
        expect(r.summary.classes.unrecognized).toBe(r.diagnostics.filter((d) => d.code === "unrecognized-line" || d.code === "line-too-long" || d.code === "invalid-timestamp" || d.code === "internal-error").length);
        for (const p of r.packets) expect(p.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 400 },
    );
  });

  test("any bytes parse without throwing", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const r = parseCapture(bytes);
        expect(classTotal(r)).toBe(r.summary.lines);
      }),
      { numRuns: 300 },
    );
  });

  test("streaming in any chunking gives the same records as the whole text", async () => {
    await fc.assert(
      fc.asyncProperty(snifferish, fc.array(fc.nat(), { maxLength: 6 }), async (text, cuts) => {
        const whole = parseCapture(text).records;
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunks: string[] = [];
        let prev = 0;
        for (const p of points) {
          chunks.push(text.slice(prev, p));
          prev = p;
        }
        chunks.push(text.slice(prev));
        const streamed: AssembledRecord[] = [];
        for await (const r of parseStream(chunks)) streamed.push(r);
        expect(streamed).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  // ---- a generated valid capture round-trips its fields ------------------------------------------

  const octet = fc.integer({ min: 0, max: 255 });
  const ipv4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join("."));
  const port = fc.integer({ min: 1, max: 65535 });
  const iface = fc.stringMatching(/^[a-z][a-zA-Z0-9_-]{0,10}[0-9]$/);
  const u32 = fc.integer({ min: 0, max: 0xffffffff });

  type Gen = { text: string; expect: Record<string, unknown> };
  const summary: fc.Arbitrary<Gen> = fc.oneof(
    fc.tuple(ipv4, port, ipv4, port, fc.integer({ min: 0, max: 1472 })).map(([s, sp, d, dp, len]) => ({
      text: `${s}.${sp} -> ${d}.${dp}: udp ${len}`,
      expect: { proto: "udp", src: s, sport: sp, dst: d, dport: dp, length: len },
    })),
    fc.tuple(ipv4, port, ipv4, port, fc.subarray(["syn", "fin", "rst", "psh"], { minLength: 1 }), u32, fc.option(u32)).map(([s, sp, d, dp, flags, seq, ack]) => ({
      text: `${s}.${sp} -> ${d}.${dp}: ${flags.join(" ")} ${seq}${ack === null ? "" : ` ack ${ack}`} `,
      expect: { proto: "tcp", src: s, sport: sp, dst: d, dport: dp, tcp: { flags: ack === null ? flags : [...flags, "ack"], seq, ack } },
    })),
    fc.tuple(ipv4, port, ipv4, port, u32).map(([s, sp, d, dp, ack]) => ({
      text: `${s}.${sp} -> ${d}.${dp}: ack ${ack} `,
      expect: { proto: "tcp", tcp: { flags: ["ack"], seq: null, ack } },
    })),
    fc.tuple(ipv4, ipv4, fc.constantFrom("request", "reply")).map(([s, d, w]) => ({
      text: `${s} -> ${d}: icmp: echo ${w}`,
      expect: { proto: "icmp", src: s, dst: d, sport: null, icmp: { kind: `echo-${w}`, text: `echo ${w}` } },
    })),
    fc.tuple(ipv4, ipv4).map(([t, s]) => ({
      text: `arp who-has ${t} tell ${s}`,
      expect: { proto: "arp", arp: { op: "who-has", target: t, sender: s, mac: null } },
    })),
  );

  test("a generated valid capture round-trips its fields", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.tuple(summary, iface, fc.constantFrom("in", "out", "--"), fc.integer({ min: 0, max: 1e9 })), { minLength: 1, maxLength: 12 }),
        (absolute, named, packets) => {
          const base = absolute ? 1288183219 : 0;
          const lines = [`FGT # diagnose sniffer packet any none ${named ? 4 : 1} 0 ${absolute ? "a" : "r"}`, "interfaces=[any]", "filters=[none]"];
          let t = 0;
          for (const [s, ifc, dir, dt] of packets) {
            t += dt / 1e6;
            const stamp = formatTime(base + Math.round(t * 1e6) / 1e6);
            lines.push(`${stamp} ${named ? `${ifc} ${dir} ` : ""}${s.text}`);
          }
          lines.push("", `${packets.length} packets received by filter`, "0 packets dropped by kernel");
          const r = parseCapture(lines.join("\n") + "\n");
          expect(r.captures).toHaveLength(1);
          expect(r.captures[0]).toMatchObject({ verbose: named ? 4 : 1, timestamps: absolute ? "absolute" : "relative", received: packets.length, dropped: 0 });
          expect(r.packets).toHaveLength(packets.length);
          r.packets.forEach((p, i) => {
            const [s, ifc, dir] = packets[i] as (typeof packets)[number];
            expect(p).toMatchObject(s.expect);
            expect(p.line).toBe(i + 4);
            expect(p.iface).toBe(named ? ifc : null);
            expect(p.dir).toBe(named ? (dir === "--" ? "unknown" : dir) : null);
            expect(formatTime(p.ts)).toBe(lines[i + 3]?.slice(0, absolute ? 26 : lines[i + 3]?.indexOf(" ")));
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
