/**
 * The flows a human-facing output lists: the top N by packets (then bytes, then input order),
 * and how many more there are. A busy capture holds hundreds of thousands of flows; the JSON
 * report and `sniffdiag flows --format json|csv` keep them all.
 */
import type { FlowSummary } from "../report.js";

/** Flows listed by table, markdown and HTML unless `--top-flows` says otherwise. */
export const DEFAULT_TOP_FLOWS = 50;

function packets(f: FlowSummary): number {
  return f.toServer.packets + f.toClient.packets;
}

function bytes(f: FlowSummary): number {
  return f.toServer.bytes + f.toClient.bytes;
}

/** a before b: more packets, more bytes, earlier in the input (source, capture, first line) */
function before(a: FlowSummary, b: FlowSummary): boolean {
  const p = packets(a) - packets(b);
  if (p !== 0) return p > 0;
  const by = bytes(a) - bytes(b);
  if (by !== 0) return by > 0;
  if (a.source !== b.source) return a.source < b.source;
  if (a.capture !== b.capture) return a.capture < b.capture;
  return a.firstLine < b.firstLine;
}

/**
 * The top `n` flows (one pass with a bounded list, no sort of every flow), listed in input order,
 * and the number left out. `n` of 0 or less, or not finite, lists every flow.
 */
export function topFlows(flows: readonly FlowSummary[], n: number): { shown: FlowSummary[]; rest: number } {
  if (!(n > 0) || !Number.isFinite(n) || flows.length <= n) return { shown: [...flows], rest: 0 };
  const best: FlowSummary[] = [];
  for (const f of flows) {
    if (best.length === n) {
      if (!before(f, best[n - 1] as FlowSummary)) continue;
      best.pop();
    }
    // insertion: the worse ones move down one place
    let i = best.length;
    best.push(f);
    while (i > 0 && before(f, best[i - 1] as FlowSummary)) {
      best[i] = best[i - 1] as FlowSummary;
      i--;
    }
    best[i] = f;
  }
  const chosen = new Set(best);
  return { shown: flows.filter((f) => chosen.has(f)), rest: flows.length - best.length };
}

/** "Top 50 of 12345 flows (most packets); `sniffdiag flows --format csv` lists them all." */
export function moreFlowsSentence(shown: number, rest: number): string {
  return `Top ${shown} of ${shown + rest} flows (most packets), in input order; \`sniffdiag flows --format csv\` lists them all.`;
}
