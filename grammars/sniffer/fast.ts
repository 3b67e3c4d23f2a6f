/**
 * Hand scanners for the two shapes that make up almost every line of a big capture — hex rows and
 * well-formed IP packet headers. Each one either returns exactly what the grammar (tokens.ts +
 * parser.ts, then hexRow.ts) gives for the line, or declines (null / false) and the line goes to
 * the grammar. They know a deliberately narrow set of shapes; anything else is declined, so the
 * grammar stays the definition. test/fast-path.test.ts runs both on every line of the corpus, the
 * samples, the bench generator's output and generated lines, and compares.
 *
 * Accepted headers (on a cleaned line: trimmed, printable ASCII and TABs only, no `[ ( ' " / =`):
 *
 *   TIMESTAMP [IFACE in|out|--] SRC -> DST: SUMMARY
 *
 * with SUMMARY one of `FLAGS… N [ack N]`, `ack N`, `udp N`, `icmp: echo request|reply [seq N]`,
 * `icmp6: echo request|reply [seq N]` and nothing after it.
 */
import type { HeaderShape, SummaryShape } from "./shapes.js";

// ---- hex rows ---------------------------------------------------------------------------------------

const HEX_VALUE = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX_VALUE[97 + i] = 10 + i;
  HEX_VALUE[65 + i] = 10 + i;
}

/** Where `scanHexRow` leaves the row it read. */
export const hexRowScan = {
  offset: 0,
  /** bytes written to the output (1–16) */
  count: 0,
  /** the last index the scan looked at: what follows cannot change the result */
  last: 0,
};

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * A hex row in `buf[start, end)` (a cleaned line: no leading or trailing blanks): true with the
 * row's offset and bytes (into `out`, at least 20 long) when the grammar reads it as a hex row and
 * `decodeHexRow` decodes it without error; false otherwise (the grammar then classifies the line).
 */
export function scanHexRow(buf: Uint8Array, start: number, end: number, out: Uint8Array): boolean {
  // the HexRow token: (0x[0-9a-fA-F]{4,8} | [0-9a-fA-F]{6}) [\t ]+ [0-9a-fA-F]{2} .*
  let i = start;
  let offsetStart: number;
  if (end - start >= 2 && buf[i] === 48 && buf[i + 1] === 120) {
    offsetStart = i + 2;
    i = offsetStart;
    while (i < end && (HEX_VALUE[buf[i] as number] as number) >= 0) i++;
    const digits = i - offsetStart;
    if (digits < 4 || digits > 8) return false;
  } else {
    offsetStart = i;
    while (i < end && (HEX_VALUE[buf[i] as number] as number) >= 0) i++;
    if (i - offsetStart !== 6) return false;
  }
  const offsetEnd = i;
  if (i >= end || !isBlank(buf[i] as number)) return false;
  while (i < end && isBlank(buf[i] as number)) i++;
  if (end - i < 2 || (HEX_VALUE[buf[i] as number] as number) < 0 || (HEX_VALUE[buf[i + 1] as number] as number) < 0) return false;
  // `.*`: the rest of a cleaned line is anything (no line terminators in it)

  // decodeHexRow, on bytes
  let offset = 0;
  for (let k = offsetStart; k < offsetEnd; k++) offset = offset * 16 + (HEX_VALUE[buf[k] as number] as number);
  let bytes = 0;
  let groupWidth = 0;
  let last = i;
  while (i < end && bytes < 16) {
    const groupStart = i;
    while (i < end && (HEX_VALUE[buf[i] as number] as number) >= 0) i++;
    const width = i - groupStart;
    const next = i < end ? (buf[i] as number) : -1;
    last = i + 1;
    if (width === 0 || width > 4 || width % 2 !== 0 || (next !== 32 && next !== 9 && next !== -1)) {
      if (bytes === 0) return false;
      break;
    }
    if (groupWidth === 0) groupWidth = width;
    else if (width > groupWidth) break;
    for (let k = groupStart; k < i; k += 2) {
      out[bytes++] = ((HEX_VALUE[buf[k] as number] as number) << 4) | (HEX_VALUE[buf[k + 1] as number] as number);
    }
    if (width < groupWidth) break;
    if (next !== 32) break;
    if (i + 1 < end && buf[i + 1] === 32) break;
    i++;
  }
  if (bytes > 16) return false;
  hexRowScan.offset = offset;
  hexRowScan.count = bytes;
  hexRowScan.last = last;
  return true;
}

