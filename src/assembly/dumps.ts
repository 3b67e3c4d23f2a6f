/**
 * The dump bytes of packet records, as the assembler decoded them from the hex rows, for the
 * exporter: it writes them into enhanced packet blocks without decoding the record's hex text
 * again. Kept only when the parser is asked to (`keepDumps`), weakly: a record that is dropped
 * takes its bytes with it. A record without an entry (parsed elsewhere, cloned to a worker) is
 * decoded from its `bytes` text instead.
 */
import { hexToBytes } from "../../grammars/sniffer/hexRow.js";
import type { PacketRecord } from "../records.js";

const dumps = new WeakMap<PacketRecord, Uint8Array>();

export function keepDump(p: PacketRecord, bytes: Uint8Array): void {
  dumps.set(p, bytes);
}

/** A packet's dump bytes (null without a hex dump). */
export function dumpBytes(p: PacketRecord): Uint8Array | null {
  if (p.bytes === null) return null;
  return dumps.get(p) ?? hexToBytes(p.bytes);
}
