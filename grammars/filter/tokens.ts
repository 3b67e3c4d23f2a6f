/**
 * Token vocabulary of a tcpdump/BPF capture filter, after libpcap's scanner (scanner.l):
 * keywords are lower case and only whole words (`tcp` is not the start of `tcp-syn` or `tcps`),
 * an identifier is `[A-Za-z0-9]([-_.A-Za-z0-9]*[.A-Za-z0-9])?` (so `1-1024`, `10.0.0.1`,
 * `82.x.x.x` and `XX.XX.98.156` are single words), `\name` escapes a keyword, and named constants
 * (`tcp-syn`, `icmp-echo`, `tcpflags`) are numbers. Beyond libpcap, `<NAS-IP>`-style placeholders
 * are words too, so templated filters parse.
 *
 * Keyword patterns end in a negative look-ahead over word characters instead of relying on token
 * order; every custom pattern is a sticky regex with start-char hints so chevrotain's first-char
 * optimisation stays on.
 */
import { createToken, Lexer, type CustomPatternMatcherFunc, type TokenType } from "chevrotain";

const WORD_END = "(?![-_.A-Za-z0-9])";
const ALNUM_START = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_".split("");
const HEX_START = "0123456789abcdefABCDEF:".split("");

function sticky(re: RegExp): CustomPatternMatcherFunc {
  const y = new RegExp(re.source, re.flags.includes("y") ? re.flags : re.flags + "y");
  return (text, offset) => {
    y.lastIndex = offset;
    return y.exec(text);
  };
}

// ---- categories -----------------------------------------------------------------------------------

/** `=`, `==`, `!=`, `<`, `<=`, `>`, `>=` */
export const RelOp = createToken({ name: "RelOp", pattern: Lexer.NA });
/** `|`, `^`: the loosest arithmetic level */
export const BitOrOp = createToken({ name: "BitOrOp", pattern: Lexer.NA });
export const ShiftOp = createToken({ name: "ShiftOp", pattern: Lexer.NA });
export const AddOp = createToken({ name: "AddOp", pattern: Lexer.NA });
export const MulOp = createToken({ name: "MulOp", pattern: Lexer.NA });
/** `host`, `net`, `port`, `portrange`, `gateway`: address-type qualifiers */
export const TypeQual = createToken({ name: "TypeQual", pattern: Lexer.NA });

// ---- skipped ----------------------------------------------------------------------------------------

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED });

// ---- punctuation and operators -----------------------------------------------------------------------

export const LParen = createToken({ name: "LParen", pattern: /\(/ });
export const RParen = createToken({ name: "RParen", pattern: /\)/ });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/ });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/ });
export const Colon = createToken({ name: "Colon", pattern: /:/ });

