/**
 * Token vocabularies of `diagnose debug flow` output (../shared/spec/debug-flow.md §2), in two
 * lexers that feed one parser:
 *
 * - `traceLexer` reads one physical line: prompt, console timestamp, `[FPMnn]` blade prefix,
 *   `id=`, `pri=`, `trace_id=`, `func=`, `line=`, and the whole `msg="..."` value as one token.
 *   Where a message ends is decided by its closing quote (a quote followed by a blank, the end of
 *   the line, an arrow, a comment or the next record), so several records on one line and
 *   messages cut before their quote both lex; an unterminated message runs to the end of the line
 *   (`MsgOpen`) and the joiner decides whether the next line continues it.
 * - `packetLexer` reads the text of a `received a packet` message: VDOM, `(proto=N,` the tuple
 *   split around `->`, `tun_id=`, `from <if>.`, TCP `flag [S.], seq N, ack N, win N` and ICMP
 *   `type=N, code=N, id=N, seq=N.`; anything else is a `Fragment`, so cut messages still lex.
 *
 * Position-dependent tokens use custom matchers that look at the tokens already matched; every
 * custom pattern is a sticky (`/y`) regex or a hand scan with start-char hints so chevrotain's
 * first-char optimisation stays on. No pattern backtracks over user text more than linearly.
 */
import { createToken, Lexer, type CustomPatternMatcherFunc, type TokenType } from "chevrotain";
import { ANY_START, DIGITS, sticky, type Context } from "../common.js";

const ADDRESS_START = "0123456789abcdefABCDEFx:".split("").concat("ghijklmnopqrstuvwyzGHIJKLMNOPQRSTUVWXYZ".split(""));

const lastIs =
  (...types: TokenType[]): Context =>
  (tokens) => {
    const last = tokens[tokens.length - 1];
    return last !== undefined && types.includes(last.tokenType);
  };

/** Validations run in tests and development (`SNIFFDIAG_VALIDATE=1`), not in production. */
export const validateGrammars: boolean =
  typeof process !== "undefined" && typeof process.env === "object" && process.env["SNIFFDIAG_VALIDATE"] === "1";

