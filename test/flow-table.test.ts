/**
 * Flat memory in the correlator (issue 12 item 3): past FLOW_TABLE_LIMIT live flows, flows idle
 * for longer than two reply windows are finished during the capture and handed to the `onFlow`
 * sink (or kept for the report without one). Asserted: every flow reaches the sink exactly once,
 * the first ones long before the end; the report without a sink holds the same flows in the same
 * order and the same verdicts and services; a tuple that comes back after its flow was finished
 * starts a new flow; below the limit nothing is finished early.
 */
import { analyzeText, buildReport, type AnalyzeOptions, type InputReport } from "../src/analyze.js";
import { builtinAnalyzeOptions } from "../src/services.js";
import { FLOW_IDLE, FLOW_TABLE_HARD_LIMIT, FLOW_TABLE_LIMIT } from "../src/correlate/analyzer.js";
import type { FlowSummary } from "../src/report.js";
import { InputAnalyzer } from "../src/analyze.js";
import { parseCapture } from "../src/parse.js";

/** A sniffer timestamp `us` microseconds after 2024-06-10 06:00:00 UTC. */
function stamp(us: number): string {
  const t = Date.UTC(2024, 5, 10, 6) + Math.floor(us / 1000);
  return `${new Date(t).toISOString().slice(0, 19).replace("T", " ")}.${String(Math.floor(us) % 1e6).padStart(6, "0")}`;
}

const HEADER = ["diagnose sniffer packet any 'none' 4 0 a", "interfaces=[any]", "filters=[none]"];

/** n DNS exchanges, one every `gapUs` (10 ms), each its own flow (client port i), every 7th unanswered. */
function dnsFlows(n: number, extra: (i: number) => string[] = () => [], gapUs: (i: number) => number = (i) => i * 10_000): string {
  const lines = [...HEADER];
  for (let i = 0; i < n; i++) {
    const client = `10.0.${(i >> 8) & 255}.${i & 255}`;
    const port = 1024 + (i % 60000);
    lines.push(`${stamp(gapUs(i))} port1 in ${client}.${port} -> 10.1.0.1.53: udp 40`);
    if (i % 7 !== 3) lines.push(`${stamp(gapUs(i) + 50)} port1 out 10.1.0.1.53 -> ${client}.${port}: udp 80`);
    lines.push(...extra(i));
  }
  return lines.join("\n") + "\n";
}

/** Analyse record by record, noting how many records had been pushed when each flow arrived. */
function streamed(text: string, options: AnalyzeOptions = {}): { part: InputReport; flows: FlowSummary[]; arrivedAt: number[] } {
  const flows: FlowSummary[] = [];
  const arrivedAt: number[] = [];
  let pushed = 0;
  const a = new InputAnalyzer({
    ...builtinAnalyzeOptions(),
    ...options,
    onFlow: (f) => {
      flows.push(f);
      arrivedAt.push(pushed);
    },
  });
  for (const r of parseCapture(text).records) {
    a.push(r);
    pushed++;
  }
  return { part: a.end(), flows, arrivedAt };
}

const n = FLOW_TABLE_LIMIT + 8000;
const text = dnsFlows(n);
const withSink = streamed(text);
const whole = analyzeText(text, builtinAnalyzeOptions());

test("every flow reaches the sink exactly once, and the report's own flows are then empty", () => {
  expect(withSink.flows).toHaveLength(n);
  expect(new Set(withSink.flows.map((f) => `${f.client}|${f.clientPort}`)).size).toBe(n);
  expect(withSink.part.flows).toEqual([]);
});

test("flows are handed over during the capture, not all at the end", () => {
  const total = parseCapture(text).records.length;
  const early = withSink.arrivedAt.filter((at) => at < total).length;
  // the table holds the flows of about the last FLOW_IDLE seconds (100 a second; the order it
  // looks at them in is only roughly their last activity, so give it 10 s), or FLOW_TABLE_LIMIT
  // if more: the rest went out while reading
  expect(early).toBeGreaterThanOrEqual(n - Math.max(FLOW_TABLE_LIMIT, (FLOW_IDLE + 10) * 100));
  expect(withSink.arrivedAt[0]).toBeLessThan(total * 0.9);
});

