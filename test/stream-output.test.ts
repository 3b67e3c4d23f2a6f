/**
 * Streamed outputs: the JSON report, the flow table as JSON and CSV, written a piece at a time,
 * give exactly the text of the whole-value serialisers (over every sample and corpus file and a
 * busy generated capture); the human formats list the top flows and count the rest.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { analyze } from "../src/analyze.js";
import { builtinAnalyzeOptions } from "../src/services.js";
import { flowsCsvPieces, flowsJsonPieces, reportJsonPieces } from "../src/render/stream.js";
import { renderFlowsCsv, renderFlowsTable } from "../src/render/table.js";
import { renderMarkdown } from "../src/render/markdown.js";
import { renderHtml } from "../src/render/html.js";
import { topFlows } from "../src/render/top-flows.js";
import type { FlowSummary, Report } from "../src/report.js";
import { corpusDir, corpusFiles, debugFlowDir, samplesDir, testCorpus } from "./helpers/corpus.js";
import { busyCapture } from "./fixtures/busy-capture.js";
import { runCli } from "./helpers/cli.js";

function txt(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .sort()
    .map((f) => join(dir, f));
}

const options = builtinAnalyzeOptions();

function reportOf(path: string): Report {
  return analyze(readFileSync(path), { ...options, source: path });
}

function checkPieces(report: Report): number {
  const pieces = [...reportJsonPieces(report)];
  expect(pieces.join("")).toBe(JSON.stringify(report, null, 2) + "\n");
  expect(JSON.parse(pieces.join(""))).toEqual(JSON.parse(JSON.stringify(report)));
  expect([...flowsJsonPieces(report.flows)].join("")).toBe(JSON.stringify(report.flows, null, 2) + "\n");
  expect([...flowsCsvPieces(report.flows)].join("")).toBe(renderFlowsCsv(report.flows));
  return pieces.length;
}

describe("streamed JSON and CSV = the whole-value serialisers", () => {
  test("samples/", () => {
    const files = txt(samplesDir);
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) checkPieces(reportOf(f));
  });

  testCorpus("../shared/corpus and corpus-debugflow", () => {
    const files = [...corpusFiles().map((f) => corpusDir + f), ...txt(debugFlowDir)];
    expect(files.length).toBeGreaterThan(30);
    for (const f of files) checkPieces(reportOf(f));
  });

  test("a busy capture: one piece per flow", () => {
    const busy = busyCapture();
    const report = analyze(busy.text, { ...options, source: "busy.txt" });
    expect(report.flows.length).toBeGreaterThan(100);
    expect(checkPieces(report)).toBeGreaterThan(report.flows.length);
  });

  test("empty arrays, optional properties absent", () => {
    const report = analyze("nothing here\n", { ...options, source: "x.txt" });
    const withUndefined = { ...report, exchanges: undefined } as unknown as Report;
    expect([...reportJsonPieces(withUndefined)].join("")).toBe(JSON.stringify(withUndefined, null, 2) + "\n");
    expect([...flowsJsonPieces([])].join("")).toBe("[]\n");
  });
});

describe("the CLI writes the streamed report", () => {
  test("analyze --format json, flows --format json|csv: the library's report, as one document", () => {
    const busy = busyCapture();
    const report = analyze(busy.text, { ...options, source: "-" });
    const json = runCli(["-", "--format", "json", "--fail-on", "never"], { input: busy.text });
    expect(json.status).toBe(0);
    const parsed = JSON.parse(json.stdout) as Report;
    expect(parsed.flows).toEqual(JSON.parse(JSON.stringify(report.flows)));
    expect(parsed.services).toEqual(JSON.parse(JSON.stringify(report.services)));
    expect(parsed.verdicts.map((v) => v.code)).toEqual(report.verdicts.map((v) => v.code));
    const flowsJson = runCli(["flows", "-", "--format", "json"], { input: busy.text });
    expect(JSON.parse(flowsJson.stdout)).toEqual(JSON.parse(JSON.stringify(report.flows)));
    const csv = runCli(["flows", "-", "--format", "csv"], { input: busy.text });
    expect(csv.stdout).toBe(renderFlowsCsv(report.flows));
  });

  test("flows table and markdown: the top flows and a count of the rest; --top-flows changes it; a bad value is a usage error", () => {
    const busy = busyCapture();
    const n = analyze(busy.text, { ...options, source: "-" }).flows.length;
    const table = runCli(["flows", "-", "--top-flows", "5"], { input: busy.text, env: { COLUMNS: "200" } });
    expect(table.status).toBe(0);
    expect(table.stdout).toContain(`Top 5 of ${n} flows`);
    const md = runCli(["-", "--format", "markdown", "--fail-on", "never"], { input: busy.text });
    expect(md.stdout).toContain("### Flows");
    expect(md.stdout).toContain(`Top 50 of ${n} flows`);
    const all = runCli(["-", "--format", "markdown", "--fail-on", "never", "--top-flows", "0"], { input: busy.text });
    expect(all.stdout).not.toContain("Top ");
    const bad = runCli(["flows", "-", "--top-flows", "-3"], { input: busy.text });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--top-flows");
  });
});

/** A capture with more live flows than the correlator keeps (so flows finish during the capture). */
function manyFlows(n: number): string {
  const lines = ["FGT # diagnose sniffer packet any 'udp' 4 0 l"];
  for (let i = 0; i < n; i++) {
    const t = (i * 0.001).toFixed(6);
    const host = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    lines.push(`${t} port1 in ${host}.${1024 + (i % 50000)} -> 198.51.100.53.53: udp 40`);
    if (i % 3 !== 0) lines.push(`${(i * 0.001 + 0.0005).toFixed(6)} port1 out 198.51.100.53.53 -> ${host}.${1024 + (i % 50000)}: udp 80`);
  }
  return lines.join("\n") + "\n";
}

