/**
 * The capture-filter grammar's entry: `parseFilter(text)` gives the FilterNode tree or throws a
 * FilterSyntaxError naming what was expected and where. Nothing else is ever thrown, and the work is
 * linear in the length of the text (lexer and LL(2) parser; no backtracking).
 */
import { EOF, type IRecognitionException, type IToken, type TokenType } from "chevrotain";
import * as T from "./tokens.js";
import { filterParser, type FilterParser } from "./parser.js";
import { FilterSyntaxError } from "./errors.js";
import type { FilterNode } from "./ast.js";

export type { FilterNode, ArithNode, Direction, ProtoName, HostProto, NetProto, PortProto, RelOp, ArithOp, FilterKind } from "./ast.js";
export { PROTO_NAMES } from "./ast.js";
export { FilterSyntaxError } from "./errors.js";
export { printFilter, printArith } from "./print.js";
export { createFilterParser } from "./parser.js";
export { createFilterLexer } from "./tokens.js";
export * from "./values.js";

/** Longer filters are refused (FortiOS' own CLI takes far less); keeps recursion bounded. */
export const MAX_FILTER_LENGTH = 8192;

/** Parse a filter; `""`, blanks and `none` give `{ kind: "all" }`. Throws FilterSyntaxError only. */
export function parseFilter(expression: string): FilterNode {
  try {
    return parse(expression);
  } catch (e) {
    if (e instanceof FilterSyntaxError) throw e;
    const reason = e instanceof RangeError ? "the filter nests too deeply" : "the filter could not be read";
    throw new FilterSyntaxError(expression, 1, reason);
  }
}

function parse(expression: string): FilterNode {
  if (expression.length > MAX_FILTER_LENGTH) {
    throw new FilterSyntaxError(expression, MAX_FILTER_LENGTH + 1, `the filter is longer than ${MAX_FILTER_LENGTH} characters`);
  }
  const trimmed = expression.trim();
  if (trimmed === "" || trimmed === "none") return { kind: "all" };

  const lexed = T.filterLexer().tokenize(expression);
  const lexError = lexed.errors[0];
  if (lexError !== undefined) {
    const ch = expression.charAt(lexError.offset);
    const reason =
      ch === "'" || ch === '"'
        ? `unexpected quote ${ch}: quotes go around the filter on the command line, not inside it`
        : `unexpected character '${ch}'`;
    throw new FilterSyntaxError(expression, lexError.offset + 1, reason);
  }

  const parser = filterParser();
  parser.input = lexed.tokens;
  parser.begin(expression);
  const node = parser.filter();
  const syntax = parser.errors[0];
  const semantic = parser.build.semantic;
  if (syntax !== undefined) {
    const d = describe(syntax, lexed.tokens, parser, expression);
    if (semantic !== null && semantic.start < d.column - 1) throw new FilterSyntaxError(expression, semantic.start + 1, semantic.reason, "error");
    throw new FilterSyntaxError(expression, d.column, d.reason);
  }
  if (semantic !== null) throw new FilterSyntaxError(expression, semantic.start + 1, semantic.reason, "error");
  return node;
}

// ---- syntax error messages ------------------------------------------------------------------------

const OPERAND_RULES = new Set(["filter", "expr", "unary", "relation", "arith", "bitAnd", "shift", "additive", "multiplicative", "unaryMinus", "primary"]);
const ARITH_OPS: TokenType[] = [T.Amp, T.Pipe, T.Caret, T.Plus, T.Minus, T.Star, T.Slash, T.Percent, T.Shl, T.Shr];

interface Described {
  column: number;
  reason: string;
}

