/**
 * Export to pcapng / pcap: the writers' block structure (read back in pure TS), the FortiOS
 * pseudo-header quirks, tshark read-back of every hex capture in ../shared/corpus and samples/,
 * the bytes against the hex rows, a pasted capture against its clean twin, and the message for
 * captures without hex dumps.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCapture, type ParseResult } from "../src/parse.js";
import type { CaptureRecord, PacketRecord } from "../src/records.js";
import { PcapngWriter, BLOCK_EPB, BLOCK_IDB, BLOCK_SHB, OPT_COMMENT, OPT_EPB_FLAGS, OPT_IF_NAME, OPT_IF_TSRESOL } from "../src/export/pcapng.js";
import { PcapWriter } from "../src/export/pcap.js";
import { frameOf, frameOfBytes, ipv4Level, LINKTYPE_ETHERNET, LINKTYPE_RAW, withEthernetHeader, type Frame, type FrameOptions } from "../src/export/frames.js";
import { ExportError, exportCapture, exportRecords, hexCaptureCommand, parseStartTime, type ExportOptions } from "../src/export/export.js";
import { corpusFiles, readCorpus, samplesDir, testCorpus } from "./helpers/corpus.js";
import { describeIfPresent, haveTshark, TSHARK } from "./helpers/require.js";
import { rowBytes } from "./helpers/hex.js";

// ---- tshark ------------------------------------------------------------------------------------------

const describeTshark = describeIfPresent(haveTshark, TSHARK);

/** Lines tshark prints on stderr that are not about the file (running as root in CI containers). */
function realWarnings(stderr: string): string[] {
  return stderr.split("\n").filter((l) => l.trim() !== "" && !/^Running as user "root"/.test(l));
}

const FIELDS = ["frame.number", "frame.interface_name", "frame.p2p_dir", "ip.src", "ip.dst", "frame.len", "frame.cap_len", "ipv6.src", "ipv6.dst", "arp.src.proto_ipv4", "frame.comment", "frame.time_epoch", "eth.type"] as const;
type Field = (typeof FIELDS)[number];
type Row = Record<Field, string>;

function tsharkFields(file: string): { rows: Row[]; warnings: string[] } {
  const r = spawnSync("tshark", ["-r", file, "-T", "fields", "-E", "separator=\t", "-E", "occurrence=f", ...FIELDS.flatMap((f) => ["-e", f])], { encoding: "utf8" });
  expect(r.status).toBe(0);
  const rows = r.stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      const cols = l.split("\t");
      return Object.fromEntries(FIELDS.map((f, i) => [f, cols[i] ?? ""])) as Row;
    });
  return { rows, warnings: realWarnings(r.stderr) };
}

/** The frame bytes as tshark reads them (`frame_raw`). */
function tsharkRaw(file: string): string[] {
  const r = spawnSync("tshark", ["-r", file, "-T", "json", "-x", "-j", "frame"], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  expect(r.status).toBe(0);
  const packets = JSON.parse(r.stdout) as { _source: { layers: { frame_raw: [string] } } }[];
  return packets.map((p) => p._source.layers.frame_raw[0]);
}

// ---- a pcapng reader, independent of the writer -------------------------------------------------------

interface Block {
  type: number;
  body: DataView;
  bodyBytes: Uint8Array;
}

interface ReadIdb {
  linktype: number;
  snaplen: number;
  options: Map<number, Uint8Array[]>;
}

interface ReadEpb {
  iface: number;
  micros: bigint;
  capLen: number;
  origLen: number;
  data: Uint8Array;
  options: Map<number, Uint8Array[]>;
}

function readOptions(bytes: Uint8Array, at: number): Map<number, Uint8Array[]> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Map<number, Uint8Array[]>();
  if (at === bytes.length) return out;
  for (;;) {
    expect(at + 4).toBeLessThanOrEqual(bytes.length);
    const code = view.getUint16(at, true);
    const len = view.getUint16(at + 2, true);
    if (code === 0) {
      expect(len).toBe(0);
      expect(at + 4).toBe(bytes.length); // opt_endofopt ends the options exactly
      return out;
    }
    const value = bytes.slice(at + 4, at + 4 + len);
    const list = out.get(code) ?? [];
    list.push(value);
    out.set(code, list);
    at += 4 + ((len + 3) & ~3);
  }
}

function readPcapng(file: Uint8Array): { shbOptions: Map<number, Uint8Array[]>; idbs: ReadIdb[]; epbs: ReadEpb[] } {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const blocks: Block[] = [];
  let at = 0;
  while (at < file.length) {
    const type = view.getUint32(at, true);
    const total = view.getUint32(at + 4, true);
    expect(total % 4).toBe(0);
    expect(total).toBeGreaterThanOrEqual(12);
    expect(at + total).toBeLessThanOrEqual(file.length);
    expect(view.getUint32(at + total - 4, true)).toBe(total);
    const bodyBytes = file.subarray(at + 8, at + total - 4);
    blocks.push({ type, body: new DataView(bodyBytes.buffer, bodyBytes.byteOffset, bodyBytes.byteLength), bodyBytes });
    at += total;
  }
  expect(at).toBe(file.length);
  const [shb, ...rest] = blocks;
  expect(shb?.type).toBe(BLOCK_SHB);
  const s = shb as Block;
  expect(s.body.getUint32(0, true)).toBe(0x1a2b3c4d);
  expect(s.body.getUint16(4, true)).toBe(1);
  expect(s.body.getUint16(6, true)).toBe(0);
  expect(s.body.getBigInt64(8, true)).toBe(-1n);
  const shbOptions = readOptions(s.bodyBytes, 16);
  const idbs: ReadIdb[] = [];
  const epbs: ReadEpb[] = [];
  for (const b of rest) {
    if (b.type === BLOCK_IDB) {
      expect(b.body.getUint16(2, true)).toBe(0);
      idbs.push({ linktype: b.body.getUint16(0, true), snaplen: b.body.getUint32(4, true), options: readOptions(b.bodyBytes, 8) });
    } else if (b.type === BLOCK_EPB) {
      const iface = b.body.getUint32(0, true);
      expect(iface).toBeLessThan(idbs.length); // the interface was described before its first packet
      const micros = (BigInt(b.body.getUint32(4, true)) << 32n) | BigInt(b.body.getUint32(8, true));
      const capLen = b.body.getUint32(12, true);
      const origLen = b.body.getUint32(16, true);
      expect(origLen).toBeGreaterThanOrEqual(capLen);
      const data = b.bodyBytes.slice(20, 20 + capLen);
      for (const pad of b.bodyBytes.subarray(20 + capLen, 20 + ((capLen + 3) & ~3))) expect(pad).toBe(0);
      epbs.push({ iface, micros, capLen, origLen, data, options: readOptions(b.bodyBytes, 20 + ((capLen + 3) & ~3)) });
    } else {
      throw new Error(`unexpected block type ${b.type}`);
    }
  }
  return { shbOptions, idbs, epbs };
}