// ---- packet headers ---------------------------------------------------------------------------------

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Characters a header must not hold to be read here: they start tokens that span or end words. */
function refused(c: number): boolean {
  // [ ( ' " / = and everything outside printable ASCII but TAB
  return c === 91 || c === 40 || c === 39 || c === 34 || c === 47 || c === 61 || c > 126 || (c < 32 && c !== 9);
}

/**
 * `\d{1,10}\.\d{1,9}` or `\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{1,9}`, followed by a blank: where it
 * ends, negated for an absolute one (`-end`); 0 when the line does not start with one.
 */
function timestampEnd(t: string): number {
  const n = t.length;
  if (n > 26 && t.charCodeAt(4) === 45) {
    // absolute
    const shape = "dddd-dd-dd dd:dd:dd.";
    for (let k = 0; k < shape.length; k++) {
      const c = t.charCodeAt(k);
      const want = shape.charCodeAt(k);
      if (want === 100 ? !isDigit(c) : c !== want) return 0;
    }
    let i = shape.length;
    while (i < n && isDigit(t.charCodeAt(i))) i++;
    const frac = i - shape.length;
    if (frac < 1 || frac > 9 || i >= n || !isBlank(t.charCodeAt(i))) return 0;
    return -i;
  }
  let i = 0;
  while (i < n && isDigit(t.charCodeAt(i))) i++;
  if (i < 1 || i > 10 || i >= n || t.charCodeAt(i) !== 46) return 0;
  const fracStart = ++i;
  while (i < n && isDigit(t.charCodeAt(i))) i++;
  const frac = i - fracStart;
  if (frac < 1 || frac > 9 || i >= n || !isBlank(t.charCodeAt(i))) return 0;
  return i;
}

/** Words that an earlier token in the lexer's order could claim (preamble messages, the trailer). */
function claimedWord(t: string, s: number, e: number): boolean {
  const c = t.charCodeAt(s);
  // U(sing) S(ystem) p(ackets, cap_): look closer only at those
  if (c !== 85 && c !== 83 && c !== 112) return false;
  const w = t.slice(s, e);
  return w === "Using" || w === "System" || w === "packets" || w.startsWith("pcap_");
}

/** The TCP flag word at [s, e), or null. */
function tcpFlag(t: string, s: number, e: number): string | null {
  if (e - s !== 3) return null;
  switch (t.charCodeAt(s)) {
    case 115:
      return t.startsWith("syn", s) ? "syn" : null;
    case 102:
      return t.startsWith("fin", s) ? "fin" : null;
    case 114:
      return t.startsWith("rst", s) ? "rst" : null;
    case 112:
      return t.startsWith("psh", s) ? "psh" : null;
    case 117:
      return t.startsWith("urg", s) ? "urg" : null;
    case 101:
      return t.startsWith("ece", s) ? "ece" : null;
    case 99:
      return t.startsWith("cwr", s) ? "cwr" : null;
    default:
      return null;
  }
}

/** Word boundaries of the summary: [start0, end0, start1, end1, …], reused. */
const words: number[] = [];

