/**
 * The reply a request would get, as a packet record the filter can be evaluated on: addresses and
 * ports swapped, the direction reversed, and the protocol's answer (TCP SYN → SYN-ACK or RST,
 * ICMP echo request → echo reply, ARP who-has → reply). The reply's bytes are not known.
 */
import type { PacketRecord, TcpFlag } from "../records.js";

export interface ReplyVariant {
  packet: PacketRecord;
  /** how the reasons name it: `a SYN-ACK`, `an echo reply`, `a UDP packet` */
  label: string;
}

/** Every plausible reply (the first is the usual one), or why there is none. */
export function expectedReplies(req: PacketRecord): ReplyVariant[] | { none: string } {
  const base: PacketRecord = {
    ...req,
    src: req.dst,
    dst: req.src,
    sport: req.dport,
    dport: req.sport,
    dir: req.dir === "in" ? "out" : req.dir === "out" ? "in" : req.dir,
    bytes: null,
    length: null,
    summary: "(expected reply)",
  };
  delete base.hexLines;
  delete base.notes;
  delete base.comment;
  switch (req.proto) {
    case "tcp": {
      const flags = req.tcp?.flags ?? [];
      if (flags.includes("rst")) return { none: "an RST gets no reply" };
      const seq = req.tcp?.seq ?? null;
      const ackOf = seq === null ? null : (seq + 1) % 2 ** 32;
      const tcp = (f: TcpFlag[], s: number | null, a: number | null): PacketRecord => ({ ...base, tcp: { flags: f, seq: s, ack: a } });
      if (flags.includes("syn") && !flags.includes("ack")) {
        return [
          { packet: tcp(["syn", "ack"], null, ackOf), label: "a SYN-ACK" },
          { packet: tcp(["rst", "ack"], 0, ackOf), label: "an RST-ACK" },
        ];
      }
      const next = req.tcp?.ack ?? null;
      return [
        { packet: tcp(["ack"], null, null), label: "an ACK" },
        { packet: tcp(["psh", "ack"], next, null), label: "a PSH-ACK" },
        { packet: tcp(["fin", "ack"], next, null), label: "a FIN-ACK" },
        { packet: tcp(["rst"], next, null), label: "an RST" },
      ];
    }
    case "icmp":
    case "icmp6": {
      const icmp = req.icmp;
      if (icmp?.kind === "echo-request") {
        const reply: PacketRecord = { ...base, icmp: { text: icmp.seq === undefined ? "echo reply" : `echo reply seq ${icmp.seq}`, kind: "echo-reply", ...(icmp.seq === undefined ? {} : { seq: icmp.seq }) } };
        return [{ packet: reply, label: "an echo reply" }];
      }
      if (req.proto === "icmp6" && icmp !== undefined && /\bneighbor sol/.test(icmp.text)) {
        return [{ packet: { ...base, icmp: { text: "neighbor adv", kind: "other" } }, label: "a neighbor advertisement" }];
      }
      return [{ packet: { ...base, icmp: { text: "", kind: "other" } }, label: `an ${req.proto.toUpperCase()} reply` }];
    }
    case "arp": {
      const arp = req.arp;
      if (arp === undefined || arp.op !== "who-has") return { none: "only an ARP who-has gets a reply" };
      const reply: PacketRecord = { ...base, arp: { op: "reply", target: arp.target, sender: null, mac: null } };
      return [{ packet: reply, label: "an ARP reply" }];
    }
    default: {
      const what = req.proto === "other" || req.proto === "ip" ? "packet" : `${req.proto.toUpperCase()} packet`;
      return [{ packet: base, label: `${/^[AEIOS]/.test(what) ? "an" : "a"} ${what} back` }];
    }
  }
}