const text = (b: Uint8Array | undefined): string => new TextDecoder().decode(b);
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const fromHex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));

// ---- synthetic packets, written as FortiOS prints them -------------------------------------------------

function sum16(b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

const v4 = (a: string): number[] => a.split(".").map(Number);
function v6(a: string): number[] {
  const [head, tail] = a.split("::") as [string, string | undefined];
  const h = head === "" ? [] : head.split(":");
  const t = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  return groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]);
}
const mac = (m: string): number[] => m.split(":").map((x) => parseInt(x, 16));
const u16 = (n: number): number[] => [n >> 8, n & 0xff];
const u32 = (n: number): number[] => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

function ip4(src: string, dst: string, proto: number, payload: number[]): number[] {
  const h = Uint8Array.from([0x45, 0, ...u16(20 + payload.length), 0x12, 0x34, 0x40, 0, 64, proto, 0, 0, ...v4(src), ...v4(dst)]);
  const c = sum16(h);
  h[10] = c >> 8;
  h[11] = c & 0xff;
  return [...h, ...payload];
}
const ip6 = (src: string, dst: string, next: number, payload: number[]): number[] => [0x60, 0, 0, 0, ...u16(payload.length), next, 64, ...v6(src), ...v6(dst), ...payload];
const tcp = (sport: number, dport: number, flags: number, seq: number, ack: number, payload: number[] = []): number[] => [
  ...u16(sport), ...u16(dport), ...u32(seq), ...u32(ack), 0x50, flags, ...u16(64240), 0, 0, 0, 0, ...payload,
];
const udp = (sport: number, dport: number, payload: number[]): number[] => [...u16(sport), ...u16(dport), ...u16(8 + payload.length), 0, 0, ...payload];
function icmpEcho(type: number, seq: number): number[] {
  const b = [type, 0, 0, 0, 0x00, 0x01, ...u16(seq), ...Array<number>(16).fill(0x61)];
  const c = sum16(Uint8Array.from(b));
  b[2] = c >> 8;
  b[3] = c & 0xff;
  return b;
}
const eth = (dst: string, src: string, type: number, payload: number[]): number[] => [...mac(dst), ...mac(src), ...u16(type), ...payload];
const arp = (op: number, sha: string, spa: string, tha: string, tpa: string): number[] => [0, 1, 8, 0, 6, 4, 0, op, ...mac(sha), ...v4(spa), ...mac(tha), ...v4(tpa)];
const pad = (b: number[], n: number): number[] => (b.length >= n ? b : [...b, ...Array<number>(n - b.length).fill(0)]);
const bytes = (n: number, value = 0x42): number[] => Array<number>(n).fill(value);

/** FortiOS hex rows: `0x0010<TAB> 0800 0604 ... (40 chars)<TAB>ascii`. */
function hexRows(b: number[]): string[] {
  const rows: string[] = [];
  for (let off = 0; off < b.length; off += 16) {
    const chunk = b.slice(off, off + 16);
    let area = "";
    for (let i = 0; i < chunk.length; i += 2) {
      area += " " + (chunk[i] as number).toString(16).padStart(2, "0") + (i + 1 < chunk.length ? (chunk[i + 1] as number).toString(16).padStart(2, "0") : "");
    }
    const ascii = chunk.map((c) => (c >= 0x21 && c <= 0x7e ? String.fromCharCode(c) : ".")).join("");
    rows.push(`0x${off.toString(16).padStart(4, "0")}\t${area.padEnd(40)}\t${ascii}`);
  }
  return rows;
}

/** What a terminal copy does to a line: TABs to spaces at 8-column stops. */
function expandTabs(line: string): string {
  let out = "";
  for (const c of line) out += c === "\t" ? " ".repeat(8 - (out.length % 8)) : c;
  return out;
}

interface Synth {
  header: string;
  bytes: number[];
}

const TCP_SYN = 0x02;
const TCP_ACK = 0x10;
const ANY_IN = "00:00:00:00:00:01";
const ANY_OUT = "00:00:00:00:00:00";

