/**
 * Endpoint primitives on a packet: `host`, `net` (masked addresses compared octet by octet),
 * `port`/`portrange`, `broadcast`, `multicast`, each with its direction (`src`, `dst`, both, either).
 */
import { formatIPv4, formatIPv6, formatMac, parseIPv4, parseIPv6, parseMac, printFilter, type Direction, type FilterNode } from "../../grammars/filter/index.js";
import { addressFamily, type PacketView } from "./packet.js";
import { NO, YES, and, or, tri, unknown, type Outcome } from "./outcome.js";
import { familyIs } from "./protocols.js";

function normalize(a: string): string {
  const v4 = parseIPv4(a);
  if (v4 !== null) return formatIPv4(v4);
  if (a.includes(":")) {
    const v6 = parseIPv6(a);
    if (v6 !== null) return formatIPv6(v6);
  }
  return a;
}

function isLiteral(a: string): boolean {
  return parseIPv4(a) !== null || (a.includes(":") && parseIPv6(a) !== null);
}

/** Is the filter's host the packet's address? Masked addresses compare as text, octet by octet. */
function sameAddress(filterAddr: string, pktAddr: string | null): Outcome {
  if (pktAddr === null) return unknown("the packet line shows no address there");
  const a = normalize(filterAddr);
  const b = normalize(pktAddr);
  if (a === b) return YES;
  if (isLiteral(a) && isLiteral(b)) return NO;
  const fa = addressFamily(a);
  const fb = addressFamily(b);
  if (fa !== null && fb !== null && fa !== fb) return NO;
  if (fa === "ipv4" && fb === "ipv4") {
    const pa = a.split(".");
    const pb = b.split(".");
    for (let i = 0; i < 4; i++) {
      const x = pa[i] as string;
      const y = pb[i] as string;
      if (/^\d+$/.test(x) && /^\d+$/.test(y) && Number(x) !== Number(y)) return NO;
    }
  }
  const masked = isLiteral(a) ? b : a;
  return unknown(`cannot compare '${filterAddr}' with '${pktAddr}': '${masked}' is masked or a name`);
}

function byDirection(dir: Direction, src: () => Outcome, dst: () => Outcome): Outcome {
  switch (dir) {
    case "src":
      return src();
    case "dst":
      return dst();
    case "src or dst":
      return or(src(), dst);
    case "src and dst":
      return and(src(), dst);
  }
}

/** Families a `host`/`net` primitive reaches: libpcap's default is `ip or arp or rarp` for IPv4. */
function addressFamilies(proto: string | null, addr: string): ("ipv4" | "ipv6" | "arp")[] {
  switch (proto) {
    case "ip":
      return ["ipv4"];
    case "ip6":
      return ["ipv6"];
    case "arp":
      return ["arp"];
    case "rarp":
      return [];
  }
  const f = addressFamily(addr);
  if (f === "ipv6") return ["ipv6"];
  if (f === "ipv4") return ["ipv4", "arp"];
  return ["ipv4", "ipv6", "arp"];
}

export function evalHost(n: Extract<FilterNode, { kind: "host" }>, view: PacketView): Outcome {
  if (n.proto === "ether") {
    const macs = view.macs;
    const want = parseMac(n.host);
    if (macs === null || want === null) return unknown(`cannot evaluate '${printFilter(n)}': the capture shows no Ethernet addresses`);
    const m = formatMac(want);
    return byDirection(n.dir, () => tri(macs.src === m), () => tri(macs.dst === m));
  }
  const fam = familyIs(view, addressFamilies(n.proto, n.host));
  return and(fam, () => {
    const { src, dst } = view.addresses;
    return byDirection(n.dir, () => sameAddress(n.host, src), () => sameAddress(n.host, dst));
  });
}

export function evalNet(n: Extract<FilterNode, { kind: "net" }>, view: PacketView): Outcome {
  const fam = familyIs(view, addressFamilies(n.proto, n.addr));
  return and(fam, () => {
    const prefix = n.prefix;
    if (prefix === null || !isLiteral(n.addr)) return unknown(`cannot evaluate '${printFilter(n)}': '${n.addr}' is not an address`);
    const { src, dst } = view.addresses;
    const inNet = (a: string | null): Outcome => inNetwork(n.addr, prefix, a);
    return byDirection(n.dir, () => inNet(src), () => inNet(dst));
  });
}

