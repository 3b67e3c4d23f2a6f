/**
 * Sequence diagrams (diagram.ts → ladder SVG and Mermaid): the exchanges the verdict is about are
 * drawn first, lifelines stay few, each outcome is drawn as itself; and every Mermaid diagram of
 * every sample, corpus file and the generated busy capture parses and renders with mermaid in
 * Chromium at a readable width.
 */
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium, type Browser } from "playwright-core";
import { analyze } from "../src/analyze.js";
import { builtinAnalyzeOptions } from "../src/services.js";
import { buildDiagram, diagramOfVerdict, MAX_LIFELINES, type Diagram } from "../src/render/diagram.js";
import { ladderSvg } from "../src/render/ladder.js";
import { mermaidOf } from "../src/render/mermaid.js";
import { renderMarkdown } from "../src/render/markdown.js";
import type { Report } from "../src/report.js";
import { busyCapture } from "./fixtures/busy-capture.js";
import { corpusDir, corpusFiles, samplesDir } from "./helpers/corpus.js";
import { CHROMIUM, CHROMIUM_NEEDED, describeIfPresent, haveChromium } from "./helpers/require.js";

const options = builtinAnalyzeOptions();
const sample = (name: string) => analyze(readFileSync(samplesDir + name, "utf8"), { ...options, source: name });

function diagrams(report: Report): { index: number; d: Diagram }[] {
  return report.verdicts.flatMap((_, index) => {
    const d = diagramOfVerdict(report, index);
    return d === null ? [] : [{ index, d }];
  });
}

describe("what is drawn", () => {
  const busy = busyCapture();
  const report = analyze(busy.text, { ...options, source: "busy.txt" });

  test("a service with hundreds of answered requests and a few failures draws the failures first, a few answered for contrast, and counts the rest", () => {
    const dns = report.verdicts.findIndex((v) => v.port === 53);
    const d = diagramOfVerdict(report, dns);
    expect(d).not.toBeNull();
    if (d === null) throw new Error("no diagram");
    const kinds = d.rows.map((r) => r.kind);
    // failing exchanges (the evidence lines) before the answered ones
    const firstReply = kinds.indexOf("reply");
    const lastFailure = kinds.lastIndexOf("unanswered");
    expect(lastFailure).toBeGreaterThanOrEqual(0);
    expect(firstReply).toBeGreaterThan(lastFailure);
    expect(kinds).toContain("contrast");
    const evidenceLines = report.verdicts[dns]?.evidence.map((e) => e.line) ?? [];
    const drawnRequests = d.rows.filter((r) => r.kind === "request").map((r) => r.line);
    for (const line of evidenceLines) expect(drawnRequests).toContain(line);
    expect(d.answered).toBeLessThanOrEqual(3);
    expect(d.notDrawn?.count).toBe(busy.dns.queries - d.failing - d.answered);
    expect(d.notDrawn?.text).toMatch(/^\d+ more requests not drawn: \d+ answered, 1 without reply$/);
    expect(d.lifelines).toHaveLength(2);
    expect(d.lifelines[0]?.lines[1]).toMatch(/^ports \d+, \d+, \d+ \+\d+$/);
  });

  test("at most MAX_LIFELINES lifelines; the client's varying ports are one lifeline", () => {
    for (const { d } of diagrams(report)) {
      expect(d.lifelines.length).toBeLessThanOrEqual(MAX_LIFELINES);
      expect(d.lifelines.filter((l) => l.role === "client" && l.hosts === 1).map((l) => l.lines[0])).toEqual(["198.51.100.7"]);
    }
  });

  test("many clients and servers fold into 'N other …' lifelines", () => {
    const steps = Array.from({ length: 20 }, (_, i) => [
      { line: i * 2 + 1, ts: i, from: `10.0.${i}.1:${1000 + i}`, to: `192.0.2.${i}:53`, label: "udp 40", kind: "request" as const },
      { line: i * 2 + 1, ts: i, from: `10.0.${i}.1:${1000 + i}`, to: `192.0.2.${i}:53`, label: "no reply", kind: "missing" as const },
    ]).flat();
    const v = { ...sample("seed_fortimail_kb192524.txt").verdicts[0], evidence: [] } as Report["verdicts"][number];
    const d = buildDiagram(v, steps, {});
    expect(d).not.toBeNull();
    if (d === null) throw new Error("no diagram");
    expect(d.lifelines.length).toBeLessThanOrEqual(MAX_LIFELINES);
    expect(d.lifelines.some((l) => /^\d+ other clients$/.test(l.lines[0] ?? ""))).toBe(true);
    expect(d.lifelines.some((l) => /^\d+ other hosts$/.test(l.lines[0] ?? ""))).toBe(true);
    // every row points at a lifeline that exists
    for (const r of d.rows) {
      expect(r.from).toBeLessThan(d.lifelines.length);
      expect(r.to).toBeLessThan(d.lifelines.length);
    }
  });

  test("each outcome is drawn as itself", () => {
    const kindsOf = (name: string) => new Set(diagrams(sample(name)).flatMap(({ d }) => d.rows.map((r) => r.kind)));
    expect(kindsOf("seed_fortimail_kb192524.txt")).toEqual(new Set(["request", "unanswered"]));
    expect(kindsOf("v1_icmp_port_unreachable.txt").has("refused")).toBe(true);
    expect(kindsOf("v1_port1_ntp_capture_ended.txt").has("pending")).toBe(true);
    const nf = diagrams(sample("v4_any_not_forwarded_port2.txt"));
    const never = nf.flatMap(({ d }) => d.rows.filter((r) => r.kind === "never-left").map((r) => ({ r, d })));
    expect(never.length).toBeGreaterThan(0);
    for (const { r, d } of never) {
      // the request stops at the unit's lifeline, which names the interface it arrived on
      expect(d.lifelines[r.from]?.role).toBe("unit");
      expect(d.lifelines[r.from]?.lines.join(" ")).toContain("port2");
      const request = d.rows.find((x) => x.kind === "request" && x.line === r.line);
      expect(request?.to).toBe(r.from);
    }
    const refused = diagrams(sample("fgt7000_fim_slot_syn_rst_rejected.txt")).flatMap(({ d }) => d.rows.filter((r) => r.kind === "refused"));
    expect(refused[0]?.label).toMatch(/refused by the server/);
    // no lifeline is labelled twice with the same role word ("client/client")
    for (const name of readdirSync(samplesDir).filter((f) => f.endsWith(".txt"))) {
      for (const { d } of diagrams(sample(name))) {
        const labels = d.lifelines.map((l) => l.lines.join(" "));
        expect(new Set(labels).size).toBe(labels.length);
      }
    }
  });

  test("the ladder SVG draws the same rows", () => {
    const seed = sample("seed_fortimail_kb192524.txt");
    const d = diagramOfVerdict(seed, 0);
    const svg = ladderSvg(d, { title: "UDP/8889 exchanges" });
    expect((svg.match(/<g class="step request" data-line="\d+" data-evidence="true">/g) ?? []).length).toBe(3);
    expect((svg.match(/<g class="step unanswered"/g) ?? []).length).toBe(3);
    expect((svg.match(/<g class="lane /g) ?? []).length).toBe(4);
    expect(ladderSvg(null)).toBe("");
  });
});

// ---- Mermaid in Chromium ------------------------------------------------------------------------

const describeBrowser = describeIfPresent(haveChromium, CHROMIUM_NEEDED);

function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1] as string);
}