/** Verbose 6 on `any`: every quirk once. */
const v6Packets: Synth[] = [
  { header: "2024-05-15 10:00:00.000100 port1 in 10.0.1.10.50000 -> 198.51.100.7.443: syn 1000 ", bytes: eth(ANY_IN, "00:11:22:33:44:55", 0x0800, ip4("10.0.1.10", "198.51.100.7", 6, tcp(50000, 443, TCP_SYN, 1000, 0))) },
  { header: "2024-05-15 10:00:00.000200 wan1 out 203.0.113.5.50000 -> 198.51.100.7.443: syn 1000 ", bytes: eth(ANY_OUT, "00:09:0f:09:00:0e", 0x0800, ip4("203.0.113.5", "198.51.100.7", 6, tcp(50000, 443, TCP_SYN, 1000, 0))) },
  { header: "2024-05-15 10:00:00.020300 wan1 in 198.51.100.7.443 -> 203.0.113.5.50000: syn 5000 ack 1001 ", bytes: eth(ANY_IN, "00:0c:29:aa:bb:cc", 0x0800, ip4("198.51.100.7", "203.0.113.5", 6, tcp(443, 50000, TCP_SYN | TCP_ACK, 5000, 1001))) },
  { header: "2024-05-15 10:00:00.020400 port1 out 198.51.100.7.443 -> 10.0.1.10.50000: syn 5000 ack 1001 ", bytes: eth(ANY_OUT, "00:09:0f:09:00:01", 0x0800, ip4("198.51.100.7", "10.0.1.10", 6, tcp(443, 50000, TCP_SYN | TCP_ACK, 5000, 1001))) },
  { header: "2024-05-15 10:00:01.000000 port1 in arp who-has 10.0.1.1 tell 10.0.1.10", bytes: pad(eth("ff:ff:ff:ff:ff:ff", "00:11:22:33:44:55", 0x0806, arp(1, "00:11:22:33:44:55", "10.0.1.10", "00:00:00:00:00:00", "10.0.1.1")), 60) },
  // PPP: zeros, then leftover bytes where the source MAC would be (sample 11/12)
  { header: "2024-05-15 10:00:02.000000 ppp0 out 100.64.0.2.5353 -> 192.0.2.53.53: udp 12", bytes: [0, 0, 0, 0, 0, 0, 0x20, 0x31, 0x30, 0x35, 0x32, 0x33, 8, 0, ...ip4("100.64.0.2", "192.0.2.53", 17, udp(5353, 53, bytes(12)))] },
  { header: "2024-05-15 10:00:02.030000 ppp0 in 192.0.2.53.53 -> 100.64.0.2.5353: udp 28", bytes: [0, 0, 0, 0, 0, 1, 0x00, 0x21, 0x45, 0x00, 0x00, 0x6f, 8, 0, ...ip4("192.0.2.53", "100.64.0.2", 17, udp(53, 5353, bytes(28)))] },
  // tunnel interfaces: the dump starts at the IP header
  { header: "2024-05-15 10:00:03.000000 tun1 out 10.0.1.10 -> 10.8.0.1: icmp: echo request", bytes: ip4("10.0.1.10", "10.8.0.1", 1, icmpEcho(8, 1)) },
  { header: "2024-05-15 10:00:03.100000 tun6 out 2001:db8::10 -> 2001:db8:1::1: icmp6: echo request seq 1", bytes: ip6("2001:db8::10", "2001:db8:1::1", 58, [128, 0, 0, 0, 0, 1, 0, 1, ...bytes(8)]) },
  { header: "2024-05-15 10:00:03.200000 port3 in 2001:db8::10.40000 -> 2001:db8::20.53: udp 20", bytes: eth(ANY_IN, "00:11:22:33:44:66", 0x86dd, ip6("2001:db8::10", "2001:db8::20", 17, udp(40000, 53, bytes(20)))) },
  // HA ethertype in front of an IP packet
  { header: "2024-05-15 10:00:04.000000 port_ha in 169.254.0.1 -> 169.254.0.2: icmp: echo request", bytes: eth(ANY_IN, "00:09:0f:09:00:02", 0x8890, ip4("169.254.0.1", "169.254.0.2", 1, icmpEcho(8, 7))) },
  // internal tag: two bytes, then the real ethertype at offset 14
  { header: "2024-05-15 10:00:04.100000 port4 in 10.0.4.1.1000 -> 10.0.4.2.2000: udp 10", bytes: [...mac(ANY_IN), ...mac("00:11:22:33:44:77"), 0x00, 0x00, 0x08, 0x00, ...ip4("10.0.4.1", "10.0.4.2", 17, udp(1000, 2000, bytes(10)))] },
  { header: "2024-05-15 10:00:04.200000 port_ha out Ether type 0x8893 printer hasn't been added to sniffer.", bytes: [...mac(ANY_OUT), ...mac("00:09:0f:09:00:02"), 0x00, 0x00, 0x88, 0x93, ...bytes(46, 0x07)] },
  // a real HA heartbeat: stays as it is
  { header: "2024-05-15 10:00:04.300000 port_ha out Ether type 0x8890 printer hasn't been added to sniffer.", bytes: eth("ff:ff:ff:ff:ff:ff", "08:5b:0e:1c:41:1a", 0x8890, [0x29, 0, 0, 0x5a, 0x96, 0x46, ...Array.from("FG600C3913802320", (c) => c.charCodeAt(0)), ...bytes(30, 0)]) },
  // the frame size cut the dump short: the wire length comes from the IP header
  { header: "2024-05-15 10:00:05.000000 port1 in 10.0.1.10.50000 -> 198.51.100.7.443: psh 1001 ack 5001 ", bytes: eth(ANY_IN, "00:11:22:33:44:55", 0x0800, ip4("10.0.1.10", "198.51.100.7", 6, tcp(50000, 443, 0x18, 1001, 5001, bytes(200, 0x55)))).slice(0, 96) },
];

/** Verbose 5: the dump starts at the network header. */
const v5Packets: Synth[] = [
  { header: "2024-05-15 10:01:00.000000 port1 in arp who-has 10.0.1.1 tell 10.0.1.10", bytes: pad(arp(1, "00:11:22:33:44:55", "10.0.1.10", "00:00:00:00:00:00", "10.0.1.1"), 46) },
  { header: "2024-05-15 10:01:00.000300 port1 out arp reply 10.0.1.1 is-at 0:9:f:9:0:1", bytes: arp(2, "00:09:0f:09:00:01", "10.0.1.1", "00:11:22:33:44:55", "10.0.1.10") },
  { header: "2024-05-15 10:01:01.000000 port1 in 10.0.1.10 -> 10.0.1.1: icmp: echo request", bytes: ip4("10.0.1.10", "10.0.1.1", 1, icmpEcho(8, 2)) },
];

/** Verbose 3 (no interface column) with relative stamps. */
const v3Packets: Synth[] = [
  { header: "0.000000 10.0.2.10.5000 -> 10.0.2.1.53: udp 20", bytes: eth("00:09:0f:09:00:03", "00:11:22:33:44:88", 0x0800, ip4("10.0.2.10", "10.0.2.1", 17, udp(5000, 53, bytes(20)))) },
  { header: "1.250000 10.0.2.1.53 -> 10.0.2.10.5000: udp 36", bytes: eth("00:11:22:33:44:88", "00:09:0f:09:00:03", 0x0800, ip4("10.0.2.1", "10.0.2.10", 17, udp(53, 5000, bytes(36)))) },
];

/** A clean capture as the device prints it: header, rows, one blank line after each packet. */
function cleanCapture(): string {
  const lines: string[] = [];
  const block = (preamble: string[], packets: Synth[], received: number): void => {
    lines.push(...preamble);
    for (const p of packets) lines.push(p.header, ...hexRows(p.bytes), "");
    lines.push("", `${received} packets received by filter`, "0 packets dropped by kernel", "");
  };
  block(["interfaces=[any]", "filters=[none]"], v6Packets, v6Packets.length);
  block(["interfaces=[any]", "filters=[arp or icmp]"], v5Packets, v5Packets.length);
  block(["interfaces=[port2]", "filters=[udp]"], v3Packets, v3Packets.length);
  return lines.join("\n") + "\n";
}

