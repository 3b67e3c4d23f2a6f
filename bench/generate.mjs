// Deterministic generators for the benchmark captures in bench/data/ (git-ignored).
//
//   node bench/generate.mjs            generate what is missing or out of date
//   node bench/generate.mjs --force    regenerate everything
//   node bench/generate.mjs v6         only the named data sets
//
// Each data set is a `diagnose sniffer packet any none <verbose> 0 [a]` session on a FortiGate
// routing 172.16.0.0/16 (port1) to the Internet (port2) with source NAT: every forwarded packet
// is printed twice (`port1 in` / `port2 out`, replies `port2 in` / `port1 out`), as on `any`.
// Traffic: interleaved TCP sessions (handshake, requests, multi-segment responses, FIN close,
// a few unanswered SYNs retransmitted), DNS (some unanswered), NTP, one-way syslog, ICMP echo and
// ARP who-has/reply for the gateway. Header lines follow spec §3 (TCP lines end with one space);
// verbose 6 adds raw-TAB hex rows in the §4.1 geometry holding a consistent frame: the `any`
// pseudo-Ethernet header, IPv4 (TTL decremented on the egress copy, NAT applied, checksums
// right), TCP with options / UDP / ICMP / ARP.
//
// A data set is regenerated only when its file is missing, its size differs from the one
// recorded in `<file>.meta.json`, or its definition (GENERATOR_VERSION + parameters) changed.
// Files are written through a stream in ~1 MB pieces, to `<file>.tmp` then renamed.
import { createWriteStream } from "node:fs";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Bump when the output of the generator code changes (parameters are compared separately). */
export const GENERATOR_VERSION = 1;

export const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), "data");

/** The data sets. `packets` counts packet header lines (every copy), as the trailer does. */
export const DATASETS = {
  v4: {
    file: "v4-any-1m.txt",
    seed: 0x5eed0004,
    verbose: 4,
    packets: 1_000_000,
    // relative timestamps (no tsformat argument), LF line ends (SSH exec channel)
    timestamps: "relative",
    eol: "\n",
    meanGapUs: 5000,
    traffic: {
      flows: { tcp: 0.42, dns: 0.33, ntp: 0.04, syslog: 0.04, ping: 0.1, arp: 0.07 },
      reqLen: [80, 600],
      // response sizes: [probability, min, max] bytes
      resp: [[0.85, 60, 1200], [0.12, 1500, 6000], [0.03, 8000, 30000]],
    },
  },
  v6: {
    file: "v6-any-200k.txt",
    seed: 0x5eed0006,
    verbose: 6,
    packets: 200_000,
    // `a` timestamps, CRLF line ends (interactive SSH session log, as the raw-TAB samples)
    timestamps: "absolute",
    eol: "\r\n",
    meanGapUs: 4000,
    // small packets dominate (about 9 hex rows a packet on average, as PRODUCT.md's file)
    traffic: {
      flows: { tcp: 0.42, dns: 0.33, ntp: 0.04, syslog: 0.04, ping: 0.1, arp: 0.07 },
      reqLen: [40, 220],
      resp: [[0.84, 20, 260], [0.145, 300, 1448], [0.015, 2000, 6000]],
    },
  },
};

/** The v4 traffic at a tenth of the size: peak memory at 100k and at 1M packets must be alike. */
DATASETS.v4s = { ...DATASETS.v4, file: "v4-any-100k.txt", packets: 100_000 };

// ---------------------------------------------------------------------------------------------
// PRNG (mulberry32): deterministic, fast, good enough for traffic shapes.

