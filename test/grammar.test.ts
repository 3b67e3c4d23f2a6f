/**
 * One case per line shape of ../shared/spec/sniffer-format.md, with the spec's own examples:
 * what the grammar classifies each line as, and the fields it parses.
 */
import { classifyLine, decodeHexRow } from "../grammars/sniffer/index.js";
import { parseCapture } from "../src/index.js";
import type { PacketRecord } from "../src/records.js";

function kind(line: string): string {
  return classifyLine(line).shape.kind;
}

/** The packet record a single header line becomes. */
function packet(line: string): PacketRecord {
  const r = parseCapture(line + "\n");
  expect(r.packets).toHaveLength(1);
  return r.packets[0] as PacketRecord;
}

describe("command echo (spec 1.1, 7)", () => {
  test.each([
    ["FG600C3913802320 (root) # diag snif pack any \"port not 22\" 6 0 a", "FG600C3913802320 (root) #", ["any", "port not 22", "6", "0", "a"]],
    ["FGT# diagnose sniffer packet any 'host 10.0.0.1' 4", "FGT#", ["any", "host 10.0.0.1", "4"]],
    ["HUB #  dia sni pa any none 4 0 l", "HUB #", ["any", "none", "4", "0", "l"]],
    ["# diagnose sniffer packet any icmp 4", "#", ["any", "icmp", "4"]],
    ["FOS Container # diagnose sniffer packet any", "FOS Container #", ["any"]],
    ["fgt300 (TP) # di sniff pack any \"host 10.2.2.1\" 4", "fgt300 (TP) #", ["any", "host 10.2.2.1", "4"]],
    ["diagnose sniffer packet port1 none 1 3", null, ["port1", "none", "1", "3"]],
  ])("%s", (line, prompt, args) => {
    const { shape } = classifyLine(line);
    expect(shape).toMatchObject({ kind: "command", prompt, args });
  });

  test("a prompt with another command is a prompt line, not a capture", () => {
    expect(classifyLine("FG600C3913802320 (vdom) # edit root").shape).toMatchObject({ kind: "prompt", rest: "edit root" });
    expect(kind("fw00 #")).toBe("prompt");
  });

  test("smart quotes in the command (cleaned before the grammar) give the filter", () => {
    const r = parseCapture("FGT # diagnose sniffer packet any \u201chost 172.16.1.100 and icmp\u201d 4\ninterfaces=[any]\n");
    expect(r.captures[0]).toMatchObject({ filter: "host 172.16.1.100 and icmp", verbose: 4 });
  });
});

describe("preamble and trailer (spec 2)", () => {
  test.each([
    ["interfaces=[any]", [{ field: "interfaces", value: "any" }]],
    ["filters=[port not 22]", [{ field: "filters", value: "port not 22" }]],
    ["filters=[]", [{ field: "filters", value: "" }]],
    ["filters=[port 80 and tcp[13] = 2]", [{ field: "filters", value: "port 80 and tcp[13] = 2" }]],
    ["Using Original Sniffing Mode", [{ field: "mode" }]],
    ["Using Original Sniffing Mode.", [{ field: "mode" }]],
    ["pcap_lookupnet: port2: no IPv4 address assigned", [{ field: "pcap" }]],
    ["System Time:  2015-06-24 04:48:37 PDT (Uptime: 21d 21h 41m)", [{ field: "system-time" }]],
    ["count=unlimited", [{ field: "count", value: "unlimited" }]],
    ["snaplen=1600", [{ field: "snaplen", value: "1600" }]],
    ["FOS Container # linktype = 113", [{ field: "linktype", value: "113" }]],
    [
      "interfaces=[any]filters=[host 202.106.1.100 and icmp]",
      [
        { field: "interfaces", value: "any" },
        { field: "filters", value: "host 202.106.1.100 and icmp" },
      ],
    ],
  ])("%s", (line, items) => {
    expect(classifyLine(line).shape).toMatchObject({ kind: "preamble", items });
  });

  test.each([
    ["1403 packets received by filter", "received", 1403],
    ["3264 packets dropped by kernel", "dropped", 3264],
    ["^C", "ctrl-c", null],
  ])("%s", (line, field, count) => {
    expect(classifyLine(line).shape).toEqual({ kind: "trailer", field, count });
  });
});