function inNetwork(net: string, prefix: number, addr: string | null): Outcome {
  if (addr === null) return unknown("the packet line shows no address there");
  const net4 = parseIPv4(net);
  if (net4 !== null) {
    const a4 = parseIPv4(addr);
    if (a4 !== null) {
      const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
      return tri(((a4 & mask) >>> 0) === ((net4 & mask) >>> 0));
    }
    if (addressFamily(addr) === "ipv4") {
      // masked (`82.x.x.x`): the shown octets under the prefix can still rule it out
      const parts = addr.split(".");
      let masked = false;
      for (let i = 0; i < 4; i++) {
        const bits = Math.max(0, Math.min(8, prefix - i * 8));
        if (bits === 0) continue;
        const part = parts[i] as string;
        if (!/^\d+$/.test(part)) {
          masked = true;
          continue;
        }
        const m = (0xff << (8 - bits)) & 0xff;
        if ((Number(part) & m) !== (((net4 >>> (24 - i * 8)) & 0xff) & m)) return NO;
      }
      if (!masked) return YES;
      return unknown(`cannot tell whether the masked address '${addr}' is in ${net}/${prefix}`);
    }
    if (addr.includes(":")) return NO;
    return unknown(`cannot tell whether '${addr}' is in ${net}/${prefix}`);
  }
  const net6 = parseIPv6(net);
  const a6 = addr.includes(":") ? parseIPv6(addr) : null;
  if (net6 !== null && a6 !== null) {
    for (let i = 0; i < 16; i++) {
      const bits = Math.max(0, Math.min(8, prefix - i * 8));
      const m = bits === 0 ? 0 : (0xff << (8 - bits)) & 0xff;
      if (((a6[i] as number) & m) !== ((net6[i] as number) & m)) return NO;
    }
    return YES;
  }
  if (net6 !== null && addressFamily(addr) === "ipv4") return NO;
  return unknown(`cannot tell whether '${addr}' is in ${net}/${prefix}`);
}

// ---- ports ----------------------------------------------------------------------------------------------

export function evalPort(n: Extract<FilterNode, { kind: "port" | "portrange" }>, view: PacketView): Outcome {
  const protos = n.proto === "tcp" ? [6] : n.proto === "udp" ? [17] : n.proto === "sctp" ? [132] : [6, 17, 132];
  const fam = n.proto === "ip" ? familyIs(view, ["ipv4"]) : n.proto === "ip6" ? familyIs(view, ["ipv6"]) : YES;
  return and(fam, () => {
    const p = view.ipProtocol;
    if (p === "none") return NO;
    if (p === null) return unknown(view.pkt.proto === "vlan" ? "the packet is 802.1Q-tagged; its inner protocol is not shown" : "the text does not show the packet's protocol");
    if (!protos.includes(p)) return NO;
    const pkt = view.pkt;
    if (pkt.proto !== "tcp" && pkt.proto !== "udp") return unknown(`the text does not show the ports of this ${p === 132 ? "SCTP" : "IP"} packet`);
    const test = (port: number | null): Outcome => {
      if (port === null) return unknown("the packet line does not show that port");
      return tri(n.kind === "port" ? port === n.port : port >= n.from && port <= n.to);
    };
    return byDirection(n.dir, () => test(pkt.sport), () => test(pkt.dport));
  });
}

// ---- broadcast, multicast -----------------------------------------------------------------------------------

export function evalBroadcast(proto: "ether" | "ip" | null, view: PacketView): Outcome {
  const dst = view.addresses.dst;
  if (proto === "ip") {
    const fam = familyIs(view, ["ipv4"]);
    return and(fam, () => (dst === "255.255.255.255" ? YES : unknown("'ip broadcast' depends on the interface's netmask")));
  }
  const macs = view.macs;
  if (macs !== null) return tri(macs.dst === "ff:ff:ff:ff:ff:ff");
  if (dst === "255.255.255.255" && view.family === "ipv4") return YES;
  return unknown("the capture shows no Ethernet destination");
}

export function evalMulticast(proto: "ether" | "ip" | "ip6" | null, view: PacketView): Outcome {
  const dst = view.addresses.dst;
  const v4 = dst === null ? null : parseIPv4(dst);
  const v6 = dst !== null && dst.includes(":") ? parseIPv6(dst) : null;
  if (proto === "ip") return and(familyIs(view, ["ipv4"]), () => (v4 === null ? unknown("the destination is not shown") : tri(v4 >>> 28 === 0xe)));
  if (proto === "ip6") return and(familyIs(view, ["ipv6"]), () => (v6 === null ? unknown("the destination is not shown") : tri(v6[0] === 0xff)));
  const macs = view.macs;
  if (macs !== null) return tri((parseInt(macs.dst.slice(0, 2), 16) & 1) === 1);
  // an IP destination tells the Ethernet one; an ARP target does not (who-has is usually broadcast)
  const f = view.family;
  if (f !== "ipv4" && f !== "ipv6" && f !== "ip") return unknown("the capture shows no Ethernet destination");
  if (v4 !== null) {
    if (v4 >>> 28 === 0xe || v4 === 0xffffffff) return YES;
    if ((v4 & 0xff) === 0xff) return unknown("a subnet broadcast may go to the Ethernet broadcast address");
    return NO;
  }
  if (v6 !== null) return tri(v6[0] === 0xff);
  return unknown("the capture shows no Ethernet destination");
}