class Rng {
  constructor(seed) {
    this.a = seed >>> 0;
  }
  u32() {
    let t = (this.a = (this.a + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  next() {
    return this.u32() / 4294967296;
  }
  /** integer in [lo, hi] */
  int(lo, hi) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p) {
    return this.next() < p;
  }
  pick(arr) {
    return arr[Math.floor(this.next() * arr.length)];
  }
  /** exponential with the given mean, at least 1 */
  exp(mean) {
    return Math.max(1, Math.round(-Math.log(1 - this.next()) * mean));
  }
  fill(buf, start, end) {
    let i = start;
    while (i + 4 <= end) {
      const v = this.u32();
      buf[i++] = v & 0xff;
      buf[i++] = (v >>> 8) & 0xff;
      buf[i++] = (v >>> 16) & 0xff;
      buf[i++] = v >>> 24;
    }
    while (i < end) buf[i++] = this.u32() & 0xff;
  }
}

// ---------------------------------------------------------------------------------------------
// The network.

const FGT_PORT1_IP = "172.16.0.1";
const FGT_PORT2_IP = "203.0.113.142";
const ISP_GW_IP = "203.0.113.1";
const FGT_PORT1_MAC = [0x00, 0x09, 0x0f, 0x09, 0x00, 0x0e];
const FGT_PORT2_MAC = [0x00, 0x09, 0x0f, 0x09, 0x00, 0x0f];
const ISP_GW_MAC = [0x00, 0x1b, 0x54, 0xc2, 0x3a, 0x01];

const DNS_SERVERS = ["8.8.8.8", "1.1.1.1", "208.91.112.53", "208.91.112.52"];
const NTP_SERVERS = ["162.159.200.123", "216.239.35.0", "129.250.35.250"];
const SYSLOG_SERVER = "198.51.100.214";
const PING_TARGETS = ["8.8.4.4", "1.0.0.1", "9.9.9.9", "142.250.185.206", "104.16.132.229"];
const DOMAINS = [
  "www.example.com", "update.fortiguard.net", "service.fortiguard.net", "fds1.fortinet.com",
  "login.microsoftonline.com", "outlook.office365.com", "www.google.com", "clients4.google.com",
  "api.github.com", "registry.npmjs.org", "cdn.jsdelivr.net", "ocsp.digicert.com",
  "time.windows.com", "teams.microsoft.com", "s3.eu-west-1.amazonaws.com", "www.wikipedia.org",
];

function ipToBytes(ip) {
  return ip.split(".").map(Number);
}

/** MAC as FortiOS prints it in ARP lines: hex octets without leading zeros (`0:9:f:9:0:e`). */
function macText(mac) {
  return mac.map((b) => b.toString(16)).join(":");
}

class Network {
  constructor(rng) {
    this.rng = rng;
    this.clients = [];
    for (let i = 0; i < 1200; i++) {
      const ip = `172.16.${rng.int(1, 254)}.${rng.int(2, 254)}`;
      const mac = [0x00, 0x50, 0x56, rng.int(0, 255), rng.int(0, 255), rng.int(0, 255)];
      this.clients.push({ ip, mac });
    }
    this.servers = [];
    for (let i = 0; i < 400; i++) {
      const ip = `${rng.pick([13, 20, 23, 31, 34, 35, 40, 52, 54, 104, 142, 151, 172, 185, 199])}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
      this.servers.push({ ip, port: rng.chance(0.8) ? 443 : 80, host: rng.pick(DOMAINS) });
    }
    this.natPort = 1024;
  }
  client() {
    return this.rng.pick(this.clients);
  }
  /** next source-NAT port on port2 (the FortiGate's IP pool is its port2 address) */
  nextNatPort() {
    this.natPort = this.natPort >= 65000 ? 1024 : this.natPort + 1 + (this.rng.u32() & 7);
    return this.natPort;
  }
}

// ---------------------------------------------------------------------------------------------
// Flows. A flow is a generator of packet descriptions; `dir` is "c2s" (client side to Internet:
// printed `port1 in` then `port2 out` with the source translated) or "s2c" (Internet to client:
// `port2 in` then `port1 out` with the destination translated back), or "local" for ARP, which is
// printed once on the interface given.

const F_FIN = 0x01;
const F_SYN = 0x02;
const F_PSH = 0x08;
const F_ACK = 0x10;

const MSS = 1448; // with the timestamp option

function* tcpFlow(rng, net, traffic) {
  const c = net.client();
  const s = rng.pick(net.servers);
  const flow = { proto: 6, client: c, cip: c.ip, cport: rng.int(32768, 60999), sip: s.ip, sport: s.port, natPort: net.nextNatPort(), host: s.host };
  let cseq = rng.u32();
  let sseq = rng.u32();
  const tsBase = rng.u32() >>> 4;
  const pkt = (dir, flags, seq, ack, len, kind) => ({ flow, dir, flags, seq: seq >>> 0, ack: ack >>> 0, len, kind, ts: tsBase });
  yield pkt("c2s", F_SYN, cseq, 0, 0, "syn");
  if (rng.chance(0.03)) {
    // unanswered: retransmitted twice
    yield pkt("c2s", F_SYN, cseq, 0, 0, "syn");
    yield pkt("c2s", F_SYN, cseq, 0, 0, "syn");
    return;
  }
  yield pkt("s2c", F_SYN | F_ACK, sseq, cseq + 1, 0, "syn");
  cseq = (cseq + 1) >>> 0;
  sseq = (sseq + 1) >>> 0;
  yield pkt("c2s", F_ACK, cseq, sseq, 0, null);
  const exchanges = rng.chance(0.6) ? 1 : rng.int(2, 5);
  for (let e = 0; e < exchanges; e++) {
    const reqLen = rng.int(traffic.reqLen[0], traffic.reqLen[1]);
    yield pkt("c2s", F_PSH | F_ACK, cseq, sseq, reqLen, "req");
    cseq = (cseq + reqLen) >>> 0;
    if (rng.chance(0.7)) yield pkt("s2c", F_ACK, sseq, cseq, 0, null);
    const respLen = pickSize(rng, traffic.resp);
    let left = respLen;
    let seg = 0;
    while (left > 0) {
      const n = Math.min(MSS, left);
      left -= n;
      yield pkt("s2c", left === 0 ? F_PSH | F_ACK : F_ACK, sseq, cseq, n, "resp");
      sseq = (sseq + n) >>> 0;
      if (++seg % 2 === 0 || left === 0) yield pkt("c2s", F_ACK, cseq, sseq, 0, null);
    }
  }
  yield pkt("c2s", F_FIN | F_ACK, cseq, sseq, 0, null);
  yield pkt("s2c", F_FIN | F_ACK, sseq, cseq + 1, 0, null);
  yield pkt("c2s", F_ACK, cseq + 1, sseq + 1, 0, null);
}

function* dnsFlow(rng, net) {
  const c = net.client();
  const flow = { proto: 17, client: c, cip: c.ip, cport: rng.int(32768, 60999), sip: rng.pick(DNS_SERVERS), sport: 53, natPort: net.nextNatPort() };
  const name = rng.pick(DOMAINS);
  const id = rng.int(0, 0xffff);
  const qtype = rng.chance(0.7) ? 1 : 28;
  const query = dnsMessage(id, name, qtype, 0);
  yield { flow, dir: "c2s", len: query.length, payload: query };
  if (rng.chance(0.05)) {
    yield { flow, dir: "c2s", len: query.length, payload: query };
    return;
  }
  const answers = rng.int(1, 4);
  const resp = dnsMessage(id, name, qtype, answers, rng);
  yield { flow, dir: "s2c", len: resp.length, payload: resp };
}

function dnsMessage(id, name, qtype, answers, rng) {
  const labels = name.split(".");
  const qlen = labels.reduce((n, l) => n + 1 + l.length, 1) + 4;
  const alen = qtype === 1 ? 16 : 28;
  const out = new Uint8Array(12 + qlen + answers * alen);
  const v = new DataView(out.buffer);
  v.setUint16(0, id);
  v.setUint16(2, rng ? 0x8180 : 0x0100);
  v.setUint16(4, 1);
  v.setUint16(6, answers);
  let o = 12;
  for (const l of labels) {
    out[o++] = l.length;
    for (let i = 0; i < l.length; i++) out[o++] = l.charCodeAt(i);
  }
  out[o++] = 0;
  v.setUint16(o, qtype);
  v.setUint16(o + 2, 1);
  o += 4;
  for (let a = 0; a < answers; a++) {
    v.setUint16(o, 0xc00c);
    v.setUint16(o + 2, qtype);
    v.setUint16(o + 4, 1);
    v.setUint32(o + 6, 300);
    v.setUint16(o + 10, alen - 12);
    rng.fill(out, o + 12, o + alen);
    o += alen;
  }
  return out;
}

function* ntpFlow(rng, net) {
  const c = net.client();
  const flow = { proto: 17, client: c, cip: c.ip, cport: 123, sip: rng.pick(NTP_SERVERS), sport: 123, natPort: net.nextNatPort() };
  yield { flow, dir: "c2s", len: 48, payload: null };
  yield { flow, dir: "s2c", len: 48, payload: null };
}

function* syslogFlow(rng, net) {
  const c = net.client();
  const flow = { proto: 17, client: c, cip: c.ip, cport: rng.int(32768, 60999), sip: SYSLOG_SERVER, sport: 514, natPort: net.nextNatPort() };
  const n = rng.int(1, 6);
  for (let i = 0; i < n; i++) {
    const len = rng.int(90, 700);
    yield { flow, dir: "c2s", len, payload: syslogText(rng, len) };
  }
}

function syslogText(rng, len) {
  const base = `<189>date=2024-05-15 time=09:${String(rng.int(0, 59)).padStart(2, "0")}:00 devname="FGT-BENCH" devid="FGVM02TM24000001" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=172.16.${rng.int(1, 254)}.${rng.int(2, 254)} srcport=${rng.int(1024, 65535)} dstport=443 action="close" policyid=1 service="HTTPS" sentbyte=${rng.int(100, 99999)} rcvdbyte=${rng.int(100, 999999)} `;
  let s = base;
  while (s.length < len) s += base;
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = s.charCodeAt(i);
  return out;
}

function* pingFlow(rng, net) {
  const c = net.client();
  const flow = { proto: 1, client: c, cip: c.ip, cport: 0, sip: rng.pick(PING_TARGETS), sport: 0, natPort: 0, icmpId: rng.int(1, 0xffff) };
  const count = rng.int(1, 5);
  for (let seq = 1; seq <= count; seq++) {
    yield { flow, dir: "c2s", icmpType: 8, icmpSeq: seq, len: 56 };
    if (!rng.chance(0.04)) yield { flow, dir: "s2c", icmpType: 0, icmpSeq: seq, len: 56 };
  }
}

function* arpFlow(rng, net) {
  if (rng.chance(0.85)) {
    const c = net.client();
    yield { arp: 1, iface: "port1", dir: "in", sha: c.mac, spa: c.ip, tha: null, tpa: FGT_PORT1_IP };
    yield { arp: 2, iface: "port1", dir: "out", sha: FGT_PORT1_MAC, spa: FGT_PORT1_IP, tha: c.mac, tpa: c.ip };
  } else {
    yield { arp: 1, iface: "port2", dir: "out", sha: FGT_PORT2_MAC, spa: FGT_PORT2_IP, tha: null, tpa: ISP_GW_IP };
    yield { arp: 2, iface: "port2", dir: "in", sha: ISP_GW_MAC, spa: ISP_GW_IP, tha: FGT_PORT2_MAC, tpa: FGT_PORT2_IP };
  }
}

function pickSize(rng, table) {
  let r = rng.next();
  for (const [p, lo, hi] of table) {
    if (r < p) return rng.int(lo, hi);
    r -= p;
  }
  const last = table[table.length - 1];
  return rng.int(last[1], last[2]);
}

const FLOW_KINDS = { tcp: tcpFlow, dns: dnsFlow, ntp: ntpFlow, syslog: syslogFlow, ping: pingFlow, arp: arpFlow };

function newFlow(rng, net, traffic) {
  let r = rng.next();
  for (const [kind, w] of Object.entries(traffic.flows)) {
    if (r < w) return FLOW_KINDS[kind](rng, net, traffic);
    r -= w;
  }
  return tcpFlow(rng, net, traffic);
}

// ---------------------------------------------------------------------------------------------
// Text: header lines (§3) and hex rows (§4.1).

const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const ASCII = Array.from({ length: 256 }, (_, i) => (i >= 0x21 && i <= 0x7e ? String.fromCharCode(i) : "."));
const OFFSETS = Array.from({ length: 0x1000 / 16 }, (_, i) => "0x" + (i * 16).toString(16).padStart(4, "0") + "\t");
const PAD = " ".repeat(40);

/** Hex rows of one frame, each followed by `eol`. */
export function hexRows(bytes, eol) {
  let out = "";
  for (let off = 0; off < bytes.length; off += 16) {
    const end = Math.min(off + 16, bytes.length);
    let hex = "";
    let ascii = "";
    for (let i = off; i < end; i += 2) {
      hex += i + 1 < end ? " " + HEX2[bytes[i]] + HEX2[bytes[i + 1]] : " " + HEX2[bytes[i]];
    }
    for (let i = off; i < end; i++) ascii += ASCII[bytes[i]];
    if (hex.length < 40) hex += PAD.slice(hex.length);
    out += OFFSETS[off >> 4] + hex + "\t" + ascii + eol;
  }
  return out;
}

function tcpSummary(flags, seq, ack) {
  if (flags === F_ACK) return `ack ${ack} `;
  let words = "";
  if (flags & F_SYN) words += "syn ";
  if (flags & F_FIN) words += "fin ";
  if (flags & F_PSH) words += "psh ";
  return flags & F_ACK ? `${words}${seq} ack ${ack} ` : `${words}${seq} `;
}

/** The two copies of a forwarded packet: [iface, dir, src, sport, dst, dport, egress?]. */
function copies(p) {
  const f = p.flow;
  return p.dir === "c2s"
    ? [
        ["port1", "in", f.cip, f.cport, f.sip, f.sport, false],
        ["port2", "out", FGT_PORT2_IP, f.proto === 1 ? 0 : f.natPort, f.sip, f.sport, true],
      ]
    : [
        ["port2", "in", f.sip, f.sport, FGT_PORT2_IP, f.proto === 1 ? 0 : f.natPort, false],
        ["port1", "out", f.sip, f.sport, f.cip, f.cport, true],
      ];
}

function summaryOf(p, src, sport, dst, dport) {
  switch (p.flow.proto) {
    case 6:
      return `${src}.${sport} -> ${dst}.${dport}: ${tcpSummary(p.flags, p.seq, p.ack)}`;
    case 17:
      return `${src}.${sport} -> ${dst}.${dport}: udp ${p.len}`;
    default:
      return `${src} -> ${dst}: icmp: ${p.icmpType === 8 ? "echo request" : "echo reply"}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Frames (verbose 6).

function checksum(buf, start, end, initial = 0) {
  let sum = initial;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (buf[i] << 8) | buf[i + 1];
  if (i < end) sum += buf[i] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function sumBytes(arr) {
  return ((arr[0] << 8) | arr[1]) + ((arr[2] << 8) | arr[3]);
}

const HTTP_BODY = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Status</title></head><body><div class=\"main\"><p>Service is running normally. Last check completed without errors.</p></div></body></html>\n";

/** Payload bytes, made once per packet so both copies carry the same bytes. */
function payloadOf(p, rng) {
  if (p.payload) return p.payload;
  const f = p.flow;
  const out = new Uint8Array(p.len);
  if (f.proto === 1) {
    // Linux ping: 8-byte timestamp then 0x10..
    rng.fill(out, 0, 8);
    for (let i = 8; i < out.length; i++) out[i] = (i + 8) & 0xff;
  } else if (f.proto === 6 && f.sport === 80) {
    const text =
      p.kind === "req"
        ? `GET /api/v1/status?id=${rng.int(1, 999999)} HTTP/1.1\r\nHost: ${f.host}\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64)\r\nAccept: */*\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n`
        : `HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html; charset=utf-8\r\nConnection: keep-alive\r\n\r\n`;
    for (let i = 0; i < out.length; i++) out[i] = i < text.length ? text.charCodeAt(i) : HTTP_BODY.charCodeAt((i - text.length) % HTTP_BODY.length);
  } else if (f.proto === 6) {
    // TLS application data record(s)
    rng.fill(out, 0, out.length);
    if (p.kind === "req" || out.length >= 5) {
      out[0] = 0x17;
      out[1] = 0x03;
      out[2] = 0x03;
      out[3] = ((out.length - 5) >> 8) & 0xff;
      out[4] = (out.length - 5) & 0xff;
    }
  } else {
    rng.fill(out, 0, out.length); // NTP
    out[0] = 0x23;
  }
  p.payload = out;
  return out;
}

function pseudoEther(frame, ingress, mac) {
  // `any`: 0000 0000 000<in?1:0> <6-byte MAC> <ethertype>, as in spec §4.3 samples 20/21
  frame[5] = ingress ? 1 : 0;
  for (let i = 0; i < 6; i++) frame[6 + i] = mac[i];
}

function ipFrame(p, copy, rng) {
  const [iface, , src, sport, dst, dport, egress] = copy;
  const f = p.flow;
  const payload = payloadOf(p, rng);
  let l4len;
  if (f.proto === 6) l4len = (p.flags & F_SYN ? 40 : 32) + payload.length;
  else if (f.proto === 17) l4len = 8 + payload.length;
  else l4len = 8 + payload.length;
  const frame = new Uint8Array(14 + 20 + l4len);
  const ingress = !egress;
  const mac = ingress ? (iface === "port1" ? f.client.mac : ISP_GW_MAC) : iface === "port1" ? FGT_PORT1_MAC : FGT_PORT2_MAC;
  pseudoEther(frame, ingress, mac);
  frame[12] = 0x08;
  const v = new DataView(frame.buffer);
  // IPv4
  const ip = 14;
  if (p.ipId === undefined) p.ipId = rng.int(0, 0xffff);
  if (p.ttl === undefined) p.ttl = p.dir === "c2s" ? (rng.chance(0.7) ? 128 : 64) : rng.int(44, 120);
  frame[ip] = 0x45;
  v.setUint16(ip + 2, 20 + l4len);
  v.setUint16(ip + 4, p.ipId);
  v.setUint16(ip + 6, f.proto === 17 ? 0 : 0x4000);
  frame[ip + 8] = egress ? p.ttl - 1 : p.ttl;
  frame[ip + 9] = f.proto;
  const sb = ipToBytes(src);
  const db = ipToBytes(dst);
  frame.set(sb, ip + 12);
  frame.set(db, ip + 16);
  v.setUint16(ip + 10, checksum(frame, ip, ip + 20));
  const l4 = ip + 20;
  const pseudo = sumBytes(sb) + sumBytes(db) + f.proto + l4len;
  if (f.proto === 6) {
    const hl = p.flags & F_SYN ? 40 : 32;
    v.setUint16(l4, sport);
    v.setUint16(l4 + 2, dport);
    v.setUint32(l4 + 4, p.seq);
    v.setUint32(l4 + 8, p.flags & F_ACK ? p.ack : 0);
    frame[l4 + 12] = (hl / 4) << 4;
    frame[l4 + 13] = p.flags;
    v.setUint16(l4 + 14, p.flags & F_SYN ? 64240 : 502);
    const o = l4 + 20;
    if (p.flags & F_SYN) {
      frame.set([0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a], o);
      v.setUint32(o + 8, p.ts);
      v.setUint32(o + 12, p.flags & F_ACK ? p.ts - 3 : 0);
      frame.set([0x01, 0x03, 0x03, 0x07], o + 16);
    } else {
      frame.set([0x01, 0x01, 0x08, 0x0a], o);
      v.setUint32(o + 4, p.ts + 17);
      v.setUint32(o + 8, p.ts + 9);
    }
    frame.set(payload, l4 + hl);
    v.setUint16(l4 + 16, checksum(frame, l4, l4 + l4len, pseudo));
  } else if (f.proto === 17) {
    v.setUint16(l4, sport);
    v.setUint16(l4 + 2, dport);
    v.setUint16(l4 + 4, l4len);
    frame.set(payload, l4 + 8);
    v.setUint16(l4 + 6, checksum(frame, l4, l4 + l4len, pseudo) || 0xffff);
  } else {
    frame[l4] = p.icmpType;
    v.setUint16(l4 + 4, f.icmpId);
    v.setUint16(l4 + 6, p.icmpSeq);
    frame.set(payload, l4 + 8);
    v.setUint16(l4 + 2, checksum(frame, l4, l4 + l4len));
  }
  return frame;
}

function arpFrame(p) {
  const frame = new Uint8Array(60); // 42 bytes + Ethernet padding, as sample 01
  const v = new DataView(frame.buffer);
  if (p.arp === 1) frame.fill(0xff, 0, 6);
  else frame.set(p.tha, 0);
  frame.set(p.sha, 6);
  v.setUint16(12, 0x0806);
  v.setUint16(14, 1);
  v.setUint16(16, 0x0800);
  frame[18] = 6;
  frame[19] = 4;
  v.setUint16(20, p.arp);
  frame.set(p.sha, 22);
  frame.set(ipToBytes(p.spa), 28);
  if (p.tha) frame.set(p.tha, 32);
  frame.set(ipToBytes(p.tpa), 38);
  return frame;
}

// ---------------------------------------------------------------------------------------------
// Timestamps.

function relativeTs(us) {
  const s = Math.floor(us / 1e6);
  const frac = us - s * 1e6;
  return `${s}.${String(frac).padStart(6, "0")}`;
}

function absoluteClock(baseMs) {
  let cachedSec = -1;
  let cachedText = "";
  return (us) => {
    const sec = Math.floor(us / 1e6);
    if (sec !== cachedSec) {
      cachedSec = sec;
      cachedText = new Date(baseMs + sec * 1000).toISOString().slice(0, 19).replace("T", " ");
    }
    return `${cachedText}.${String(us - sec * 1e6).padStart(6, "0")}`;
  };
}

// ---------------------------------------------------------------------------------------------
// Writer.

class Out {
  constructor(path) {
    this.ws = createWriteStream(path);
    this.buf = "";
    this.bytes = 0;
  }
  async flush() {
    if (this.buf.length === 0) return;
    this.bytes += Buffer.byteLength(this.buf);
    const ok = this.ws.write(this.buf);
    this.buf = "";
    if (!ok) await once(this.ws, "drain");
  }
  async close() {
    await this.flush();
    this.ws.end();
    await once(this.ws, "finish");
  }
}

/** Write one data set to `path`; returns its statistics. */
export async function generate(def, path) {
  const rng = new Rng(def.seed);
  const net = new Network(rng);
  const eol = def.eol;
  const hex = def.verbose === 6;
  const fmtTs = def.timestamps === "absolute" ? absoluteClock(Date.UTC(2024, 4, 15, 9, 30, 0)) : relativeTs;
  const out = new Out(path);
  const prompt = "FGT-BENCH (root) # ";
  const tsArg = def.timestamps === "absolute" ? " a" : "";
  out.buf += `${prompt}diagnose sniffer packet any none ${def.verbose} 0${tsArg}${eol}interfaces=[any]${eol}filters=[none]${eol}`;
  let lines = 3;
  let headers = 0;
  const kinds = { tcp: 0, udp: 0, icmp: 0, arp: 0 };
  let clock = rng.int(100_000, 900_000); // µs since the capture started
  const active = [];
  const ACTIVE = 48;

  const emit = (iface, dir, summary, frame) => {
    clock += 1 + (rng.u32() % 40);
    out.buf += `${fmtTs(clock)} ${iface} ${dir} ${summary}${eol}`;
    lines++;
    headers++;
    if (hex) {
      out.buf += hexRows(frame, eol) + eol;
      lines += Math.ceil(frame.length / 16) + 1;
    }
  };

  while (headers < def.packets) {
    if (active.length < ACTIVE || rng.chance(0.02)) active.push(newFlow(rng, net, def.traffic));
    const i = Math.floor(rng.next() * active.length);
    const step = active[i].next();
    if (step.done) {
      active[i] = active[active.length - 1];
      active.pop();
      continue;
    }
    const p = step.value;
    clock += rng.exp(def.meanGapUs);
    if (p.arp) {
      const summary = p.arp === 1 ? `arp who-has ${p.tpa} tell ${p.spa}` : `arp reply ${p.spa} is-at ${macText(p.sha)}`;
      emit(p.iface, p.dir, summary, hex ? arpFrame(p) : null);
      kinds.arp++;
    } else {
      const k = p.flow.proto === 6 ? "tcp" : p.flow.proto === 17 ? "udp" : "icmp";
      for (const copy of copies(p)) {
        emit(copy[0], copy[1], summaryOf(p, copy[2], copy[3], copy[4], copy[5]), hex ? ipFrame(p, copy, rng) : null);
        kinds[k]++;
        if (headers >= def.packets) break;
      }
    }
    if (out.buf.length > 1 << 20) await out.flush();
  }
  // stop (count reached or Ctrl-C): a blank line (two with hex dumps), trailer, blank, prompt
  out.buf += `${eol}${headers} packets received by filter${eol}0 packets dropped by kernel${eol}${eol}${prompt}${eol}`;
  lines += 5;
  await out.close();
  return { bytes: out.bytes, lines, packets: headers, kinds };
}

// ---------------------------------------------------------------------------------------------
// Up-to-date check and CLI.

function identity(name, def) {
  return { generator: GENERATOR_VERSION, name, ...def };
}

async function readMeta(metaPath) {
  try {
    return JSON.parse(await readFile(metaPath, "utf8"));
  } catch {
    return null;
  }
}

/**
 * Make sure the named data sets exist and are current; generate those that are not.
 * Returns [{ name, path, meta }].
 */
export async function ensureData(names = Object.keys(DATASETS), { force = false, log = console.log } = {}) {
  await mkdir(DATA_DIR, { recursive: true });
  const result = [];
  for (const name of names) {
    const def = DATASETS[name];
    if (!def) throw new Error(`unknown data set ${name} (known: ${Object.keys(DATASETS).join(", ")})`);
    const path = join(DATA_DIR, def.file);
    const metaPath = path + ".meta.json";
    const want = identity(name, def);
    let meta = await readMeta(metaPath);
    const size = await stat(path).then(
      (st) => st.size,
      () => -1,
    );
    const current = meta !== null && JSON.stringify(meta.identity) === JSON.stringify(want) && meta.bytes === size;
    if (force || !current) {
      log(`generating ${def.file} (${def.packets} packets, verbose ${def.verbose}) ...`);
      const t0 = performance.now();
      const stats = await generate(def, path + ".tmp");
      await rename(path + ".tmp", path);
      meta = { identity: want, ...stats, seconds: +((performance.now() - t0) / 1000).toFixed(1) };
      await writeFile(metaPath, JSON.stringify(meta, null, 2) + "\n");
      log(`  ${(stats.bytes / 1e6).toFixed(1)} MB, ${stats.lines} lines, ${stats.packets} packet lines in ${meta.seconds} s`);
    }
    result.push({ name, path, meta });
  }
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const force = args.includes("--force");
  const names = args.filter((a) => !a.startsWith("--"));
  for (const d of await ensureData(names.length > 0 ? names : undefined, { force })) {
    console.log(`${d.name}: ${d.path} ${(d.meta.bytes / 1e6).toFixed(1)} MB, ${d.meta.lines} lines, ${d.meta.packets} packet lines`);
  }
}
