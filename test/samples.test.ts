/**
 * The files in samples/: what parseCapture returns for each, field by field, and checks that the
 * samples themselves keep the spec's hex geometry (../shared/spec/sniffer-format.md §4) and that
 * every dump is the packet its header line describes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { parseCapture, type ParseResult } from "../src/index.js";
import type { LineClass, PacketRecord } from "../src/records.js";
import { rowBytes } from "./helpers/hex.js";

const SAMPLES = new URL("../samples/", import.meta.url);

function read(name: string): Buffer {
  return readFileSync(new URL(name, SAMPLES));
}

function parse(name: string): ParseResult {
  return parseCapture(read(name), { source: name });
}

/** The packet whose header is on `line`. */
function at(r: ParseResult, line: number): PacketRecord {
  const p = r.packets.find((q) => q.line === line);
  if (p === undefined) throw new Error(`no packet at line ${line}; packets at ${r.packets.map((q) => q.line).join(",")}`);
  return p;
}

function classes(partial: Partial<Record<LineClass, number>>): Record<LineClass, number> {
  return {
    packet: 0,
    hexRow: 0,
    continuation: 0,
    command: 0,
    trace: 0,
    preamble: 0,
    trailer: 0,
    blank: 0,
    noise: 0,
    unrecognized: 0,
    ...partial,
  };
}

const hexOf = (s: string): string => Buffer.from(s, "latin1").toString("hex");

const sampleFiles = readdirSync(SAMPLES)
  .filter((f) => f.endsWith(".txt"))
  .sort();

// ---- independent readings of the text, not using the parser ----------------------------------------


/** §4.1: printable 0x21-0x7e as is, everything else (space included) as `.` */
function asciiOf(hex: string): string {
  let s = "";
  for (let i = 0; i < hex.length; i += 2) {
    const b = parseInt(hex.slice(i, i + 2), 16);
    s += b >= 0x21 && b <= 0x7e ? String.fromCharCode(b) : ".";
  }
  return s;
}

const u8 = (hex: string, off: number): number => parseInt(hex.slice(off * 2, off * 2 + 2), 16);
const u16 = (hex: string, off: number): number => parseInt(hex.slice(off * 2, off * 2 + 4), 16);
const u32 = (hex: string, off: number): number => parseInt(hex.slice(off * 2, off * 2 + 8), 16);
const ipv4At = (hex: string, off: number): string => [0, 1, 2, 3].map((i) => u8(hex, off + i)).join(".");
function ipv6At(hex: string, off: number): string {
  const groups = Array.from({ length: 8 }, (_, i) => u16(hex, off + i * 2).toString(16));
  // compress the longest run of zero groups, as inet_ntop does
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(":");
  return groups.slice(0, best).join(":") + "::" + groups.slice(best + bestLen).join(":");
}

/** Does a header address (possibly masked: `XX.XX.100.44`) match the one in the bytes? */
function sameAddress(header: string | null, real: string): boolean {
  if (header === null) return false;
  if (!header.includes("X")) return header === real;
  const h = header.split(".");
  const r = real.split(".");
  return h.length === r.length && h.every((part, i) => /^X+$/.test(part) || part === r[i]);
}

// ---- every sample ---------------------------------------------------------------------------------

