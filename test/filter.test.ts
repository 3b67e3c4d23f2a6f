/**
 * The capture-filter grammar (pcap-filter(7) as FortiOS accepts it) and its evaluation on packet
 * records: parse trees, libpcap's precedence and implicit qualifiers, error messages with carets,
 * three-valued matching, reply reachability, and every filter of the shared corpus.
 */
import { readFileSync } from "node:fs";
import { parseCapture, cleanLine, classifyLine, splitLines } from "../src/internal.js";
import type { PacketRecord } from "../src/records.js";
import { compileFilter, couldMatchReply, filterFields, FilterSyntaxError, parseFilter, printFilter, type FilterNode } from "../src/filter/index.js";
import { createFilterParser, createFilterLexer } from "../grammars/filter/index.js";
import { corpusDir, corpusFiles, describeCorpus, readCorpus } from "./helpers/corpus.js";

/** The tree shape: `(and A B)`, `(not A)`, `[primitive]`. */
function sx(n: FilterNode): string {
  switch (n.kind) {
    case "and":
    case "or":
      return `(${n.kind} ${sx(n.left)} ${sx(n.right)})`;
    case "not":
      return `(not ${sx(n.expr)})`;
    default:
      return `[${printFilter(n)}]`;
  }
}

const tree = (expr: string): string => sx(parseFilter(expr));

/** The packet record one sniffer header line becomes. */
function packet(line: string): PacketRecord {
  const r = parseCapture(line + "\n");
  expect(r.packets).toHaveLength(1);
  return r.packets[0] as PacketRecord;
}

function syntaxError(expr: string): FilterSyntaxError {
  try {
    parseFilter(expr);
  } catch (e) {
    if (e instanceof FilterSyntaxError) return e;
    throw new Error(`not a FilterSyntaxError: ${String(e)}`, { cause: e });
  }
  throw new Error(`'${expr}' parsed`);
}

describe("grammar construction", () => {
  test("lexer and parser pass chevrotain's validations", () => {
    expect(() => createFilterLexer(true)).not.toThrow();
    expect(() => createFilterParser(true)).not.toThrow();
  });
});

