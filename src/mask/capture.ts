/**
 * `sniffdiag mask`: the capture text itself with its addresses pseudonymised, line for line (the
 * same line numbers, line endings and layout), so the masked file reads, parses and analyses like
 * the original:
 * - text (packet headers, ARP and ICMP summaries, command echo and `filters=[...]`, debug-flow
 *   traces, prose): every IPv4, IPv6 and MAC address is replaced by its pseudonym;
 * - hex rows: the dumped bytes are masked as packets (see frame.ts: checksums are updated
 *   incrementally, payloads are not touched); the hex digits are rewritten in place and the ASCII
 *   column follows the bytes that changed.
 * Pure: the caller decodes the input and writes the result.
 */
import { parseCapture } from "../parse.js";
import { hexToBytes } from "../../grammars/sniffer/hexRow.js";
import { AddressMasker, parseIPv4, parseIPv6, type AddressMaskOptions, type MaskCounts } from "./addresses.js";
import { FrameMasker } from "./frame.js";

export interface MaskResult {
  text: string;
  /** distinct addresses given a pseudonym */
  addresses: MaskCounts;
  /** packets whose dumped bytes were masked */
  dumps: number;
  /** checksums updated in the dumps */
  checksums: number;
}

/**
 * One pass over text: MACs (`aa:bb:cc:dd:ee:ff`), IPv6 candidates (hex, colons, dots; a trailing
 * `.port` is split off), IPv4 (four octets, not followed by a digit; a trailing `.port` stays).
 */
const ADDRESS = /(?<![0-9A-Za-z:])([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5})(?![0-9A-Za-z:])|(?<![0-9A-Za-z:.])((?:[0-9A-Fa-f]{1,4})?::?[0-9A-Fa-f:.]*[0-9A-Fa-f])|(?<![0-9A-Za-z.])(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?!\d)/g;

/** Mask every address in a line of text. */
export function maskText(line: string, masker: AddressMasker): string {
  return line.replace(ADDRESS, (whole: string, mac: string | undefined, six: string | undefined, four: string | undefined) => {
    if (mac !== undefined) return masker.mac(mac);
    if (four !== undefined) return parseIPv4(four) === null ? whole : masker.ipv4(four);
    if (six !== undefined) return maskV6Candidate(six, masker);
    return whole;
  });
}

function maskV6Candidate(text: string, masker: AddressMasker): string {
  if (parseIPv6(text) !== null) return masker.ipv6(text);
  // `2001:db8::1.546`: the sniffer prints the port after a dot
  const port = /^(.*[0-9A-Fa-f:])\.(\d{1,5})$/.exec(text);
  if (port !== null && parseIPv6(port[1] ?? "") !== null) return `${masker.ipv6(port[1] ?? "")}.${port[2]}`;
  return text;
}

const HEX_DIGIT = /[0-9a-fA-F]/;

/**
 * Rewrite one hex row's bytes in place: `row` is the raw line, `offset` the byte offset of its
 * first byte in the packet, `before`/`after` the packet's bytes. Hex digits keep their case;
 * ASCII column characters follow the bytes that changed.
 */
function rewriteHexRow(row: string, before: Uint8Array, after: Uint8Array): string {
  const m = /(?:0x([0-9a-fA-F]{4,8})|(?<![0-9A-Za-z])([0-9a-fA-F]{6}))(?=[\t \u00a0])/.exec(row);
  if (m === null) return row;
  const offset = parseInt(m[1] ?? m[2] ?? "0", 16);
  const count = Math.max(0, Math.min(16, before.length - offset));
  const chars = row.split("");
  // indices are UTF-16 units, as the match index is
  let i = m.index + m[0].length;
  let n = 0;
  let changed = false;
  while (n < count && i < chars.length) {
    while (i < chars.length && /[\t \u00a0]/.test(chars[i] ?? "")) i++;
    // a group of 2 or 4 hex digits
    let g = 0;
    while (g < 4 && n < count && HEX_DIGIT.test(chars[i] ?? "") && HEX_DIGIT.test(chars[i + 1] ?? "")) {
      const b = after[offset + n] ?? 0;
      if (b !== before[offset + n]) {
        const upper = /[A-F]/.test((chars[i] ?? "") + (chars[i + 1] ?? ""));
        const hex = b.toString(16).padStart(2, "0");
        chars[i] = upper ? (hex[0] ?? "0").toUpperCase() : (hex[0] ?? "0");
        chars[i + 1] = upper ? (hex[1] ?? "0").toUpperCase() : (hex[1] ?? "0");
        changed = true;
      }
      i += 2;
      g += 2;
      n++;
    }
    if (g === 0) break;
  }
  if (!changed) return row;
  // the ASCII column: after the hex area's padding, one character per byte
  while (i < chars.length && /[\t \u00a0]/.test(chars[i] ?? "")) i++;
  for (let k = 0; k < n && i + k < chars.length; k++) {
    const b = after[offset + k] ?? 0;
    if (b === before[offset + k]) continue;
    const old = chars[i + k] ?? "";
    const ob = before[offset + k] ?? 0;
    const printedOld = ob >= 0x20 && ob < 0x7f ? String.fromCharCode(ob) : ".";
    if (old !== printedOld) continue; // an edited column: leave it
    chars[i + k] = b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".";
  }
  return chars.join("");
}

export function maskCapture(text: string, options: AddressMaskOptions | AddressMasker): MaskResult {
  const masker = options instanceof AddressMasker ? options : new AddressMasker(options);
  const frames = new FrameMasker(masker);
  const parsed = parseCapture(text);
  const verbose = new Map<number, number | null>();
  for (const c of parsed.captures) verbose.set(c.index, c.verbose);
  // hex row line → the packet's bytes before and after masking
  const rows = new Map<number, { before: Uint8Array; after: Uint8Array }>();
  let dumps = 0;
  let checksums = 0;
  for (const p of parsed.packets) {
    if (p.bytes === null || p.hexLines === undefined || p.hexLines.length === 0) continue;
    const before = hexToBytes(p.bytes);
    const after = Uint8Array.from(before);
    checksums += frames.mask(after, verbose.get(p.capture) ?? null).checksums;
    dumps++;
    const pair = { before, after };
    for (const line of p.hexLines) rows.set(line, pair);
  }
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const dump = rows.get(i + 1);
    lines[i] = dump === undefined ? maskText(line, masker) : rewriteHexRow(line, dump.before, dump.after);
  }
  return { text: lines.join("\n"), addresses: masker.counts(), dumps, checksums };
}