describe("every sample", () => {
  test("there are samples, the seed among them, and a README listing each", () => {
    expect(sampleFiles.length).toBeGreaterThanOrEqual(12);
    expect(sampleFiles).toContain("seed_fortimail_kb192524.txt");
    const readme = read("README.md").toString("utf8");
    for (const f of sampleFiles) expect(readme).toContain("`" + f + "`");
  });

  test.each(sampleFiles)("%s: line 1 says what it shows; every line is counted once", (name) => {
    const text = read(name).toString("utf8");
    const first = text.split("\n")[0] ?? "";
    if (name.startsWith("seed_")) expect(first).toMatch(/^# source: /);
    else expect(first).toMatch(/^# sample: \S/);

    const r = parse(name);
    const newlines = text.split("\n").length - 1;
    expect(r.summary.lines).toBe(text.endsWith("\n") ? newlines : newlines + 1);
    const total = Object.values(r.summary.classes).reduce((a, b) => a + b, 0);
    expect(total).toBe(r.summary.lines);
    expect(r.summary.classes.unrecognized).toBe(r.diagnostics.filter((d) => d.code === "unrecognized-line").length);
    expect(r.summary.captures).toBe(r.captures.length);
    expect(r.summary.packets).toBe(r.packets.length);
    expect(r.captures.length).toBeGreaterThan(0);
    expect(r.captures.map((c) => c.index)).toEqual(r.captures.map((_, i) => i));
    for (const p of r.packets) {
      const cap = r.captures[p.capture];
      expect(cap).toBeDefined();
      expect(p.line).toBeGreaterThanOrEqual(cap?.line ?? Infinity);
      expect(p.line).toBeLessThanOrEqual(cap?.endLine ?? -1);
      expect(p.source).toBe(name);
    }
    // no dump in the samples is cut short
    expect(r.diagnostics.filter((d) => d.code === "truncated-packet")).toEqual([]);
  });

  test.each(sampleFiles)("%s: hex rows follow the spec's geometry", (name) => {
    const lines = read(name).toString("utf8").split("\n").map((l) => l.replace(/\r+$/, ""));
    for (const line of lines) {
      if (/^0x[0-9a-f]{4}\t/.test(line)) {
        // §4.1 raw: TAB, a 40-character hex area, TAB, the ASCII of exactly those bytes (or no ASCII column at all)
        const m = /^0x[0-9a-f]{4}\t([ 0-9a-f]{40})(?:\t(.*))?$/.exec(line);
        expect(m).not.toBeNull();
        if (m?.[2] !== undefined) expect(m[2]).toBe(asciiOf(rowBytes(line)));
        else expect(line.length).toBeLessThanOrEqual(47);
      } else if (/^0x[0-9a-f]{4} {3}[0-9a-f]/.test(line)) {
        // §4.2 tab-expanded: hex area in columns 8..47, ASCII from column 56
        expect(line.slice(6, 8)).toBe("  ");
        if (line.length > 48) {
          expect(line.slice(48, 56)).toBe("        ");
          expect(line.slice(56)).toBe(asciiOf(rowBytes(line)));
        }
      } else if (/^[0-9a-f]{6}\t/.test(line)) {
        // §4.4 FortiWeb: 16 groups of ` xx`, padded to 48 characters
        const m = /^[0-9a-f]{6}\t((?: [0-9a-f]{2}){1,16} *)\t(.*)$/.exec(line);
        expect(m).not.toBeNull();
        expect(m?.[1]).toHaveLength(48);
        expect(m?.[2]).toBe(asciiOf(rowBytes(line)));
      }
    }
  });

  test.each(sampleFiles)("%s: each dump is the packet its header line describes", (name) => {
    const r = parse(name);
    const lines = read(name).toString("utf8").split("\n");
    for (const p of r.packets) {
      if (p.bytes === null) continue;
      // the bytes are the rows they came from
      const rows = (p.hexLines ?? []).map((n) => rowBytes(lines[n - 1] ?? ""));
      expect(p.bytes).toBe(rows.join(""));
      const verbose = r.captures[p.capture]?.verbose;
      const l3 = verbose === 2 || verbose === 5 ? 0 : 14;
      if (p.proto === "arp") {
        // ARP header: op at 6, sender MAC at 8, sender IP at 14, target IP at 24
        const arpL3 = p.bytes.startsWith("000108000604") ? 0 : 14;
        const senderMac = Array.from({ length: 6 }, (_, i) => u8(p.bytes ?? "", arpL3 + 8 + i).toString(16)).join(":");
        if (p.arp?.op === "who-has") {
          expect(u16(p.bytes, arpL3 + 6)).toBe(1);
          expect(ipv4At(p.bytes, arpL3 + 24)).toBe(p.arp.target);
          expect(ipv4At(p.bytes, arpL3 + 14)).toBe(p.arp.sender);
        } else {
          expect(u16(p.bytes, arpL3 + 6)).toBe(2);
          expect(ipv4At(p.bytes, arpL3 + 14)).toBe(p.arp?.target);
          expect(senderMac).toBe(p.arp?.mac?.split(":").map((o) => parseInt(o, 16).toString(16)).join(":"));
        }
        continue;
      }
      const version = u8(p.bytes, l3) >> 4;
      if (version === 4) {
        expect(u16(p.bytes, l3 + 2)).toBe(p.bytes.length / 2 - l3);
        expect(sameAddress(p.src, ipv4At(p.bytes, l3 + 12))).toBe(true);
        expect(sameAddress(p.dst, ipv4At(p.bytes, l3 + 16))).toBe(true);
        const proto = u8(p.bytes, l3 + 9);
        const l4 = l3 + (u8(p.bytes, l3) & 0x0f) * 4;
        if (p.proto === "udp") {
          expect(proto).toBe(17);
          expect([u16(p.bytes, l4), u16(p.bytes, l4 + 2)]).toEqual([p.sport, p.dport]);
          expect(u16(p.bytes, l4 + 4) - 8).toBe(p.length);
        } else if (p.proto === "tcp") {
          expect(proto).toBe(6);
          expect([u16(p.bytes, l4), u16(p.bytes, l4 + 2)]).toEqual([p.sport, p.dport]);
          const flags = u8(p.bytes, l4 + 13);
          const words = [flags & 2 ? "syn" : "", flags & 1 ? "fin" : "", flags & 4 ? "rst" : "", flags & 8 ? "psh" : "", flags & 16 ? "ack" : ""].filter((w) => w !== "");
          expect([...(p.tcp?.flags ?? [])].sort()).toEqual(words.sort());
          if (p.tcp?.seq !== null) expect(u32(p.bytes, l4 + 4)).toBe(p.tcp?.seq);
          if (p.tcp?.ack !== null) expect(u32(p.bytes, l4 + 8)).toBe(p.tcp?.ack);
        } else if (p.proto === "icmp") {
          expect(proto).toBe(1);
          const type = u8(p.bytes, l4);
          if (p.icmp?.kind === "echo-request") expect(type).toBe(8);
          if (p.icmp?.kind === "echo-reply") expect(type).toBe(0);
        }
      } else if (version === 6) {
        expect(u16(p.bytes, l3 + 4)).toBe(p.bytes.length / 2 - l3 - 40);
        expect(ipv6At(p.bytes, l3 + 8)).toBe(p.src);
        expect(ipv6At(p.bytes, l3 + 24)).toBe(p.dst);
        if (p.proto === "udp") {
          expect(u8(p.bytes, l3 + 6)).toBe(17);
          expect([u16(p.bytes, l3 + 40), u16(p.bytes, l3 + 42)]).toEqual([p.sport, p.dport]);
          expect(u16(p.bytes, l3 + 44) - 8).toBe(p.length);
        }
        if (p.proto === "icmp6") expect(u8(p.bytes, l3 + 6)).toBe(58);
      } else {
        throw new Error(`${name}:${p.line}: dump does not start with an IP header at byte ${l3}`);
      }
    }
  });
});

// ---- one sample at a time ---------------------------------------------------------------------------

describe("seed_fortimail_kb192524.txt", () => {
  const r = parse("seed_fortimail_kb192524.txt");
  test("two captures from the two command echoes (one with a non-breaking space), no trailer", () => {
    expect(r.captures.map((c) => [c.line, c.interfaces, c.filter, c.verbose, c.timestamps, c.received, c.dropped])).toEqual([
      [2, "any", "port 8889 or port 8888 or port 53", 4, "absolute", null, null],
      [10, "any", "port 8889 or port 8888 or port 53", 4, "absolute", null, null],
    ]);
    expect(r.captures[0]?.command).toMatch(/^diagnose sniffer\s+packet any 'port 8889 or port 8888 or port 53' 4 0 a$/);
  });
  test("three UDP/8889 requests to three servers, then the UDP/53 exchange", () => {
    expect(r.packets.map((p) => [p.line, p.capture, p.iface, p.dir, p.proto, p.src, p.sport, p.dst, p.dport, p.length])).toEqual([
      [5, 0, "port1", "out", "udp", "82.x.x.x", 59730, "82.71.226.65", 8889, 64],
      [6, 0, "port1", "out", "udp", "82.x.x.x", 59730, "208.91.112.194", 8889, 64],
      [7, 0, "port1", "out", "udp", "82.x.x.x", 59730, "216.156.209.26", 8889, 64],
      [13, 1, "port1", "out", "udp", "82.x.x.x", 50210, "208.91.112.194", 53, 33],
      [14, 1, "port1", "in", "udp", "208.91.112.194", 53, "82.x.x.x", 50210, 33],
    ]);
    expect(at(r, 5).ts).toBeCloseTo(Date.UTC(2010, 9, 27, 12, 40, 19) / 1000 + 0.050364, 6);
  });
  test("the KB author's bracketed remarks and the source line are noise", () => {
    expect(r.diagnostics).toEqual([]);
    expect(r.summary.classes).toEqual(classes({ packet: 5, command: 2, preamble: 4, blank: 1, noise: 3 }));
  });
});

describe("v6_any_tcp_handshake_rawtab.txt", () => {
  const r = parse("v6_any_tcp_handshake_rawtab.txt");
  const C = "192.168.1.110";
  const S = "192.168.1.99";
  test("capture: command, `Using Original Sniffing Mode` as preamble, count 8, trailer", () => {
    expect(r.captures).toHaveLength(1);
    expect(r.captures[0]).toMatchObject({
      index: 0,
      line: 2,
      command: "diagnose sniffer packet any 'host 192.168.1.110 and tcp port 80' 6 8 a",
      interfaces: "any",
      filter: "host 192.168.1.110 and tcp port 80",
      verbose: 6,
      timestamps: "absolute",
      count: 8,
      received: 8,
      dropped: 0,
      endLine: 73,
    });
  });
  test("syn, syn-ack, pure ack (acknowledgement number only), psh ack both ways, fin ack both ways, last ack", () => {
    expect(r.packets.map((p) => [p.line, p.iface, p.dir, p.src, p.sport, p.dst, p.dport, p.tcp?.flags, p.tcp?.seq, p.tcp?.ack])).toEqual([
      [6, "internal", "in", C, 51544, S, 80, ["syn"], 1102947315, null],
      [13, "internal", "out", S, 80, C, 51544, ["syn", "ack"], 3320157844, 1102947316],
      [20, "internal", "in", C, 51544, S, 80, ["ack"], null, 3320157845],
      [27, "internal", "in", C, 51544, S, 80, ["psh", "ack"], 1102947316, 3320157845],
      [38, "internal", "out", S, 80, C, 51544, ["psh", "ack"], 3320157845, 1102947391],
      [50, "internal", "in", C, 51544, S, 80, ["fin", "ack"], 1102947391, 3320157931],
      [57, "internal", "out", S, 80, C, 51544, ["fin", "ack"], 3320157931, 1102947392],
      [64, "internal", "in", C, 51544, S, 80, ["ack"], null, 3320157932],
    ]);
    for (const p of r.packets) {
      expect(p.proto).toBe("tcp");
      expect(p.length).toBeNull();
      // the device's trailing space is not part of the summary
      expect(p.summary).toBe(p.summary.trim());
    }
    expect(at(r, 13).summary).toBe("syn 3320157844 ack 1102947316");
    expect(at(r, 6).ts).toBeCloseTo(Date.UTC(2024, 2, 12, 9, 14, 22) / 1000 + 0.481203, 6);
    expect(at(r, 64).ts - at(r, 6).ts).toBeCloseTo(0.003174, 6);
  });
  test("raw TAB rows are joined per packet, starting with the `any` pseudo-Ethernet header", () => {
    expect(r.packets.map((p) => [p.line, (p.bytes ?? "").length / 2, p.hexLines?.[0], p.hexLines?.length])).toEqual([
      [6, 74, 7, 5],
      [13, 74, 14, 5],
      [20, 66, 21, 5],
      [27, 141, 28, 9],
      [38, 152, 39, 10],
      [50, 66, 51, 5],
      [57, 66, 58, 5],
      [64, 66, 65, 5],
    ]);
    expect(at(r, 6).bytes?.slice(0, 64)).toBe("0000000000013c52821a7e0408004500003c6c1e400040064a7cc0a8016ec0a8");
    expect(at(r, 13).bytes?.slice(0, 64)).toBe("000000000000e023ff4a11b208004500003c000040004006b69ac0a80163c0a8");
    // the odd trailing byte (` 0a`) of the request's last row is kept
    expect(at(r, 27).bytes?.endsWith(hexOf("Accept: */*\r\n\r\n"))).toBe(true);
    expect(at(r, 27).bytes).toContain(hexOf("GET / HTTP/1.1\r\nHost: 192.168.1.99\r\n"));
    expect(at(r, 38).bytes).toContain(hexOf("HTTP/1.1 301 Moved Permanently\r\n"));
  });
  test("line classes: two blank lines before the trailer, prompt after it", () => {
    expect(r.diagnostics).toEqual([]);
    expect(r.summary.classes).toEqual(classes({ packet: 8, hexRow: 49, command: 1, preamble: 3, trailer: 2, blank: 10, noise: 2 }));
  });
});

describe("v3_wan1_icmp_echo_tabexpanded.txt", () => {
  const r = parse("v3_wan1_icmp_echo_tabexpanded.txt");
  test("capture on the named interface, verbose 3, relative stamps", () => {
    expect(r.captures.map((c) => [c.line, c.command, c.interfaces, c.filter, c.verbose, c.timestamps, c.count, c.received, c.dropped])).toEqual([
      [2, "diagnose sniffer packet wan1 'icmp and host 203.0.113.1' 3 4", "wan1", "icmp and host 203.0.113.1", 3, "relative", 4, 4, 0],
    ]);
  });
  test("no interface column at verbose 3; echo request / reply pairs", () => {
    expect(r.packets.map((p) => [p.line, p.ts, p.iface, p.dir, p.proto, p.src, p.sport, p.dst, p.dport, p.icmp?.kind, p.icmp?.text])).toEqual([
      [5, 2.118204, null, null, "icmp", "203.0.113.10", null, "203.0.113.1", null, "echo-request", "echo request"],
      [14, 2.119877, null, null, "icmp", "203.0.113.1", null, "203.0.113.10", null, "echo-reply", "echo reply"],
      [23, 3.120561, null, null, "icmp", "203.0.113.10", null, "203.0.113.1", null, "echo-request", "echo request"],
      [32, 3.12201, null, null, "icmp", "203.0.113.1", null, "203.0.113.10", null, "echo-reply", "echo reply"],
    ]);
  });
  test("tab-expanded rows: the ASCII column at 56 is not read as hex; real Ethernet header first", () => {
    for (const p of r.packets) {
      expect((p.bytes ?? "").length).toBe(98 * 2);
      expect(p.hexLines).toHaveLength(7);
    }
    expect(at(r, 5).bytes?.slice(0, 64)).toBe("001a2b3c4d5ee023ff4a11b30800450000548a3140004001386bcb00710acb00");
    expect(at(r, 14).bytes?.slice(0, 64)).toBe("e023ff4a11b3001a2b3c4d5e0800450000543bd000004001c6cccb007101cb00");
    // last row `0x0060   3e3f ... >?`: two bytes, not the ASCII
    expect(at(r, 32).bytes?.slice(-8)).toBe("3c3d3e3f");
    expect(r.diagnostics).toEqual([]);
    expect(r.summary.classes).toEqual(classes({ packet: 4, hexRow: 28, command: 1, preamble: 2, trailer: 2, blank: 6, noise: 2 }));
  });
});

describe("v5_port3_arp_l3hex_no_ascii.txt", () => {
  const r = parse("v5_port3_arp_l3hex_no_ascii.txt");
  test("verbose 5 on port3, direction `--` is unknown", () => {
    expect(r.captures[0]).toMatchObject({ line: 2, interfaces: "port3", filter: "arp", verbose: 5, timestamps: "relative", count: 4, received: 4, dropped: 0 });
    for (const p of r.packets) expect([p.iface, p.dir, p.proto]).toEqual(["port3", "unknown", "arp"]);
  });
  test("who-has, who-has with `(mac)`, replies with short MACs", () => {
    expect(r.packets.map((p) => [p.line, p.ts, p.arp])).toEqual([
      [5, 0.402117, { op: "who-has", target: "10.10.3.1", sender: "10.10.3.25", mac: null }],
      [10, 0.402196, { op: "reply", target: "10.10.3.1", sender: null, mac: "0:9:f:9:0:e" }],
      [14, 5.671302, { op: "who-has", target: "10.10.3.1", sender: "10.10.3.25", mac: "0:9:f:9:0:e" }],
      [19, 5.671355, { op: "reply", target: "10.10.3.1", sender: null, mac: "0:9:f:9:0:e" }],
    ]);
    expect(at(r, 14).summary).toBe("arp who-has 10.10.3.1 (0:9:f:9:0:e) tell 10.10.3.25");
  });
  test("rows without the ASCII column are read; the dump starts at the ARP header", () => {
    expect(r.packets.map((p) => [(p.bytes ?? "").length / 2, p.hexLines])).toEqual([
      [46, [6, 7, 8]],
      [28, [11, 12]],
      [46, [15, 16, 17]],
      [28, [20, 21]],
    ]);
    expect(at(r, 5).bytes?.slice(0, 64)).toBe("0001080006040001000c294a0b7f0a0a03190000000000000a0a030100000000");
    expect(at(r, 10).bytes).toBe("000108000604000200090f09000e0a0a0301000c294a0b7f0a0a0319");
    expect(r.diagnostics).toEqual([]);
    expect(r.summary.classes).toEqual(classes({ packet: 4, hexRow: 10, command: 1, preamble: 2, trailer: 2, blank: 6, noise: 2 }));
  });
});

describe("fortiweb_v6_port1_system_time_bytehex.txt", () => {
  const r = parse("fortiweb_v6_port1_system_time_bytehex.txt");
  test("`diag snif pack` echo and the `System Time:` preamble line", () => {
    expect(r.captures).toHaveLength(1);
    expect(r.captures[0]).toMatchObject({
      line: 2,
      command: 'diag snif pack port1 "icmp" 6 2 a',
      interfaces: "port1",
      filter: "icmp",
      verbose: 6,
      timestamps: "absolute",
      count: 2,
      received: 2,
      dropped: 0,
    });
    expect(r.summary.classes.preamble).toBe(3);
  });
  test("FortiWeb byte-grouped rows (`000010\\t 45 00 ...`) become the packet bytes", () => {
    expect(r.packets.map((p) => [p.line, p.iface, p.dir, p.src, p.dst, p.icmp?.kind, (p.bytes ?? "").length / 2, p.hexLines])).toEqual([
      [6, "port1", "unknown", "10.20.1.5", "10.20.1.80", "echo-request", 98, [7, 8, 9, 10, 11, 12, 13]],
      [15, "port1", "unknown", "10.20.1.80", "10.20.1.5", "echo-reply", 98, [16, 17, 18, 19, 20, 21, 22]],
    ]);
    expect(at(r, 6).bytes?.slice(0, 64)).toBe("005056a12b7e000c2913c0cf080045000054000040004001242d0a1401050a14");
    expect(at(r, 15).bytes?.slice(0, 64)).toBe("000c2913c0cf005056a12b7e08004500005451e200008001d24a0a1401500a14");
    expect(at(r, 6).ts).toBeCloseTo(Date.UTC(2015, 5, 24, 11, 48, 39) / 1000 + 0.207741, 6);
    expect(r.diagnostics).toEqual([]);
    expect(r.summary.classes).toEqual(classes({ packet: 2, hexRow: 14, command: 1, preamble: 3, trailer: 2, blank: 4, noise: 2 }));
  });
});

describe("cfos_v1_any_count_unlimited_linktype.txt", () => {
  const r = parse("cfos_v1_any_count_unlimited_linktype.txt");
  test("count=/snaplen= and the prompt carrying `linktype = 113` are preamble of one capture", () => {
    expect(r.captures).toHaveLength(1);
    expect(r.captures[0]).toMatchObject({
      line: 2,
      command: "diagnose sniffer packet any",
      interfaces: "any",
      filter: null,
      verbose: 1,
      timestamps: "relative",
      count: null,
      received: 6,
      dropped: 0,
      endLine: 17,
    });
    expect(r.summary.classes).toEqual(classes({ packet: 6, command: 1, preamble: 5, trailer: 3, blank: 2, noise: 2 }));
  });
  test("verbose 1: ICMP echo without interface, ARP with a zero-padded MAC", () => {
    expect(r.packets.map((p) => [p.line, p.ts, p.iface, p.dir, p.proto, p.bytes])).toEqual([
      [9, 0.412087, null, null, "icmp", null],
      [10, 0.413502, null, null, "icmp", null],
      [11, 1.41396, null, null, "icmp", null],
      [12, 1.415311, null, null, "icmp", null],
      [13, 1.620114, null, null, "arp", null],
      [14, 1.620201, null, null, "arp", null],
    ]);
    expect(at(r, 9)).toMatchObject({ src: "10.244.1.17", dst: "172.16.20.5", icmp: { kind: "echo-request" } });
    expect(at(r, 10)).toMatchObject({ src: "172.16.20.5", dst: "10.244.1.17", icmp: { kind: "echo-reply" } });
    expect(at(r, 13).arp).toEqual({ op: "who-has", target: "10.244.1.1", sender: "10.244.1.17", mac: null });
    expect(at(r, 14).arp).toEqual({ op: "reply", target: "10.244.1.1", sender: null, mac: "2a:4e:1f:0c:91:07" });
    expect(r.diagnostics).toEqual([]);
  });
});

describe("v4_port2_filters_empty_nonip_frames.txt", () => {
  const r = parse("v4_port2_filters_empty_nonip_frames.txt");
  test("`filters=[]` is no filter; `pcap_lookupnet:` is preamble", () => {
    expect(r.captures.map((c) => [c.line, c.command, c.interfaces, c.filter, c.verbose, c.timestamps, c.received, c.dropped])).toEqual([
      [2, 'diag sniffer packet port2 "" 4 0 a', "port2", null, 4, "absolute", 8, 0],
    ]);
    expect(r.summary.classes).toEqual(classes({ packet: 8, command: 1, preamble: 3, trailer: 2, blank: 2, noise: 2 }));
  });
  test("STP, 802.1Q, missing printers and ip-proto-89 on `port2 --`", () => {
    expect(r.packets.map((p) => [p.line, p.iface, p.dir, p.proto, p.src, p.dst, p.summary])).toEqual([
      [6, "port2", "unknown", "stp", null, null, "stp 802.1w, rapid stp, flags [learn, forward], bridge-id 8001.00:0c:29:3e:5a:10.8002"],
      [7, "port2", "unknown", "vlan", null, null, "802.1Q vlan#20 P0"],
      [8, "port2", "unknown", "other", null, null, "pppoe printer havn't been added to sniffer"],
      [9, "port2", "unknown", "other", null, null, "pppoe printer havn't been added to sniffer"],
      [10, "port2", "unknown", "other", null, null, "Ether type 0x8890 printer havn't been added to sniffer."],
      [11, "port2", "unknown", "ip", "10.10.2.2", "224.0.0.5", "ip-proto-89 44"],
      [12, "port2", "unknown", "stp", null, null, "stp 802.1w, rapid stp, flags [learn, forward], bridge-id 8001.00:0c:29:3e:5a:10.8002"],
      [13, "port2", "unknown", "vlan", null, null, "802.1Q vlan#120 P5"],
    ]);
    expect(at(r, 7).vlan).toEqual({ id: 20, priority: 0 });
    expect(at(r, 13).vlan).toEqual({ id: 120, priority: 5 });
    expect(at(r, 11)).toMatchObject({ ipProto: 89, length: 44, sport: null, dport: null });
    expect(r.diagnostics).toEqual([]);
  });
});

describe("v6_wan1_ipv6_udp_icmp6_two_captures.txt", () => {
  const r = parse("v6_wan1_ipv6_udp_icmp6_two_captures.txt");
  test("two captures, each closed by its trailer", () => {
    expect(r.captures.map((c) => [c.index, c.line, c.interfaces, c.filter, c.verbose, c.timestamps, c.count, c.received, c.dropped, c.endLine])).toEqual([
      [0, 2, "wan1", "ip6", 6, "absolute", 2, 2, 0, 25],
      [1, 27, "any", "icmp6", 4, "relative", 8, 8, 0, 40],
    ]);
    expect(r.packets.map((p) => p.capture)).toEqual([0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
  });
  test("IPv6 UDP `udp 52 [hlim 1] (len 60)`: ports split at the last dot, length is the UDP payload", () => {
    expect(at(r, 5)).toMatchObject({
      iface: "wan1",
      dir: "unknown",
      proto: "udp",
      src: "fe80::e223:ffff:fe4a:11b3",
      sport: 546,
      dst: "ff02::1:2",
      dport: 547,
      length: 52,
      summary: "udp 52 [hlim 1] (len 60)",
    });
    expect(at(r, 5).bytes?.slice(0, 64)).toBe("333300010002e023ff4a11b386dd60000000003c1101fe80000000000000e223");
    expect((at(r, 5).bytes ?? "").length / 2).toBe(114);
  });
  test("icmp6 neighbor solicitation with `[icmp6 sum ok]`, and `echo request seq N`", () => {
    expect(at(r, 15)).toMatchObject({
      proto: "icmp6",
      src: "fe80::21a:2bff:fe3c:4d5e",
      sport: null,
      dst: "ff02::1:ff00:10",
      dport: null,
      icmp: { kind: "other", text: "neighbor sol: who has 2001:db8:100::10 (len 32, hlim 255)" },
    });
    expect((at(r, 15).bytes ?? "").length / 2).toBe(86);
    expect(r.packets.slice(2).map((p) => [p.line, p.iface, p.dir, p.src, p.dst, p.icmp?.kind, p.icmp?.seq])).toEqual([
      [30, "internal", "in", "2001:db8:10::25", "2001:db8:200::80", "echo-request", 7],
      [31, "wan1", "out", "2001:db8:10::25", "2001:db8:200::80", "echo-request", 7],
      [32, "wan1", "in", "2001:db8:200::80", "2001:db8:10::25", "echo-reply", 7],
      [33, "internal", "out", "2001:db8:200::80", "2001:db8:10::25", "echo-reply", 7],
      [34, "internal", "in", "2001:db8:10::25", "2001:db8:200::80", "echo-request", 8],
      [35, "wan1", "out", "2001:db8:10::25", "2001:db8:200::80", "echo-request", 8],
      [36, "wan1", "in", "2001:db8:200::80", "2001:db8:10::25", "echo-reply", 8],
      [37, "internal", "out", "2001:db8:200::80", "2001:db8:10::25", "echo-reply", 8],
    ]);
    expect(r.packets.slice(2).every((p) => p.proto === "icmp6" && p.bytes === null)).toBe(true);
    expect(r.diagnostics).toEqual([]);
    expect(r.summary.classes).toEqual(classes({ packet: 10, hexRow: 14, command: 2, preamble: 4, trailer: 4, blank: 6, noise: 2 }));
  });
});

describe("v4_any_ospf_esp_inline_comments.txt", () => {
  const r = parse("v4_any_ospf_esp_inline_comments.txt");
  test('`di sniff pack any "" 4 0 l`: abbreviated command, `filters=[none]`, local stamps are absolute', () => {
    expect(r.captures.map((c) => [c.line, c.command, c.interfaces, c.filter, c.verbose, c.timestamps, c.count, c.received, c.dropped])).toEqual([
      [2, 'di sniff pack any "" 4 0 l', "any", null, 4, "absolute", null, 5, 0],
    ]);
  });
  test("ip-proto-N (two spaces after the colon), ESP, and `//` comments kept out of the summary", () => {
    expect(r.packets.map((p) => [p.line, p.iface, p.dir, p.proto, p.src, p.dst, p.summary, p.comment])).toEqual([
      [5, "HQ-to-BR1", "in", "ip", "10.255.0.2", "224.0.0.5", "ip-proto-89 48", "OSPF hello from BR1 over the tunnel"],
      [6, "HQ-to-BR1", "out", "ip", "10.255.0.1", "224.0.0.5", "ip-proto-89 48", undefined],
      [7, "wan1", "out", "esp", "198.51.100.1", "203.0.113.77", "ESP(spi=0x8c1f04a2,seq=0x1b3)", "outbound SA to BR1"],
      [8, "wan1", "in", "esp", "203.0.113.77", "198.51.100.1", "ESP(spi=0x5e60d7c3,seq=0x1a9)", undefined],
      [9, "port5", "in", "ip", "10.5.5.20", "224.0.0.22", "ip-proto-2 16", "IGMPv3 report from the camera VLAN"],
    ]);
    expect(at(r, 5)).toMatchObject({ ipProto: 89, length: 48 });
    expect(at(r, 9)).toMatchObject({ ipProto: 2, length: 16 });
    expect(at(r, 7).esp).toEqual({ spi: "8c1f04a2", seq: 0x1b3 });
    expect(at(r, 8).esp).toEqual({ spi: "5e60d7c3", seq: 0x1a9 });
    expect(at(r, 7).ts).toBeCloseTo(Date.UTC(2024, 4, 7, 14, 2, 11) / 1000 + 0.512093, 6);
    expect(r.diagnostics).toEqual([]);
    expect(r.summary.classes).toEqual(classes({ packet: 5, command: 1, preamble: 2, trailer: 3, blank: 1, noise: 2 }));
  });
});

describe("v1_icmp_port_unreachable.txt", () => {
  const r = parse("v1_icmp_port_unreachable.txt");
  test("verbose defaults to 1; `Using Original Sniffing Mode` is preamble", () => {
    expect(r.captures.map((c) => [c.line, c.interfaces, c.filter, c.verbose, c.timestamps, c.count, c.received, c.dropped])).toEqual([
      [2, "port4", "host 192.0.2.53", 1, "relative", null, 4, 0],
    ]);
    expect(r.summary.classes).toEqual(classes({ packet: 4, command: 1, preamble: 3, trailer: 3, blank: 1, noise: 2 }));
  });
  test("each DNS query is answered by an ICMP port unreachable quoting host, proto and port", () => {
    expect(r.packets.map((p) => [p.line, p.ts, p.iface, p.proto, p.src, p.sport, p.dst, p.dport, p.length])).toEqual([
      [6, 3.204117, null, "udp", "10.0.4.21", 53211, "192.0.2.53", 53, 35],
      [7, 3.206022, null, "icmp", "192.0.2.53", null, "10.0.4.21", null, null],
      [8, 8.20943, null, "udp", "10.0.4.21", 61834, "192.0.2.53", 53, 35],
      [9, 8.211163, null, "icmp", "192.0.2.53", null, "10.0.4.21", null, null],
    ]);
    for (const line of [7, 9]) {
      expect(at(r, line).icmp).toEqual({
        text: "192.0.2.53 udp port 53 unreachable",
        kind: "unreachable",
        unreachable: { host: "192.0.2.53", proto: "udp", port: 53 },
      });
    }
    expect(r.diagnostics).toEqual([]);
  });
});

describe("fgt7000_fim_slot_syn_rst_rejected.txt", () => {
  const r = parse("fgt7000_fim_slot_syn_rst_rejected.txt");
  test("the `[FIM01]` prefix is the slot, not part of the timestamp", () => {
    expect(r.captures[0]).toMatchObject({ line: 2, interfaces: "any", filter: "host 10.20.30.40 and tcp port 3389", verbose: 4, timestamps: "absolute", received: 12, dropped: 0 });
    expect(r.packets.map((p) => p.slot)).toEqual([...Array(8).fill("FIM01"), ...Array(4).fill("FIM02")]);
    expect(at(r, 5).ts).toBeCloseTo(Date.UTC(2024, 5, 18, 7, 51, 2) / 1000 + 0.114529, 6);
  });
  test("each SYN is forwarded and answered by `rst 0 ack ISN+1`", () => {
    const rows = r.packets.map((p) => [p.iface, p.dir, p.src, p.sport, p.dst, p.dport, p.tcp?.flags, p.tcp?.seq, p.tcp?.ack]);
    const attempt = [
      ["port11", "in", "172.16.50.14", 50122, "10.20.30.40", 3389, ["syn"], 2049816233, null],
      ["port12", "out", "172.16.50.14", 50122, "10.20.30.40", 3389, ["syn"], 2049816233, null],
      ["port12", "in", "10.20.30.40", 3389, "172.16.50.14", 50122, ["rst", "ack"], 0, 2049816234],
      ["port11", "out", "10.20.30.40", 3389, "172.16.50.14", 50122, ["rst", "ack"], 0, 2049816234],
    ];
    expect(rows).toEqual([...attempt, ...attempt, ...attempt]);
    expect(at(r, 7).summary).toBe("rst 0 ack 2049816234");
    expect(r.diagnostics).toEqual([]);
    expect(r.summary.classes).toEqual(classes({ packet: 12, command: 1, preamble: 2, trailer: 3, blank: 1, noise: 2 }));
  });
});

describe("v4_any_radius_unanswered_retries.txt", () => {
  const r = parse("v4_any_radius_unanswered_retries.txt");
  test("four identical RADIUS requests 5 s apart, none answered; DNS answered", () => {
    expect(r.captures[0]).toMatchObject({ line: 2, interfaces: "any", filter: "udp and (port 1812 or port 53)", verbose: 4, timestamps: "absolute", received: 8, dropped: 0 });
    expect(r.packets.map((p) => [p.line, p.iface, p.dir, p.src, p.sport, p.dst, p.dport, p.length])).toEqual([
      [6, "port1", "out", "10.0.0.1", 4271, "10.0.0.50", 1812, 128],
      [7, "port1", "out", "10.0.0.1", 4271, "10.0.0.50", 1812, 128],
      [8, "port1", "out", "10.0.0.1", 4271, "10.0.0.50", 1812, 128],
      [9, "port1", "out", "10.0.0.1", 4271, "10.0.0.50", 1812, 128],
      [10, "port1", "out", "10.0.0.1", 2154, "10.0.0.53", 53, 38],
      [11, "port1", "in", "10.0.0.53", 53, "10.0.0.1", 2154, 54],
      [12, "port1", "out", "10.0.0.1", 2155, "10.0.0.53", 53, 38],
      [13, "port1", "in", "10.0.0.53", 53, "10.0.0.1", 2155, 54],
    ]);
    const radius = r.packets.filter((p) => p.dport === 1812);
    const gaps = radius.slice(1).map((p, i) => p.ts - (radius[i]?.ts ?? 0));
    for (const g of gaps) expect(g).toBeCloseTo(5, 0);
    const last = r.packets[r.packets.length - 1];
    expect((last?.ts ?? 0) - (radius[3]?.ts ?? 0)).toBeGreaterThan(10);
    expect(r.packets.some((p) => p.sport === 1812)).toBe(false);
    expect(r.summary.classes).toEqual(classes({ packet: 8, command: 1, preamble: 3, trailer: 3, blank: 1, noise: 2 }));
  });
});

describe("v4_any_not_forwarded_port2.txt", () => {
  const r = parse("v4_any_not_forwarded_port2.txt");
  test("the forwarded session shows on port2 and port3; the blocked client's SYNs only on port2 in", () => {
    expect(r.captures[0]).toMatchObject({ line: 2, interfaces: "any", filter: "host 10.30.0.80 and tcp port 443", verbose: 4, timestamps: "absolute", received: 14, dropped: 0 });
    const blocked = r.packets.filter((p) => p.src === "192.168.20.15");
    expect(blocked.map((p) => [p.line, p.iface, p.dir, p.sport, p.dst, p.dport, p.tcp?.flags, p.tcp?.seq])).toEqual([
      [11, "port2", "in", 61200, "10.30.0.80", 443, ["syn"], 884120391],
      [12, "port2", "in", 61200, "10.30.0.80", 443, ["syn"], 884120391],
      [13, "port2", "in", 61200, "10.30.0.80", 443, ["syn"], 884120391],
      [14, "port2", "in", 61200, "10.30.0.80", 443, ["syn"], 884120391],
    ]);
    expect(r.packets.some((p) => p.dst === "192.168.20.15" || (p.src === "192.168.20.15" && p.iface !== "port2"))).toBe(false);
    const fwd = r.packets.filter((p) => p.src === "192.168.20.16" || p.dst === "192.168.20.16");
    expect(fwd.map((p) => [p.line, p.iface, p.dir, p.tcp?.flags])).toEqual([
      [5, "port2", "in", ["syn"]],
      [6, "port3", "out", ["syn"]],
      [7, "port3", "in", ["syn", "ack"]],
      [8, "port2", "out", ["syn", "ack"]],
      [9, "port2", "in", ["ack"]],
      [10, "port3", "out", ["ack"]],
      [15, "port2", "in", ["fin", "ack"]],
      [16, "port3", "out", ["fin", "ack"]],
      [17, "port3", "in", ["fin", "ack"]],
      [18, "port2", "out", ["fin", "ack"]],
    ]);
    expect(at(r, 7).tcp).toEqual({ flags: ["syn", "ack"], seq: 1920441350, ack: 3015520118 });
    expect(at(r, 9).tcp).toEqual({ flags: ["ack"], seq: null, ack: 1920441351 });
    expect(r.summary.classes).toEqual(classes({ packet: 14, command: 1, preamble: 2, trailer: 3, blank: 1, noise: 2 }));
  });
});

describe("v2_syslog_udp514_oneway_rawtab.txt", () => {
  const r = parse("v2_syslog_udp514_oneway_rawtab.txt");
  test("verbose 2: no interface column, hex from the IP header", () => {
    expect(r.captures.map((c) => [c.line, c.interfaces, c.filter, c.verbose, c.timestamps, c.count, c.received, c.dropped])).toEqual([
      [2, "any", "udp and port 514", 2, "relative", 3, 3, 0],
    ]);
    expect(r.packets.map((p) => [p.line, p.ts, p.iface, p.dir, p.src, p.sport, p.dst, p.dport, p.length, (p.bytes ?? "").length / 2, p.hexLines?.length])).toEqual([
      [5, 0.618034, null, null, "10.1.1.254", 7461, "10.1.1.200", 514, 202, 230, 15],
      [22, 1.12278, null, null, "10.1.1.254", 7461, "10.1.1.200", 514, 203, 231, 15],
      [39, 2.004913, null, null, "10.1.1.254", 7461, "10.1.1.200", 514, 201, 229, 15],
    ]);
    expect(at(r, 5).bytes?.slice(0, 64)).toBe("450000e62b100000401137300a0101fe0a0101c81d25020200d295803c313839");
    expect(at(r, 22).bytes).toContain(hexOf('devname="FGT-HA1"'));
    expect(at(r, 39).bytes?.endsWith(hexOf('status="success"'))).toBe(true);
    expect(r.packets.every((p) => p.dport === 514 && p.dir === null)).toBe(true);
    expect(r.diagnostics).toEqual([]);
    expect(r.summary.classes).toEqual(classes({ packet: 3, hexRow: 45, command: 1, preamble: 2, trailer: 2, blank: 5, noise: 2 }));
  });
});

describe("v1_port1_ntp_capture_ended.txt", () => {
  const r = parse("v1_port1_ntp_capture_ended.txt");
  test("answered NTP queries, then two queries in the last 0.3 s before ^C", () => {
    expect(r.captures[0]).toMatchObject({ line: 2, interfaces: "port1", filter: "udp port 123", verbose: 1, timestamps: "absolute", count: null, received: 8, dropped: 0, endLine: 15 });
    expect(r.packets.map((p) => [p.line, p.src, p.sport, p.dst, p.dport, p.length])).toEqual([
      [5, "10.5.0.1", 123, "192.0.2.123", 123, 48],
      [6, "10.5.0.1", 123, "198.51.100.123", 123, 48],
      [7, "192.0.2.123", 123, "10.5.0.1", 123, 48],
      [8, "198.51.100.123", 123, "10.5.0.1", 123, 48],
      [9, "10.5.0.1", 123, "192.0.2.123", 123, 48],
      [10, "192.0.2.123", 123, "10.5.0.1", 123, 48],
      [11, "10.5.0.1", 123, "192.0.2.123", 123, 48],
      [12, "10.5.0.1", 123, "198.51.100.123", 123, 48],
    ]);
    const ts = r.packets.map((p) => p.ts);
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
    expect(at(r, 12).ts - at(r, 11).ts).toBeCloseTo(0.293311, 6);
    expect(at(r, 12).ts).toBeCloseTo(Date.UTC(2024, 6, 9, 8, 0, 9) / 1000 + 0.705318, 6);
    expect(r.summary.classes).toEqual(classes({ packet: 8, command: 1, preamble: 2, trailer: 3, blank: 1, noise: 2 }));
  });
});

describe("v4_any_dns_kernel_drops.txt", () => {
  const r = parse("v4_any_dns_kernel_drops.txt");
  test("the trailer's kernel drops are kept; the `...` elision is noise", () => {
    expect(r.captures).toHaveLength(1);
    expect(r.captures[0]).toMatchObject({ line: 2, interfaces: "any", filter: "port 53", verbose: 4, received: 12940, dropped: 1873, endLine: 15 });
    expect(r.summary.classes).toEqual(classes({ packet: 7, command: 1, preamble: 2, trailer: 3, blank: 1, noise: 3 }));
    expect(r.diagnostics).toEqual([]);
  });
  test("one query (10.60.1.87.61006) has no reply in the capture", () => {
    expect(r.packets.map((p) => [p.line, p.dir, p.src, p.sport, p.dst, p.dport, p.length])).toEqual([
      [6, "in", "10.60.1.23", 58411, "10.60.0.10", 53, 36],
      [7, "out", "10.60.0.10", 53, "10.60.1.23", 58411, 52],
      [8, "in", "10.60.1.87", 61006, "10.60.0.10", 53, 43],
      [9, "in", "10.60.2.14", 50530, "10.60.0.10", 53, 34],
      [10, "out", "10.60.0.10", 53, "10.60.2.14", 50530, 66],
      [11, "in", "10.60.1.23", 58412, "10.60.0.10", 53, 36],
      [12, "out", "10.60.0.10", 53, "10.60.1.23", 58412, 52],
    ]);
  });
});

describe("v4_any_dst_host_filter_requests_only.txt", () => {
  const r = parse("v4_any_dst_host_filter_requests_only.txt");
  test("filter `dst host 10.0.0.5`: every packet goes to 10.0.0.5", () => {
    expect(r.captures[0]).toMatchObject({ line: 2, command: "diagnose sniffer packet any 'dst host 10.0.0.5' 4 0 a", filter: "dst host 10.0.0.5", verbose: 4, received: 8 });
    expect(r.packets).toHaveLength(8);
    expect(r.packets.every((p) => p.dst === "10.0.0.5" && p.src === "10.0.8.44")).toBe(true);
    expect(r.packets.map((p) => [p.line, p.iface, p.dir, p.proto, p.dport, p.tcp?.flags ?? null, p.tcp?.seq ?? null, p.tcp?.ack ?? null])).toEqual([
      [5, "port3", "in", "udp", 53, null, null, null],
      [6, "port4", "out", "udp", 53, null, null, null],
      [7, "port3", "in", "tcp", 389, ["syn"], 1780023456, null],
      [8, "port4", "out", "tcp", 389, ["syn"], 1780023456, null],
      [9, "port3", "in", "tcp", 389, ["ack"], null, 3002448815],
      [10, "port4", "out", "tcp", 389, ["ack"], null, 3002448815],
      [11, "port3", "in", "tcp", 389, ["psh", "ack"], 1780023457, 3002448815],
      [12, "port4", "out", "tcp", 389, ["psh", "ack"], 1780023457, 3002448815],
    ]);
    expect(r.summary.classes).toEqual(classes({ packet: 8, command: 1, preamble: 2, trailer: 3, blank: 1, noise: 2 }));
  });
});

describe("pasted_markdown_ticket.txt", () => {
  const r = parse("pasted_markdown_ticket.txt");
  test("two captures: the fenced one and the `> `-quoted one", () => {
    expect(r.captures.map((c) => [c.index, c.line, c.command, c.interfaces, c.filter, c.verbose, c.timestamps, c.count, c.received, c.dropped, c.endLine])).toEqual([
      [0, 7, "diagnose sniffer packet any 'udp port 5247' 6 2 a", "any", "udp port 5247", 6, "absolute", 2, 2, 0, 28],
      [1, 33, "diagnose sniffer packet wan1 'udp port 5246' 4 3", "wan1", "udp port 5246", 4, "relative", 3, 3, 0, 41],
    ]);
  });
  test("masked `XX.XX.100.44.64765` addresses keep their ports; CAPWAP continuation becomes a note", () => {
    expect(r.packets.map((p) => [p.line, p.capture, p.iface, p.dir, p.src, p.sport, p.dst, p.dport, p.length, p.notes])).toEqual([
      [10, 0, "wan1", "in", "XX.XX.100.44", 64765, "XX.XX.113.156", 5247, 30, ["CAPWAP  Keep Alive"]],
      [18, 0, "wan1", "out", "XX.XX.113.156", 5247, "XX.XX.100.44", 64765, 30, ["CAPWAP  Keep Alive"]],
      [36, 1, "wan1", "unknown", "XX.XX.100.44", 64766, "XX.XX.113.156", 5246, 117, undefined],
      [37, 1, "wan1", "unknown", "XX.XX.113.156", 5246, "XX.XX.100.44", 64766, 41, undefined],
      [38, 1, "wan1", "unknown", "XX.XX.100.44", 64766, "XX.XX.113.156", 5246, 117, undefined],
    ]);
  });
  test("tab-expanded hex after the continuation line, the last row without ASCII included", () => {
    expect(at(r, 10).hexLines).toEqual([12, 13, 14, 15, 16]);
    expect(at(r, 18).hexLines).toEqual([20, 21, 22, 23, 24]);
    expect(at(r, 10).bytes?.slice(0, 64)).toBe("000000000001001a2b3c4d5e08004500003a0d41000034111276c633642ccb00");
    expect(at(r, 18).bytes?.slice(0, 64)).toBe("000000000000e023ff4a11b408004500003a7c020000401197b4cb00719cc633");
    for (const line of [10, 18]) {
      expect((at(r, line).bytes ?? "").length / 2).toBe(72);
      expect(at(r, line).bytes?.endsWith("9b026fe415a3c07d")).toBe(true);
    }
  });
  test("`-&gt;` is decoded, the quote prefix removed, the `//` comment split off", () => {
    expect(at(r, 36).summary).toBe("udp 117");
    expect(at(r, 36).comment).toBe("echo request from the AP");
    expect(at(r, 36).ts).toBe(12.401877);
    expect(r.diagnostics).toEqual([]);
  });
  test("line classes (the quoted empty `>` line counted as blank or noise)", () => {
    const c = r.summary.classes;
    expect({ ...c, blank: 0, noise: 0 }).toEqual(classes({ packet: 5, hexRow: 10, continuation: 2, command: 2, preamble: 4, trailer: 4 }));
    expect(c.blank + c.noise).toBe(17);
  });
  // A `>` line with nothing after it is an empty line inside the quote (spec §8.1 strips the `> `
  // prefix): it is the blank line verbose 4 prints before the trailer, not pasted prose.
  test("the quoted empty line `>` (line 39) is a blank line", () => {
    expect(r.summary.classes.blank).toBe(9);
    expect(r.summary.classes.noise).toBe(8);
  });
});

describe("pasted_putty_log_crlf.txt", () => {
  const raw = read("pasted_putty_log_crlf.txt").toString("utf8");
  const r = parse("pasted_putty_log_crlf.txt");
  test("the file really is CRLF, with `\\r\\r\\n` after echoed commands", () => {
    expect(raw.split("\n").every((l, i, all) => (i === all.length - 1 ? l === "" : l.endsWith("\r")))).toBe(true);
    expect(raw).toContain("4 2\r\r\n");
    expect(r.summary.lines).toBe(40);
  });
  test("the command that printed CLI help starts no capture; the two `dia sni pa` runs do", () => {
    expect(r.captures.map((c) => [c.line, c.command, c.interfaces, c.filter, c.verbose, c.timestamps, c.count, c.received, c.dropped, c.endLine])).toEqual([
      [12, "dia sni pa wan1 'icmp' 4 2", "wan1", "icmp", 4, "relative", 2, 2, 0, 19],
      [21, "dia sni pa any 'icmp and host 192.168.1.110' 4 4", "any", "icmp and host 192.168.1.110", 4, "relative", 4, 4, 0, 30],
    ]);
  });
  test("no carriage return leaks into fields", () => {
    expect(r.packets.map((p) => [p.line, p.capture, p.iface, p.dir, p.src, p.dst, p.icmp?.kind])).toEqual([
      [15, 0, "wan1", "unknown", "203.0.113.10", "192.0.2.1", "echo-request"],
      [16, 0, "wan1", "unknown", "192.0.2.1", "203.0.113.10", "echo-reply"],
      [24, 1, "internal", "in", "192.168.1.110", "192.0.2.1", "echo-request"],
      [25, 1, "internal", "in", "192.168.1.110", "192.0.2.1", "echo-request"],
      [26, 1, "internal", "in", "192.168.1.110", "192.0.2.1", "echo-request"],
      [27, 1, "internal", "in", "192.168.1.110", "192.0.2.1", "echo-request"],
    ]);
    expect(at(r, 16).summary).toBe("icmp: echo reply");
    expect(r.captures[1]?.command?.endsWith("4 4")).toBe(true);
  });
  test("PuTTY header, CLI help and debug-flow commands are noise; the trace lines are their own class", () => {
    expect(r.diagnostics).toEqual([]);
    expect(r.summary.classes).toEqual(classes({ packet: 6, command: 3, preamble: 4, trailer: 4, blank: 7, noise: 13, trace: 3 }));
  });
});

describe("script_log_headerless_hex.txt", () => {
  const r = parse("script_log_headerless_hex.txt");
  test("one capture; the packets whose header survived keep their dumps", () => {
    expect(r.captures.map((c) => [c.line, c.command, c.interfaces, c.filter, c.verbose, c.timestamps, c.count, c.received, c.dropped])).toEqual([
      [3, "diag snif pack any 'udp port 53' 3 4 a", "any", "udp port 53", 3, "absolute", 4, 4, 0],
    ]);
    expect(r.packets.map((p) => [p.line, p.iface, p.src, p.sport, p.dst, p.dport, p.length, (p.bytes ?? "").length / 2, p.hexLines])).toEqual([
      [13, null, "192.0.2.53", 53, "203.0.113.10", 10843, 55, 97, [14, 15, 16, 17, 18, 19, 20]],
      [22, null, "203.0.113.10", 10844, "192.0.2.53", 53, 43, 85, [23, 24, 25, 26, 27, 28]],
    ]);
    expect(at(r, 13).bytes?.slice(0, 64)).toBe("000000000001001a2b3c4d5e080045000053e3f0000039119f69c0000235cb00");
    expect(at(r, 22).bytes).toContain(hexOf("\x0cglobalupdate\x08fortinet\x03net\x00"));
  });
  test("the two header-less hex blocks are diagnosed at their first row, not joined to a packet", () => {
    expect(r.diagnostics.map((d) => [d.code, d.line, d.severity])).toEqual([
      ["hex-without-header", 6, "warning"],
      ["hex-without-header", 30, "warning"],
    ]);
    expect(r.diagnostics.every((d) => d.source === "script_log_headerless_hex.txt")).toBe(true);
    expect(r.summary.classes).toEqual(classes({ packet: 2, hexRow: 27, command: 1, preamble: 2, trailer: 2, blank: 7, noise: 4 }));
  });
});
