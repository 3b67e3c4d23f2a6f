/**
 * `sniffdiag mask INPUT -o OUT` and `--mask` on analyze/flows: the capture with its addresses
 * pseudonymised (src/mask), keyed by `--mask-key` (repeatable) or a random key (a new pseudonym
 * set every run).
 */
import { randomBytes } from "node:crypto";
import { maskCapture, type AddressMaskOptions, type MaskKeepClass, type MaskResult } from "../mask/index.js";
import { decodeBytes } from "../input/decode.js";
import { builtinCatalogue, type Catalogue } from "../catalogue/index.js";
import { describeFsError, openInput, type InputRef } from "./inputs.js";

export const MASK_KEEP = ["private", "documentation", "catalogue"] as const;
export type MaskKeep = (typeof MASK_KEEP)[number];

/** What masking needs, as plain data (it crosses to worker threads). */
export interface MaskSettings {
  key: string;
  keep: MaskKeep[];
  /** the catalogue's service addresses, when `catalogue` is kept */
  keepAddresses: string[];
}

/** `--mask-keep a,b --mask-keep c` → the list; an unknown word is a usage error (thrown as a message). */
export function parseMaskKeep(values: readonly string[] | undefined): MaskKeep[] | string {
  const out: MaskKeep[] = [];
  for (const v of values ?? []) {
    for (const word of v.split(",").map((w) => w.trim().toLowerCase()).filter((w) => w !== "")) {
      if (!(MASK_KEEP as readonly string[]).includes(word)) return `--mask-keep takes ${MASK_KEEP.join(", ")} (got '${word}')`;
      if (!out.includes(word as MaskKeep)) out.push(word as MaskKeep);
    }
  }
  return out;
}

export function maskSettings(key: string | undefined, keep: MaskKeep[], catalogue: Catalogue = builtinCatalogue()): MaskSettings {
  const addresses = keep.includes("catalogue") ? catalogue.flatMap((e) => e.addresses ?? []) : [];
  return { key: key ?? randomBytes(16).toString("hex"), keep, keepAddresses: [...new Set(addresses)] };
}

export function maskOptions(s: MaskSettings): AddressMaskOptions {
  return { key: s.key, keep: s.keep.filter((k): k is MaskKeepClass => k !== "catalogue"), keepAddresses: s.keepAddresses };
}

/** Read a whole input (decoded) and mask it. */
export async function maskInput(ref: InputRef, settings: MaskSettings, maxInputBytes?: number): Promise<MaskResult> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const c of await openInput(ref, maxInputBytes)) {
    chunks.push(c);
    size += c.length;
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return maskCapture(decodeBytes(all), maskOptions(settings));
}

export interface MaskArgs {
  input: string;
  output: string;
  key: string | undefined;
  keep: MaskKeep[];
  catalogue: Catalogue;
  /** one line on standard error: what was masked */
  report: (line: string) => void;
}

/** `sniffdiag mask INPUT -o OUT`: 0 written, 2 unreadable input or no sniffer output. */
export async function runMask(a: MaskArgs, write: (text: string) => Promise<void>): Promise<number> {
  const ref: InputRef = a.input === "-" ? { name: "-", path: null } : { name: a.input, path: a.input };
  const settings = maskSettings(a.key, a.keep, a.catalogue);
  let result: MaskResult;
  try {
    result = await maskInput(ref, settings);
  } catch (err) {
    a.report(`${a.input}: ${describeFsError(err)}`);
    return 2;
  }
  await write(result.text);
  const n = result.addresses;
  a.report(
    `${a.input}: masked ${n.ipv4} IPv4, ${n.ipv6} IPv6 and ${n.mac} MAC address${n.mac === 1 ? "" : "es"}; ${result.dumps} hex dump${result.dumps === 1 ? "" : "s"} rewritten, ${result.checksums} checksum${result.checksums === 1 ? "" : "s"} updated${a.key === undefined ? " (random key: pass --mask-key to get the same pseudonyms again)" : ""}`,
  );
  return 0;
}