/**
 * The same capture pasted from a terminal: prompts and command echoes, CRLF, tab-expanded hex,
 * blank lines dropped between some packets and doubled or inserted elsewhere (also between a
 * header and its rows), `^C` before a trailer, trailing spaces, and a bare prompt at the end.
 */
function pastedTwin(clean: string): string {
  const commands = ["FGT60F (root) # diagnose sniffer packet any none 6 0 a", "FGT60F (root) # diag sniff packet any 'arp or icmp' 5 0 a", "FGT60F (root) # diag snif pack port2 udp 3 0 1"];
  const out: string[] = ["FGT60F (root) # ", "FGT60F (root) # config vdom", "FGT60F (vdom) # edit root", "current vf=root:0", ""];
  let capture = 0;
  let packet = 0;
  const lines = clean.replace(/\n$/, "").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith("interfaces=")) out.push(commands[capture++] as string);
    if (line.endsWith("packets received by filter")) {
      if (out[out.length - 1] === "") out.pop();
      out.push("^C");
    }
    if (/^(\d{4}-|\d+\.\d{6} )/.test(line)) {
      packet++;
      out.push(line);
      if (packet % 3 === 0) out.push(""); // a blank between header and rows
      continue;
    }
    if (line === "") {
      const next = lines[i + 1] ?? "";
      if (packet % 4 === 1 && /^\d/.test(next)) continue; // no blank between two packets
      if (packet % 4 === 2) out.push(""); // two blanks
      out.push("");
      continue;
    }
    out.push(line.startsWith("0x") ? expandTabs(line) + "  " : line);
  }
  out.push("FGT60F (root) # ");
  return out.join("\r\n") + "\r\n";
}

const START = Date.UTC(2024, 4, 15, 9, 0, 0) / 1000;

function exportText(input: string, options: Partial<ExportOptions> = {}, source = "synthetic.txt"): { bytes: Uint8Array; parsed: ParseResult; summary: ReturnType<typeof exportRecords>["summary"] } {
  const parsed = parseCapture(input, { source });
  const { bytes: out, summary } = exportRecords(parsed.records, { format: "pcapng", start: START, ...options });
  return { bytes: out, parsed, summary };
}

// ---- writers ------------------------------------------------------------------------------------------

describe("pcapng writer", () => {
  test("section header, interfaces, enhanced packets, options", () => {
    const w = new PcapngWriter({ application: "sniffdiag test" });
    const a = w.addInterface("port1", LINKTYPE_ETHERNET);
    const b = w.addInterface("tun1", LINKTYPE_RAW);
    expect([a, b]).toEqual([0, 1]);
    w.writePacket({ ifaceId: 0, tsSeconds: 1715767200.123456, data: Uint8Array.of(1, 2, 3, 4, 5), direction: "in", comment: "a.txt:12" });
    w.writePacket({ ifaceId: 1, tsSeconds: 1715767201, data: Uint8Array.of(0x45), origLength: 84, direction: "out", comment: null });
    w.writePacket({ ifaceId: 1, tsSeconds: 1715767202.000001, data: new Uint8Array(8), direction: null });
    expect(() => w.writePacket({ ifaceId: 2, tsSeconds: 0, data: new Uint8Array(1) })).toThrow(RangeError);
    const chunks = w.take();
    expect(w.take()).toEqual([]);
    const file = readPcapng(Uint8Array.from(chunks.flatMap((c) => [...c])));
    expect(text(file.shbOptions.get(4)?.[0])).toBe("sniffdiag test");
    expect(file.idbs.map((i) => [i.linktype, text(i.options.get(OPT_IF_NAME)?.[0]), [...(i.options.get(OPT_IF_TSRESOL)?.[0] ?? [])]])).toEqual([
      [1, "port1", [6]],
      [101, "tun1", [6]],
    ]);
    const [p1, p2, p3] = file.epbs as [ReadEpb, ReadEpb, ReadEpb];
    expect(p1.micros).toBe(1715767200123456n);
    expect([...p1.data]).toEqual([1, 2, 3, 4, 5]);
    expect(p1.capLen).toBe(5);
    expect(text(p1.options.get(OPT_COMMENT)?.[0])).toBe("a.txt:12");
    expect(new DataView((p1.options.get(OPT_EPB_FLAGS)?.[0] as Uint8Array).buffer).getUint32(0, true)).toBe(1);
    expect(p2.origLen).toBe(84);
    expect(p2.options.has(OPT_COMMENT)).toBe(false);
    expect(new DataView((p2.options.get(OPT_EPB_FLAGS)?.[0] as Uint8Array).buffer).getUint32(0, true)).toBe(2);
    expect(p3.micros).toBe(1715767202000001n);
    expect(p3.options.size).toBe(0);
  });

  test("classic pcap: header and records", () => {
    const w = new PcapWriter(LINKTYPE_ETHERNET);
    w.writePacket({ tsSeconds: 1715767200.5, data: Uint8Array.of(9, 9, 9), origLength: 60 });
    const out = Uint8Array.from(w.take().flatMap((c) => [...c]));
    const v = new DataView(out.buffer);
    expect(v.getUint32(0, true)).toBe(0xa1b2c3d4);
    expect([v.getUint16(4, true), v.getUint16(6, true), v.getUint32(20, true)]).toEqual([2, 4, 1]);
    expect([v.getUint32(24, true), v.getUint32(28, true), v.getUint32(32, true), v.getUint32(36, true)]).toEqual([1715767200, 500000, 3, 60]);
    expect(out.length).toBe(24 + 16 + 3);
  });
});

// ---- frames -------------------------------------------------------------------------------------------

