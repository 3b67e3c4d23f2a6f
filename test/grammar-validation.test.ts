/**
 * chevrotain's grammar validations for all three grammars — the sniffer line grammar, the debug-flow
 * trace grammar and the tcpdump filter grammar: `performSelfAnalysis` with validations on checks
 * every rule (left recursion, ambiguous and empty alternatives, unreachable or duplicate
 * alternatives, too many alternatives, missing lookahead paths) and each lexer checks its tokens
 * (unreachable patterns, anchors, empty matches). Production builds skip these checks for start-up
 * speed; the grammars turn them on with SNIFFDIAG_VALIDATE=1, which this file sets before it loads
 * them (a fresh module registry per test file, so the parsers are built here, validated).
 */
import type { EmbeddedActionsParser, Lexer } from "chevrotain";

process.env["SNIFFDIAG_VALIDATE"] = "1";

const snifferTokens = await import("../grammars/sniffer/tokens.js");
const snifferParser = await import("../grammars/sniffer/parser.js");
const traceTokens = await import("../grammars/debugflow/tokens.js");
const traceParser = await import("../grammars/debugflow/parser.js");
const filterTokens = await import("../grammars/filter/tokens.js");
const filterParser = await import("../grammars/filter/parser.js");

/** What the parser's self-analysis found (chevrotain keeps it; not in its public types). */
function definitionErrors(parser: EmbeddedActionsParser): string[] {
  const errors = (parser as unknown as { definitionErrors?: { message: string }[] }).definitionErrors;
  expect(Array.isArray(errors)).toBe(true);
  return (errors ?? []).map((e) => e.message);
}

function lexerErrors(lexer: Lexer): string[] {
  return lexer.lexerDefinitionErrors.map((e) => e.message);
}

describe("grammar validation (SNIFFDIAG_VALIDATE=1)", () => {
  test("the grammars were loaded with their validations on", () => {
    expect(snifferTokens.validateGrammars).toBe(true);
    expect(traceTokens.validateGrammars).toBe(true);
    expect(filterTokens.validateGrammars).toBe(true);
  });

  test("sniffer: the line lexer and the line parser have no definition errors", () => {
    expect(lexerErrors(snifferTokens.snifferLexer)).toEqual([]);
    expect(definitionErrors(snifferParser.snifferLineParser)).toEqual([]);
    // the analysis ran over the grammar's rules
    expect(Object.keys(snifferParser.snifferLineParser.getGAstProductions())).toEqual(expect.arrayContaining(["line", "command", "preamble", "packetHeader", "trailer"]));
  });

  test("debug flow: the trace and packet-message lexers and the trace parser have no definition errors", () => {
    expect(lexerErrors(traceTokens.traceLexer)).toEqual([]);
    expect(lexerErrors(traceTokens.packetLexer)).toEqual([]);
    expect(definitionErrors(traceParser.traceLineParser)).toEqual([]);
    expect(Object.keys(traceParser.traceLineParser.getGAstProductions())).toEqual(expect.arrayContaining(["traceLine", "record", "packetMessage"]));
  });

  test("filter: the lexer and the parser have no definition errors", () => {
    expect(lexerErrors(filterTokens.createFilterLexer(true))).toEqual([]);
    const parser = filterParser.createFilterParser(true);
    expect(definitionErrors(parser)).toEqual([]);
    expect(Object.keys(parser.getGAstProductions())).toEqual(expect.arrayContaining(["filter", "expr", "primary", "arith", "relation"]));
  });
});
