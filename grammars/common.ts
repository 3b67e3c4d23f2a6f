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
 * and hands back one reused result array: chevrotain reads the matched text (and the payload) at
 * once, and a fresh match array per token was a measurable share of the parser's garbage.
 * `payload`, when given, reads the token's fields from the match at [start, end) by position, so
 * the parser takes them from `token.payload` instead of re-parsing the image with a regex.
 */
export function sticky(re: RegExp, when?: Context, payload?: (text: string, start: number, end: number) => unknown): CustomPatternMatcherFunc {
  const y = new RegExp(re.source, re.flags.includes("y") ? re.flags : re.flags + "y");
  const result = [""] as unknown as RegExpExecArray & { payload?: unknown };
  return (text, offset, tokens) => {
    if (when !== undefined && !when(tokens)) return null;
    y.lastIndex = offset;
    if (!y.test(text)) return null;
    const end = y.lastIndex;
    result[0] = text.slice(offset, end);
    if (payload !== undefined) result.payload = payload(text, offset, end);
    return result;
  };
}

/**
 * A matcher for `prefix … close` where the prefix ends with the opener (`\[[^\]]*\]`,
 * `\([^)]*\)`, `interfaces=\[[^\]]*\]`): the prefix, then everything up to the first closer.
 * The closer's position is remembered per text, so a line of many openers and no closer
 * (`[ [ [ …`) is scanned once, not once per opener (which made such lines quadratic).
 */
export function enclosed(prefix: string, close: string): CustomPatternMatcherFunc {
  const first = prefix.charCodeAt(0);
  const result = [""] as unknown as RegExpExecArray;
  let lastText: string | null = null;
  /** no closer in [from, at); the first closer at `at` (none at all from `from` on when at < 0) */
  let from = 0;
  let at = -1;
  return (text, offset) => {
    if (text.charCodeAt(offset) !== first || (prefix.length > 1 && !text.startsWith(prefix, offset))) return null;
    const start = offset + prefix.length;
    if (text !== lastText || start < from || (at >= 0 && start > at)) {
      lastText = text;
      from = start;
      at = text.indexOf(close, start);
    }
    // equal texts compare by content; keep this very string so the next call compares by identity
    lastText = text;
    if (at < 0) return null;
    result[0] = text.slice(offset, at + 1);
    return result;
  };
}

/**
 * `prefix … ]` up to the last `]` before a line terminator (`filters=\[.*\]`: filters hold
 * brackets). The last closer is remembered per text, so repeated prefixes stay linear.
 */
export function prefixedToLastBracket(prefix: string): CustomPatternMatcherFunc {
  const result = [""] as unknown as RegExpExecArray;
  let lastText: string | null = null;
  let from = 0;
  let lineEnd = 0;
  let lastClose = -1;
  return (text, offset) => {
    if (!text.startsWith(prefix, offset)) return null;
    if (text !== lastText || offset < from || offset >= lineEnd) {
      lastText = text;
      from = offset;
      lineEnd = text.length;
      // `.` stops at line terminators; a cleaned line has none, but stay exact
      for (let i = offset; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) {
          lineEnd = i;
          break;
        }
      }
      lastClose = text.lastIndexOf("]", lineEnd - 1);
    }
    lastText = text;
    if (lastClose < offset + prefix.length) return null;
    result[0] = text.slice(offset, lastClose + 1);
    return result;
  };
}