describe("packet headers (spec 3)", () => {
  test("TCP syn, syn-ack, pure ack, psh-ack with the trailing space (3.2)", () => {
    expect(packet("2015-06-24 10:07:23.634259 ppp0 out 10.108.236.47.1045 -> 46.28.111.176.26: syn 3866615832 ")).toMatchObject({
      ts: 1435140443.634259,
      iface: "ppp0",
      dir: "out",
      proto: "tcp",
      src: "10.108.236.47",
      sport: 1045,
      dst: "46.28.111.176",
      dport: 26,
      tcp: { flags: ["syn"], seq: 3866615832, ack: null },
      summary: "syn 3866615832",
    });
    expect(packet("2015-06-24 10:07:23.648857 ppp0 in 46.28.111.176.26 -> 10.108.236.47.1045: syn 2766022533 ack 3866615833 ").tcp).toEqual({
      flags: ["syn", "ack"],
      seq: 2766022533,
      ack: 3866615833,
    });
    expect(packet("2015-06-24 10:07:23.648913 ppp0 out 10.108.236.47.1045 -> 46.28.111.176.26: ack 2766022534 ").tcp).toEqual({
      flags: ["ack"],
      seq: null,
      ack: 2766022534,
    });
    expect(packet("0.951319 wan1 -- 10.108.17.105.22 -> 192.168.196.105.58129: psh 814810657 ack 3631359721 ")).toMatchObject({
      dir: "unknown",
      tcp: { flags: ["psh", "ack"], seq: 814810657, ack: 3631359721 },
    });
    expect(packet("2024-05-15 15:42:11.125364 npudbg -- 192.168.1.1.443 -> 192.168.2.1.5246: fin 1795716699 ack 3600550434").tcp).toEqual({
      flags: ["fin", "ack"],
      seq: 1795716699,
      ack: 3600550434,
    });
    expect(packet("1.5 port1 out 10.0.0.1.179 -> 10.0.0.2.40000: rst 4224897862").tcp).toEqual({ flags: ["rst"], seq: 4224897862, ack: null });
  });

  test("verbose 1 has no interface column", () => {
    expect(packet("0.876904 10.95.13.204.24088 -> 10.95.136.204.80: syn 3585436935")).toMatchObject({ iface: null, dir: null, sport: 24088, dport: 80 });
  });

  test("UDP, with its payload length (3.3)", () => {
    expect(packet("13.108801 0.0.0.0.68 -> 255.255.255.255.67: udp 300")).toMatchObject({ proto: "udp", src: "0.0.0.0", sport: 68, dst: "255.255.255.255", dport: 67, length: 300 });
  });

  test("ICMP echo and port unreachable (3.4)", () => {
    expect(packet("3.583522 port9 in 172.16.1.100 -> 202.106.1.100: icmp: echo request")).toMatchObject({
      proto: "icmp",
      src: "172.16.1.100",
      sport: null,
      dst: "202.106.1.100",
      icmp: { text: "echo request", kind: "echo-request" },
    });
    expect(packet("236.223140 10.0.1.10 -> 1.1.1.1: icmp: 10.0.1.10 udp port 60614 unreachable").icmp).toEqual({
      text: "10.0.1.10 udp port 60614 unreachable",
      kind: "unreachable",
      unreachable: { host: "10.0.1.10", proto: "udp", port: 60614 },
    });
    expect(packet("1.0 10.0.0.1 -> 10.0.0.2: icmp: time exceeded in-transit").icmp).toEqual({ text: "time exceeded in-transit", kind: "other" });
  });

  test("ip-proto-N with two spaces, and ESP (3.5)", () => {
    expect(packet("2.649363 wan1 in 10.108.18.34 -> 224.0.0.22:  ip-proto-2 16")).toMatchObject({ proto: "ip", ipProto: 2, length: 16, dst: "224.0.0.22" });
    expect(packet("1.981265 port1 out 202.106.1.1 -> 101.100.1.1: ESP(spi=0x2e03e37b,seq=0x2)")).toMatchObject({ proto: "esp", esp: { spi: "2e03e37b", seq: 2 } });
  });

  test("ARP both forms, with short and padded MACs (3.6)", () => {
    expect(packet("0.806164 wan1 in arp who-has 10.108.18.77 tell 10.108.17.106")).toMatchObject({
      proto: "arp",
      arp: { op: "who-has", target: "10.108.18.77", sender: "10.108.17.106", mac: null },
    });
    expect(packet("3.911266 wan1 out arp reply 10.108.17.105 is-at 8:5b:e:1c:41:14").arp).toEqual({ op: "reply", target: "10.108.17.105", sender: null, mac: "8:5b:e:1c:41:14" });
    expect(packet("2019-07-03 18:05:12.481488 port1 in arp who-has 192.168.1.99 (aa:bb:cc:0:20:0) tell 192.168.1.1").arp).toEqual({
      op: "who-has",
      target: "192.168.1.99",
      sender: "192.168.1.1",
      mac: "aa:bb:cc:0:20:0",
    });
    expect(packet("0.402124 arp who-has 10.108.18.77 tell 10.108.17.106")).toMatchObject({ iface: null, proto: "arp" });
  });

  test("IPv6 with ports split at the last dot, icmp6 both forms (3.7)", () => {
    expect(packet("2015-06-23 17:01:26.112556 wan1 -- fe80::18f:aba6:cdc7:e96b.64105 -> ff02::c.1900: udp 146 [hlim 1] (len 154)")).toMatchObject({
      proto: "udp",
      src: "fe80::18f:aba6:cdc7:e96b",
      sport: 64105,
      dst: "ff02::c",
      dport: 1900,
      length: 146,
    });
    expect(packet("0.715187 wan1 -- fe80::18f:aba6:cdc7:e96b -> ff02::1:ff06:ebc: [icmp6 sum ok] icmp6: neighbor sol: who has fe80::29bc:74b9:1606:ebc (len 32, hlim 255)")).toMatchObject({
      proto: "icmp6",
      dst: "ff02::1:ff06:ebc",
      icmp: { kind: "other", text: "neighbor sol: who has fe80::29bc:74b9:1606:ebc (len 32, hlim 255)" },
    });
    expect(packet("1.389573 internal in 2001:bb:1::10 -> 2001:aa:1::10: icmp6: echo request seq 415").icmp).toEqual({ text: "echo request seq 415", kind: "echo-request", seq: 415 });
    expect(packet("2015-06-24 11:21:56.161935 ppp0 out 2001:470:59af:d102:20c:297c:fffe:498a -> 2001:1488:0:3::2: [icmp6 sum ok] icmp6: echo request seq 1 (len 64, hlim 64)")).toMatchObject({
      dst: "2001:1488:0:3::2",
      icmp: { kind: "echo-request", seq: 1 },
    });
  });

  test("non-IP frames: STP, 802.1Q, printer messages (3.8)", () => {
    expect(packet("2015-06-24 10:05:42.341022 port2 -- stp 802.1w, rapid stp, flags [forward], bridge-id 80ec.00:11:92:17:38:c0.2045")).toMatchObject({
      proto: "stp",
      summary: "stp 802.1w, rapid stp, flags [forward], bridge-id 80ec.00:11:92:17:38:c0.2045",
    });
    expect(packet("1.189503 port2 in 802.1Q vlan#20 P0 ")).toMatchObject({ proto: "vlan", vlan: { id: 20, priority: 0 }, summary: "802.1Q vlan#20 P0" });
    expect(packet("2015-06-24 10:05:45.540954 port2 -- pppoe printer havn't been added to sniffer")).toMatchObject({ proto: "other", summary: "pppoe printer havn't been added to sniffer" });
    expect(packet("2015-06-24 09:52:17.053250 port5 -- Ether type 0x8890 printer havn't been added to sniffer.")).toMatchObject({ proto: "other", iface: "port5", dir: "unknown" });
  });

  test("masked and edited addresses (3.10)", () => {
    expect(packet("1.0 port1 in XX.XX.68.44.64765 -> XX.XX.98.156.443: syn 1")).toMatchObject({ src: "XX.XX.68.44", sport: 64765, dst: "XX.XX.98.156", dport: 443 });
    expect(packet("2.634108 <NAS-IP>.XXXXX -> <FortiGate-IP>.1813: udp 92")).toMatchObject({ src: "<NAS-IP>", sport: null, dst: "<FortiGate-IP>", dport: 1813 });
    expect(packet("2010-10-27 12:40:19.050364 port1 out 82.x.x.x.59730 -> 82.71.226.65.8889: udp 64")).toMatchObject({ src: "82.x.x.x", sport: 59730 });
    // the KB typo without the dot before the port cannot be split: kept raw
    expect(packet("1.0 port1 in 10.0.0.1.5000 -> 10.191.19.1728443: syn 1")).toMatchObject({ dst: "10.191.19.1728443", dport: null });
  });

  test("a [FIM01] blade prefix (3.1)", () => {
    expect(packet("[FIM01] 1.5 port1 in 10.0.0.1.5000 -> 10.0.0.2.80: syn 1")).toMatchObject({ slot: "FIM01", iface: "port1" });
  });

  test("an unknown summary after a valid header is kept as other", () => {
    expect(packet("1.000001 port1 in 10.0.0.1 -> 10.0.0.2: truncated-ip - 20 bytes missing!")).toMatchObject({
      proto: "other",
      summary: "truncated-ip - 20 bytes missing!",
    });
  });

  test("an author's // comment is split from the summary", () => {
    const p = packet("1.720001 port1 in 192.168.1.99 -> 192.168.1.88:  ip-proto-88 20   //EIGRP unicast dropped");
    expect(p).toMatchObject({ summary: "ip-proto-88 20", comment: "EIGRP unicast dropped", ipProto: 88 });
  });
});

