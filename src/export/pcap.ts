/**
 * A classic pcap writer (libpcap 2.4, microsecond timestamps, little-endian). One link type per
 * file, no interface names, no directions, no comments: the exporter writes Ethernet and gives
 * raw-IP packets a synthetic Ethernet header (see frames.ts `withEthernetHeader`).
 * Pure: no Node imports.
 */
import { DEFAULT_SNAPLEN, type Bytes } from "./pcapng.js";

export const PCAP_MAGIC_MICROS = 0xa1b2c3d4;

export interface PcapPacket {
  /** seconds since the epoch, stored as seconds + microseconds */
  tsSeconds: number;
  data: Uint8Array;
  /** length on the wire when the dump was cut short; defaults to `data.length` */
  origLength?: number;
}

export class PcapWriter {
  readonly linktype: number;
  private pending: Bytes[] = [];

  constructor(linktype: number, snaplen: number = DEFAULT_SNAPLEN) {
    this.linktype = linktype;
    const header = new Uint8Array(24);
    const view = new DataView(header.buffer);
    view.setUint32(0, PCAP_MAGIC_MICROS, true);
    view.setUint16(4, 2, true);
    view.setUint16(6, 4, true);
    view.setInt32(8, 0, true); // thiszone
    view.setUint32(12, 0, true); // sigfigs
    view.setUint32(16, snaplen, true);
    view.setUint32(20, linktype, true);
    this.pending.push(header);
  }

  /** Queue one packet record. */
  writePacket(p: PcapPacket): void {
    const data = p.data;
    const micros = Math.max(0, Math.round(p.tsSeconds * 1e6));
    const seconds = Math.floor(micros / 1e6);
    const record = new Uint8Array(16 + data.length);
    const view = new DataView(record.buffer);
    view.setUint32(0, seconds, true);
    view.setUint32(4, micros - seconds * 1e6, true);
    view.setUint32(8, data.length, true);
    view.setUint32(12, Math.max(data.length, p.origLength ?? data.length), true);
    record.set(data, 16);
    this.pending.push(record);
  }

  /** The bytes queued since the last call, in order (the file header first). */
  take(): Bytes[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }
}