describe("parse trees", () => {
  test.each([
    // primitives and qualifiers
    ["host 10.0.1.10", "[host 10.0.1.10]"],
    ["src host 10.0.1.10", "[src host 10.0.1.10]"],
    ["dst 10.0.0.5", "[dst host 10.0.0.5]"],
    ["src or dst port 53", "[port 53]"],
    ["dst or src host x", "[host x]"],
    ["src and dst net 10.0.0.0/8", "[src and dst net 10.0.0.0/8]"],
    ["net 10.0.0.0/8", "[net 10.0.0.0/8]"],
    ["net 10.0.0.0 mask 255.0.0.0", "[net 10.0.0.0/8]"],
    ["net 192.168", "[net 192.168.0.0/16]"],
    ["net 10", "[net 10.0.0.0/8]"],
    ["src 10.0.0.0/8", "[src net 10.0.0.0/8]"],
    ["net 2001:db8::/32", "[net 2001:db8::/32]"],
    ["port 53", "[port 53]"],
    ["port domain", "[port domain]"],
    ["portrange 1-1024", "[portrange 1-1024]"],
    ["tcp portrange 6000-6008", "[tcp portrange 6000-6008]"],
    ["tcp port 80", "[tcp port 80]"],
    ["udp src port 53", "[udp src port 53]"],
    ["ip6 dst port 546", "[ip6 dst port 546]"],
    ["host 192.168.1.1 and port 23", "(and [host 192.168.1.1] [port 23])"],
    ["host 2001:aa:1::10", "[host 2001:aa:1::10]"],
    ["ip6 host FE80::0001", "[ip6 host fe80::1]"],
    ["ether host 00:11:22:33:44:55", "[ether host 00:11:22:33:44:55]"],
    ["host 0:9:f:9:c8:9", "[ether host 00:09:0f:09:c8:09]"],
    ["ether src 00-11-22-33-44-55", "[ether src host 00:11:22:33:44:55]"],
    ["gateway gw1", "[gateway gw1]"],
    // protocols
    ["ip", "[ip]"],
    ["ip6", "[ip6]"],
    ["tcp", "[tcp]"],
    ["udp", "[udp]"],
    ["icmp", "[icmp]"],
    ["icmp6", "[icmp6]"],
    ["arp", "[arp]"],
    ["esp", "[esp]"],
    ["stp", "[stp]"],
    ["vlan", "[vlan]"],
    ["vlan 10", "[vlan 10]"],
    ["pppoed", "[pppoed]"],
    ["pppoes 0x11", "[pppoes 17]"],
    ["proto 47", "[proto 47]"],
    ["proto gre", "[proto gre]"],
    ["ip proto 6", "[ip proto 6]"],
    ["ip proto \\tcp", "[ip proto \\tcp]"],
    ["ip6 proto 58", "[ip6 proto 58]"],
    ["ether proto 0x8890", "[ether proto 0x8890]"],
    ["ether proto \\arp", "[ether proto \\arp]"],
    ["link proto 0x0800", "[ether proto 0x0800]"],
    ["less 64", "[less 64]"],
    ["greater 1000", "[greater 1000]"],
    ["ip multicast", "[ip multicast]"],
    ["ether broadcast", "[ether broadcast]"],
    ["inbound", "[inbound]"],
    // byte offsets
    ["tcp[tcpflags] & tcp-syn != 0", "[tcp[tcpflags] & tcp-syn != 0]"],
    ["tcp[tcpflags] == tcp-syn", "[tcp[tcpflags] == tcp-syn]"],
    ["tcp[13] = 2", "[tcp[13] = 2]"],
    ["tcp[13] & 2 != 0", "[tcp[13] & 2 != 0]"],
    ["(tcp[13] & 2) != 0", "[tcp[13] & 2 != 0]"],
    ["tcp[13]&2!=0", "[tcp[13] & 2 != 0]"],
    ["icmp[icmptype] == icmp-echo", "[icmp[icmptype] == icmp-echo]"],
    ["icmp[icmptype] != icmp-echo and icmp[icmptype] != icmp-echoreply", "(and [icmp[icmptype] != icmp-echo] [icmp[icmptype] != icmp-echoreply])"],
    ["icmp[0] = 8", "[icmp[0] = 8]"],
    ["icmp6[icmp6type] = icmp6-neighborsolicit", "[icmp6[icmp6type] = icmp6-neighborsolicit]"],
    ["ip[8] < 5", "[ip[8] < 5]"],
    ["ip[2:2] > 1000", "[ip[2:2] > 1000]"],
    ["ip[6] & 0x20 = 0x20", "[ip[6] & 32 = 32]"],
    ["tcp[tcpflags] & (tcp-syn|tcp-fin) != 0", "[tcp[tcpflags] & (tcp-syn | tcp-fin) != 0]"],
    ["tcp[((tcp[12] & 0xf0) >> 2):4] = 0x47455420", "[tcp[(tcp[12] & 240) >> 2:4] = 1195725856]"],
    ["ip[2:2] - ((ip[0] & 0xf) << 2) > 100", "[ip[2:2] - ((ip[0] & 15) << 2) > 100]"],
    ["len >= 1500", "[len >= 1500]"],
    ["1 + 2 * 3 = 7", "[1 + 2 * 3 = 7]"],
    ["-tcp[13] = -5", "[-tcp[13] = -5]"],
    ["not tcp[13] = 2", "(not [tcp[13] = 2])"],
    // none, empty, masked and templated addresses
    ["none", "[none]"],
    ["", "[none]"],
    ["   ", "[none]"],
    ["host XX.XX.98.156", "[host XX.XX.98.156]"],
    ["host 82.x.x.x", "[host 82.x.x.x]"],
    ["host <NAS-IP> and udp port 1813", "(and [host <NAS-IP>] [udp port 1813])"],
  ])("%s", (expr, expected) => {
    expect(tree(expr)).toBe(expected);
  });

  test("the tree of `icmp && src host 10.0.1.10`", () => {
    expect(parseFilter("icmp && src host 10.0.1.10")).toEqual({
      kind: "and",
      left: { kind: "proto", proto: "icmp" },
      right: { kind: "host", proto: null, dir: "src", host: "10.0.1.10" },
    });
  });

  test("the tree of a byte-offset test keeps the named constants", () => {
    expect(parseFilter("tcp[tcpflags] & tcp-syn != 0")).toEqual({
      kind: "compare",
      op: "!=",
      left: {
        kind: "binary",
        op: "&",
        left: { kind: "load", proto: "tcp", offset: { kind: "num", value: 13, name: "tcpflags" }, size: 1 },
        right: { kind: "num", value: 2, name: "tcp-syn" },
      },
      right: { kind: "num", value: 0 },
    });
  });
});

describe("precedence (pcap-filter(7): `not` binds tightest; `and` and `or` are equal and associate left)", () => {
  test.each([
    ["tcp or udp and icmp", "(and (or [tcp] [udp]) [icmp])"],
    ["tcp and udp or icmp", "(or (and [tcp] [udp]) [icmp])"],
    ["tcp || udp && icmp", "(and (or [tcp] [udp]) [icmp])"],
    ["tcp or (udp and icmp)", "(or [tcp] (and [udp] [icmp]))"],
    ["not tcp and udp", "(and (not [tcp]) [udp])"],
    ["! tcp || udp", "(or (not [tcp]) [udp])"],
    ["not (tcp and udp)", "(not (and [tcp] [udp]))"],
    ["not not tcp", "(not (not [tcp]))"],
    ["udp && port 53 && host 10.0.1.10", "(and (and [udp] [port 53]) [host 10.0.1.10])"],
    ["port 8889 or port 8888 or port 53", "(or (or [port 8889] [port 8888]) [port 53])"],
    ["tcp[13] & 2 != 0 and not icmp", "(and [tcp[13] & 2 != 0] (not [icmp]))"],
  ])("%s", (expr, expected) => {
    expect(tree(expr)).toBe(expected);
  });
});