describeBrowser("every Mermaid diagram renders", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--headless"] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  test("samples, the shared corpus and the busy capture: parse, render, readable width", async () => {
    const inputs: { name: string; text: string }[] = [
      ...readdirSync(samplesDir)
        .filter((f) => f.endsWith(".txt"))
        .map((f) => ({ name: f, text: readFileSync(samplesDir + f, "utf8") })),
      ...corpusFiles().map((f) => ({ name: f, text: readFileSync(corpusDir + f, "utf8") })),
      { name: "busy.txt", text: busyCapture().text },
    ];
    const blocks: { name: string; text: string }[] = [];
    for (const input of inputs) {
      const md = renderMarkdown(analyze(input.text, { ...options, source: input.name }));
      for (const text of mermaidBlocks(md)) blocks.push({ name: input.name, text });
      // the markdown's diagrams are exactly the model's
      const report = analyze(input.text, { ...options, source: input.name });
      expect(mermaidBlocks(md)).toEqual(diagrams(report).filter(({ d }) => d.rows.length > 0).map(({ d }) => mermaidOf(d)));
    }
    expect(blocks.length).toBeGreaterThan(10);
    // a control: a broken diagram must be reported, or the check proves nothing
    blocks.push({ name: "control", text: "sequenceDiagram\n    participant P1 as a\n    P1->>: broken" });
    const page = await browser.newPage();
    await page.setContent("<!doctype html><html><body></body></html>");
    const require = createRequire(import.meta.url);
    await page.addScriptTag({ path: require.resolve("mermaid/dist/mermaid.min.js") });
    const results = await page.evaluate(async (list) => {
      const m = (window as unknown as { mermaid: { initialize(o: object): void; parse(t: string): Promise<unknown>; render(id: string, t: string): Promise<{ svg: string }> } }).mermaid;
      m.initialize({ startOnLoad: false, securityLevel: "strict" });
      const out: { name: string; error: string | null; width: number; participants: number }[] = [];
      let k = 0;
      for (const b of list) {
        try {
          await m.parse(b.text);
          const { svg } = await m.render(`d${k++}`, b.text);
          const holder = document.createElement("div");
          holder.innerHTML = svg;
          document.body.appendChild(holder);
          const el = holder.querySelector("svg");
          const width = el === null ? 0 : el.getBoundingClientRect().width || Number(el.getAttribute("width")) || Number((el.getAttribute("viewBox") ?? "").split(" ")[2]);
          const viewBoxWidth = Number((el?.getAttribute("viewBox") ?? "0 0 0 0").split(" ")[2]);
          out.push({ name: b.name, error: null, width: Math.max(width, viewBoxWidth), participants: b.text.split("\n").filter((l) => l.trim().startsWith("participant ")).length });
          holder.remove();
        } catch (err) {
          out.push({ name: b.name, error: String((err as Error).message ?? err), width: 0, participants: 0 });
        }
      }
      return out;
    }, blocks);
    expect(results.filter((r) => r.error !== null).map((r) => r.name)).toEqual(["control"]);
    for (const r of results.filter((x) => x.name !== "control")) {
      expect({ name: r.name, participants: r.participants <= MAX_LIFELINES }).toEqual({ name: r.name, participants: true });
      expect({ name: r.name, readable: r.width > 0 && r.width <= 2000 }).toEqual({ name: r.name, readable: true });
    }
    const busyWidths = results.filter((r) => r.name === "busy.txt").map((r) => Math.round(r.width));
    console.log(`Mermaid widths of the busy capture's diagrams (px): ${busyWidths.join(", ")}; widest of all ${Math.round(Math.max(...results.map((r) => r.width)))} px over ${results.length - 1} diagrams`);
  }, 240_000);
});
