/**
 * A small pcapng writer (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-03.html):
 * one section header block, interface description blocks added as interfaces appear, enhanced
 * packet blocks with microsecond timestamps, `epb_flags` direction bits and a comment.
 * Pure: no Node imports, so it runs in the browser too. Blocks are written little-endian.
 *
 * Use: `new PcapngWriter()`, then `addInterface()` / `writePacket()` in any order that adds an
 * interface before its first packet, and `take()` to collect the bytes written so far (the
 * section header comes first).
 */

export const BLOCK_SHB = 0x0a0d0d0a;
export const BLOCK_IDB = 0x00000001;
export const BLOCK_EPB = 0x00000006;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

export const OPT_ENDOFOPT = 0;
export const OPT_COMMENT = 1;
export const OPT_SHB_USERAPPL = 4;
export const OPT_IF_NAME = 2;
export const OPT_IF_DESCRIPTION = 3;
export const OPT_IF_TSRESOL = 9;
export const OPT_EPB_FLAGS = 2;

/** epb_flags bits 0-1: 01 inbound, 10 outbound */
export const EPB_INBOUND = 1;
export const EPB_OUTBOUND = 2;

export const DEFAULT_SNAPLEN = 262144;

export type PacketDirection = "in" | "out";

export interface PcapngPacket {
  ifaceId: number;
  /** seconds since the epoch; stored in microseconds (if_tsresol 6) */
  tsSeconds: number;
  data: Uint8Array;
  /** length on the wire when the dump was cut short; defaults to `data.length` */
  origLength?: number;
  direction?: PacketDirection | null;
  comment?: string | null;
}

export interface PcapngWriterOptions {
  /** shb_userappl */
  application?: string;
  /** a comment on the section header */
  comment?: string;
}

export interface InterfaceOptions {
  description?: string;
  snaplen?: number;
}

/** Bytes the writers hand out: backed by a plain ArrayBuffer, so `new Blob(chunks)` takes them. */
export type Bytes = Uint8Array<ArrayBuffer>;

const encoder = new TextEncoder();

interface Option {
  code: number;
  value: Uint8Array;
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function optionsLength(options: readonly Option[]): number {
  if (options.length === 0) return 0;
  let n = 4; // opt_endofopt
  for (const o of options) n += 4 + pad4(o.value.length);
  return n;
}

function writeOptions(view: DataView, bytes: Uint8Array, at: number, options: readonly Option[]): number {
  if (options.length === 0) return at;
  for (const o of options) {
    view.setUint16(at, o.code, true);
    view.setUint16(at + 2, o.value.length, true);
    bytes.set(o.value, at + 4);
    at += 4 + pad4(o.value.length);
  }
  view.setUint32(at, 0, true); // opt_endofopt, length 0
  return at + 4;
}

function block(type: number, bodyLength: number, fill: (view: DataView, bytes: Uint8Array, at: number) => void): Bytes {
  const total = 12 + bodyLength;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, type, true);
  view.setUint32(4, total, true);
  fill(view, bytes, 8);
  view.setUint32(total - 4, total, true);
  return bytes;
}

function stringOption(code: number, text: string): Option {
  return { code, value: encoder.encode(text) };
}

export class PcapngWriter {
  private pending: Bytes[] = [];
  private interfaces = 0;

  constructor(options: PcapngWriterOptions = {}) {
    const opts: Option[] = [];
    if (options.comment !== undefined) opts.push(stringOption(OPT_COMMENT, options.comment));
    if (options.application !== undefined) opts.push(stringOption(OPT_SHB_USERAPPL, options.application));
    const body = 16 + optionsLength(opts);
    this.pending.push(
      block(BLOCK_SHB, body, (view, bytes, at) => {
        view.setUint32(at, BYTE_ORDER_MAGIC, true);
        view.setUint16(at + 4, 1, true); // major
        view.setUint16(at + 6, 0, true); // minor
        // section length -1: not specified (the writer streams)
        view.setUint32(at + 8, 0xffffffff, true);
        view.setUint32(at + 12, 0xffffffff, true);
        writeOptions(view, bytes, at + 16, opts);
      }),
    );
  }

  /** Number of interfaces added so far (the next interface's id). */
  get interfaceCount(): number {
    return this.interfaces;
  }

  /** Queue an interface description block; returns the interface id packets refer to. */
  addInterface(name: string, linktype: number, options: InterfaceOptions = {}): number {
    const opts: Option[] = [stringOption(OPT_IF_NAME, name)];
    if (options.description !== undefined) opts.push(stringOption(OPT_IF_DESCRIPTION, options.description));
    opts.push({ code: OPT_IF_TSRESOL, value: Uint8Array.of(6) });
    const snaplen = options.snaplen ?? DEFAULT_SNAPLEN;
    this.pending.push(
      block(BLOCK_IDB, 8 + optionsLength(opts), (view, bytes, at) => {
        view.setUint16(at, linktype, true);
        view.setUint16(at + 2, 0, true);
        view.setUint32(at + 4, snaplen, true);
        writeOptions(view, bytes, at + 8, opts);
      }),
    );
    return this.interfaces++;
  }

  /** Queue an enhanced packet block. */
  writePacket(p: PcapngPacket): void {
    if (!(p.ifaceId >= 0 && p.ifaceId < this.interfaces)) throw new RangeError(`pcapng: no interface ${p.ifaceId}`);
    const opts: Option[] = [];
    if (p.comment !== undefined && p.comment !== null && p.comment !== "") opts.push(stringOption(OPT_COMMENT, p.comment));
    if (p.direction === "in" || p.direction === "out") {
      const flags = new Uint8Array(4);
      new DataView(flags.buffer).setUint32(0, p.direction === "in" ? EPB_INBOUND : EPB_OUTBOUND, true);
      opts.push({ code: OPT_EPB_FLAGS, value: flags });
    }
    const data = p.data;
    const micros = Math.max(0, Math.round(p.tsSeconds * 1e6));
    const high = Math.floor(micros / 0x100000000);
    const low = micros - high * 0x100000000;
    const origLength = Math.max(data.length, p.origLength ?? data.length);
    this.pending.push(
      block(BLOCK_EPB, 20 + pad4(data.length) + optionsLength(opts), (view, bytes, at) => {
        view.setUint32(at, p.ifaceId, true);
        view.setUint32(at + 4, high, true);
        view.setUint32(at + 8, low, true);
        view.setUint32(at + 12, data.length, true);
        view.setUint32(at + 16, origLength, true);
        bytes.set(data, at + 20);
        writeOptions(view, bytes, at + 20 + pad4(data.length), opts);
      }),
    );
  }

  /** The blocks queued since the last call, in order. */
  take(): Bytes[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }
}