describe("implicit qualifiers (a bare id repeats the last primitive's qualifiers)", () => {
  test.each([
    ["port 8889 or 8888", "(or [port 8889] [port 8888])"],
    ["host a and b", "(and [host a] [host b])"],
    ["tcp dst port ftp or ftp-data or domain", "(or (or [tcp dst port ftp] [tcp dst port ftp-data]) [tcp dst port domain])"],
    ["port not 22", "(not [port 22])"],
    ["host a and not b", "(and [host a] (not [host b]))"],
    ["not host gil and devo", "(and (not [host gil]) [host devo])"],
    ["not (host gil or devo)", "(not (or [host gil] [host devo]))"],
    ["host forti1 and ( forti2 or forti3 )", "(and [host forti1] (or [host forti2] [host forti3]))"],
    ["udp and port 1812 and host forti1 and ( forti2 or forti3 )", "(and (and (and [udp] [port 1812]) [host forti1]) (or [host forti2] [host forti3]))"],
    ["host (a or b)", "(or [host a] [host b])"],
    ["src net 10.0.0.0/8 or 192.168.0.0/16", "(or [src net 10.0.0.0/8] [src net 192.168.0.0/16])"],
    ["host a and port 80 or 8080", "(or (and [host a] [port 80]) [port 8080])"],
    ["udp src port 53 or 5353", "(or [udp src port 53] [udp src port 5353])"],
  ])("%s", (expr, expected) => {
    expect(tree(expr)).toBe(expected);
  });

  test("after a protocol abbreviation or a comparison there is nothing to repeat", () => {
    expect(syntaxError("tcp or 80").reason).toBe("a bare '80' needs a qualifier before it, such as 'port 80'");
    expect(syntaxError("tcp[13] = 2 or 10.0.0.1").reason).toBe("a bare '10.0.0.1' needs a qualifier before it, such as 'host 10.0.0.1'");
  });
});

