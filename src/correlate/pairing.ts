/**
 * Requests waiting for their answer. A request is *pending* inside its reply window, *overdue*
 * after it (a late reply still answers it: "no reply" is only said when none came in the whole
 * capture), and *done* once answered, refused or settled. Overdue requests are held until the
 * capture ends, up to a bound; past it the oldest are settled as unanswered, so memory stays
 * bounded on huge captures.
 */
import type { PendingRequest } from "./flows.js";

/** A request and its state: the type lives in flows.ts beside `Flow` (they refer to each other). */
export type { PendingRequest };

/** How many overdue requests wait for a late reply at most. */
export const OVERDUE_LIMIT = 50_000;

export class RequestQueue {
  private queue: PendingRequest[] = [];
  private head = 0;
  private overdue: PendingRequest[] = [];
  private overdueHead = 0;
  /** overdue requests added since the list was last rid of the ones answered or settled meanwhile */
  private overdueAdded = 0;

  push(r: PendingRequest): void {
    this.queue.push(r);
  }

  /**
   * Requests whose window has passed by `now` become overdue (or are settled through `settle` when
   * no late reply can come, or when too many wait).
   */
  expire(now: number, settle: (r: PendingRequest) => void): void {
    while (this.head < this.queue.length) {
      const r = this.queue[this.head] as PendingRequest;
      if (r.state !== "pending") {
        this.head++;
        continue;
      }
      if (r.deadline >= now) break;
      this.head++;
      if (!r.lateReplies) {
        settle(r);
        continue;
      }
      r.state = "overdue";
      this.overdue.push(r);
      if (++this.overdueAdded > 4096 + (this.overdue.length - this.overdueHead) / 2) this.compactOverdue();
      if (this.overdue.length - this.overdueHead > OVERDUE_LIMIT) {
        const oldest = this.overdue[this.overdueHead++] as PendingRequest;
        if (oldest.state === "overdue") settle(oldest);
      }
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (this.overdueHead > 4096 && this.overdueHead * 2 > this.overdue.length) {
      this.overdue = this.overdue.slice(this.overdueHead);
      this.overdueHead = 0;
    }
  }

  /** Keep only the requests still overdue (a late reply or a finished flow settled the others), in order. */
  private compactOverdue(): void {
    this.overdueAdded = 0;
    const kept: PendingRequest[] = [];
    for (let i = this.overdueHead; i < this.overdue.length; i++) {
      const r = this.overdue[i] as PendingRequest;
      if (r.state === "overdue") kept.push(r);
    }
    this.overdue = kept;
    this.overdueHead = 0;
  }

  /** A retransmission reopened an overdue request: it waits for a new window. */
  reopen(r: PendingRequest): void {
    r.state = "pending";
    this.queue.push(r);
  }

  /** The requests still open at the end, overdue ones first, each in the order it was made. */
  open(): PendingRequest[] {
    const out: PendingRequest[] = [];
    const seen = new Set<PendingRequest>();
    for (let i = this.overdueHead; i < this.overdue.length; i++) {
      const r = this.overdue[i] as PendingRequest;
      if (r.state === "overdue" && !seen.has(r)) {
        seen.add(r);
        out.push(r);
      }
    }
    for (let i = this.head; i < this.queue.length; i++) {
      const r = this.queue[i] as PendingRequest;
      if (r.state !== "done" && !seen.has(r)) {
        seen.add(r);
        out.push(r);
      }
    }
    this.queue = [];
    this.head = 0;
    this.overdue = [];
    this.overdueHead = 0;
    return out;
  }
}

/** Open requests per client address (and per translated client address), for ICMP errors. */
export class ClientIndex {
  private readonly byClient = new Map<string, PendingRequest[]>();

  add(client: string, r: PendingRequest): void {
    let list = this.byClient.get(client);
    if (list === undefined) {
      list = [];
      this.byClient.set(client, list);
    }
    if (list.length >= 64 && (list.length & (list.length - 1)) === 0) {
      // compact at powers of two: settled requests go, so the list follows the open ones
      const open = list.filter((q) => q.state !== "done");
      list.length = 0;
      for (const q of open) list.push(q);
    }
    list.push(r);
  }

  /** Drop settled requests, and clients left with none. */
  sweep(): void {
    for (const [client, list] of this.byClient) {
      const open = list.filter((q) => q.state !== "done");
      if (open.length === 0) this.byClient.delete(client);
      else if (open.length !== list.length) this.byClient.set(client, open);
    }
  }

  /** Open requests from `client`, most recent first (the last few hundred: errors follow their request closely). */
  open(client: string): PendingRequest[] {
    const list = this.byClient.get(client);
    if (list === undefined) return [];
    const out: PendingRequest[] = [];
    const stop = Math.max(0, list.length - 256);
    for (let i = list.length - 1; i >= stop; i--) {
      const r = list[i] as PendingRequest;
      if (r.state !== "done") out.push(r);
    }
    return out;
  }
}
