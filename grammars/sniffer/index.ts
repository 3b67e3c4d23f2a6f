/**
 * The sniffer-output line grammar's entry: classify one cleaned line (no leading or trailing
 * blanks, not empty) into a LineShape. The lexer and parser are built once at module load and
 * reused for every line.
 */
import { type TokenType } from "chevrotain";
import { snifferLexer, Prompt, allTokens } from "./tokens.js";
import { snifferLineParser } from "./parser.js";
import type { LineShape, NoiseReason } from "./shapes.js";

export type { LineShape, HeaderShape, SummaryShape, PreambleItem, IcmpShape, NoiseReason } from "./shapes.js";
export { decodeHexRow, hexToBytes, type HexRowResult, type HexRowValue } from "./hexRow.js";

export interface ClassifiedLine {
  shape: LineShape;
  /** an author's `//` comment at the end of the line, and where it starts */
  comment: string | null;
  commentStart: number;
}

/**
 * The token types a line can start with, from the grammar itself (the `line` rule's first set,
 * categories resolved). A line that starts with any other token cannot parse: it goes straight to
 * the leftover classes, before the parser builds an error (with the alternatives' lookahead paths)
 * only to throw it away.
 */
const CAN_START_LINE: ReadonlySet<TokenType> = (() => {
  const first = new Set(snifferLineParser.computeContentAssist("line", []).map((p) => p.nextTokenType));
  const out = new Set<TokenType>();
  for (const t of allTokens) {
    if (first.has(t) || (t.CATEGORIES ?? []).some((c) => first.has(c))) out.add(t);
  }
  return out;
})();

export function classifyLine(text: string): ClassifiedLine {
  const lexed = snifferLexer.tokenize(text);
  const comments = lexed.groups["comments"];
  const commentTok = comments !== undefined && comments.length > 0 ? comments[0] : undefined;
  const comment = commentTok === undefined ? null : commentTok.image.slice(2).trim();
  const commentStart = commentTok === undefined ? -1 : commentTok.startOffset;
  const tokens = lexed.tokens;
  const head = tokens[0];
  if (head !== undefined && lexed.errors.length === 0 && CAN_START_LINE.has(head.tokenType)) {
    snifferLineParser.input = tokens;
    const shape = snifferLineParser.line();
    if (snifferLineParser.errors.length === 0) return { shape, comment, commentStart };
    if (tokens[0]?.tokenType === Prompt) {
      return { shape: { kind: "prompt", prompt: tokens[0].image, rest: text.slice(tokens[0].image.length).trim() }, comment, commentStart };
    }
  }
  return { shape: classifyLeftover(text), comment, commentStart };
}

const LOOKS_LIKE_HEADER = /^(?:\[[^\]]{1,20}\]\s+)?\d{1,10}\.\d{1,9}:?\s/;
/** the middle of a packet line: `<endpoint> -> <endpoint>: <summary word>` */
const LOOKS_LIKE_PACKET_BODY = /\S -> \S{1,80}: {1,2}(?:udp|icmp6?|syn|fin|rst|psh|ack|ip-proto-\d+|ESP)\b/;
const LOOKS_LIKE_ABS_HEADER = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+\s/;
const LOOKS_LIKE_HEX = /^0x[0-9a-zA-Z]{2,8}[\t ]+[0-9a-fA-F]{2}/;
const TCPDUMP = /^(?:0x[0-9a-fA-F]{4}:\s|\d\d:\d\d:\d\d\.\d{6}\s|tcpdump:|listening on )/;
const CLI_HELP =
  /^(?:<verbose>|verbose$|[1-6]: print header|filter\s+Flexible logical filters|For example:|'udp and port 1812|<interface>|<filter>|<count>|<tsformat>|<frame size>|Command fail|command parse error)/;
const TERMINAL_LOG = /^(?:Script (?:started|done) on |Connection to \S+ closed|=~=~=~|Warning: Permanently added|The authenticity of host|current vf=|Last login:)/;
const DEBUG_FLOW = /^(?:\[[A-Z]{3}\d+\]\s+)?(?:\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+)?id=\d+\s.*\btrace_id=/;
const PLACEHOLDER = /^(?:\.{1,3}|…|\[cut\]|\[\.\.\.\]|-{3,}|={3,})$/;

/** A line the grammar did not parse: noise it can name, or a capture-like line it could not read. */
function classifyLeftover(text: string): LineShape {
  if (TCPDUMP.test(text)) return noise("foreign-dump");
  if (LOOKS_LIKE_HEX.test(text)) return { kind: "unrecognized", reason: "hex row that could not be read" };
  if (LOOKS_LIKE_ABS_HEADER.test(text) || LOOKS_LIKE_HEADER.test(text) || LOOKS_LIKE_PACKET_BODY.test(text)) {
    return { kind: "unrecognized", reason: "packet line that could not be read" };
  }
  if (DEBUG_FLOW.test(text)) return noise("debug-flow");
  if (CLI_HELP.test(text)) return noise("cli-help");
  if (TERMINAL_LOG.test(text)) return noise("terminal-log");
  if (PLACEHOLDER.test(text)) return noise("placeholder");
  return noise("prose");
}

function noise(reason: NoiseReason): LineShape {
  return { kind: "noise", reason };
}