describe("syntax errors: a specific message and a caret", () => {
  test.each([
    ["port", "filter: syntax error at column 6: expected a port number after 'port'\n  port\n       ^"],
    ["host and", "filter: syntax error at column 6: expected a host name or address after 'host', found 'and'\n  host and\n       ^"],
    ["tcp[13 = 2", "filter: syntax error at column 8: expected ']' to close 'tcp[' at column 4, found '='\n  tcp[13 = 2\n         ^"],
    ["port 99999", "filter: error at column 6: port 99999 is out of range (0-65535)\n  port 99999\n       ^"],
    ["(host a", "filter: syntax error at column 8: missing ')' to close the '(' at column 1\n  (host a\n         ^"],
    ["((tcp) or udp", "filter: syntax error at column 14: missing ')' to close the '(' at column 1\n  ((tcp) or udp\n               ^"],
    ["host a)", "filter: syntax error at column 7: unmatched ')'\n  host a)\n        ^"],
    ["host a and", "filter: syntax error at column 12: expected an expression after 'and'\n  host a and\n             ^"],
    ["tcp[", "filter: syntax error at column 5: expected a byte offset after 'tcp['\n  tcp[\n      ^"],
  ])("%s", (expr, frame) => {
    const e = syntaxError(expr);
    expect(e).toBeInstanceOf(FilterSyntaxError);
    expect(e.frame()).toBe(frame);
    expect(e.message).toBe(frame.split("\n")[0]);
    expect(e.expression).toBe(expr);
  });

  test.each([
    ["and host a", 1, "'and' needs an expression before it"],
    ["or tcp", 1, "'or' needs an expression before it"],
    ["tcp]", 4, "unmatched ']'"],
    ["()", 2, "expected an expression after '(', found ')'"],
    ["not", 5, "expected an expression after 'not'"],
    ["tcp[13] =", 11, "expected a value after '='"],
    ["tcp[13] & ", 11, "expected a value after '&'"],
    ["ip[2:", 6, "expected a size (1, 2 or 4) after ':'"],
    ["ip[2:3] = 1", 6, "the size in 'ip[2:3]' must be 1, 2 or 4"],
    ["src", 5, "expected 'host', 'net', 'port', 'portrange' or an address after 'src'"],
    ["src or 1.2.3.4", 8, "expected 'dst' after 'src or', found '1.2.3.4'"],
    ["tcp port", 10, "expected a port number after 'port'"],
    ["port not", 10, "expected a port number after 'not'"],
    ["portrange", 11, "expected a port range (like 1024-2047) after 'portrange'"],
    ["net", 5, "expected a network (10.0.0.0/8 or 10.0.0.0 mask 255.0.0.0) after 'net'"],
    ["ether proto", 13, "expected a protocol number or name after 'proto'"],
    ["net 10.0.0.0 mask", 19, "expected a netmask after 'mask'"],
    ["net 10.0.0.0/", 14, "expected a prefix length after '/'"],
    ["less", 6, "expected a length after 'less'"],
    ["host a b", 8, "expected 'and' or 'or' before 'b'"],
    ["port 80 @", 9, "unexpected character '@'"],
    ["'port 53'", 1, "unexpected quote ': quotes go around the filter on the command line, not inside it"],
    // values
    ["net 10.0.0.1/8", 5, "non-network bits set in '10.0.0.1/8'"],
    ["net 10.0.0.0 mask 255.0.255.0", 19, "netmask 255.0.255.0 is not contiguous"],
    ["host 10.0.0.0/8", 14, "a prefix length or netmask fits 'net', not 'host'"],
    ["host 192.168", 6, "'192.168' is not a full IPv4 address; for a network write 'net 192.168'"],
    ["host 10.0.0.300", 6, "'10.0.0.300' is not a valid IPv4 address"],
    ["host 80", 6, "'80' is not a host address"],
    ["port 80-90", 6, "'80-90' is a range: write 'portrange 80-90'"],
    ["port http2", 6, "unknown port name 'http2' (write the number)"],
    ["port 10.0.0.1", 6, "'port' needs a port number, not '10.0.0.1'"],
    ["portrange 1-70000", 11, "port range 1-70000 is out of range (0-65535)"],
    ["portrange 10.0.0.1", 11, "expected a port range like 1024-2047, found '10.0.0.1'"],
    ["proto 300", 7, "protocol 300 is out of range (0-255)"],
    ["proto foo", 7, "unknown protocol 'foo'"],
    ["vlan 5000", 6, "VLAN id 5000 is out of range (0-4095)"],
    ["port 089", 6, "number 089 contains a non-octal digit (a leading 0 means octal)"],
    ["tcp host 10.0.0.1", 1, "'tcp host' is not valid: 'host' takes 'ether', 'ip', 'ip6', 'arp', 'rarp'"],
    ["icmp port 53", 1, "'icmp port' is not valid: 'port' takes 'tcp', 'udp', 'sctp', 'ip', 'ip6'"],
    ["ip6 host 10.0.0.1", 10, "'ip6 host' takes an IPv6 address, not '10.0.0.1'"],
    ["ether", 1, "'ether' needs a qualifier: 'ether host', 'ether src', 'ether proto', 'ether broadcast' …"],
    ["10.0.0.1", 1, "a bare '10.0.0.1' needs a qualifier before it, such as 'host 10.0.0.1'"],
    ["foo and tcp", 1, "a bare 'foo' needs a qualifier before it, such as 'host foo'"],
    ["TCP or UDP", 1, "filter keywords are lower case: write 'tcp'"],
    ["tcp and none", 9, "'none' can only be the whole filter"],
    ["tcp[13] & 2", 1, "'tcp[13] & 2' is a value, not a test: compare it, e.g. 'tcp[13] & 2 != 0'"],
    ["tcp = 2", 1, "'tcp' is a test, not a value"],
    ["host tcp", 6, "'tcp' is a keyword, not a host name (escape it as '\\tcp')"],
    ["esp[0] = 1", 1, "'esp[…]' is not supported: byte offsets apply to ether, ip, ip6, arp, rarp, tcp, udp, sctp, icmp, icmp6, igmp, igrp, pim, vrrp, carp, atalk, decnet"],
  ] as [string, number, string][])("%s", (expr, column, reason) => {
    const e = syntaxError(expr);
    expect([e.column, e.reason]).toEqual([column, reason]);
    expect(e.frame().split("\n")[2]).toBe("  " + " ".repeat(column - 1) + "^");
  });

  test("a semantic error earlier than a syntax error is the one reported", () => {
    expect(syntaxError("port 99999 and").reason).toBe("port 99999 is out of range (0-65535)");
  });

  test("deep nesting and huge inputs end with a FilterSyntaxError, not a crash", () => {
    expect(syntaxError("(".repeat(4000) + "tcp" + ")".repeat(4000)).reason).toBe("the filter nests too deeply");
    expect(syntaxError("not ".repeat(2000) + "tcp").reason).toBe("the filter nests too deeply");
    expect(syntaxError("tcp or ".repeat(2000) + "udp").reason).toBe("the filter is longer than 8192 characters");
    // the parser is reusable afterwards
    expect(syntaxError("port").reason).toBe("expected a port number after 'port'");
    expect(tree("(".repeat(50) + "tcp" + ")".repeat(50))).toBe("[tcp]");
    expect(compileFilter("tcp or ".repeat(1000) + "udp").match(P.dns)).toBe(true);
  });

  test("compileFilter throws the same error", () => {
    expect(() => compileFilter("port")).toThrow(FilterSyntaxError);
    expect(() => compileFilter("port")).toThrow("filter: syntax error at column 6: expected a port number after 'port'");
  });
});

