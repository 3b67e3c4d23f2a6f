/**
 * What an ICMP message says, read from the sniffer's words (tcpdump 3.x wording, verbose 1/4 prints
 * no quoted ports for most types): the error kind and the host (and port) of the packet it concerns,
 * or the echo identity (id, seq) where printed.
 */
import type { ErrorKind } from "../contract/args.js";
import type { IcmpFields } from "../records.js";

/** The ICMP error kinds: the contract's error kinds less the TCP RST (one list, in the contract). */
export type IcmpErrorKind = Exclude<ErrorKind, "tcp-rst">;

export interface IcmpError {
  kind: IcmpErrorKind;
  /** the destination of the packet the error concerns; null when not printed (`time exceeded in-transit`) */
  host: string | null;
  /** quoted protocol and port (port unreachable only) */
  proto: string | null;
  port: number | null;
  /** fragmentation needed: the next-hop MTU */
  mtu: number | null;
}

const ADDR = String.raw`([0-9a-fA-F:.]*[0-9a-fA-F][0-9a-fA-F:.]*)`;
const PORT_UNREACH = new RegExp(String.raw`^${ADDR} (udp|tcp|sctp) port (\d+) unreachable`);
const PROTO_UNREACH = new RegExp(String.raw`^${ADDR} protocol (\d+) unreachable`);
const PROHIBITED = new RegExp(String.raw`^(?:(?:host|net) )?${ADDR} unreachable - (?:admin|tos) prohibited`);
const FRAG = new RegExp(String.raw`^${ADDR} unreachable - need to frag(?: \(mtu (\d+)\))?`);
const HOST_NET = new RegExp(String.raw`^(host|net) ${ADDR} unreachable`);
const BARE = new RegExp(String.raw`^${ADDR} unreachable`);

/** The error an ICMP message reports, or null for echo and other informational types. */
export function icmpError(icmp: IcmpFields): IcmpError | null {
  const text = icmp.text.trim().replace(/^ICMP /i, "");
  const lower = text.toLowerCase();
  if (lower.startsWith("time exceeded") || lower.startsWith("ip reassembly time exceeded") || lower.startsWith("time exceeded in-transit")) {
    return { kind: "time-exceeded", host: null, proto: null, port: null, mtu: null };
  }
  if (icmp.unreachable !== undefined) {
    const u = icmp.unreachable;
    return { kind: "port-unreachable", host: u.host, proto: u.proto, port: u.port, mtu: null };
  }
  let m = PORT_UNREACH.exec(text);
  if (m !== null) return { kind: "port-unreachable", host: m[1] as string, proto: m[2] as string, port: Number(m[3]), mtu: null };
  m = PROHIBITED.exec(text);
  if (m !== null) return { kind: "admin-prohibited", host: m[1] as string, proto: null, port: null, mtu: null };
  m = FRAG.exec(text);
  if (m !== null) return { kind: "fragmentation-needed", host: m[1] as string, proto: null, port: null, mtu: m[2] === undefined ? null : Number(m[2]) };
  m = PROTO_UNREACH.exec(text);
  if (m !== null) return { kind: "protocol-unreachable", host: m[1] as string, proto: protocolName(Number(m[2])), port: null, mtu: null };
  m = HOST_NET.exec(text);
  if (m !== null) return { kind: m[1] === "net" ? "net-unreachable" : "host-unreachable", host: m[2] as string, proto: null, port: null, mtu: null };
  m = BARE.exec(text);
  if (m !== null) return { kind: "unreachable", host: m[1] as string, proto: null, port: null, mtu: null };
  // ICMPv6 wording: `icmp6: destination unreachable`, `packet too big`, `time exceeded`
  if (/^(destination unreachable|unreachable)/.test(lower)) return { kind: "unreachable", host: null, proto: null, port: null, mtu: null };
  if (lower.startsWith("packet too big")) {
    const mtu = /mtu (\d+)/.exec(lower);
    return { kind: "fragmentation-needed", host: null, proto: null, port: null, mtu: mtu === null ? null : Number(mtu[1]) };
  }
  return null;
}

function protocolName(n: number): string {
  return n === 6 ? "tcp" : n === 17 ? "udp" : n === 1 ? "icmp" : `ip-${n}`;
}

/** The refusals: the far end (or the unit) said no, as opposed to "cannot get there". */
export function isRefusal(kind: IcmpErrorKind): boolean {
  return kind === "port-unreachable" || kind === "protocol-unreachable" || kind === "admin-prohibited";
}

export type EchoKind = "echo-request" | "echo-reply";

/** Echo request or reply with its identifier and sequence number where the sniffer printed them. */
export function echoOf(icmp: IcmpFields): { kind: EchoKind; id: number | null; seq: number | null } | null {
  let kind: EchoKind | null = icmp.kind === "echo-request" || icmp.kind === "echo-reply" ? icmp.kind : null;
  const text = icmp.text.toLowerCase();
  if (kind === null) {
    if (/^(icmp6? )?echo request\b/.test(text)) kind = "echo-request";
    else if (/^(icmp6? )?echo reply\b/.test(text)) kind = "echo-reply";
    else return null;
  }
  const id = /\bid[ :=]?\s*(0x[0-9a-f]+|\d+)/.exec(text);
  const seq = icmp.seq ?? seqOf(text);
  return { kind, id: id === null ? null : Number(id[1]), seq };
}

function seqOf(text: string): number | null {
  const m = /\bseq[ :=]?\s*(0x[0-9a-f]+|\d+)/.exec(text);
  return m === null ? null : Number(m[1]);
}