export const And = createToken({ name: "And", pattern: new RegExp("&&|and" + WORD_END) });
export const Or = createToken({ name: "Or", pattern: new RegExp("\\|\\||or" + WORD_END) });
export const NotEq = createToken({ name: "NotEq", pattern: /!=/, categories: [RelOp] });
export const Not = createToken({ name: "Not", pattern: new RegExp("!|not" + WORD_END) });
export const EqEq = createToken({ name: "EqEq", pattern: /==/, categories: [RelOp] });
export const Eq = createToken({ name: "Eq", pattern: /=/, categories: [RelOp] });
export const LtEq = createToken({ name: "LtEq", pattern: /<=/, categories: [RelOp] });
export const GtEq = createToken({ name: "GtEq", pattern: />=/, categories: [RelOp] });
export const Shl = createToken({ name: "Shl", pattern: /<</, categories: [ShiftOp] });
export const Shr = createToken({ name: "Shr", pattern: />>/, categories: [ShiftOp] });
export const Lt = createToken({ name: "Lt", pattern: /</, categories: [RelOp] });
export const Gt = createToken({ name: "Gt", pattern: />/, categories: [RelOp] });
export const Plus = createToken({ name: "Plus", pattern: /\+/, categories: [AddOp] });
export const Minus = createToken({ name: "Minus", pattern: /-/, categories: [AddOp] });
export const Star = createToken({ name: "Star", pattern: /\*/, categories: [MulOp] });
export const Slash = createToken({ name: "Slash", pattern: /\//, categories: [MulOp] });
export const Percent = createToken({ name: "Percent", pattern: /%/, categories: [MulOp] });
export const Amp = createToken({ name: "Amp", pattern: /&/ });
export const Pipe = createToken({ name: "Pipe", pattern: /\|/, categories: [BitOrOp] });
export const Caret = createToken({ name: "Caret", pattern: /\^/, categories: [BitOrOp] });

// ---- keywords ---------------------------------------------------------------------------------------

function keyword(name: string, words: string, categories: TokenType[] = []): TokenType {
  return createToken({ name, pattern: new RegExp("(?:" + words + ")" + WORD_END), categories });
}

export const Src = keyword("Src", "src");
export const Dst = keyword("Dst", "dst");
export const Host = keyword("Host", "host", [TypeQual]);
export const Net = keyword("Net", "net", [TypeQual]);
export const Port = keyword("Port", "port", [TypeQual]);
export const Portrange = keyword("Portrange", "portrange", [TypeQual]);
export const Gateway = keyword("Gateway", "gateway", [TypeQual]);
export const Mask = keyword("Mask", "mask");
export const Proto = keyword("Proto", "proto");
export const Broadcast = keyword("Broadcast", "broadcast");
export const Multicast = keyword("Multicast", "multicast");
export const Less = keyword("Less", "less");
export const Greater = keyword("Greater", "greater");
export const Len = keyword("Len", "len|length");
export const Vlan = keyword("Vlan", "vlan");
export const Pppoed = keyword("Pppoed", "pppoed");
export const Pppoes = keyword("Pppoes", "pppoes");
export const Inbound = keyword("Inbound", "inbound");
export const Outbound = keyword("Outbound", "outbound");

/** Protocol names as libpcap's scanner spells them; the link-layer synonyms all mean `ether`. */
export const PROTO_WORDS: Readonly<Record<string, string>> = {
  ether: "ether",
  link: "ether",
  ppp: "ether",
  slip: "ether",
  fddi: "ether",
  tr: "ether",
  wlan: "ether",
  ip: "ip",
  ip6: "ip6",
  arp: "arp",
  rarp: "rarp",
  tcp: "tcp",
  udp: "udp",
  sctp: "sctp",
  icmp: "icmp",
  icmp6: "icmp6",
  igmp: "igmp",
  igrp: "igrp",
  pim: "pim",
  vrrp: "vrrp",
  carp: "carp",
  ah: "ah",
  esp: "esp",
  stp: "stp",
  ipx: "ipx",
  netbeui: "netbeui",
  atalk: "atalk",
  aarp: "aarp",
  decnet: "decnet",
  iso: "iso",
  clnp: "clnp",
  isis: "isis",
  "is-is": "isis",
  esis: "esis",
  "es-is": "esis",
};

/** A protocol qualifier or abbreviation (`tcp`, `ip6`, `ether` …); the image names which. */
export const ProtoKw = keyword(
  "ProtoKw",
  Object.keys(PROTO_WORDS)
    .sort((a, b) => b.length - a.length)
    .join("|"),
);

/** libpcap's named constants: each is a number (scanner.l). */
export const NAMED_CONSTANTS: Readonly<Record<string, number>> = {
  tcpflags: 13,
  "tcp-fin": 0x01,
  "tcp-syn": 0x02,
  "tcp-rst": 0x04,
  "tcp-push": 0x08,
  "tcp-ack": 0x10,
  "tcp-urg": 0x20,
  "tcp-ece": 0x40,
  "tcp-cwr": 0x80,
  icmptype: 0,
  icmpcode: 1,
  "icmp-echoreply": 0,
  "icmp-unreach": 3,
  "icmp-sourcequench": 4,
  "icmp-redirect": 5,
  "icmp-echo": 8,
  "icmp-routeradvert": 9,
  "icmp-routersolicit": 10,
  "icmp-timxceed": 11,
  "icmp-paramprob": 12,
  "icmp-tstamp": 13,
  "icmp-tstampreply": 14,
  "icmp-ireq": 15,
  "icmp-ireqreply": 16,
  "icmp-maskreq": 17,
  "icmp-maskreply": 18,
  icmp6type: 0,
  icmp6code: 1,
  "icmp6-destinationunreach": 1,
  "icmp6-packettoobig": 2,
  "icmp6-timeexceeded": 3,
  "icmp6-parameterproblem": 4,
  "icmp6-echo": 128,
  "icmp6-echoreply": 129,
  "icmp6-multicastlistenerquery": 130,
  "icmp6-multicastlistenerreportv1": 131,
  "icmp6-multicastlistenerdone": 132,
  "icmp6-routersolicit": 133,
  "icmp6-routeradvert": 134,
  "icmp6-neighborsolicit": 135,
  "icmp6-neighboradvert": 136,
  "icmp6-redirect": 137,
  "icmp6-routerrenum": 138,
  "icmp6-nodeinformationquery": 139,
  "icmp6-nodeinformationresponse": 140,
  "icmp6-ineighbordiscoverysolicit": 141,
  "icmp6-ineighbordiscoveryadvert": 142,
  "icmp6-multicastlistenerreportv2": 143,
  "icmp6-homeagentdiscoveryrequest": 144,
  "icmp6-homeagentdiscoveryreply": 145,
  "icmp6-mobileprefixsolicit": 146,
  "icmp6-mobileprefixadvert": 147,
  "icmp6-certpathsolicit": 148,
  "icmp6-certpathadvert": 149,
  "icmp6-multicastrouteradvert": 151,
  "icmp6-multicastroutersolicit": 152,
  "icmp6-multicastrouterterm": 153,
};

export const NamedConst = keyword(
  "NamedConst",
  Object.keys(NAMED_CONSTANTS)
    .sort((a, b) => b.length - a.length)
    .join("|"),
);

// ---- words --------------------------------------------------------------------------------------------

/**
 * Anything with two or more colons: an IPv6 address (`2001:aa:1::10`, `fe80::1`, `::ffff:1.2.3.4`)
 * or a colon MAC address (`00:11:22:33:44:55`). Validated when the primitive is built.
 * A single colon never matches, so `ip[2:2]` stays three tokens.
 */
export const ColonAddress = createToken({
  name: "ColonAddress",
  pattern: sticky(/(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{1,4})?(?![-_.A-Za-z0-9:])/),
  start_chars_hint: HEX_START,
  line_breaks: false,
});

/** Decimal, `0x` hex or leading-zero octal, as libpcap's `stoulen`; `10.0.0.1` and `1-1024` are words. */
export const Number = createToken({ name: "Number", pattern: new RegExp("(?:0[xX][0-9A-Fa-f]+|[0-9]+)" + WORD_END) });

/** A host, network, service or protocol name. */
export const Word = createToken({ name: "Word", pattern: Lexer.NA });

/**
 * libpcap's ID (`forti1`, `10.0.0.1`, `82.x.x.x`, `1-1024`, `00-11-22-33-44-55`) or a
 * backslash-escaped keyword (`\tcp`).
 */
export const Name = createToken({
  name: "Name",
  pattern: sticky(/\\[^\s!()]+|[A-Za-z0-9_](?:[-_.A-Za-z0-9]*[_.A-Za-z0-9])?/),
  start_chars_hint: [...ALNUM_START, "\\"],
  line_breaks: false,
  categories: [Word],
});

/** A templated placeholder (`<NAS-IP>`, `<FortiGate-IP>`): not libpcap, but pasted filters hold them. */
export const Placeholder = createToken({
  name: "Placeholder",
  pattern: sticky(/<[A-Za-z0-9][-_.A-Za-z0-9]*>/),
  start_chars_hint: ["<"],
  line_breaks: false,
  categories: [Word],
});

/**
 * The first pattern that matches wins: operators before their prefixes (`&&` before `&`, `<=` before
 * `<`), keywords and numbers before the generic Name (keywords end at a word boundary themselves).
 */
export const allTokens: TokenType[] = [
  WhiteSpace,
  LParen,
  RParen,
  LBracket,
  RBracket,
  And,
  Or,
  NotEq,
  Not,
  EqEq,
  Eq,
  LtEq,
  GtEq,
  Shl,
  Shr,
  Placeholder, // before `<`: `<NAS-IP>` is a word; it never matches `<5` or `<=`
  Lt,
  Gt,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Amp,
  Pipe,
  Caret,
  Src,
  Dst,
  Host,
  Net,
  Port,
  Portrange,
  Gateway,
  Mask,
  Proto,
  Broadcast,
  Multicast,
  Less,
  Greater,
  Len,
  Vlan,
  Pppoed,
  Pppoes,
  Inbound,
  Outbound,
  NamedConst,
  ProtoKw,
  ColonAddress,
  Colon,
  Number,
  Name,
  Word,
  RelOp,
  BitOrOp,
  ShiftOp,
  AddOp,
  MulOp,
  TypeQual,
];

/** Grammar validations run in tests and development (`SNIFFDIAG_VALIDATE=1`), not in production. */
export const validateGrammars: boolean =
  typeof process !== "undefined" && typeof process.env === "object" && process.env["SNIFFDIAG_VALIDATE"] === "1";

export function createFilterLexer(validate: boolean): Lexer {
  return new Lexer(allTokens, {
    positionTracking: "onlyOffset",
    ensureOptimizations: true,
    skipValidations: !validate,
  });
}

let lexer: Lexer | null = null;

/** The one lexer instance, built on first use (not at module load: CLI start-up stays fast). */
export function filterLexer(): Lexer {
  lexer ??= createFilterLexer(validateGrammars);
  return lexer;
}