// ---- evaluation -------------------------------------------------------------------------------------

const P = {
  syn: packet("1.000000 port1 out 10.0.1.10.40000 -> 172.217.15.14.443: syn 1000"),
  synAck: packet("1.000100 port1 in 172.217.15.14.443 -> 10.0.1.10.40000: syn 2000 ack 1001"),
  pshAck: packet("1.000200 port1 out 10.0.1.10.40000 -> 172.217.15.14.443: psh 1001 ack 2001"),
  dns: packet("2.000000 port4 out 10.0.1.10.53211 -> 8.8.8.8.53: udp 33"),
  dnsReply: packet("2.000100 port4 in 8.8.8.8.53 -> 10.0.1.10.53211: udp 49"),
  echo: packet("3.000000 port4 out 10.0.1.10 -> 172.217.15.14: icmp: echo request"),
  echoReply: packet("3.000100 port4 in 172.217.15.14 -> 10.0.1.10: icmp: echo reply"),
  unreach: packet("4.000000 port4 in 8.8.8.8 -> 10.0.1.10: icmp: 10.0.1.10 udp port 60614 unreachable"),
  arp: packet("5.000000 port1 in arp who-has 10.0.0.1 tell 10.0.0.2"),
  arpReply: packet("5.100000 port1 out arp reply 10.0.0.1 is-at 0:9:f:9:c8:9"),
  echo6: packet("6.000000 wan1 in 2001:bb:1::10 -> 2001:aa:1::10: icmp6: echo request seq 415"),
  vlan: packet("7.000000 port2 in 802.1Q vlan#20 P0"),
  stp: packet("8.000000 port2 in stp 802.1w, rapid stp, flags [forward], bridge-id 80ec.00:11:92:17:38:c0.2045"),
  eigrp: packet("9.000000 port1 in 192.168.1.99 -> 224.0.0.10: ip-proto-88 40"),
  masked: packet("10.000000 port1 out 82.x.x.x.59730 -> 82.71.226.65.8889: udp 64"),
  maskedXX: packet("11.000000 port1 in XX.XX.98.156.5000 -> 10.0.0.1.53: udp 30"),
  nas: packet("12.000000 <NAS-IP>.1812 -> <FortiGate-IP>.1813: udp 92"),
  pppoe: packet("14.000000 port5 in pppoe printer hasn't been added to sniffer"),
  ether8890: packet("15.000000 port5 -- Ether type 0x8890 printer hasn't been added to sniffer."),
};
type Name = keyof typeof P;

