/**
 * Token vocabulary of one line of `diagnose sniffer packet` output
 * (../shared/spec/sniffer-format.md). The lexer sees one cleaned line at a time (no line breaks).
 *
 * Several tokens only make sense at one place in a line (a timestamp first, the interface and
 * direction right after it, the source address before `->`); their custom matchers look at the
 * tokens already matched, so the same characters lex differently by position — no backtracking
 * regexes over user text. Every custom pattern is a sticky (`/y`) regex with start-char hints so
 * chevrotain's first-char optimisation stays on.
 */
import { createToken, Lexer, type TokenType } from "chevrotain";
import { ANY_START, DIGITS, enclosed, prefixedToLastBracket, sticky, type Context } from "../common.js";

const HEX_START = "0123456789abcdefABCDEF".split("");

const atLineStart: Context = (tokens) => tokens.length === 0;
const lastIs =
  (...types: TokenType[]): Context =>
  (tokens) => {
    const last = tokens[tokens.length - 1];
    return last !== undefined && types.includes(last.tokenType);
  };

// ---- categories ---------------------------------------------------------------------------------

/** Anything that may appear in a packet summary or a command argument. */
export const AnyWord = createToken({ name: "AnyWord", pattern: Lexer.NA });
export const Timestamp = createToken({ name: "Timestamp", pattern: Lexer.NA });
export const TcpFlag = createToken({ name: "TcpFlag", pattern: Lexer.NA, categories: [AnyWord] });
/** Every item a preamble line may hold (`interfaces=[…]`, `filters=[…]`, `snaplen=…`, …): one token class for the parser. */
export const PreambleToken = createToken({ name: "PreambleToken", pattern: Lexer.NA });
/** `request` or `reply` after `echo`. */
export const EchoKind = createToken({ name: "EchoKind", pattern: Lexer.NA });

/** What an `iface dir` token carries (from the matcher, by position). */
export interface IfaceDirPayload {
  iface: string;
  dir: "in" | "out" | "unknown";
}

/** `[^\s]+[ \t]+(in|out|--)` at [start, end): the interface up to the first blank, the direction after the last. */
function ifaceDirPayload(text: string, start: number, end: number): IfaceDirPayload {
  let i = start;
  while (text.charCodeAt(i) !== 32 && text.charCodeAt(i) !== 9) i++;
  let j = end;
  while (text.charCodeAt(j - 1) !== 32 && text.charCodeAt(j - 1) !== 9) j--;
  const d = text.slice(j, end);
  return { iface: text.slice(start, i), dir: d === "--" ? "unknown" : (d as "in" | "out") };
}

/** What an ESP summary token carries. */
export interface EspPayload {
  spi: string;
  seq: number;
}

// ---- skipped --------------------------------------------------------------------------------------

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t]+/, group: Lexer.SKIPPED });

/** `   //EIGRP ...`: an author's comment appended after white space. */
export const InlineComment = createToken({
  name: "InlineComment",
  pattern: (text, offset) => {
    if (offset === 0 || text.charCodeAt(offset - 1) > 32) return null;
    if (text.charCodeAt(offset) !== 47 || text.charCodeAt(offset + 1) !== 47) return null;
    return [text.slice(offset)] as unknown as RegExpExecArray;
  },
  start_chars_hint: ["/"],
  line_breaks: false,
  group: "comments",
});

// ---- line-start tokens ----------------------------------------------------------------------------

/**
 * A hex dump row: `0x0010<TAB> 4500 ...<TAB>ascii`, tab-expanded, or FortiWeb's `000010<TAB> 45 00 ...`.
 * The whole line is one token; `hexRow.ts` decodes it with a hand loop.
 * tcpdump's `0x0000:` (colon) is deliberately not matched.
 */
export const HexRow = createToken({
  name: "HexRow",
  pattern: sticky(/(?:0x[0-9a-fA-F]{4,8}|[0-9a-fA-F]{6})[\t ]+[0-9a-fA-F]{2}.*/, atLineStart),
  start_chars_hint: HEX_START,
  line_breaks: false,
});

