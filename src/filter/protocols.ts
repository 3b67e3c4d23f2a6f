/**
 * Protocol primitives on a packet: its family (IPv4, IPv6, ARP), IP protocol, ethertype and
 * 802.1Q tag, as far as the text shows them (`ip`, `tcp`, `ip proto 47`, `ether proto 0x8890`, `vlan 10`).
 */
import type { ProtoName } from "../../grammars/filter/index.js";
import type { PacketView } from "./packet.js";
import { NO, YES, and, tri, unknown, type Outcome } from "./outcome.js";

export const FAMILY_NAMES: Record<string, string> = { ipv4: "IPv4", ipv6: "IPv6", arp: "ARP" };

export function familyIs(view: PacketView, wanted: readonly ("ipv4" | "ipv6" | "arp")[]): Outcome {
  const f = view.family;
  if (f === "ipv4" || f === "ipv6" || f === "arp") return tri(wanted.includes(f));
  if (f === "stp" || f === "other") return NO;
  const what = wanted.map((w) => FAMILY_NAMES[w]).join(" or ");
  if (f === "ip") {
    if (wanted.includes("ipv4") && wanted.includes("ipv6")) return YES;
    if (!wanted.includes("ipv4") && !wanted.includes("ipv6")) return NO;
    return unknown(`the packet's addresses are masked: cannot tell whether it is ${what}`);
  }
  if (f === "vlan") return unknown(`the packet is 802.1Q-tagged and the text does not show whether it carries ${what}`);
  return unknown(`the text does not show whether the packet is ${what}`);
}

export function ipProtocolIs(view: PacketView, n: number): Outcome {
  const p = view.ipProtocol;
  if (p === "none") return NO;
  if (p === null) return unknown(view.pkt.proto === "vlan" ? "the packet is 802.1Q-tagged; its inner protocol is not shown" : "the text does not show the packet's IP protocol");
  return tri(p === n);
}

const IP_PROTO_OF: Partial<Record<ProtoName, number>> = { tcp: 6, udp: 17, sctp: 132, igmp: 2, igrp: 9, pim: 103, vrrp: 112, carp: 112, esp: 50, ah: 51 };

export function evalProto(proto: ProtoName, view: PacketView): Outcome {
  switch (proto) {
    case "ether":
      return YES;
    case "ip":
      return familyIs(view, ["ipv4"]);
    case "ip6":
      return familyIs(view, ["ipv6"]);
    case "arp":
      return familyIs(view, ["arp"]);
    case "icmp":
      return and(familyIs(view, ["ipv4"]), () => ipProtocolIs(view, 1));
    case "icmp6":
      return and(familyIs(view, ["ipv6"]), () => ipProtocolIs(view, 58));
    case "stp": {
      const f = view.family;
      if (view.pkt.proto === "stp") return YES;
      if (f === "ipv4" || f === "ipv6" || f === "ip" || f === "arp" || f === "other") return NO;
      return unknown("the text does not show whether the packet is STP");
    }
    default: {
      const n = IP_PROTO_OF[proto];
      if (n !== undefined) return ipProtocolIs(view, n);
      // rarp, ipx, netbeui, atalk, decnet, iso …: never what the sniffer prints as IP, ARP or STP
      const f = view.family;
      if (f === "ipv4" || f === "ipv6" || f === "ip" || f === "arp" || f === "stp") return NO;
      return unknown(`the text does not show whether the packet is ${proto}`);
    }
  }
}

export function etherTypeIs(view: PacketView, ethertype: number): Outcome {
  const hex = "0x" + ethertype.toString(16).padStart(4, "0");
  if (view.pkt.proto === "vlan") return unknown(`the packet is 802.1Q-tagged; cannot tell whether ether proto ${hex} matches it`);
  const et = view.ethertype;
  if (et !== null) return tri(et === ethertype);
  if (view.pkt.proto === "other" && /\bpppoe\b/i.test(view.pkt.summary)) {
    if (ethertype !== 0x8863 && ethertype !== 0x8864) return NO;
    return unknown("the sniffer printed a PPPoE frame without its type: discovery (0x8863) or session (0x8864) needs the hex dump");
  }
  if (ethertype <= 1500) return unknown(`cannot evaluate ether proto ${hex} (an 802.3 LLC value) from the text`);
  if (view.pkt.proto === "stp") return NO; // 802.3 frame: a length, not an ethertype
  return unknown(`the text does not show the packet's ethertype`);
}

export function evalVlan(id: number | null, view: PacketView): Outcome {
  const p = view.pkt;
  if (p.proto === "vlan") return id === null ? YES : p.vlan === undefined ? unknown("the VLAN id is not shown") : tri(p.vlan.id === id);
  const l = view.layout;
  if (l !== null && l.link !== null && l.bytes.length >= l.link + 16 && l.bytes[l.link + 12] === 0x81 && l.bytes[l.link + 13] === 0x00) {
    if (id === null) return YES;
    return tri(((((l.bytes[l.link + 14] as number) << 8) | (l.bytes[l.link + 15] as number)) & 0x0fff) === id);
  }
  const f = view.family;
  if (f === "ipv4" || f === "ipv6" || f === "ip" || f === "arp" || f === "stp" || f === "other") return NO; // the sniffer prints tagged frames as 802.1Q
  return unknown("the text does not show whether the packet is 802.1Q-tagged");
}