describe("flows written while the analysis runs (one input, -o FILE)", () => {
  test("analyze --format json and flows --format json|csv to a file: the same report as written after the analysis", () => {
    const dir = mkdtempSync(join(tmpdir(), "sniffdiag-stream-"));
    try {
      const input = join(dir, "many.txt");
      writeFileSync(input, manyFlows(40_000));
      const streamed = runCli(["analyze", input, "--format", "json", "--fail-on", "never", "-o", join(dir, "r.json")]);
      expect(streamed.status).toBe(0);
      const whole = runCli(["analyze", input, "--format", "json", "--fail-on", "never"]);
      const a = JSON.parse(readFileSync(join(dir, "r.json"), "utf8")) as Report;
      const b = JSON.parse(whole.stdout) as Report;
      expect(a.flows.length).toBe(40_000);
      // flows come third in the streamed document; the value is the same
      expect(Object.keys(a).slice(0, 3)).toEqual(["schema", "generator", "flows"]);
      expect(a).toEqual(b);
      for (const format of ["json", "csv"]) {
        const out = join(dir, `flows.${format}`);
        expect(runCli(["flows", input, "--format", format, "-o", out]).status).toBe(0);
        expect(readFileSync(out, "utf8")).toBe(runCli(["flows", input, "--format", format]).stdout);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("top flows", () => {
  const flow = (i: number, packets: number, bytes: number): FlowSummary =>
    ({ source: "s", capture: 0, firstLine: i, toServer: { packets, bytes }, toClient: { packets: 0, bytes: 0 } }) as unknown as FlowSummary;

  test("the n with the most packets (then bytes, then input order), listed in input order, the rest counted", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(20), fc.nat(5)), { maxLength: 80 }), fc.integer({ min: 1, max: 30 }), (specs, n) => {
        const flows = specs.map(([p, b], i) => flow(i, p, b));
        const { shown, rest } = topFlows(flows, n);
        const want = [...flows]
          .sort((a, b) => b.toServer.packets - a.toServer.packets || b.toServer.bytes - a.toServer.bytes || a.firstLine - b.firstLine)
          .slice(0, n)
          .sort((a, b) => a.firstLine - b.firstLine);
        expect(shown).toEqual(want);
        expect(rest).toBe(flows.length - want.length);
      }),
    );
  });

  test("0 lists every flow; the renderers say how many were left out", () => {
    const flows = Array.from({ length: 70 }, (_, i) => ({ ...flow(i, i, i), proto: "udp", client: "10.0.0.1", clientPort: i, server: "10.0.0.2", serverPort: 53, interfaces: ["port1"], state: "SF", start: 0, end: 0, lastLine: i }) as FlowSummary);
    expect(topFlows(flows, 0).shown).toHaveLength(70);
    expect(renderFlowsTable(flows, false, 200)).toContain("Top 50 of 70 flows");
    expect(renderFlowsTable(flows, false, 200, 0)).not.toContain("Top ");
    const report = { ...analyze("x\n", options), flows: flows.map((f) => ({ ...f, source: "-" })) } as Report;
    report.inputs = [{ source: "-", lines: 1, packets: 0, unrecognized: 0, captures: [] }];
    expect(renderMarkdown(report, { topFlows: 10 })).toContain("Top 10 of 70 flows");
    expect(renderHtml(report, { topFlows: 10 }).match(/<tr><td class="n">1<\/td><td>udp/g)).toHaveLength(10);
  });
});
