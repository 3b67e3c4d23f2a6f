/**
 * Text from the input made harmless for terminals and documents. A leaf module: it imports
 * nothing, so every renderer, the CLI's messages and the web page can use the same step.
 *
 * What a capture, a file name or a `--services` text holds is data, never a command to the
 * terminal or the reader: C0 controls (except TAB), DEL, C1 controls (U+0080–U+009F, among them
 * the 8-bit CSI U+009B and NEL U+0085), ESC, the line and paragraph separators and the bidi
 * controls (U+202E and friends, which reorder what a reader sees) are shown as escapes
 * (`\x1b`, `\u202e`) instead of being passed through.
 */

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const UNSAFE_ALL = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// the same without `\n`, for text whose line breaks are its own (remedies, explanations)
// eslint-disable-next-line no-control-regex
const UNSAFE_KEEP_NL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// what JSON.stringify leaves raw but a terminal or an editor may act on
const JSON_UNSAFE = /[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `\x1b` for a code unit below 0x100, `\u202e` above. */
export function escapeControl(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? "\\x" + code.toString(16).padStart(2, "0") : "\\u" + code.toString(16).padStart(4, "0");
}

/** The text with every control character (TAB excepted) made visible as an escape. */
export function safeText(s: string): string {
  return UNSAFE.test(s) ? s.replace(UNSAFE_ALL, escapeControl) : s;
}

/** As safeText, but `\n` stays a line break (multi-line texts of our own, such as remedies). */
export function safeLines(s: string): string {
  return UNSAFE.test(s) ? s.replace(UNSAFE_KEEP_NL, escapeControl) : s;
}

/** True when the text holds a character safeText would escape. */
export function hasControl(s: string): boolean {
  return UNSAFE.test(s);
}

/**
 * Serialised JSON with C1, DEL, line separators and bidi controls written as `\uXXXX`: the same
 * JSON value (every reader decodes it to the same string), but nothing in it acts on a terminal.
 * (JSON.stringify already escapes C0.)
 */
export function jsonSafe(json: string): string {
  return json.replace(JSON_UNSAFE, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/** Name of a control character for messages: `U+0000 (NUL)`, `U+202E`. */
export function controlName(code: number): string {
  const names: Record<number, string> = { 0: "NUL", 7: "BEL", 8: "BS", 9: "TAB", 0x0b: "VT", 0x0c: "FF", 0x0d: "CR", 0x1b: "ESC", 0x7f: "DEL", 0x85: "NEL", 0x9b: "CSI", 0x202e: "RLO", 0x202d: "LRO" };
  const hex = "U+" + code.toString(16).toUpperCase().padStart(4, "0");
  const name = names[code];
  return name === undefined ? hex : `${hex} (${name})`;
}

/**
 * A copy of a value (a report, flows) with every string passed through safeLines: the one step
 * before a human-facing renderer (table, text, markdown, HTML, the web page). Line breaks of our
 * own (remedies) stay; input lines never hold one. Only strings that need it are copied.
 */
export function safeStrings<T>(value: T): T {
  return safeValue(value) as T;
}

function safeValue(value: unknown): unknown {
  if (typeof value === "string") return safeLines(value);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v = value[i] as unknown;
      const s = safeValue(v);
      if (s !== v && out === null) out = value.slice(0, i);
      if (out !== null) out.push(s);
    }
    return out ?? value;
  }
  let out: Record<string, unknown> | null = null;
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    const s = safeValue(v);
    if (s !== v) {
      out ??= Object.assign({}, obj);
      out[key] = s;
    }
  }
  return out ?? value;
}