describe("match: three-valued, exact where the record holds the field", () => {
  const U = "unknown";
  test.each([
    ["host 10.0.1.10", "syn", true],
    ["host 10.0.1.10", "arp", false],
    ["host 10.0.0.1", "arp", true],
    ["ip host 10.0.0.1", "arp", false],
    ["arp host 10.0.0.2", "arp", true],
    ["src host 10.0.1.10", "synAck", false],
    ["dst host 10.0.1.10", "synAck", true],
    ["src and dst host 10.0.1.10", "syn", false],
    ["host 10.0.0.1", "arpReply", true],
    ["dst host 10.0.0.2", "arpReply", U],
    ["net 172.217.0.0/16", "syn", true],
    ["dst net 10.0.0.0/8", "syn", false],
    ["net 10.0.0.0 mask 255.0.0.0", "dns", true],
    ["port 443", "syn", true],
    ["tcp port 443", "syn", true],
    ["udp port 443", "syn", false],
    ["src port 443", "synAck", true],
    ["dst port 443", "synAck", false],
    ["port 53", "dns", true],
    ["port 53", "echo", false],
    ["port 53", "unreach", false],
    ["port 53", "arp", false],
    ["port 53", "eigrp", false],
    ["port 53", "vlan", U],
    ["portrange 1-1024", "dns", true],
    ["portrange 1-1024", "syn", true],
    ["portrange 1024-2047", "syn", false],
    ["port 8889 or 8888", "masked", true],
    ["port not 22", "arp", true],
    ["tcp", "syn", true],
    ["tcp", "dns", false],
    ["tcp", "vlan", U],
    ["udp", "dns", true],
    ["icmp", "echo", true],
    ["icmp", "echo6", false],
    ["icmp6", "echo6", true],
    ["ip", "syn", true],
    ["ip", "echo6", false],
    ["ip", "arp", false],
    ["ip6", "echo6", true],
    ["arp", "arp", true],
    ["arp", "syn", false],
    ["stp", "stp", true],
    ["stp", "syn", false],
    ["stp", "pppoe", U],
    ["vlan", "vlan", true],
    ["vlan 20", "vlan", true],
    ["vlan 10", "vlan", false],
    ["vlan", "syn", false],
    ["proto 88", "eigrp", true],
    ["ip proto 6", "syn", true],
    ["ip6 proto 6", "syn", false],
    ["proto 47", "eigrp", false],
    ["ether proto 0x8890", "ether8890", true],
    ["ether proto 0x8891", "ether8890", false],
    ["ether proto 0x0806", "arp", true],
    ["ether proto 0x0800", "syn", true],
    ["ether proto 0x86dd", "syn", false],
    ["pppoed", "pppoe", U],
    ["pppoed", "syn", false],
    ["pppoed", "ether8890", false],
    ["inbound", "synAck", true],
    ["outbound", "synAck", false],
    ["ip multicast", "eigrp", true],
    ["ip multicast", "syn", false],
    ["less 100", "syn", U],
    // byte offsets from parsed fields
    ["tcp[tcpflags] & tcp-syn != 0", "syn", true],
    ["tcp[tcpflags] & tcp-syn != 0", "synAck", true],
    ["tcp[tcpflags] & tcp-syn != 0", "pshAck", false],
    ["tcp[tcpflags] == tcp-syn", "syn", true],
    ["tcp[tcpflags] == tcp-syn", "synAck", false],
    ["tcp[13] = 2", "syn", true],
    ["tcp[13] = 18", "synAck", true],
    ["tcp[13] & 2 != 0", "pshAck", false],
    ["tcp[13] = 2", "dns", false],
    ["tcp[13] = 2", "vlan", U],
    ["tcp[0:2] = 40000", "syn", true],
    ["tcp[2:2] = 443", "syn", true],
    ["tcp[4:4] = 1000", "syn", true],
    ["tcp[8:4] = 1001", "synAck", true],
    ["tcp[8:4] = 1001", "syn", U],
    ["udp[2:2] = 53", "dns", true],
    ["icmp[icmptype] == icmp-echo", "echo", true],
    ["icmp[icmptype] == icmp-echo", "echoReply", false],
    ["icmp[0] = 8", "echo", true],
    ["icmp[0] = 3 and icmp[1] = 3", "unreach", true],
    ["icmp[0] = 8", "syn", false],
    ["icmp6[icmp6type] = icmp6-echo", "echo6", true],
    ["ip[9] = 6", "syn", true],
    ["ip[9] = 88", "eigrp", true],
    ["ip[12:4] = 0x0a00010a", "syn", true],
    ["ip[8] < 5", "syn", U],
    ["ip[8] < 5", "echo6", false],
    ["ip[2:2] > 1000", "arp", false],
    ["arp[6:2] = 1", "arp", true],
    ["len > 100", "syn", U],
    ["ether[0] & 1 != 0", "syn", U],
    // masked and templated addresses
    ["host XX.XX.98.156", "maskedXX", true],
    ["host 10.1.98.156", "maskedXX", U],
    ["host 10.1.98.157", "maskedXX", false],
    ["host 82.x.x.x", "masked", true],
    ["src host 82.71.226.65", "masked", U],
    ["net 10.0.0.0/8", "masked", false],
    ["net 82.0.0.0/8", "masked", true],
    ["net 82.1.0.0/16", "masked", U],
    ["host <NAS-IP> and udp port 1813", "nas", true],
    ["host 10.0.0.1", "nas", U],
    ["host forti1", "syn", U],
    // Kleene logic
    ["tcp or less 100", "syn", true],
    ["tcp and less 100", "dns", false],
    ["tcp and less 100", "syn", U],
    ["not less 100", "syn", U],
    ["none", "vlan", true],
  ] as [string, Name, boolean | "unknown"][])("%s on %s → %s", (expr, name, expected) => {
    expect(compileFilter(expr).match(P[name])).toBe(expected);
  });

  test("explainUnknown says why", () => {
    const f = compileFilter("ip[8] < 5");
    expect(f.match(P.syn)).toBe("unknown");
    expect(f.explainUnknown()).toBe("cannot evaluate ip[8] on a header-only capture");
    expect(f.explainUnknown(P.echo6)).toBeNull();
    expect(compileFilter("net 82.1.0.0/16").explainUnknown(P.masked)).toBe("cannot tell whether the masked address '82.x.x.x' is in 82.1.0.0/16");
    expect(compileFilter("tcp").evaluate(P.vlan)).toEqual({ result: "unknown", reason: "the packet is 802.1Q-tagged; its inner protocol is not shown" });
  });

  test("byte offsets read the real bytes when the record has a dump", () => {
    // verbose 6: pseudo-Ethernet header, IPv4 (TTL 3), TCP SYN 10.0.1.10:40000 -> 172.217.15.14:443
    const ip = "4500003c1c46400003060000" + "0a00010a" + "acd90f0e";
    const tcp = "9c4001bb000003e800000000a0027210" + "00000000";
    const bytes = "000000000000000000000000" + "0800" + ip + tcp;
    const p = { ...P.syn, bytes: bytes + "00".repeat(20) };
    expect(compileFilter("ip[8] < 5").match(p)).toBe(true);
    expect(compileFilter("ip[8] = 64").match(p)).toBe(false);
    expect(compileFilter("ip[2:2] = 60").match(p)).toBe(true);
    expect(compileFilter("tcp[13] = 2").match(p)).toBe(true);
    // the first payload byte: this SYN has none, and a load past the end of a whole packet rejects it
    expect(compileFilter("tcp[((tcp[12] & 0xf0) >> 2)] = 0").match(p)).toBe(false);
    expect(compileFilter("tcp[((tcp[12] & 0xf0) >> 2) - 1] = 0").match(p)).toBe(true);
    expect(compileFilter("ether[12:2] = 0x0800").match(p)).toBe(true);
    // the same packet dumped from the IP header (verbose 2/5)
    const l3 = { ...P.syn, bytes: ip + tcp + "00".repeat(20) };
    expect(compileFilter("ip[8] < 5").match(l3)).toBe(true);
    expect(compileFilter("ether[12:2] = 0x0800").explainUnknown(l3)).toBe("cannot evaluate ether[12:2]: the hex dump starts at the IP header");
    // a dump cut short: past its end the parsed fields still answer, other bytes do not
    const cut = { ...P.syn, bytes: bytes.slice(0, 60) };
    expect(compileFilter("tcp[13] = 2").match(cut)).toBe(true);
    expect(compileFilter("tcp[14:2] > 0").explainUnknown(cut)).toBe("the hex dump ends before tcp[14:2]");
  });
});

