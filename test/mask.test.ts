/**
 * Masking (`sniffdiag mask`, `--mask`): the keyed PRF, the address pseudonyms (consistent,
 * one-to-one, prefix-preserving, classes kept), the rewritten hex dumps (checksums updated), and
 * the property that matters: a masked capture gets the same verdicts, counts and reply times.
 */
import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { analyze, builtinAnalyzeOptions, builtinCatalogue, hexToBytes, parseCapture, type Report } from "../src/internal.js";
import { AddressMasker, Hmac, formatIPv4, maskCapture, maskText, parseIPv4 } from "../src/mask/index.js";
import { corpusFiles, describeCorpus, readCorpus, samplesDir } from "./helpers/corpus.js";
import { runCli } from "./helpers/cli.js";

const sampleFiles = readdirSync(samplesDir).filter((f) => f.endsWith(".txt")).sort();
const catalogueAddresses = builtinCatalogue().flatMap((e) => e.addresses ?? []);

describe("the keyed PRF", () => {
  test("HMAC-SHA-256 equals node:crypto's for any key and message", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 150 }), fc.uint8Array({ maxLength: 200 }), (key, msg) => {
        const ours = Buffer.from(new Hmac(key).digest(msg)).toString("hex");
        expect(ours).toBe(createHmac("sha256", key).update(msg).digest("hex"));
      }),
      { numRuns: 200 },
    );
  });
});

const publicV4 = fc
  .tuple(fc.integer({ min: 1, max: 223 }), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 }))
  .filter(([a, b]) => a !== 10 && a !== 127 && a !== 0 && !(a === 172 && b >= 16 && b < 32) && !(a === 192 && b === 168) && !(a === 100 && b >= 64 && b < 128) && !(a === 169 && b === 254) && a !== 192 && a !== 198 && a !== 203)
  .map((o) => o.join("."));

describe("address pseudonyms", () => {
  test("consistent, one-to-one, and the same for the same key", () => {
    const a = new AddressMasker({ key: "k1" });
    const b = new AddressMasker({ key: "k1" });
    const c = new AddressMasker({ key: "k2" });
    const seen = new Map<string, string>();
    fc.assert(
      fc.property(publicV4, (addr) => {
        const m = a.ipv4(addr);
        expect(a.ipv4(addr)).toBe(m);
        expect(b.ipv4(addr)).toBe(m);
        const other = seen.get(m);
        if (other !== undefined) expect(other).toBe(addr);
        seen.set(m, addr);
      }),
      { numRuns: 3000 },
    );
    expect(c.ipv4("8.8.8.8")).not.toBe(a.ipv4("8.8.8.8"));
  });

  test("addresses in one /24 stay in one /24, and masked addresses leave the special ranges alone", () => {
    const m = new AddressMasker({ key: "prefix" });
    fc.assert(
      fc.property(publicV4, fc.integer({ min: 1, max: 254 }), (addr, host) => {
        const sibling = addr.split(".").slice(0, 3).concat(String(host)).join(".");
        const x = m.ipv4(addr).split(".");
        const y = m.ipv4(sibling).split(".");
        expect(x.slice(0, 3)).toEqual(y.slice(0, 3));
        // no public address becomes private, multicast, .0 or .255
        const [a, b] = x.map(Number) as [number, number];
        expect(a === 10 || a === 127 || a >= 224 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b < 32)).toBe(false);
        expect(["0", "255"]).not.toContain(x[3]);
      }),
      { numRuns: 1000 },
    );
  });

  test("classes stay: private stays private, kept classes and special addresses are unchanged", () => {
    const m = new AddressMasker({ key: "cls" });
    expect(m.ipv4("10.1.2.3").startsWith("10.")).toBe(true);
    expect(m.ipv4("10.1.2.3")).not.toBe("10.1.2.3");
    expect(m.ipv4("192.168.7.9").startsWith("192.168.")).toBe(true);
    expect(m.ipv4("172.20.1.1")).toMatch(/^172\.(1[6-9]|2\d|3[01])\./);
    for (const same of ["224.0.0.5", "255.255.255.255", "0.0.0.0", "127.0.0.1"]) expect(m.ipv4(same)).toBe(same);
    expect(m.ipv4("10.1.2.255")).toMatch(/^10\.\d+\.\d+\.255$/);
    expect(m.ipv6("ff02::1:2")).toBe("ff02::1:2");
    expect(m.ipv6("fe80::1234:5678")).toMatch(/^fe80::/);
    expect(m.ipv6("2001:db8::1")).toMatch(/^2001:db8:/);
    const keep = new AddressMasker({ key: "cls", keep: ["private", "documentation"], keepAddresses: ["208.91.112.194"] });
    expect(keep.ipv4("10.1.2.3")).toBe("10.1.2.3");
    expect(keep.ipv4("198.51.100.7")).toBe("198.51.100.7");
    expect(keep.ipv4("208.91.112.194")).toBe("208.91.112.194");
    expect(keep.ipv4("208.91.112.195")).not.toBe("208.91.112.195");
    expect(keep.ipv6("2001:db8::1")).toBe("2001:db8::1");
  });

  test("MACs keep their vendor part; group and zero MACs stay", () => {
    const m = new AddressMasker({ key: "mac" });
    const masked = m.mac("00:09:0f:12:34:56");
    expect(masked.startsWith("00:09:0f:")).toBe(true);
    expect(masked).not.toBe("00:09:0f:12:34:56");
    expect(m.mac("ff:ff:ff:ff:ff:ff")).toBe("ff:ff:ff:ff:ff:ff");
    expect(m.mac("01:00:5e:00:00:05")).toBe("01:00:5e:00:00:05");
  });

  test("text: endpoints with ports, ARP, debug-flow tuples; timestamps untouched", () => {
    const m = new AddressMasker({ key: "text" });
    const line = "2024-02-20 16:03:41.220418 port1 out 8.8.4.4.4271 -> 1.1.1.1.1812: udp 128";
    const out = maskText(line, m);
    expect(out).toBe(`2024-02-20 16:03:41.220418 port1 out ${m.ipv4("8.8.4.4")}.4271 -> ${m.ipv4("1.1.1.1")}.1812: udp 128`);
    expect(maskText("arp reply 9.9.9.9 is-at 00:09:0f:aa:bb:cc", m)).toBe(`arp reply ${m.ipv4("9.9.9.9")} is-at ${m.mac("00:09:0f:aa:bb:cc")}`);
    expect(maskText('msg="vd-root:0 received a packet(proto=6, 8.8.4.4:1234->1.1.1.1:80) from port1."', m)).toContain(`${m.ipv4("8.8.4.4")}:1234->${m.ipv4("1.1.1.1")}:80`);
    expect(maskText("2001:4860::8888.53 -> 2a00:1450::1.40000: udp 40", m)).toBe(`${m.ipv6("2001:4860::8888")}.53 -> ${m.ipv6("2a00:1450::1")}.40000: udp 40`);
    expect(maskText("12:40:19.050364 version 7.2.5 build1517 82.x.x.x", m)).toBe("12:40:19.050364 version 7.2.5 build1517 82.x.x.x");
  });
});