describe("frames: FortiOS pseudo-header quirks", () => {
  const frame = (b: number[], options: FrameOptions): Frame => {
    const r = frameOfBytes(Uint8Array.from(b), 1, options);
    if (!r.ok) throw new Error(r.message);
    return r.frame;
  };
  const v6 = (iface: string): FrameOptions => ({ verbose: 6, iface });
  const packet = (i: number): number[] => (v6Packets[i] as Synth).bytes;

  test("pseudo-Ethernet on any and real Ethernet stay as they are", () => {
    for (const i of [0, 1, 4, 9]) {
      const f = frame(packet(i), v6("port1"));
      expect([f.linktype, f.fixes, hex(f.data)]).toEqual([LINKTYPE_ETHERNET, [], hex(Uint8Array.from(packet(i)))]);
    }
  });

  test("PPP synthetic header removed on ppp interfaces only", () => {
    const f = frame(packet(5), v6("ppp0"));
    expect([f.linktype, f.fixes, hex(f.data)]).toEqual([LINKTYPE_RAW, ["ppp-header"], hex(Uint8Array.from(packet(5).slice(14)))]);
    expect(frame(packet(6), v6("ppp0")).fixes).toEqual(["ppp-header"]);
    expect(frame(packet(6), v6("wan1")).linktype).toBe(LINKTYPE_ETHERNET);
    expect(frame(packet(6), { ...v6("dialup"), pointToPoint: true }).fixes).toEqual(["ppp-header"]);
    // `any` in-packets also start with five zero bytes: not touched
    expect(frame(packet(0), v6("port1")).fixes).toEqual([]);
  });

  test("tunnel interfaces: raw IP at verbose 6", () => {
    expect(frame(packet(7), v6("tun1"))).toMatchObject({ linktype: LINKTYPE_RAW, fixes: ["tunnel-raw-ip"] });
    expect(frame(packet(8), v6("tun6"))).toMatchObject({ linktype: LINKTYPE_RAW, fixes: ["tunnel-raw-ip"] });
  });

  test("HA ethertypes 0x8890/0x8891 in front of IP become the IP ethertype; a real heartbeat stays", () => {
    const f = frame(packet(10), v6("port_ha"));
    expect(f.fixes).toEqual(["ha-ethertype"]);
    expect(hex(f.data.subarray(12, 14))).toBe("0800");
    expect(hex(f.data.subarray(14))).toBe(hex(Uint8Array.from(packet(10).slice(14))));
    const b = packet(10).slice();
    b[13] = 0x91;
    expect(frame(b, v6("port_ha")).fixes).toEqual(["ha-ethertype"]);
    const hb = frame(packet(13), v6("port_ha"));
    expect([hb.fixes, hex(hb.data)]).toEqual([[], hex(Uint8Array.from(packet(13)))]);
  });

  test("internal tag: the ethertype at offset 14, the two bytes before it removed", () => {
    const f = frame(packet(11), v6("port4"));
    expect(f.fixes).toEqual(["internal-tag"]);
    expect(hex(f.data)).toBe(hex(Uint8Array.from([...packet(11).slice(0, 12), ...packet(11).slice(14)])));
    const s = frame(packet(12), v6("port_ha"));
    expect(s.fixes).toEqual(["internal-tag"]);
    expect(hex(s.data.subarray(12, 14))).toBe("8893");
    expect(s.data.length).toBe(packet(12).length - 2);
  });

  test("verbose 2/5: raw IP; ARP gets an Ethernet header from its own addresses", () => {
    const req = frame((v5Packets[0] as Synth).bytes, { verbose: 5, iface: "port1" });
    expect(req.fixes).toEqual(["arp-ethernet"]);
    expect(hex(req.data.subarray(0, 14))).toBe("ffffffffffff0011223344550806");
    const rep = frame((v5Packets[1] as Synth).bytes, { verbose: 2, iface: null });
    expect(hex(rep.data.subarray(0, 14))).toBe("00112233445500090f0900010806");
    expect(hex(rep.data.subarray(14))).toBe(hex(Uint8Array.from((v5Packets[1] as Synth).bytes)));
    expect(frame((v5Packets[2] as Synth).bytes, { verbose: 5, iface: "port1" })).toMatchObject({ linktype: LINKTYPE_RAW, fixes: [] });
    const stp = frameOfBytes(fromHex("424203000002023c"), 9, { verbose: 5, iface: "port2" });
    expect(stp).toMatchObject({ ok: false, reason: "not-ip" });
  });

  test("a dump cut short keeps its wire length from the IP header", () => {
    const f = frame(packet(14), v6("port1"));
    expect(f.data.length).toBe(96);
    expect(f.origLength).toBe(14 + 20 + 20 + 200);
    expect(ipv4Level(f.data, 14)).toBe(3);
  });

  test("classic pcap: raw IP gets a synthetic Ethernet header", () => {
    const f = withEthernetHeader(frame(packet(8), v6("tun6")));
    expect(f.linktype).toBe(LINKTYPE_ETHERNET);
    expect(hex(f.data.subarray(0, 14))).toBe("00000000000000000000000086dd");
    expect(f.fixes).toEqual(["tunnel-raw-ip", "raw-ip-ethernet"]);
  });

  test("a packet without hex rows is no frame", () => {
    const p = { line: 3, bytes: null } as unknown as PacketRecord;
    expect(frameOf(p, { verbose: 4, iface: "port1" })).toMatchObject({ ok: false, reason: "no-hex-dump" });
  });
});

// ---- exporter -----------------------------------------------------------------------------------------