describe("couldMatchReply: would the reply have passed the capture's filter?", () => {
  test("icmp && src host 10.0.1.10: the echo replies come from the other side", () => {
    expect(couldMatchReply(compileFilter("icmp && src host 10.0.1.10"), P.echo)).toEqual({
      possible: false,
      reason: "'src host 10.0.1.10' only matches packets from 10.0.1.10; the replies come from 172.217.15.14",
    });
  });

  test("dst host 10.0.0.5: the replies go back to the client", () => {
    const req = packet("1.000000 port1 in 10.0.1.10.33000 -> 10.0.0.5.443: syn 5000");
    expect(couldMatchReply(compileFilter("dst host 10.0.0.5"), req)).toEqual({
      possible: false,
      reason: "'dst host 10.0.0.5' only matches packets to 10.0.0.5; the replies go to 10.0.1.10",
    });
  });

  test("tcp[tcpflags] == tcp-syn: a SYN's reply is a SYN-ACK (or an RST-ACK)", () => {
    expect(couldMatchReply(compileFilter("tcp[tcpflags] == tcp-syn"), P.syn)).toEqual({
      possible: false,
      reason: "'tcp[tcpflags] == tcp-syn' matches only SYN packets; the reply is a SYN-ACK",
    });
    expect(couldMatchReply(compileFilter("tcp[tcpflags] & tcp-syn != 0"), P.syn).possible).toBe(true);
    expect(couldMatchReply(compileFilter("tcp[tcpflags] & tcp-ack = 0"), P.syn)).toEqual({
      possible: false,
      reason: "'tcp[tcpflags] & tcp-ack = 0' matches only packets with ACK clear; the reply is a SYN-ACK",
    });
  });

  test("port 53: the reply comes from port 53", () => {
    expect(couldMatchReply(compileFilter("port 53"), P.dns)).toEqual({ possible: true, reason: null });
    expect(couldMatchReply(compileFilter("udp && port 53 && host 10.0.1.10"), P.dns)).toEqual({ possible: true, reason: null });
    expect(couldMatchReply(compileFilter("dst port 53"), P.dns)).toEqual({
      possible: false,
      reason: "'dst port 53' only matches packets to port 53; the replies go to port 53211",
    });
  });

  test("more filters that hide replies, and ones that do not", () => {
    expect(couldMatchReply(compileFilter("icmp[icmptype] == icmp-echo"), P.echo)).toEqual({
      possible: false,
      reason: "'icmp[icmptype] == icmp-echo' matches only echo requests; the reply is an echo reply",
    });
    expect(couldMatchReply(compileFilter("outbound"), P.syn)).toEqual({ possible: false, reason: "'outbound' only matches packets leaving the unit; the replies arrive" });
    expect(couldMatchReply(compileFilter("host 10.0.0.1"), P.arp).possible).toBe(true);
    expect(couldMatchReply(compileFilter("icmp6"), P.echo6).possible).toBe(true);
    expect(couldMatchReply(compileFilter("none"), P.vlan).possible).toBe(true);
    expect(couldMatchReply(compileFilter("tcp[13] = 2 or icmp"), P.syn)).toEqual({
      possible: false,
      reason:
        "neither side of 'tcp[13] = 2 or icmp' matches the reply: 'tcp[13] = 2' matches only SYN packets; the reply is a SYN-ACK; 'icmp' only matches ICMP packets; the reply is a SYN-ACK",
    });
    expect(couldMatchReply(compileFilter("not src host 172.217.15.14"), P.echo)).toEqual({
      possible: false,
      reason: "'not src host 172.217.15.14' excludes the reply, which matches 'src host 172.217.15.14'",
    });
  });

  test("when the text cannot tell, it says so", () => {
    expect(couldMatchReply(compileFilter("ip[8] > 1"), P.syn)).toEqual({ possible: "unknown", reason: "cannot evaluate ip[8] on a header-only capture" });
    expect(couldMatchReply(compileFilter("src host 10.0.0.1"), P.nas).possible).toBe("unknown");
  });
});