describe("hex rows (spec 4)", () => {
  test("raw TAB rows, a short padded last row, the odd trailing byte", () => {
    expect(decodeHexRow("0x0010\t 0800 0604 0001 94de 8061 a404 0a6c 116a\t.........a...l.j")).toEqual({ offset: 16, hex: "080006040001" + "94de8061a4040a6c116a", bytes: 16 });
    expect(decodeHexRow("0x0030\t 0000 0000 0000 0000 0000 0000          \t............")).toEqual({ offset: 48, hex: "0".repeat(24), bytes: 12 });
    expect(decodeHexRow("0x0040\t 0100 01                                \t...")).toEqual({ offset: 64, hex: "010001", bytes: 3 });
  });

  test("tab-expanded rows, with and without the ASCII column", () => {
    expect(decodeHexRow("0x0030   41c2 50a0 5c09                                 A.P.\\.")).toEqual({ offset: 48, hex: "41c250a05c09", bytes: 6 });
    expect(decodeHexRow("0x0040   0a88")).toEqual({ offset: 64, hex: "0a88", bytes: 2 });
    // an ASCII column that looks like hex is not read as bytes
    expect(decodeHexRow("0x0000   4500 0054                                      beef")).toEqual({ offset: 0, hex: "45000054", bytes: 4 });
  });

  test("FortiWeb byte groups", () => {
    expect(decodeHexRow("000010\t 08 00 06 04 00 01 00 0c 29 13 c0 cf 0a 6c 10 79\t........)....l.y")).toEqual({
      offset: 16,
      hex: "080006040001000c2913c0cf0a6c1079",
      bytes: 16,
    });
  });

  test("tcpdump's colon form is not a sniffer hex row", () => {
    expect(kind("0x0000:  0001 0800 0604 0001 000c 2913 c0cf 0a6c  ..........)....l")).toBe("noise");
  });
});