/** Turn chevrotain's exception into a message about the filter, using the parser state at the failure. */
function describe(err: IRecognitionException, tokens: IToken[], parser: FilterParser, expression: string): Described {
  const tok = err.token;
  const atEof = tok.tokenType === EOF || Number.isNaN(tok.startOffset);
  const idx = atEof ? tokens.length : tokens.findIndex((t) => t.startOffset === tok.startOffset);
  const prev = idx > 0 ? (tokens[idx - 1] as IToken) : null;
  const found = atEof ? "" : `, found '${tok.image}'`;
  const top = err.context.ruleStack[err.context.ruleStack.length - 1] ?? "filter";
  const open = parser.build.opens[parser.build.opens.length - 1];

  /** the caret: at the token, or past the end (after a space when a word is missing there) */
  const at = (reason: string, gap: boolean): Described => {
    if (!atEof) return { column: tok.startOffset + 1, reason };
    const end = expression.trimEnd().length;
    return { column: end + (gap ? 2 : 1), reason };
  };
  const after = (what: string): Described => {
    const p = prev as IToken;
    const opening = p.tokenType === T.LParen || p.tokenType === T.LBracket || p.tokenType === T.Colon || p.tokenType === T.Slash;
    const label = p.tokenType === T.LBracket && open !== undefined ? open.label : p.image;
    return at(`expected ${what} after '${label}'${found}`, !opening);
  };
  const closer = (o: { tok: IToken; label: string }, want: string): Described => {
    const col = o.tok.startOffset + 1;
    const label = o.label === "(" ? "the '('" : `'${o.label}'`;
    return at(atEof ? `missing '${want}' to close ${label} at column ${col}` : `expected '${want}' to close ${label} at column ${col}${found}`, false);
  };

  if (err.name === "NotAllInputParsedException") {
    if (tok.tokenType === T.RParen) return at("unmatched ')'", false);
    if (tok.tokenType === T.RBracket) return at("unmatched ']'", false);
    if (prev === null) {
      if (tok.tokenType === T.And || tok.tokenType === T.Or) return at(`'${tok.image}' needs an expression before it`, false);
      return at(`expected a filter expression, found '${tok.image}'`, false);
    }
    return at(`expected 'and' or 'or' before '${tok.image}'`, false);
  }

  if (prev === null) return at(`expected a filter expression${found}`, false);

  switch (top) {
    case "headId":
      return after(expectedId(parser));
    case "load":
      if (prev.tokenType === T.LBracket) return after("a byte offset");
      if (prev.tokenType === T.Colon) return after("a size (1, 2 or 4)");
      if (open !== undefined) return closer(open, "]");
      break;
    case "group":
      if (open !== undefined) return closer(open, ")");
      break;
    case "dqual": {
      const before = tokens[idx - 2];
      const want = before?.tokenType === T.Dst ? "src" : "dst";
      return at(`expected '${want}' after '${before?.image ?? ""} ${prev.image}'${found}`, true);
    }
    case "wordAtom":
    case "colonAtom":
      if (prev.tokenType === T.Slash) return after("a prefix length");
      if (prev.tokenType === T.Mask) return after("a netmask");
      break;
    case "other":
      if (prev.tokenType === T.Less || prev.tokenType === T.Greater) return after("a length");
      break;
  }

  if (OPERAND_RULES.has(top) || top === "load") {
    const pt = prev.tokenType;
    if (pt === T.And || pt === T.Or || pt === T.Not || pt === T.LParen) return after("an expression");
    if (pt === T.LBracket) return after("a byte offset");
    if (isRelOp(pt) || ARITH_OPS.includes(pt)) return after("a value");
  }
  return at(atEof ? "unexpected end of the filter" : `unexpected '${tok.image}'`, false);
}

function isRelOp(t: TokenType): boolean {
  return t === T.Eq || t === T.EqEq || t === T.NotEq || t === T.Lt || t === T.LtEq || t === T.Gt || t === T.GtEq;
}

/** What the id after a qualifier should have been, from the qualifiers in force. */
function expectedId(parser: FilterParser): string {
  switch (parser.build.qual?.type ?? null) {
    case "host":
      return "a host name or address";
    case "net":
      return "a network (10.0.0.0/8 or 10.0.0.0 mask 255.0.0.0)";
    case "port":
      return "a port number";
    case "portrange":
      return "a port range (like 1024-2047)";
    case "proto":
      return "a protocol number or name";
    case "gateway":
      return "a gateway host name";
    case null:
      return "'host', 'net', 'port', 'portrange' or an address";
  }
}
