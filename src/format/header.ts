/**
 * A packet record rendered back to the sniffer's header line. For lines as the sniffer prints
 * them this is the original text (a property the tests check), so evidence can quote packets
 * without the analysis keeping every input line.
 */
import type { PacketRecord } from "../records.js";
import { formatTime } from "./time.js";

function endpoint(addr: string | null, port: number | null, portText: boolean): string {
  if (addr === null) return "";
  return port === null || !portText ? addr : `${addr}.${port}`;
}

export function renderHeader(p: PacketRecord): string {
  const parts: string[] = [];
  if (p.slot !== undefined) parts.push(`[${p.slot}]`);
  parts.push(p.ts >= 1e8 ? formatTime(p.ts) : p.ts.toFixed(6));
  if (p.iface !== null) parts.push(p.iface, p.dir === "unknown" ? "--" : (p.dir ?? "--"));
  const isIp = p.proto !== "arp" && p.proto !== "stp" && p.proto !== "vlan" && p.src !== null && p.dst !== null;
  if (isIp) {
    const withPorts = p.proto === "tcp" || p.proto === "udp";
    const sep = p.proto === "ip" ? ":  " : ": ";
    parts.push(`${endpoint(p.src, p.sport, withPorts)} -> ${endpoint(p.dst, p.dport, withPorts)}${sep}${p.summary}`.trimEnd());
  } else {
    parts.push(p.summary);
  }
  return parts.join(" ");
}