describe("noise the grammar can name (spec 7)", () => {
  test.each([
    ["<verbose>", "cli-help"],
    ["1: print header of packets", "cli-help"],
    ["6: print header and data from ethernet of packets (if available) with intf name", "cli-help"],
    ["Script started on Tue 23 Jun 2015 04:47:01 PM CEST", "terminal-log"],
    ["=~=~=~=~=~=~=~=~=~=~=~= PuTTY log 2019.08.12 16:01:29 =~=~=~=~=~=~=~=~=~=~=~=", "terminal-log"],
    ["current vf=root:0", "terminal-log"],
    ['id=20085 trace_id=1 func=print_pkt_detail line=5783 msg="vd-root:0 received a packet(proto=1, 10.0.0.1:1->8.8.8.8:2048) from port1. type=8, code=0, id=1, seq=1."', "debug-flow"],
    [".", "placeholder"],
    ["[cut]", "placeholder"],
    ["nothing shows at all", "prose"],
    ["05:30:18.567531 00:0c:29:13:c0:cf > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 60", "foreign-dump"],
  ])("%s", (line, reason) => {
    expect(classifyLine(line).shape).toEqual({ kind: "noise", reason });
  });

  test("a line that starts like a packet but cannot be read is unrecognized, not noise", () => {
    expect(kind("12.5 interfaces=[any]")).toBe("unrecognized");
  });
});