describe("filterFields", () => {
  test("which primitives reference hosts and ports, and in which direction", () => {
    expect(filterFields(compileFilter("icmp && src host 10.0.1.10"))).toEqual({
      matchesAll: false,
      hosts: [{ primitive: "host", dir: "src", value: "10.0.1.10", negated: false, text: "src host 10.0.1.10" }],
      ports: [],
      protocols: ["icmp"],
      byteTests: [],
      directional: true,
    });
    expect(filterFields(compileFilter("port not 22 and net 10.0.0.0/8 and tcp[13] = 2 and portrange 1-1024"))).toEqual({
      matchesAll: false,
      hosts: [{ primitive: "net", dir: "src or dst", value: "10.0.0.0/8", negated: false, text: "net 10.0.0.0/8" }],
      ports: [
        { primitive: "port", dir: "src or dst", value: "22", negated: true, text: "port 22" },
        { primitive: "portrange", dir: "src or dst", value: "1-1024", negated: false, text: "portrange 1-1024" },
      ],
      protocols: [],
      byteTests: ["tcp[13] = 2"],
      directional: false,
    });
    expect(filterFields(parseFilter("none")).matchesAll).toBe(true);
  });
});

// ---- the shared corpus ------------------------------------------------------------------------------------

/** Every filter in the corpus: `filters=[…]` echoes and the filter argument of command lines. */
function corpusFilters(): { file: string; filter: string }[] {
  const out: { file: string; filter: string }[] = [];
  for (const file of corpusFiles()) {
    const text = readFileSync(corpusDir + file, "utf8");
    for (const m of text.matchAll(/filters=\[(.*)\]/g)) out.push({ file, filter: m[1] as string });
    for (const line of splitLines(text)) {
      const { shape } = classifyLine(cleanLine(line.text).text);
      if (shape.kind === "command" && shape.args.length >= 2) out.push({ file, filter: shape.args[1] as string });
    }
  }
  return out;
}

describeCorpus("the shared corpus", () => {
  const filters = corpusFilters();

  test("it holds filters", () => {
    expect(filters.length).toBeGreaterThan(40);
    expect(new Set(filters.map((f) => f.filter))).toContain("icmp && src host 10.0.1.10");
  });

  // (test.each refuses an empty table: without the corpus the suite is skipped anyway)
  const table = filters.length > 0 ? filters.map((f) => [f.file, f.filter]) : [["(no corpus)", "none"]];
  test.each(table)("%s: '%s' parses", (_file, filter) => {
    expect(() => parseFilter(filter)).not.toThrow();
  });

  test("the CLI help's example filter parses", () => {
    expect(tree("udp and port 1812 and host forti1 and ( forti2 or forti3 )")).toBe(
      "(and (and (and [udp] [port 1812]) [host forti1]) (or [host forti2] [host forti3]))",
    );
  });

  test("no packet a capture printed evaluates false under that capture's filter", () => {
    let checked = 0;
    for (const file of corpusFiles()) {
      const r = parseCapture(readCorpus(file), { source: file });
      for (const c of r.captures) {
        if (c.filter === null) continue;
        const f = compileFilter(c.filter);
        for (const p of r.packets) {
          if (p.capture !== c.index) continue;
          checked++;
          expect([file, p.line, f.match(p)]).not.toEqual([file, p.line, false]);
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  test("with a hex dump and without, the answers never contradict", () => {
    const filters = [
      "tcp[13] = 2",
      "tcp[tcpflags] & tcp-ack != 0",
      "icmp[icmptype] == icmp-echo",
      "icmp[0] = 0",
      "ip[9] = 17",
      "udp[0:2] > 1000",
      "udp[2:2] = 1900",
      "ip[12:4] > 0",
      "arp[6:2] = 1",
      "icmp6[0] = 135",
      "ether proto 0x0806",
      "ip",
      "ip6",
      "vlan",
      "multicast",
      "host 10.108.17.106",
    ].map(compileFilter);
    let compared = 0;
    for (const file of corpusFiles()) {
      for (const p of parseCapture(readCorpus(file), { source: file }).packets) {
        if (p.bytes === null) continue;
        for (const f of filters) {
          const withDump = f.match(p);
          const fromText = f.match({ ...p, bytes: null });
          if (fromText === "unknown" || withDump === "unknown") continue;
          compared++;
          expect([file, p.line, f.toString(), withDump]).toEqual([file, p.line, f.toString(), fromText]);
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });
});