/** `FG600C3913802320 (root) #`, `FGT#`, `HUB #`, `FOS Container #`, or a bare `#` (hostname cut). */
export const Prompt = createToken({
  name: "Prompt",
  pattern: sticky(/(?:[A-Za-z0-9][\w.-]*(?: [A-Za-z][\w.-]*)?(?: ?\([^)]{0,40}\))? ?)?[#$](?=[ \t]|$)/, atLineStart),
  start_chars_hint: ANY_START,
  line_breaks: false,
});

/** `[FIM01]` blade prefix of FortiGate-6000/7000 output, before a timestamp. */
export const SlotPrefix = createToken({
  name: "SlotPrefix",
  pattern: sticky(/\[([A-Za-z0-9_\- ]{1,20})\](?=[ \t]+\d)/, atLineStart, (text, start, end) => text.slice(start + 1, end - 1).trim()),
  start_chars_hint: ["["],
  line_breaks: false,
});

const timestampPlace: Context = (tokens) => tokens.length === 0 || lastIs(SlotPrefix)(tokens);

export const AbsTimestamp = createToken({
  name: "AbsTimestamp",
  pattern: sticky(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{1,9}(?=[ \t]|$)/, timestampPlace),
  start_chars_hint: DIGITS,
  line_breaks: false,
  categories: [Timestamp],
});

export const RelTimestamp = createToken({
  name: "RelTimestamp",
  pattern: sticky(/\d{1,10}\.\d{1,9}(?=[ \t]|$)/, timestampPlace),
  start_chars_hint: DIGITS,
  line_breaks: false,
  categories: [Timestamp],
});

export const CtrlC = createToken({
  name: "CtrlC",
  pattern: sticky(/\^C(?=[ \t]|$)/, atLineStart),
  start_chars_hint: ["^"],
  line_breaks: false,
});

// ---- preamble and trailer ---------------------------------------------------------------------------

/** `interfaces=[...]` (as `/interfaces=\[[^\]]*\]/`, linear on repeated prefixes) */
export const InterfacesAssign = createToken({
  name: "InterfacesAssign",
  pattern: enclosed("interfaces=[", "]"),
  start_chars_hint: ["i"],
  line_breaks: false,
  categories: [PreambleToken],
});
/** `filters=[...]`: greedy to the last `]` because filters hold brackets (`tcp[13] = 2`); as `/filters=\[.*\]/`. */
export const FiltersAssign = createToken({
  name: "FiltersAssign",
  pattern: prefixedToLastBracket("filters=["),
  start_chars_hint: ["f"],
  line_breaks: false,
  categories: [PreambleToken],
});
export const SniffingMode = createToken({ name: "SniffingMode", pattern: /Using [A-Za-z ]{0,40}Sniffing Mode\.?/, categories: [PreambleToken] });
export const PcapMessage = createToken({ name: "PcapMessage", pattern: /pcap_[a-z]+: .*/, categories: [PreambleToken] });
export const SystemTime = createToken({ name: "SystemTime", pattern: /System Time: .*/, categories: [PreambleToken] });
export const CountAssign = createToken({ name: "CountAssign", pattern: /count=[A-Za-z0-9]+/, categories: [PreambleToken] });
export const SnaplenAssign = createToken({ name: "SnaplenAssign", pattern: /snaplen=\d+/, categories: [PreambleToken] });
export const LinktypeAssign = createToken({ name: "LinktypeAssign", pattern: /linktype = \d+/, categories: [PreambleToken] });
export const ReceivedByFilter = createToken({ name: "ReceivedByFilter", pattern: /packets received by filter/ });
export const DroppedByKernel = createToken({ name: "DroppedByKernel", pattern: /packets dropped by kernel/ });

// ---- the packet header ------------------------------------------------------------------------------

/** `port1 in`, `wan1 --`, `HUB1-VPN1_0 out`: only right after the timestamp. */
export const IfaceDir = createToken({
  name: "IfaceDir",
  pattern: sticky(/[^\s]+[ \t]+(?:in|out|--)(?=[ \t]|$)/, lastIs(AbsTimestamp, RelTimestamp), ifaceDirPayload),
  start_chars_hint: ANY_START,
  line_breaks: false,
});

/**
 * `port3 in` at the start of a header printed without its timestamp (KB articles: `port3 in
 * 10.1.1.1.55826 -> 10.1.1.10.443: syn 3127611448`): only when an address and `->` follow.
 */
export const BareIfaceDir = createToken({
  name: "BareIfaceDir",
  pattern: sticky(/[A-Za-z][\w.-]{0,30}[ \t]+(?:in|out|--)(?=[ \t]+[0-9A-Fa-f][0-9A-Fa-f:.]*[ \t]*->)/, timestampPlace, ifaceDirPayload),
  start_chars_hint: ANY_START,
  line_breaks: false,
});

/** The source endpoint: any run of non-blanks right before `->` (` -> `, or `->` without its spaces). */
export const SrcEndpoint = createToken({
  name: "SrcEndpoint",
  pattern: sticky(/[^\s]+(?=[ \t]+->[ \t])|[^\s]+?(?=->[0-9A-Fa-f])/, lastIs(AbsTimestamp, RelTimestamp, IfaceDir, BareIfaceDir)),
  start_chars_hint: ANY_START,
  line_breaks: false,
});

export const Arrow = createToken({ name: "Arrow", pattern: /->/, categories: [AnyWord] });

/** The destination endpoint: after `->`, up to the `:` that ends it (IPv6 holds colons too). */
export const DstEndpoint = createToken({
  name: "DstEndpoint",
  pattern: sticky(/[^\s]+?(?=:?(?:[ \t]|$))/, lastIs(Arrow)),
  start_chars_hint: ANY_START,
  line_breaks: false,
});

export const Colon = createToken({ name: "Colon", pattern: /:/, categories: [AnyWord] });

/** The generic word: any run of non-blanks. Keywords name it as their longer alternative. */
export const Word = createToken({
  name: "Word",
  pattern: sticky(/[^\s]+/),
  start_chars_hint: ANY_START,
  line_breaks: false,
  categories: [AnyWord],
});

function keyword(name: string, pattern: RegExp, categories: TokenType[] = [AnyWord]): TokenType {
  return createToken({ name, pattern, longer_alt: Word, categories });
}

export const Syn = keyword("Syn", /syn/, [TcpFlag, AnyWord]);
export const Fin = keyword("Fin", /fin/, [TcpFlag, AnyWord]);
export const Rst = keyword("Rst", /rst/, [TcpFlag, AnyWord]);
export const Psh = keyword("Psh", /psh/, [TcpFlag, AnyWord]);
export const Urg = keyword("Urg", /urg/, [TcpFlag, AnyWord]);
export const Ece = keyword("Ece", /ece/, [TcpFlag, AnyWord]);
export const Cwr = keyword("Cwr", /cwr/, [TcpFlag, AnyWord]);
export const Ack = keyword("Ack", /ack/);
export const Udp = keyword("Udp", /udp/);
export const IcmpColon = keyword("IcmpColon", /icmp:/);
export const Icmp6Colon = keyword("Icmp6Colon", /icmp6:/);
export const IpProto = keyword("IpProto", /ip-proto-\d{1,3}/);
/** `ESP(spi=0x…,seq=0x…)`, carrying the SPI (lower case) and the sequence number. */
export const Esp = createToken({
  name: "Esp",
  pattern: sticky(/ESP\(spi=0x[0-9a-fA-F]{1,8},seq=0x[0-9a-fA-F]{1,8}\)/, undefined, (text, start, end): EspPayload => {
    const comma = text.indexOf(",", start);
    return { spi: text.slice(start + "ESP(spi=0x".length, comma).toLowerCase(), seq: parseInt(text.slice(comma + ",seq=0x".length, end - 1), 16) };
  }),
  start_chars_hint: ["E"],
  line_breaks: false,
  longer_alt: Word,
  categories: [AnyWord],
});
export const Arp = keyword("Arp", /arp/);
export const WhoHas = keyword("WhoHas", /who-has/);
export const Tell = keyword("Tell", /tell/);
export const Reply = keyword("Reply", /reply/, [EchoKind, AnyWord]);
export const IsAt = keyword("IsAt", /is-at/);
export const Stp = keyword("Stp", /stp/);
export const Dot1Q = keyword("Dot1Q", /802\.1Q/);
export const VlanTag = keyword("VlanTag", /vlan#\d{1,4}/);
export const Priority = keyword("Priority", /P\d/);
export const Echo = keyword("Echo", /echo/);
export const Request = keyword("Request", /request/, [EchoKind, AnyWord]);
export const Port = keyword("Port", /port/);
export const Unreachable = keyword("Unreachable", /unreachable/);
export const Seq = keyword("Seq", /seq/);
/** `pppoe printer havn't been added to sniffer`, `Ether type 0x8890 printer hasn't been added to sniffer.` */
export const PrinterMissing = createToken({
  name: "PrinterMissing",
  pattern: /printer ha(?:s|v)n't been added to sniffer\.?/,
  categories: [AnyWord],
});
/** `[hlim 1]`: as `/\[[^\]]*\]/`, but a line of many `[` and no `]` is scanned once, not once per `[`. */
export const Bracketed = createToken({ name: "Bracketed", pattern: enclosed("[", "]"), start_chars_hint: ["["], line_breaks: false, categories: [AnyWord] });
/** `(len 154)`: as `/\([^)]*\)/`, linear in the same way. */
export const Parenthesized = createToken({ name: "Parenthesized", pattern: enclosed("(", ")"), start_chars_hint: ["("], line_breaks: false, categories: [AnyWord] });
export const Quoted = createToken({ name: "Quoted", pattern: /'[^']*'|"[^"]*"/, categories: [AnyWord] });
export const Number = createToken({ name: "Number", pattern: /\d+/, longer_alt: Word, categories: [AnyWord] });

// ---- the command echo -----------------------------------------------------------------------------

/** `diagnose`, `diag`, `dia`, `di`. */
export const DiagnoseKw = keyword("DiagnoseKw", /di(?:a(?:g(?:n(?:o(?:s(?:e)?)?)?)?)?)?(?=[ \t])/);
/** `sniffer`, `sniff`, `snif`, `sni`. */
export const SnifferKw = keyword("SnifferKw", /sni(?:f(?:f(?:e(?:r)?)?)?)?(?![^ \t])/);
/** `packet`, `pack`, `pa` (FortiWeb 7: `diagnose network sniffer`). */
export const PacketKw = keyword("PacketKw", /pa(?:c(?:k(?:e(?:t)?)?)?)?(?![^ \t])/);
export const NetworkKw = keyword("NetworkKw", /network(?=[ \t])/);

/** Order matters: the first pattern that matches wins (keywords defer to Word when it is longer). */
export const allTokens: TokenType[] = [
  WhiteSpace,
  InlineComment,
  HexRow,
  SlotPrefix,
  AbsTimestamp,
  RelTimestamp,
  CtrlC,
  Prompt,
  InterfacesAssign,
  FiltersAssign,
  SniffingMode,
  PcapMessage,
  SystemTime,
  CountAssign,
  SnaplenAssign,
  LinktypeAssign,
  IfaceDir,
  BareIfaceDir,
  SrcEndpoint,
  Arrow,
  DstEndpoint,
  ReceivedByFilter,
  DroppedByKernel,
  PrinterMissing,
  Esp,
  IpProto,
  Icmp6Colon,
  IcmpColon,
  Dot1Q,
  VlanTag,
  DiagnoseKw,
  SnifferKw,
  PacketKw,
  NetworkKw,
  Syn,
  Fin,
  Rst,
  Psh,
  Urg,
  Ece,
  Cwr,
  Ack,
  Udp,
  Arp,
  WhoHas,
  Tell,
  Reply,
  IsAt,
  Stp,
  Priority,
  Echo,
  Request,
  Port,
  Unreachable,
  Seq,
  Bracketed,
  Parenthesized,
  Quoted,
  Number,
  Colon,
  Word,
  AnyWord,
  Timestamp,
  TcpFlag,
  PreambleToken,
  EchoKind,
];

/** Grammar validations run in tests and development (`SNIFFDIAG_VALIDATE=1`), not in production. */
export const validateGrammars: boolean =
  typeof process !== "undefined" && typeof process.env === "object" && process.env["SNIFFDIAG_VALIDATE"] === "1";

export const snifferLexer = new Lexer(allTokens, {
  positionTracking: "onlyOffset",
  ensureOptimizations: true,
  skipValidations: !validateGrammars,
});
