/** Field conversions from the grammar's raw images to record values. */
import type { HeaderShape } from "../../grammars/sniffer/index.js";
import type { PacketProto, PacketRecord, TcpFlag } from "../records.js";

/** `2010-10-27 12:40:19.050364` (read as UTC) or `14.061164`, to seconds. */
export function parseTimestamp(image: string, absolute: boolean): number {
  if (!absolute) return Number(image);
  const y = Number(image.slice(0, 4));
  const mo = Number(image.slice(5, 7));
  const d = Number(image.slice(8, 10));
  const h = Number(image.slice(11, 13));
  const mi = Number(image.slice(14, 16));
  const s = Number(image.slice(17, 19));
  const frac = image.slice(20);
  const micros = Number((frac + "000000").slice(0, 6));
  return Date.UTC(y, mo - 1, d, h, mi, s) / 1000 + micros / 1e6;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Why an absolute timestamp cannot be a real time (`month 99`, `day 31 in month 4`,
 * `hour 24`), or null when it can. February 29 is checked against the year.
 */
export function timestampProblem(image: string): string | null {
  const y = Number(image.slice(0, 4));
  const mo = Number(image.slice(5, 7));
  const d = Number(image.slice(8, 10));
  const h = Number(image.slice(11, 13));
  const mi = Number(image.slice(14, 16));
  const s = Number(image.slice(17, 19));
  if (!(mo >= 1 && mo <= 12)) return `month ${image.slice(5, 7)}`;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = mo === 2 && !leap ? 28 : (DAYS_IN_MONTH[mo - 1] as number);
  if (!(d >= 1 && d <= days)) return `day ${image.slice(8, 10)} in month ${image.slice(5, 7)}`;
  if (!(h <= 23)) return `hour ${image.slice(11, 13)}`;
  if (!(mi <= 59)) return `minute ${image.slice(14, 16)}`;
  // 60: a leap second
  if (!(s <= 60)) return `second ${image.slice(17, 19)}`;
  return null;
}

export interface Endpoint {
  address: string;
  port: number | null;
}

/**
 * Split `addr.port` at the last dot (spec §8.3): IPv4-looking tokens with four dots carry a port,
 * with three they do not; IPv6 tokens carry one when they hold a dot; for TCP/UDP a shorter
 * masked token (`<NAS-IP>.XXXXX`, `ORIG_IP.53178`) is `name.port`. A port that is not a number
 * (`XXXXX`) is null. `10.191.19.1728443` (a KB typo: three dots, last part > 255) stays raw.
 */
export function splitEndpoint(token: string, hasPorts: boolean): Endpoint {
  const lastDot = token.lastIndexOf(".");
  if (lastDot < 0) return { address: token, port: null };
  let dots = 0;
  for (let i = 0; i < token.length; i++) if (token.charCodeAt(i) === 46) dots++;
  const isV6 = token.includes(":");
  let split: boolean;
  if (isV6) split = hasPorts || dots === 1;
  else if (dots >= 4) split = true;
  else if (dots === 3) split = false;
  else split = hasPorts;
  if (!split) return { address: token, port: null };
  let port = 0;
  const digits = token.length - lastDot - 1;
  for (let i = lastDot + 1; i < token.length && digits <= 5; i++) {
    const c = token.charCodeAt(i) - 48;
    if (c < 0 || c > 9) {
      port = -1;
      break;
    }
    port = port * 10 + c;
  }
  const valid = digits > 0 && digits <= 5 && port >= 0 && port <= 65535;
  return { address: token.slice(0, lastDot), port: valid ? port : null };
}

/** Build a packet record from a parsed header (bytes and notes are filled in by the assembler). */
export function packetFromHeader(
  header: HeaderShape,
  text: string,
  summaryEnd: number,
  source: string,
  capture: number,
  line: number,
): PacketRecord {
  const s = header.summary;
  const proto: PacketProto = s.proto;
  const hasPorts = proto === "tcp" || proto === "udp";
  const src = header.src === null ? null : splitEndpoint(header.src, hasPorts);
  const dst = header.dst === null ? null : splitEndpoint(header.dst, hasPorts);
  const start = header.summaryStart < 0 ? summaryEnd : header.summaryStart;
  const summary = text.slice(start, summaryEnd).trim();
  const packet: PacketRecord = {
    type: "packet",
    source,
    capture,
    line,
    ts: parseTimestamp(header.timestamp, header.absolute),
    iface: header.iface,
    dir: header.dir,
    proto,
    src: src?.address ?? null,
    sport: src?.port ?? null,
    dst: dst?.address ?? null,
    dport: dst?.port ?? null,
    length: null,
    summary,
    bytes: null,
  };
  if (header.slot !== null) packet.slot = header.slot;
  switch (s.proto) {
    case "tcp":
      // the grammar only lets TCP flag words and `ack` through
      packet.tcp = { flags: s.flags as TcpFlag[], seq: s.seq, ack: s.ack };
      break;
    case "udp":
      packet.length = s.length;
      break;
    case "icmp":
    case "icmp6": {
      const icmpText = s.icmp.start < 0 ? "" : text.slice(s.icmp.start, summaryEnd).trim();
      packet.icmp = { text: icmpText, kind: s.icmp.kind === "other" && /\bunreachable\b/.test(icmpText) ? "unreachable" : s.icmp.kind };
      if (s.icmp.seq !== null) packet.icmp.seq = s.icmp.seq;
      if (s.icmp.unreachable !== null) packet.icmp.unreachable = s.icmp.unreachable;
      break;
    }
    case "ip":
      packet.ipProto = s.ipProto;
      packet.length = s.length;
      break;
    case "esp":
      packet.esp = s.esp;
      break;
    case "arp":
      packet.arp = s.arp;
      // ARP: the asking address is the source, the asked-for address the destination
      packet.src = s.arp.op === "who-has" ? s.arp.sender : s.arp.target;
      packet.dst = s.arp.op === "who-has" ? s.arp.target : null;
      break;
    case "vlan":
      packet.vlan = s.vlan;
      break;
    case "stp":
    case "other":
      break;
  }
  return packet;
}