describe("exporter", () => {
  test("the synthetic capture: interfaces per name and link type, stamps, directions, comments", () => {
    const clean = cleanCapture();
    const { bytes: out, parsed, summary } = exportText(clean);
    const file = readPcapng(out);
    const packets = parsed.packets;
    expect(file.epbs).toHaveLength(packets.length);
    expect(summary.packets).toBe(packets.length);
    expect(summary.relative).toBe(true);
    expect(summary.fixes).toMatchObject({ "ppp-header": 2, "ha-ethertype": 1, "internal-tag": 2, "arp-ethernet": 2, "tunnel-raw-ip": 2 });
    const names = file.idbs.map((i) => `${text(i.options.get(OPT_IF_NAME)?.[0])}/${i.linktype}`);
    expect(names).toEqual(["port1/1", "wan1/1", "ppp0/101", "tun1/101", "tun6/101", "port3/1", "port_ha/1", "port4/1", "port1/101", "port2/1"]);
    expect(summary.interfaces.map((i) => i.name)).toEqual(names.map((n) => n.split("/")[0]));
    packets.forEach((p, i) => {
      const e = file.epbs[i] as ReadEpb;
      const idb = file.idbs[e.iface] as ReadIdb;
      expect(text(idb.options.get(OPT_IF_NAME)?.[0])).toBe(p.iface ?? "port2");
      expect(text(e.options.get(OPT_COMMENT)?.[0])).toBe(`synthetic.txt:${p.line}`);
      const flags = e.options.get(OPT_EPB_FLAGS)?.[0];
      expect(flags === undefined ? null : new DataView(flags.buffer).getUint32(0, true)).toBe(p.dir === "in" ? 1 : p.dir === "out" ? 2 : null);
      const relative = p.capture === 2;
      expect(e.micros).toBe(BigInt(Math.round((relative ? START + p.ts : p.ts) * 1e6)));
    });
  });

  test("include / exclude / keep, with the reasons counted", () => {
    const clean = cleanCapture();
    const inc = exportText(clean, { include: ["port1", "wan1"], exclude: ["wan1"] });
    expect(new Set(inc.summary.interfaces.map((i) => i.name))).toEqual(new Set(["port1"]));
    expect(inc.summary.packets).toBe(inc.parsed.packets.filter((p) => p.iface === "port1").length);
    expect(inc.summary.skipped.excluded).toBe(inc.parsed.packets.length - inc.summary.packets);
    const keep = exportText(clean, { keep: (p) => p.proto === "arp" });
    expect(keep.summary.packets).toBe(3);
    expect(keep.summary.skipped.filtered).toBe(keep.parsed.packets.length - 3);
    const none = exportText(clean, { include: ["nosuch"] });
    expect(none.summary.packets).toBe(0);
    expect(readPcapng(none.bytes).epbs).toHaveLength(0); // a valid empty file
  });

  test("classic pcap: one Ethernet link type", () => {
    const { bytes: out, parsed, summary } = exportText(cleanCapture(), { format: "pcap" });
    expect(new DataView(out.buffer).getUint32(20, true)).toBe(LINKTYPE_ETHERNET);
    expect(summary.packets).toBe(parsed.packets.length);
    expect(summary.fixes["raw-ip-ethernet"]).toBe(5); // 2 ppp, 2 tunnels, 1 verbose-5 ICMP
  });

  test("streams: the first bytes come out before the input ends", async () => {
    const clean = cleanCapture();
    const lines = clean.split(/(?<=\n)/);
    let fed = 0;
    async function* chunks(): AsyncGenerator<string> {
      for (const l of lines) {
        fed++;
        yield l;
      }
    }
    const { parseStream } = await import("../src/parse.js");
    const gen = exportCapture(parseStream(chunks(), { source: "s.txt" }), { format: "pcapng", start: START });
    const first = await gen.next();
    expect(first.done).toBe(false);
    expect(fed).toBeLessThan(lines.length / 4);
    let n = 1;
    let result = await gen.next();
    while (result.done !== true) {
      n++;
      result = await gen.next();
    }
    expect(n).toBeGreaterThan(10);
    expect(result.value.packets).toBe(v6Packets.length + v5Packets.length + v3Packets.length);
  });

  test("--start times", () => {
    expect(parseStartTime("1715767200")).toBe(1715767200);
    expect(parseStartTime("1715767200.25")).toBe(1715767200.25);
    expect(parseStartTime("2024-05-15T10:00:00Z")).toBe(Date.UTC(2024, 4, 15, 10) / 1000);
    expect(parseStartTime("2024-05-15 10:00:00.5")).toBe(Date.UTC(2024, 4, 15, 10) / 1000 + 0.5);
    expect(parseStartTime("2024-05-15T12:00:00+02:00")).toBe(Date.UTC(2024, 4, 15, 10) / 1000);
    expect(parseStartTime("2024-05-15")).toBe(Date.UTC(2024, 4, 15) / 1000);
    expect(parseStartTime("yesterday")).toBeNull();
    expect(parseStartTime("2024-13-01")).toBeNull();
  });
});

// ---- header-only input --------------------------------------------------------------------------------

describe("captures without hex dumps", () => {
  const v4 = [
    "FGT # diagnose sniffer packet port1 'host 10.0.0.1' 4 0 l",
    "interfaces=[port1]",
    "filters=[host 10.0.0.1]",
    "0.100000 port1 in 10.0.0.1.5000 -> 10.0.0.2.53: udp 20",
    "0.200000 port1 out 10.0.0.2.53 -> 10.0.0.1.5000: udp 40",
    "",
  ].join("\n");

  const errorOf = (input: string, source = "capture.txt"): ExportError => {
    try {
      exportText(input, {}, source);
    } catch (err) {
      if (err instanceof ExportError) return err;
      throw err;
    }
    throw new Error("no ExportError");
  };

  test("verbose 4: the level to capture with and the exact command, from the capture's own interface and filter", () => {
    const e = errorOf(v4);
    expect(e.code).toBe("header-only");
    expect(e.message).toBe("capture.txt:1: the capture has no hex dump (verbose 4); capture with verbose 6: diagnose sniffer packet port1 'host 10.0.0.1' 6 0 a");
    expect(e.command).toBe("diagnose sniffer packet port1 'host 10.0.0.1' 6 0 a");
  });

  test("verbose 1 without preamble: a placeholder for the unknown filter", () => {
    const e = errorOf("0.100000 10.0.0.1.5000 -> 10.0.0.2.53: udp 20\n0.200000 10.0.0.2.53 -> 10.0.0.1.5000: udp 40\n");
    expect(e.message).toBe("capture.txt:1: the capture has no hex dump (verbose 1); capture with verbose 6: diagnose sniffer packet any '<filter>' 6 0 a");
  });

  test("commands for known and quoted filters", () => {
    const base = { interfaces: "any", filter: null, count: null, command: "x" };
    expect(hexCaptureCommand(base)).toBe("diagnose sniffer packet any 'none' 6 0 a");
    expect(hexCaptureCommand({ ...base, filter: "host 1.1.1.1 and port 53", count: 100 })).toBe("diagnose sniffer packet any 'host 1.1.1.1 and port 53' 6 100 a");
    expect(hexCaptureCommand({ ...base, filter: "ether[0] = 'x'" })).toBe(`diagnose sniffer packet any "ether[0] = 'x'" 6 0 a`);
  });

  test("no capture at all", () => {
    const e = errorOf("just some text\n");
    expect(e.code).toBe("no-capture");
    expect(e.message).toBe("capture.txt: no sniffer output found");
  });

  test("header-only packets beside exportable ones are skipped, not an error", () => {
    const { summary } = exportText(v4 + "\n" + cleanCapture());
    expect(summary.skipped["no-hex-dump"]).toBe(2);
    expect(summary.packets).toBe(v6Packets.length + v5Packets.length + v3Packets.length);
    // and when the dumps are all excluded, that was asked for: an empty file, no error
    const none = exportText(v4 + "\n" + cleanCapture(), { include: ["nosuch"] });
    expect([none.summary.packets, none.summary.skipped["no-hex-dump"]]).toEqual([0, 2]);
  });

  test("nothing is yielded before the error", async () => {
    const got: Uint8Array[] = [];
    await expect(
      (async () => {
        for await (const c of exportCapture(parseCapture(v4, { source: "c.txt" }).records, { format: "pcapng" })) got.push(c);
      })(),
    ).rejects.toThrow(/capture with verbose 6/);
    expect(got).toEqual([]);
  });
});