/** One's-complement sum of 16-bit words. */
function onesSum(bytes: Uint8Array, start = 0): number {
  let s = start;
  for (let i = 0; i < bytes.length; i += 2) s += ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

/** IPv4 packets fully dumped: [header checksum ok, transport checksum ok (null: not checkable)] */
function checksums(text: string): [boolean, boolean | null][] {
  const out: [boolean, boolean | null][] = [];
  for (const p of parseCapture(text).packets) {
    if (p.bytes === null) continue;
    const b = hexToBytes(p.bytes);
    const l3 = b.length > 14 && b[12] === 0x08 && b[13] === 0x00 ? 14 : (b[0] ?? 0) >> 4 === 4 ? 0 : -1;
    if (l3 < 0 || (b[l3] ?? 0) >> 4 !== 4) continue;
    const ihl = ((b[l3] ?? 0) & 15) * 4;
    const total = ((b[l3 + 2] ?? 0) << 8) | (b[l3 + 3] ?? 0);
    const header = onesSum(b.subarray(l3, l3 + ihl)) === 0xffff;
    const proto = b[l3 + 9];
    let transport: boolean | null = null;
    if ((proto === 6 || proto === 17) && b.length >= l3 + total && total > ihl) {
      const seg = b.slice(l3 + ihl, l3 + total);
      const pseudo = new Uint8Array(12);
      pseudo.set(b.subarray(l3 + 12, l3 + 20));
      pseudo[9] = proto;
      pseudo[10] = seg.length >> 8;
      pseudo[11] = seg.length & 0xff;
      const padded = new Uint8Array(seg.length + (seg.length & 1));
      padded.set(seg);
      transport = proto === 17 && seg[6] === 0 && seg[7] === 0 ? null : onesSum(padded, onesSum(pseudo)) === 0xffff;
    }
    out.push([header, transport]);
  }
  return out;
}

/** What the verdicts say, without the addresses: codes, severities, counts, reply times. */
function shape(r: Report) {
  return {
    verdicts: r.verdicts.map((v) => [v.capture, v.code, v.severity, v.proto, v.port, v.servers.length, v.evidence.map((e) => e.line)]),
    services: r.services.map((s) => [s.capture, s.proto, s.port, s.name, s.status, s.requests, s.answered, s.unanswered, s.rejected, s.inconclusive, s.notForwarded, s.servers.map((x) => [x.requests, x.answered, x.rejected, x.rtt]).sort()]),
    flows: r.flows.map((f) => [f.capture, f.proto, f.state, f.clientPort, f.serverPort, f.toServer, f.toClient, f.firstLine, f.lastLine]),
    summary: r.summary,
  };
}

function checkMaskedCapture(name: string, text: string, key: string): void {
  const masked = maskCapture(text, { key, keepAddresses: catalogueAddresses });
  // line for line
  expect(masked.text.split("\n").length).toBe(text.split("\n").length);
  const before = parseCapture(text);
  const after = parseCapture(masked.text);
  expect(after.summary.classes).toEqual(before.summary.classes);
  expect(after.packets.map((p) => [p.line, p.proto, p.sport, p.dport, p.bytes?.length])).toEqual(before.packets.map((p) => [p.line, p.proto, p.sport, p.dport, p.bytes?.length]));
  // a checksum that was right stays right
  const sumsBefore = checksums(text);
  const sumsAfter = checksums(masked.text);
  sumsBefore.forEach(([h, t], i) => {
    if (h) expect([name, i, sumsAfter[i]?.[0]]).toEqual([name, i, true]);
    if (t === true) expect([name, i, sumsAfter[i]?.[1]]).toEqual([name, i, true]);
  });
  // the same verdicts, counts and reply times
  const options = { ...builtinAnalyzeOptions(), source: name };
  expect(shape(analyze(masked.text, options))).toEqual(shape(analyze(text, options)));
  // every IPv4 address of a packet header is replaced by its pseudonym, in place (a pseudonym may
  // equal another original address of the same capture, so the check is per packet, not a text search)
  const m = new AddressMasker({ key, keepAddresses: catalogueAddresses });
  const v4 = (addr: string | null) => (addr !== null && parseIPv4(addr) !== null ? addr : null);
  expect(after.packets.map((p) => [p.line, v4(p.src), v4(p.dst)])).toEqual(
    before.packets.map((p) => [p.line, ...[v4(p.src), v4(p.dst)].map((a) => (a === null ? null : m.ipv4(a)))]),
  );
}

describe("a masked capture gives the same verdicts, counts and reply times", () => {
  test.each(sampleFiles)("sample %s", (name) => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12 }), (key) => checkMaskedCapture(name, readFileSync(samplesDir + name, "utf8"), key)),
      { numRuns: 3 },
    );
  });
});

