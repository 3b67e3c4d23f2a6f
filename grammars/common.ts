/**
 * Helpers shared by the grammars: start-character hints that keep chevrotain's first-char
 * optimisation on for tokens that may start with anything, and sticky custom matchers that look
 * at the tokens already matched.
 */
import type { CustomPatternMatcherFunc, IToken } from "chevrotain";

/** Every printable start character (ASCII, Latin-1 and one per 256-code bucket above). */
export const ANY_START: number[] = (() => {
  const codes: number[] = [];
  for (let c = 33; c < 256; c++) if (c !== 127 && c !== 160) codes.push(c);
  for (let c = 256; c < 65536; c += 256) codes.push(c);
  return codes;
})();

export const DIGITS = "0123456789".split("");

/** Whether a token may match here, from the tokens already matched on the line. */
export type Context = (tokens: IToken[]) => boolean;

/**
 * A sticky (`/y`) matcher for `re`, tried only where `when` allows. It tests rather than execs
 * and hands back one reused result array: chevrotain reads only the matched text, at once, and a
 * fresh match array per token was a measurable share of the parser's garbage.
 */
export function sticky(re: RegExp, when?: Context): CustomPatternMatcherFunc {
  const y = new RegExp(re.source, re.flags.includes("y") ? re.flags : re.flags + "y");
  const result = [""] as unknown as RegExpExecArray;
  return (text, offset, tokens) => {
    if (when !== undefined && !when(tokens)) return null;
    y.lastIndex = offset;
    if (!y.test(text)) return null;
    result[0] = text.slice(offset, y.lastIndex);
    return result;
  };
}