/** A run of 1–15 digits as a number (exact, as `Number(image)`), or -1. */
function numberWord(t: string, s: number, e: number): number {
  if (e - s < 1 || e - s > 15) return -1;
  let v = 0;
  for (let i = s; i < e; i++) {
    const c = t.charCodeAt(i);
    if (!isDigit(c)) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

function isWord(t: string, k: number, w: string): boolean {
  const s = words[2 * k] as number;
  const e = words[2 * k + 1] as number;
  return e - s === w.length && t.startsWith(w, s);
}

function summaryOf(t: string, count: number): SummaryShape | null {
  const udp = isWord(t, 0, "udp");
  const icmp4 = !udp && isWord(t, 0, "icmp:");
  const icmp6 = !udp && !icmp4 && isWord(t, 0, "icmp6:");
  if (udp) {
    if (count !== 2) return null;
    const length = numberWord(t, words[2] as number, words[3] as number);
    return length < 0 ? null : { proto: "udp", length };
  }
  if (icmp4 || icmp6) {
    // echo request|reply [seq N]
    if ((count !== 3 && count !== 5) || !isWord(t, 1, "echo")) return null;
    const request = isWord(t, 2, "request");
    if (!request && !isWord(t, 2, "reply")) return null;
    let seq: number | null = null;
    if (count === 5) {
      if (!isWord(t, 3, "seq")) return null;
      seq = numberWord(t, words[8] as number, words[9] as number);
      if (seq < 0) return null;
    }
    return {
      proto: icmp4 ? "icmp" : "icmp6",
      icmp: { start: words[2] as number, kind: request ? "echo-request" : "echo-reply", seq, unreachable: null },
    };
  }
  if (isWord(t, 0, "ack")) {
    if (count !== 2) return null;
    const ack = numberWord(t, words[2] as number, words[3] as number);
    return ack < 0 ? null : { proto: "tcp", flags: ["ack"], seq: null, ack };
  }
  // FLAGS… N [ack N]
  let k = 0;
  const flags: string[] = [];
  while (k < count) {
    const w = tcpFlag(t, words[2 * k] as number, words[2 * k + 1] as number);
    if (w === null) break;
    flags.push(w);
    k++;
  }
  if (flags.length === 0 || k >= count) return null;
  const seq = numberWord(t, words[2 * k] as number, words[2 * k + 1] as number);
  if (seq < 0) return null;
  k++;
  let ack: number | null = null;
  if (k < count) {
    if (count - k !== 2 || !isWord(t, k, "ack")) return null;
    ack = numberWord(t, words[2 * k + 2] as number, words[2 * k + 3] as number);
    if (ack < 0) return null;
    flags.push("ack");
  }
  return { proto: "tcp", flags, seq, ack };
}

/**
 * The header of a cleaned line (no leading or trailing blanks) when it has one of the shapes above:
 * exactly the HeaderShape the grammar gives it, with no comment. Null otherwise.
 */
export function scanHeader(t: string): HeaderShape | null {
  const n = t.length;
  for (let i = 0; i < n; i++) if (refused(t.charCodeAt(i))) return null;
  const ts = timestampEnd(t);
  if (ts === 0) return null;
  const tsEnd = ts < 0 ? -ts : ts;
  let i = tsEnd;
  while (i < n && isBlank(t.charCodeAt(i))) i++;
  // first word: the interface (when a direction follows) or the source
  const w1s = i;
  while (i < n && !isBlank(t.charCodeAt(i))) i++;
  const w1e = i;
  while (i < n && isBlank(t.charCodeAt(i))) i++;
  const w2s = i;
  while (i < n && !isBlank(t.charCodeAt(i))) i++;
  const w2e = i;
  if (w1e === w1s || w2e === w2s || claimedWord(t, w1s, w1e)) return null;
  let iface: string | null = null;
  let dir: HeaderShape["dir"] = null;
  let srcS = w1s;
  let srcE = w1e;
  let arrowS = w2s;
  let arrowE = w2e;
  const w2 = w2e - w2s;
  const isDir =
    (w2 === 2 && t.startsWith("in", w2s)) || (w2 === 3 && t.startsWith("out", w2s)) || (w2 === 2 && t.charCodeAt(w2s) === 45 && t.charCodeAt(w2s + 1) === 45);
  if (isDir) {
    iface = t.slice(w1s, w1e);
    const d = t.slice(w2s, w2e);
    dir = d === "--" ? "unknown" : (d as "in" | "out");
    while (i < n && isBlank(t.charCodeAt(i))) i++;
    srcS = i;
    while (i < n && !isBlank(t.charCodeAt(i))) i++;
    srcE = i;
    while (i < n && isBlank(t.charCodeAt(i))) i++;
    arrowS = i;
    while (i < n && !isBlank(t.charCodeAt(i))) i++;
    arrowE = i;
    if (srcE === srcS || claimedWord(t, srcS, srcE)) return null;
  }
  // `->` followed by a blank
  if (arrowE - arrowS !== 2 || t.charCodeAt(arrowS) !== 45 || t.charCodeAt(arrowS + 1) !== 62 || arrowE >= n) return null;
  while (i < n && isBlank(t.charCodeAt(i))) i++;
  const dstS = i;
  while (i < n && !isBlank(t.charCodeAt(i))) i++;
  const dstWordE = i;
  // DST: ends with the `:` that is its own token; `->` at its start would be an arrow
  if (dstWordE - dstS < 2 || t.charCodeAt(dstWordE - 1) !== 58 || t.charCodeAt(dstS) === 45 || claimedWord(t, dstS, dstWordE)) return null;
  let count = 0;
  for (;;) {
    while (i < n && isBlank(t.charCodeAt(i))) i++;
    if (i >= n) break;
    const s = i;
    while (i < n && !isBlank(t.charCodeAt(i))) i++;
    if (count >= 8) return null;
    words[2 * count] = s;
    words[2 * count + 1] = i;
    count++;
  }
  if (count === 0) return null;
  const summary = summaryOf(t, count);
  if (summary === null) return null;
  return {
    slot: null,
    timestamp: t.slice(0, tsEnd),
    absolute: ts < 0,
    iface,
    dir,
    src: t.slice(srcS, srcE),
    dst: t.slice(dstS, dstWordE - 1),
    summaryStart: words[0] as number,
    summary,
  };
}