describeCorpus("masking the shared corpus", () => {
  test.each(corpusFiles())("corpus %s", (name) => {
    checkMaskedCapture(name, readCorpus(name).toString("utf8"), "corpus-key");
  });
});

describe("sniffdiag mask and --mask", () => {
  const seed = "samples/v4_any_radius_unanswered_retries.txt";

  test("mask -o writes the masked capture; the same key gives the same file, another key another", () => {
    const dir = mkdtempSync(join(tmpdir(), "sniffdiag-mask-"));
    const one = runCli(["mask", seed, "-o", join(dir, "a.txt"), "--mask-key", "ticket-1"]);
    expect(one.status).toBe(0);
    expect(one.stderr).toMatch(/masked 3 IPv4, 0 IPv6 and 0 MAC addresses/);
    const again = runCli(["mask", seed, "-o", "-", "--mask-key", "ticket-1"]);
    expect(again.stdout).toBe(readFileSync(join(dir, "a.txt"), "utf8"));
    const other = runCli(["mask", seed, "-o", "-", "--mask-key", "ticket-2"]);
    expect(other.stdout).not.toBe(again.stdout);
    expect(again.stdout).not.toMatch(/\b10\.0\.0\.1\b/);
  });

  test("--mask masks every format; --mask-keep private keeps private addresses; bad words are usage errors", () => {
    for (const format of ["json", "markdown", "html", "table"]) {
      const r = runCli([seed, "--mask", "--mask-key", "k", "--format", format]);
      expect([format, r.status]).toEqual([format, 1]);
      expect(r.stdout).not.toMatch(/\b10\.0\.0\.1\b/);
      expect(r.stdout).not.toContain("10.0.0.50");
    }
    const json = JSON.parse(runCli([seed, "--mask", "--mask-key", "k", "--format", "json"]).stdout) as Report;
    const plain = JSON.parse(runCli([seed, "--format", "json"]).stdout) as Report;
    expect(shape(json)).toEqual(shape(plain));
    const kept = runCli([seed, "--mask", "--mask-keep", "private", "--format", "json"]);
    expect(kept.stdout).toMatch(/\b10\.0\.0\.1\b/);
    const bad = runCli([seed, "--mask", "--mask-keep", "public"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--mask-keep takes private, documentation, catalogue \(got 'public'\)/);
    const stray = runCli([seed, "--mask-key", "k"]);
    expect(stray.status).toBe(2);
    expect(stray.stderr).toMatch(/go with --mask/);
  });

  test("mask of a missing file: one line, exit 2", () => {
    const r = runCli(["mask", "no-such-file.txt", "-o", "-"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/no-such-file\.txt: cannot read/);
  });
});

test("formatIPv4 round trip", () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (b) => expect(parseIPv4(formatIPv4(b))).toEqual(b)));
});
