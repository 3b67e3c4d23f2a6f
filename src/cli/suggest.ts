/**
 * "Did you mean": a mistyped command is not taken for a file (`sniffdiag analyse x.txt`), and a
 * mistyped option names the one it resembles (`--versoin` → `--version`).
 */
import { existsSync } from "node:fs";

export const COMMANDS = ["analyze", "flows", "parse", "export", "mask", "services", "schema", "web", "live"] as const;

/** Options that take a value: the word after them is not a command. */
const VALUE_OPTIONS = new Set([
  "-o",
  "--output",
  "--format",
  "--timeout",
  "--fail-on",
  "--filter",
  "--services",
  "--jobs",
  "--mask-key",
  "--mask-keep",
  "--label",
  "--min-severity",
  "--max-input-bytes",
  "--start",
  "--include",
  "--exclude",
  "--p2p",
  // live
  "--iface",
  "--verbose",
  "--count",
  "--duration",
  "--vdom",
  "--save",
  "--save-pcapng",
  "--identity",
  "-i",
  "--known-hosts",
  "--connect-timeout",
  "--prompt-timeout",
  "--debug-flow",
]);

/** Long options of every command, for suggestions. */
export const LONG_OPTIONS = [
  "help",
  "version",
  "format",
  "output",
  "timeout",
  "fail-on",
  "color",
  "no-color",
  "filter",
  "services",
  "jobs",
  "progress",
  "mask",
  "mask-key",
  "mask-keep",
  "label",
  "quiet",
  "min-severity",
  "max-input-bytes",
  "keep-going",
  "start",
  "include",
  "exclude",
  "p2p",
  "follow",
  "iface",
  "verbose",
  "count",
  "duration",
  "vdom",
  "save",
  "save-pcapng",
  "exclude-own-session",
  "no-exclude-own-session",
  "identity",
  "known-hosts",
  "accept-new-host-key",
  "connect-timeout",
  "prompt-timeout",
  "debug-flow",
] as const;

/** Levenshtein distance, with an adjacent transposition counting as one edit. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, ((d[i - 2] as number[])[j - 2] ?? 0) + 1);
      row[j] = v;
    }
  }
  return (d[a.length] as number[])[b.length] ?? 0;
}

/** The closest of `names` to `word` within a small distance, or null. */
export function closest(word: string, names: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  const w = word.toLowerCase();
  for (const n of names) {
    const dist = n.startsWith(w) && w.length >= 3 ? 0.5 : editDistance(w, n);
    if (dist < bestD) {
      best = n;
      bestD = dist;
    }
  }
  const limit = w.length <= 4 ? 1 : 2;
  return bestD <= limit ? best : null;
}

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * The message for a first word that is neither a command nor an input (a path that exists, `-`,
 * or a glob), or null when the arguments are fine to hand to the parser.
 */
export function mistypedCommand(argv: readonly string[], exists: (p: string) => boolean = existsSync): string | null {
  let word: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--") return null;
    if (a.startsWith("-") && a !== "-") {
      if (VALUE_OPTIONS.has(a)) i++;
      continue;
    }
    word = a;
    break;
  }
  if (word === undefined || word === "-" || (COMMANDS as readonly string[]).includes(word) || GLOB_CHARS.test(word) || exists(word)) return null;
  const suggestion = closest(word, COMMANDS);
  if (suggestion !== null) return `unknown command '${word}' — did you mean '${suggestion}'?`;
  // a bare word (no path separator, no extension) is a command the user expected, not a file
  if (!/[./\\]/.test(word)) return `unknown command '${word}' (commands: ${COMMANDS.join(", ")}; an input must be a file or directory that exists, - or a glob)`;
  return null;
}

/** yargs' "Unknown argument: versoin" with the option it resembles. */
export function suggestOption(message: string): string {
  const m = /^Unknown arguments?: (.+)$/.exec(message);
  if (m === null) return message;
  const words = (m[1] ?? "").split(/,\s*/);
  const hints = words.map((w) => {
    const name = w.replace(/^-+/, "");
    const s = closest(name, LONG_OPTIONS);
    return s === null ? `--${name}` : `--${name} (did you mean --${s}?)`;
  });
  return `unknown option${hints.length === 1 ? "" : "s"} ${hints.join(", ")}`;
}