// ---- the pasted twin ----------------------------------------------------------------------------------

/** The packet blocks without their comments (the line numbers differ between twins). */
function withoutComments(file: ReturnType<typeof readPcapng>): unknown {
  return {
    idbs: file.idbs.map((i) => ({ linktype: i.linktype, name: text(i.options.get(OPT_IF_NAME)?.[0]) })),
    epbs: file.epbs.map((e) => ({ iface: e.iface, micros: e.micros, origLen: e.origLen, data: hex(e.data), flags: e.options.get(OPT_EPB_FLAGS)?.map(hex) ?? null })),
  };
}

describe("pasted capture vs its clean twin", () => {
  test("the synthetic capture: identical packets, comments pointing at each twin's own lines", () => {
    const clean = cleanCapture();
    const pasted = pastedTwin(clean);
    expect(pasted).toContain("\r\n0x0000   ");
    expect(pasted).not.toContain("\t");
    const a = exportText(clean, {}, "clean.txt");
    const b = exportText(pasted, {}, "pasted.txt");
    expect(b.parsed.packets).toHaveLength(a.parsed.packets.length);
    const fa = readPcapng(a.bytes);
    const fb = readPcapng(b.bytes);
    expect(withoutComments(fb)).toEqual(withoutComments(fa));
    const pastedLines = pasted.split("\r\n");
    fb.epbs.forEach((e, i) => {
      const [, line] = /^pasted\.txt:(\d+)$/.exec(text(e.options.get(OPT_COMMENT)?.[0])) ?? [];
      expect(Number(line)).toBe((b.parsed.packets[i] as PacketRecord).line);
      expect(pastedLines[Number(line) - 1]?.trimEnd()).toBe([...v6Packets, ...v5Packets, ...v3Packets][i]?.header.trimEnd());
    });
  });

  testCorpus("corpus 12 (ppp0) and 20 (any, CRLF, prompt) pasted again", () => {
    for (const name of corpusFiles().filter((f) => /^(12|20|01)_/.test(f))) {
      const raw = readCorpus(name).toString("utf8");
      // the clean twin: device output only (drop the source note, prompts and echoes), TAB hex, LF
      const cleanLines = raw
        .split(/\r?\n/)
        .map((l) => l.replace(/\r+$/, ""))
        .filter((l) => !l.startsWith("# source") && !/ # /.test(l) && !/^current vf=/.test(l));
      const clean = cleanLines.join("\n") + "\n";
      const pasted = pastedTwin(clean);
      const a = exportText(clean, {}, "clean.txt");
      const b = exportText(pasted, {}, "pasted.txt");
      expect(a.summary.packets).toBeGreaterThan(0);
      expect(withoutComments(readPcapng(b.bytes))).toEqual(withoutComments(readPcapng(a.bytes)));
    }
  });
});

// ---- tshark read-back ---------------------------------------------------------------------------------


/** The dumped bytes as the fixes say they were changed. */
function expectedFrame(rows: string, fixes: readonly string[]): string {
  let h = rows;
  if (fixes.includes("ppp-header")) h = h.slice(28);
  if (fixes.includes("internal-tag")) h = h.slice(0, 24) + h.slice(28);
  if (fixes.includes("ha-ethertype")) h = h.slice(0, 24) + (/^6/.test(h.slice(28)) ? "86dd" : "0800") + h.slice(28);
  return h;
}

interface CheckedFile {
  name: string;
  text: string;
}

/** An IPv4 or IPv6 address as printed (not a masked `XX.XX.1.2` or `<NAS-IP>`). */
function isAddress(a: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(a) || /^[0-9a-f:]+$/i.test(a);
}

/** The ARP sender's IP: `who-has X tell S` names S, `reply S is-at M` names S first. */
function arpSender(p: PacketRecord): string | null {
  if (p.arp === undefined) return p.src;
  return p.arp.op === "reply" ? p.arp.target : p.arp.sender;
}

let addresses = 0;

/** Export, read back with tshark, and check every packet against its record and hex rows. */
function checkWithTshark(dir: string, input: CheckedFile): number {
  const parsed = parseCapture(input.text, { source: input.name });
  const withHex = parsed.packets.filter((p) => p.bytes !== null);
  if (withHex.length === 0) return 0;
  const { bytes: out, summary } = exportRecords(parsed.records, { format: "pcapng", start: START });
  expect(summary.skipped["not-ip"]).toBe(0);
  const file = join(dir, input.name.replace(/[^\w.-]/g, "_") + ".pcapng");
  writeFileSync(file, out);
  const { rows, warnings } = tsharkFields(file);
  expect(warnings).toEqual([]);
  expect(rows).toHaveLength(withHex.length);
  const raws = tsharkRaw(file);
  const lines = input.text.split("\n");
  const captures = new Map<number, CaptureRecord>(parsed.captures.map((c) => [c.index, c]));
  withHex.forEach((p, i) => {
    const row = rows[i] as Row;
    const capture = captures.get(p.capture);
    const name = p.iface ?? capture?.interfaces ?? "unknown";
    const fr = frameOf(p, { verbose: capture?.verbose ?? null, iface: name });
    if (!fr.ok) throw new Error(fr.message);
    const where = `${input.name}:${p.line}`;
    expect([where, row["frame.number"]]).toEqual([where, String(i + 1)]);
    expect([where, row["frame.interface_name"]]).toEqual([where, name]);
    expect([where, row["frame.p2p_dir"]]).toEqual([where, p.dir === "in" ? "1" : p.dir === "out" ? "0" : ""]);
    expect([where, row["frame.comment"]]).toEqual([where, where]);
    // lengths: the dump, changed only by the fixes, and the wire length from the IP header
    expect([where, Number(row["frame.cap_len"])]).toEqual([where, fr.frame.data.length]);
    expect([where, Number(row["frame.len"])]).toEqual([where, fr.frame.origLength]);
    const delta = fr.frame.fixes.includes("ppp-header") ? -14 : fr.frame.fixes.includes("internal-tag") ? -2 : fr.frame.fixes.includes("arp-ethernet") ? 14 : 0;
    expect([where, fr.frame.data.length]).toEqual([where, (p.bytes as string).length / 2 + delta]);
    // bytes: tshark's frame against the hex rows, read again from the input lines
    const rowsHex = (p.hexLines ?? []).map((n) => rowBytes(lines[n - 1] ?? "")).join("");
    expect(rowsHex).toBe(p.bytes);
    const expected = fr.frame.fixes.includes("arp-ethernet") ? raws[i]?.slice(28) : raws[i];
    expect([where, expected]).toEqual([where, fr.frame.fixes.includes("arp-ethernet") ? rowsHex : expectedFrame(rowsHex, fr.frame.fixes)]);
    // addresses, where tshark decoded them and the header line prints them unmasked
    const isV6 = p.src !== null && p.src.includes(":");
    const src = p.proto === "arp" ? arpSender(p) : p.src;
    const tsrc = isV6 ? row["ipv6.src"] : p.proto === "arp" ? row["arp.src.proto_ipv4"] : row["ip.src"];
    if (tsrc !== "" && src !== null && isAddress(src)) {
      addresses++;
      expect([where, tsrc]).toEqual([where, src]);
      const tdst = isV6 ? row["ipv6.dst"] : row["ip.dst"];
      if (p.proto !== "arp" && tdst !== "" && p.dst !== null && isAddress(p.dst)) expect([where, tdst]).toEqual([where, p.dst]);
    }
    // time: absolute stamps as printed, relative ones from the start
    const t = capture?.timestamps === "relative" ? START + p.ts : p.ts;
    expect([where, Math.round(Number(row["frame.time_epoch"]) * 1e6)]).toEqual([where, Math.round(t * 1e6)]);
  });
  return withHex.length;
}

/** The samples with hex dumps (verbose 2, 3, 5 and 6, FortiWeb's byte rows, pasted and script(1) logs). */
const HEX_SAMPLES = [
  "fortiweb_v6_port1_system_time_bytehex.txt",
  "pasted_markdown_ticket.txt",
  "script_log_headerless_hex.txt",
  "v2_syslog_udp514_oneway_rawtab.txt",
  "v3_wan1_icmp_echo_tabexpanded.txt",
  "v5_port3_arp_l3hex_no_ascii.txt",
  "v6_any_tcp_handshake_rawtab.txt",
  "v6_wan1_ipv6_udp_icmp6_two_captures.txt",
];

describeTshark("tshark reads the exports back", () => {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "sniffdiag-export-"));
  });
  afterAll(() => {
    if (dir !== "") rmSync(dir, { recursive: true, force: true });
  });

  test("the synthetic capture: every quirk decodes", () => {
    const clean = cleanCapture();
    expect(checkWithTshark(dir, { name: "synthetic.txt", text: clean })).toBe(20);
    const { bytes: out } = exportText(clean);
    const file = join(dir, "quirks.pcapng");
    writeFileSync(file, out);
    const { rows } = tsharkFields(file);
    const col = (f: Field): string[] => rows.map((r) => r[f]);
    // HA-tagged and internal-tag packets decode as IP, the session-sync frame keeps 0x8893
    expect(col("ip.src").slice(10, 12)).toEqual(["169.254.0.1", "10.0.4.1"]);
    expect(col("eth.type").slice(10, 14)).toEqual(["0x0800", "0x0800", "0x8893", "0x8890"]);
    // ppp and tunnels: raw IP
    expect(col("ip.src").slice(5, 8)).toEqual(["100.64.0.2", "192.0.2.53", "10.0.1.10"]);
    expect(col("ipv6.src")[8]).toBe("2001:db8::10");
    // verbose 5 ARP with its synthetic header
    expect(col("arp.src.proto_ipv4").slice(15, 17)).toEqual(["10.0.1.10", "10.0.1.1"]);
  });

  test("the classic pcap export", () => {
    const { bytes: out, parsed } = exportText(cleanCapture(), { format: "pcap" });
    const file = join(dir, "synthetic.pcap");
    writeFileSync(file, out);
    const { rows, warnings } = tsharkFields(file);
    expect(warnings).toEqual([]);
    expect(rows).toHaveLength(parsed.packets.length);
    expect(rows.map((r) => r["ip.src"] || r["ipv6.src"] || r["arp.src.proto_ipv4"])).toEqual(
      parsed.packets.map((p) => (p.proto === "arp" ? (arpSender(p) ?? "") : p.proto === "other" ? "" : (p.src ?? ""))),
    );
  });

  testCorpus("every hex capture in ../shared/corpus", () => {
    let files = 0;
    let packets = 0;
    addresses = 0;
    for (const name of corpusFiles()) {
      const n = checkWithTshark(dir, { name, text: readCorpus(name).toString("utf8") });
      if (n > 0) files++;
      packets += n;
    }
    expect(files).toBeGreaterThanOrEqual(15);
    expect(packets).toBeGreaterThanOrEqual(50);
    expect(addresses).toBeGreaterThanOrEqual(30);
  });

  test("every hex capture in samples/", () => {
    // those with hex dumps are read back, the others have nothing to export
    const names = readdirSync(samplesDir).filter((f) => /\.(txt|log)$/.test(f)).sort();
    const checked: string[] = [];
    let packets = 0;
    for (const name of names) {
      const n = checkWithTshark(dir, { name, text: readFileSync(samplesDir + name, "utf8") });
      if (n > 0) checked.push(name);
      packets += n;
    }
    // the samples README's hex captures (verbose 2, 3, 5 and 6, FortiWeb's byte rows, pasted ones)
    expect(checked).toEqual(expect.arrayContaining(HEX_SAMPLES));
    expect(packets).toBeGreaterThanOrEqual(27);
  });
});
