/**
 * Bounded evidence: a verdict quotes a few packets (the first ones and the last ones), never all of
 * them, so memory stays flat however many packets a service has.
 */
import type { PacketRecord } from "../records.js";
import { renderHeader } from "../format/header.js";

export interface EvidenceLine {
  line: number;
  text: string;
}

/** Evidence lines for sampled packets, rendered only when a verdict quotes them. */
export function quote(packets: readonly PacketRecord[]): EvidenceLine[] {
  return packets.map((p) => ({ line: p.line, text: renderHeader(p) }));
}

/** Keeps the first few and the last few items pushed, in order. */
export class Sampler<T> {
  readonly head: T[] = [];
  private tail: T[] = [];
  total = 0;
  constructor(
    private readonly keepFirst = 3,
    private readonly keepLast = 2,
  ) {}
  push(item: T): void {
    this.total++;
    if (this.head.length < this.keepFirst) {
      this.head.push(item);
      return;
    }
    if (this.keepLast === 0) return;
    this.tail.push(item);
    if (this.tail.length > this.keepLast) this.tail.shift();
  }
  items(): T[] {
    return [...this.head, ...this.tail];
  }
}
