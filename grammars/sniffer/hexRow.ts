/**
 * Hex dump rows (spec §4), decoded by a hand loop once the grammar has classified the line:
 *   raw      `0x0010\t 0800 0604 0001 94de 8061 a404 0a6c 116a\t.........a...l.j`
 *   expanded `0x0010   0028 0000 4000 ff01 eaa7 0a86 be02 0a86        .(..@...........`
 *   FortiWeb `000010\t 08 00 06 04 00 01 00 0c 29 13 c0 cf 0a 6c 10 79\t........)....l.y`
 * with or without the ASCII column, an odd trailing byte printed as two digits.
 */

export interface HexRowValue {
  offset: number;
  /** lowercase hex digits, two per byte, no separators */
  hex: string;
  bytes: number;
}

export type HexRowResult = HexRowValue | { error: string };

const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX_VALUE[97 + i] = 10 + i;
  HEX_VALUE[65 + i] = 10 + i;
}

function hexDigit(code: number): number {
  return code < 128 ? (HEX_VALUE[code] as number) : -1;
}

export function decodeHexRow(line: string): HexRowResult {
  let i = 0;
  let offset = 0;
  const n = line.length;
  if (line.charCodeAt(0) === 48 && (line.charCodeAt(1) === 120 || line.charCodeAt(1) === 88)) i = 2;
  const offsetStart = i;
  while (i < n && hexDigit(line.charCodeAt(i)) >= 0) {
    offset = offset * 16 + hexDigit(line.charCodeAt(i));
    i++;
  }
  if (i === offsetStart) return { error: "hex row without an offset" };
  // separator after the offset: a TAB, spaces (tab-expanded) or both
  const sepStart = i;
  while (i < n && (line.charCodeAt(i) === 9 || line.charCodeAt(i) === 32)) i++;
  if (i === sepStart) return { error: "no separator after the offset" };

  let hex = "";
  let bytes = 0;
  let groupWidth = 0;
  while (i < n && bytes < 16) {
    const start = i;
    while (i < n && hexDigit(line.charCodeAt(i)) >= 0) i++;
    const width = i - start;
    const next = i < n ? line.charCodeAt(i) : -1;
    // a group ends at a single space, a TAB, or the end of the line
    if (width === 0 || width > 4 || width % 2 !== 0 || (next !== 32 && next !== 9 && next !== -1)) {
      if (bytes === 0) return { error: "no hex bytes after the offset" };
      break;
    }
    if (groupWidth === 0) groupWidth = width;
    else if (width > groupWidth) break;
    hex += line.slice(start, i).toLowerCase();
    bytes += width / 2;
    if (width < groupWidth) break; // odd trailing byte: the row ends
    if (next !== 32) break; // TAB or end: the hex area ends
    // two spaces (tab-expanded padding) end the hex area too
    if (i + 1 < n && line.charCodeAt(i + 1) === 32) break;
    i++;
  }
  if (bytes > 16) return { error: "more than 16 bytes on one row" };
  return { offset, hex, bytes };
}

/** Lowercase hex string to bytes. */
export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0, j = 0; j < out.length; i += 2, j++) {
    out[j] = (hexDigit(hex.charCodeAt(i)) << 4) | hexDigit(hex.charCodeAt(i + 1));
  }
  return out;
}