// ================================================================================================
// The record envelope (§2.1)
// ================================================================================================

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t]+/, group: Lexer.SKIPPED });
/** Markdown residue around a record: `` ` `` code spans and `**` bold (S04, S13). */
export const Decoration = createToken({ name: "Decoration", pattern: /`+|\*\*+/, group: Lexer.SKIPPED });

/** `- `, `* `, `1. `, `> `: a Markdown list or quote marker before the first record. */
export const Bullet = createToken({
  name: "Bullet",
  pattern: sticky(/(?:[-*+>]|\d{1,3}[.)])(?=[ \t])/, (tokens) => tokens.length === 0),
  start_chars_hint: ["-", "*", "+", ">", ...DIGITS],
  line_breaks: false,
});

/** `FGT1-MASTER #`, `FG100F (vdom) #`, `FGT#`, a bare `#`: the prompt the first record is glued to. */
export const Prompt = createToken({
  name: "Prompt",
  pattern: sticky(/(?:[A-Za-z0-9][\w.-]*(?: [A-Za-z][\w.-]*)?(?: ?\([^)]{0,40}\))? ?)?[#$](?=[ \t])/, (tokens) => tokens.length === 0 || lastIs(Bullet)(tokens)),
  start_chars_hint: ANY_START,
  line_breaks: false,
});

/** `diagnose debug console timestamp enable`: `2022-11-30 19:54:07` (one-second resolution). */
export const Timestamp = createToken({
  name: "Timestamp",
  pattern: /\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?![.:\d])/,
});

/** `[FPM04]`, `[FPC06]`: the chassis blade that printed the record (S18, S19). */
export const Blade = createToken({ name: "Blade", pattern: /\[[A-Za-z]{2,5}\d{1,3}\]/ });

export const TraceId = createToken({ name: "TraceId", pattern: /trace_id=\d{1,10}/ });
export const LogId = createToken({ name: "LogId", pattern: /id=\d{1,10}/ });
export const Pri = createToken({ name: "Pri", pattern: /pri=[A-Za-z]{1,20}/ });
export const Func = createToken({ name: "Func", pattern: /func=[^\s"]{1,100}/ });
export const LineNo = createToken({ name: "LineNo", pattern: /line=\d{1,10}/ });

/** A quote that closes a message: followed by the end, a blank, Markdown, an arrow, a comment or a blade. */
function closesMessage(text: string, q: number): boolean {
  if (q + 1 >= text.length) return true;
  const c = text.charCodeAt(q + 1);
  // blank, tab, `*`, `` ` ``, `<`, `/`, `[`
  return c === 32 || c === 9 || c === 42 || c === 96 || c === 60 || c === 47 || c === 91;
}

/** Where the `msg=` value at `offset` ends, and whether its closing quote was found. */
export function scanMessage(text: string, offset: number): { end: number; closed: boolean } | null {
  if (!text.startsWith("msg=", offset)) return null;
  let i = offset + 4;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 42 && c !== 96) break;
    i++;
  }
  if (i >= text.length) return { end: text.length, closed: false };
  if (text.charCodeAt(i) !== 34) return { end: text.length, closed: true };
  for (let q = text.indexOf('"', i + 1); q >= 0; q = text.indexOf('"', q + 1)) {
    if (closesMessage(text, q)) return { end: q + 1, closed: true };
  }
  return { end: text.length, closed: false };
}

function messageMatcher(closed: boolean): CustomPatternMatcherFunc {
  return (text, offset) => {
    const m = scanMessage(text, offset);
    if (m === null || m.closed !== closed) return null;
    return [text.slice(offset, m.end)] as unknown as RegExpExecArray;
  };
}

/** `msg="..."` with its closing quote (or an unquoted value to the end of the line). */
/** `msg="…"`, closed or left open: one token class for the parser. */
export const Message = createToken({ name: "Message", pattern: Lexer.NA });
export const Msg = createToken({ name: "Msg", pattern: messageMatcher(true), start_chars_hint: ["m"], line_breaks: false, categories: [Message] });
/** `msg="...` without a closing quote (a wrap or a cut paste), or a bare `msg=` at the end of the line (S04). */
export const MsgOpen = createToken({ name: "MsgOpen", pattern: messageMatcher(false), start_chars_hint: ["m"], line_breaks: false, categories: [Message] });

/** Things an author appends after a record. */
export const Trailer = createToken({ name: "Trailer", pattern: Lexer.NA });
/** `// ...`: a comment (S17). */
export const Comment = createToken({ name: "Comment", pattern: /\/\/.*/, categories: [Trailer] });
/** `<-----` and whatever the author wrote after it (S04, S16). */
export const Annotation = createToken({ name: "Annotation", pattern: /<-+.*/, categories: [Trailer] });
/** Any other text after a closed message (that does not start another record). */
export const TrailingText = createToken({
  name: "TrailingText",
  pattern: sticky(/\S.*/, lastIs(Msg)),
  categories: [Trailer],
  start_chars_hint: ANY_START,
  line_breaks: false,
});

/** Order matters: the first pattern that matches wins. */
export const traceTokens: TokenType[] = [
  WhiteSpace,
  Decoration,
  Bullet,
  Timestamp,
  Blade,
  TraceId,
  LogId,
  Pri,
  Func,
  LineNo,
  Msg,
  MsgOpen,
  Comment,
  Annotation,
  Prompt,
  TrailingText,
  Trailer,
  Message,
];

// ================================================================================================
// The `received a packet` message (§2.2)
// ================================================================================================

/** Blanks and the commas between fields (`seq 4037558586, ack 0, win 64240`). */
export const MsgSpace = createToken({ name: "MsgSpace", pattern: /[ \t,]+/, group: Lexer.SKIPPED });

/** `vd-root:0`, `vd-vsys_hamgmt:0`, `vd-Vdom1` (5.x: no index), first in the message. */
export const Vdom = createToken({
  name: "Vdom",
  pattern: sticky(/vd-[^\s:()]+(?::\d{1,5})?/, (tokens) => tokens.length === 0),
  start_chars_hint: ["v"],
  line_breaks: false,
});
export const Received = createToken({ name: "Received", pattern: /received a packet/ });
/** `(proto=6,` */
export const ProtoOpen = createToken({ name: "ProtoOpen", pattern: /\(\s*proto=\d{1,3}/ });
/** The source endpoint `10.0.1.101:40070`, `3ff5::100:10001`: right after `(proto=N,`, up to `->`. */
export const SrcEnd = createToken({
  name: "SrcEnd",
  pattern: sticky(/[0-9A-Za-z.:]{1,60}(?=->)/, lastIs(ProtoOpen)),
  start_chars_hint: ADDRESS_START,
  line_breaks: false,
});
export const Arrow = createToken({ name: "Arrow", pattern: /->/ });
/** The destination endpoint after `->` (possibly cut: `1"`). */
export const DstEnd = createToken({
  name: "DstEnd",
  pattern: sticky(/[0-9A-Za-z.:]{1,60}/, lastIs(Arrow)),
  start_chars_hint: ADDRESS_START,
  line_breaks: false,
});
/** Any field after a packet's addresses (`tun_id=`, `from port1.`, `flag [S]`, `seq N`, `type=8`, …): one token class for the parser. */
export const PacketField = createToken({ name: "PacketField", pattern: Lexer.NA });
export const RParen = createToken({ name: "RParen", pattern: /\)/, categories: [PacketField] });
/** `tun_id=0.0.0.0`, `tun_id=200.1.1.2` (cut: `tun_id=0`). */
export const TunId = createToken({ name: "TunId", pattern: /tun_id=[^\s)]*/, categories: [PacketField] });
export const FromLocal = createToken({ name: "FromLocal", pattern: sticky(/from local\.(?=\s|$)/), start_chars_hint: ["f"], line_breaks: false, categories: [PacketField] });
/** `from port5.`, `from LAN Aggregate.`, `from vlan.100.`: everything up to the final `.` before a blank or the end. */
export const FromIface = createToken({ name: "FromIface", pattern: sticky(/from\s+\S.{0,80}?\.(?=\s|$)/), start_chars_hint: ["f"], line_breaks: false, categories: [PacketField] });
/** `flag [S.]` */
export const FlagBracket = createToken({ name: "FlagBracket", pattern: /flag\s*\[[^\]\s]{0,12}\]/, categories: [PacketField] });
export const TcpSeq = createToken({ name: "TcpSeq", pattern: /seq\s+\d{1,10}/, categories: [PacketField] });
export const TcpAck = createToken({ name: "TcpAck", pattern: /ack\s+\d{1,10}/, categories: [PacketField] });
export const TcpWin = createToken({ name: "TcpWin", pattern: /win\s+\d{1,10}/, categories: [PacketField] });
export const IcmpType = createToken({ name: "IcmpType", pattern: /type=\d{1,3}/, categories: [PacketField] });
export const IcmpCode = createToken({ name: "IcmpCode", pattern: /code=\d{1,3}/, categories: [PacketField] });
export const IcmpId = createToken({ name: "IcmpId", pattern: /id=\d{1,5}/, categories: [PacketField] });
export const IcmpSeq = createToken({ name: "IcmpSeq", pattern: /seq=\d{1,10}/, categories: [PacketField] });
/** Anything else (a cut word, a field this grammar does not know). */
export const Fragment = createToken({ name: "Fragment", pattern: sticky(/[^\s,]+/), start_chars_hint: ANY_START, line_breaks: false, categories: [PacketField] });

export const packetTokens: TokenType[] = [
  MsgSpace,
  Vdom,
  Received,
  ProtoOpen,
  SrcEnd,
  Arrow,
  DstEnd,
  RParen,
  TunId,
  FromLocal,
  FromIface,
  FlagBracket,
  TcpSeq,
  TcpAck,
  TcpWin,
  IcmpType,
  IcmpCode,
  IcmpId,
  IcmpSeq,
  Fragment,
  PacketField,
];

/** The parser's vocabulary: both lexers' tokens. */
export const allTokens: TokenType[] = [...traceTokens, ...packetTokens];

export const traceLexer = new Lexer(traceTokens, {
  positionTracking: "onlyOffset",
  ensureOptimizations: true,
  skipValidations: !validateGrammars,
});

export const packetLexer = new Lexer(packetTokens, {
  positionTracking: "onlyOffset",
  ensureOptimizations: true,
  skipValidations: !validateGrammars,
});