test("without a sink the report holds the same flows in the same order, and the same services and verdicts", () => {
  expect(whole.flows).toEqual(withSink.flows);
  expect(whole.services).toEqual(withSink.part.services);
  expect(whole.verdicts).toEqual(withSink.part.verdicts);
  const report = buildReport([whole]);
  const dns = report.services.find((s) => s.port === 53);
  expect(dns?.requests).toBe(n);
  // (the last requests, still inside their window when the capture ends, are inconclusive)
  expect((dns?.unanswered ?? 0) + (dns?.inconclusive ?? 0)).toBe(Math.floor((n - 4) / 7) + 1);
  expect(dns?.answered).toBe(n - (dns?.unanswered ?? 0) - (dns?.inconclusive ?? 0));
});

test("finished flows keep their counts and state", () => {
  const answered = whole.flows.find((f) => f.clientPort === 1024 && f.client === "10.0.0.0");
  expect(answered).toMatchObject({ proto: "udp", server: "10.1.0.1", serverPort: 53, toServer: { packets: 1, bytes: 40 }, toClient: { packets: 1, bytes: 80 }, state: "SF" });
  const silent = whole.flows.find((f) => f.clientPort === 1027 && f.client === "10.0.0.3");
  expect(silent).toMatchObject({ toClient: { packets: 0 }, state: "S0" });
});

test("a tuple that comes back after its flow was finished starts a new flow", () => {
  // the first client asks again near the end, long after the table let its flow go
  const again = dnsFlows(n, (i) => (i === n - 1 ? [`${stamp(i * 10_000 + 5000)} port1 in 10.0.0.0.1024 -> 10.1.0.1.53: udp 40`] : []));
  const part = analyzeText(again, builtinAnalyzeOptions());
  const first = part.flows.filter((f) => f.client === "10.0.0.0" && f.clientPort === 1024);
  expect(first).toHaveLength(2);
  expect(first.map((f) => f.toServer.packets)).toEqual([1, 1]);
  expect((first[1] as FlowSummary).firstLine).toBeGreaterThan((first[0] as FlowSummary).firstLine);
});

test("a flood of new flows: past the hard limit, flows idle for two reply windows are finished too", () => {
  // FLOW_TABLE_HARD_LIMIT + 1000 flows within 2 s, then 2000 more from 10 s on
  const flood = FLOW_TABLE_HARD_LIMIT + 1000;
  const text = dnsFlows(flood + 2000, () => [], (i) => (i < flood ? Math.floor((i * 2e6) / flood) : 10e6 + (i - flood) * 1000));
  const run = streamed(text);
  const total = parseCapture(text).records.length;
  expect(run.flows).toHaveLength(flood + 2000);
  // none idle for FLOW_IDLE seconds, yet the table went back under the hard limit while reading
  expect(run.arrivedAt.filter((at) => at < total).length).toBeGreaterThanOrEqual(1000);
});

test("below the limit no flow is finished early: one flow per tuple, however long it sleeps", () => {
  const lines = [...HEADER];
  // one NTP tuple every 10 minutes for 5 hours, next to 1000 other flows
  for (let k = 0; k < 30; k++) lines.push(`${stamp(k * 600e6)} port1 in 10.0.0.1.123 -> 10.1.0.1.123: udp 48`);
  for (let i = 0; i < 1000; i++) lines.push(`${stamp(18_000e6 + i * 1000)} port1 in 10.0.9.${i & 255}.${2000 + i} -> 10.1.0.1.53: udp 40`);
  const part = analyzeText(lines.join("\n") + "\n", builtinAnalyzeOptions());
  expect(part.flows.filter((f) => f.serverPort === 123)).toHaveLength(1);
  expect(part.flows).toHaveLength(1001);
});
