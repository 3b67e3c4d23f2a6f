/**
 * The standalone HTML report and its ladder diagrams: structure (cards worst first, evidence line
 * numbers, one arrow per request and a missing-reply marker), escaping of hostile input (every `<`
 * in the output starts a tag the renderer emits), no external URL anywhere, and a golden file for
 * the seed capture (`UPDATE_GOLDEN=1 npm test -- test/html.test.ts` writes it).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { analyze } from "../src/analyze.js";
import { escapeHtml, renderHtml } from "../src/render/html.js";
import { ladderSvg, relativeTime, splitEndpoint, type LadderOptions } from "../src/render/ladder.js";
import { buildDiagram, diagramOfVerdict } from "../src/render/diagram.js";
import { renderMarkdown } from "../src/render/markdown.js";
import { SEVERITY_RANK, type ExchangeStep, type Report, type Severity, type Verdict } from "../src/report.js";
import { builtinAnalyzeOptions } from "../src/services.js";
import { readSample } from "./helpers/corpus.js";

// ---------------------------------------------------------------------------------------------
// helpers

/** Every element the renderer may emit; anything else starting with `<` is a leak. */
const ALLOWED_TAGS = new Set([
  "html", "head", "meta", "title", "style", "body", "div", "header", "main", "section", "article", "footer",
  "h1", "h2", "h3", "h4", "p", "ul", "li", "b", "span", "pre", "code", "br",
  "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption",
  "svg", "desc", "g", "rect", "line", "path", "circle", "text",
]);

/** The attributes the renderer may put on a tag. */
const ALLOWED_ATTRIBUTES = new Set([
  "lang", "charset", "name", "content", "class", "id", "role", "aria-label",
  "width", "height", "viewbox", "font-family", "font-size", "font-weight", "font-style",
  "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "d",
  "fill", "fill-opacity", "stroke", "stroke-opacity", "stroke-width", "stroke-dasharray", "stroke-linecap", "stroke-linejoin",
  "paint-order", "text-anchor",
]);

/** Problems with the markup: `<` that does not start an allowed tag, or attributes outside the list. */
function markupProblems(html: string): string[] {
  const problems: string[] = [];
  let i = html.indexOf("<");
  while (i !== -1) {
    const rest = html.slice(i);
    if (rest.startsWith("<!DOCTYPE html>")) {
      i = html.indexOf("<", i + 1);
      continue;
    }
    const tag = /^<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"<>]*")?)*)\s*\/?>/.exec(rest);
    const name = tag?.[2]?.toLowerCase();
    if (tag === null || name === undefined || !ALLOWED_TAGS.has(name)) {
      problems.push(`unexpected markup at ${i}: ${JSON.stringify(rest.slice(0, 60))}`);
    } else {
      for (const a of (tag[3] ?? "").matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="[^"]*")?/g)) {
        const attr = (a[1] ?? "").toLowerCase();
        if (!ALLOWED_ATTRIBUTES.has(attr) && !attr.startsWith("data-")) problems.push(`unexpected attribute ${attr} on <${name}> at ${i}`);
      }
    }
    i = html.indexOf("<", i + 1);
  }
  return problems;
}

/** External references of any kind: URLs anywhere, src/href attributes on tags, url()/@import in CSS, fetching elements. */
function externalReferences(html: string): string[] {
  const found: string[] = [];
  const scan = (text: string, re: RegExp, where: string) => {
    for (const m of text.matchAll(re)) found.push(`${where}: ${m[0]}`);
  };
  scan(html, /https?:\/\/|<(?:script|link|img|iframe|object|embed|image|use|base)\b/gi, "document");
  for (const tag of html.match(/<[a-zA-Z][^>]*>/g) ?? []) scan(tag, /\b(?:src|href|xlink:href|srcset|action|poster)\s*=|=\s*["']?\/\//gi, tag.slice(0, 40));
  for (const style of html.match(/<style>[\s\S]*?<\/style>/g) ?? []) scan(style, /url\s*\(|@import|\/\//gi, "style");
  return found;
}

function cards(html: string): { severity: Severity; code: string; body: string }[] {
  return [...html.matchAll(/<article class="card sev-(\w+)"[^>]*data-severity="(\w+)" data-code="([\w-]+)">([\s\S]*?)<\/article>/g)].map((m) => ({
    severity: m[2] as Severity,
    code: m[3] ?? "",
    body: m[4] ?? "",
  }));
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

// ---------------------------------------------------------------------------------------------
// inputs written here

/** One capture with a verdict of each severity: RADIUS unanswered (error), kernel drops and an
 * unreadable line (warnings), NTP cut off by the end of the capture (info), DNS answered (ok). */
const MIXED = [
  "FGT # diagnose sniffer packet any 'port 53 or port 1812 or port 123' 4 0 a",
  "interfaces=[any]",
  "filters=[port 53 or port 1812 or port 123]",
  "2024-02-20 16:03:40.000000 port1 out 10.0.0.1.2154 -> 10.0.0.53.53: udp 38",
  "2024-02-20 16:03:40.001800 port1 in 10.0.0.53.53 -> 10.0.0.1.2154: udp 54",
  "2024-02-20 16:03:41.220418 port1 out 10.0.0.1.4271 -> 10.0.0.50.1812: udp 128",
  "2024-02-20 16:03:46.221377 port1 out 10.0.0.1.4271 -> 10.0.0.50.1812: udp 128",
  "2024-02-20 16:03:51.222902 port1 out 10.0.0.1.4271 -> 10.0.0.50.1812: udp 128",
  "2024-02-20 16:03:52.000000 port1 <img src=x onerror=alert(1)> out 10.0.0.1.4272 -> 10.0.0.50.1812: udp 128",
  "2024-02-20 16:03:56.000000 port1 out 10.0.0.1.123 -> 10.0.0.123.123: udp 48",
  "^C",
  "9 packets received by filter",
  "2 packets dropped by kernel",
  "",
].join("\n");

const SCRIPT = "<script>alert(1)</script>";
const IMG = "<img src=x onerror=alert(1)>";

/** The interface name is a script element: in the command, the preamble and every packet line. */
const HOSTILE_SCRIPT = [
  `diagnose sniffer packet ${SCRIPT} 'port 53' 4 0 a`,
  `interfaces=[${SCRIPT}]`,
  "filters=[port 53]",
  `2024-01-01 10:00:00.000000 ${SCRIPT} out 10.0.0.1.1000 -> 10.0.0.2.53: udp 30`,
  `2024-01-01 10:00:05.000000 ${SCRIPT} out 10.0.0.1.1001 -> 10.0.0.2.53: udp 30`,
  `2024-01-01 10:00:09.000000 ${IMG} out 10.0.0.1.1001 -> 10.0.0.2.53: udp 30`,
  "",
].join("\n");

/** The interface name and the filter are an image with an error handler. */
const HOSTILE_IMG = [
  `diagnose sniffer packet '${IMG}' 'port 53 and "x" and 'y' and <b>' 4 0 a`,
  `interfaces=[${IMG}]`,
  `filters=[port 53 and "x" and 'y' and <b>]`,
  "2024-01-01 10:00:00.000000 port1 out 10.0.0.1.1000 -> 10.0.0.2.53: udp 30",
  "2024-01-01 10:00:05.000000 port1 out 10.0.0.1.1001 -> 10.0.0.2.53: udp 30",
  `2024-01-01 10:00:06.000000 port1 ${IMG}`,
  "",
].join("\n");

const REJECTED = [
  "SITE-B # diagnose sniffer packet port4 'host 192.0.2.53'",
  "interfaces=[port4]",
  "filters=[host 192.0.2.53]",
  "3.204117 10.0.4.21.53211 -> 192.0.2.53.53: udp 35",
  "3.206022 192.0.2.53 -> 10.0.4.21: icmp: 192.0.2.53 udp port 53 unreachable",
  "8.209430 10.0.4.21.61834 -> 192.0.2.53.53: udp 35",
  "8.211163 192.0.2.53 -> 10.0.4.21: icmp: 192.0.2.53 udp port 53 unreachable",
  "",
].join("\n");

// ---------------------------------------------------------------------------------------------

describe("the checks themselves", () => {
  test("markupProblems flags foreign tags, event handlers and raw text `<`", () => {
    expect(markupProblems("<p class=\"a\">x</p>")).toEqual([]);
    expect(markupProblems(`<p>${SCRIPT}</p>`)).not.toEqual([]);
    expect(markupProblems(`<p>${IMG}</p>`)).not.toEqual([]);
    expect(markupProblems(`<span onerror="alert(1)">x</span>`)).not.toEqual([]);
    expect(markupProblems("<p>a < b</p>")).not.toEqual([]);
    expect(markupProblems(`<p>${escapeHtml(SCRIPT)}</p>`)).toEqual([]);
  });
  test("externalReferences flags URLs, src/href, CSS url()", () => {
    expect(externalReferences("<p>plain</p>")).toEqual([]);
    expect(externalReferences('<a href="x">')).not.toEqual([]);
    expect(externalReferences('<svg><image src="//cdn.example/x.png"/></svg>')).not.toEqual([]);
    expect(externalReferences('<p data-x="//cdn.example/x.png">')).not.toEqual([]);
    expect(externalReferences("<style>body { background: url(x.png) }</style>")).not.toEqual([]);
    expect(externalReferences("<style>@import 'x.css';</style>")).not.toEqual([]);
    // text that merely mentions an attribute is not a reference
    expect(externalReferences(`<p>${escapeHtml(IMG)}</p>`)).toEqual([]);
    expect(externalReferences("see https://example.com")).not.toEqual([]);
  });
});

describe("escapeHtml", () => {
  test("escapes the five characters and nothing else", () => {
    expect(escapeHtml(`a & b < c > d " e ' f`)).toBe("a &amp; b &lt; c &gt; d &quot; e &#39; f");
    expect(escapeHtml("&amp;")).toBe("&amp;amp;");
    expect(escapeHtml("port1 -> 10.0.0.1")).toBe("port1 -&gt; 10.0.0.1");
  });
});

/** A diagram of bare steps, as an unanswered verdict without evidence lines would draw them. */
function ladderOf(steps: ExchangeStep[], options: LadderOptions = {}): string {
  const verdict: Verdict = { source: "t.txt", capture: 0, code: "unanswered", severity: "error", proto: "udp", port: 8889, servers: [], title: "t", explanation: "", remedy: null, evidence: [], commands: [],
    args: { kind: "timeout", name: null, requests: 3, serverCount: 3, window: 2, unanswered: 3, inconclusive: 0, clients: [], egress: [], notForwarded: 0, notForwardedIngress: [], caveats: { kernelDrops: null, countLimit: null, masked: [] }, catalogueRemedy: null } };
  return ladderSvg(buildDiagram(verdict, steps, { window: "2 s" }), options);
}

describe("ladderSvg", () => {
  const seedSteps: ExchangeStep[] = [
    { line: 5, ts: 1288183219.050364, from: "82.x.x.x:59730", to: "82.71.226.65:8889", label: "udp 64", kind: "request" },
    { line: 5, ts: 1288183219.050364, from: "82.x.x.x:59730", to: "82.71.226.65:8889", label: "no reply", kind: "missing" },
    { line: 6, ts: 1288183221.010452, from: "82.x.x.x:59730", to: "208.91.112.194:8889", label: "udp 64", kind: "request" },
    { line: 6, ts: 1288183221.010452, from: "82.x.x.x:59730", to: "208.91.112.194:8889", label: "no reply", kind: "missing" },
    { line: 7, ts: 1288183223.010565, from: "82.x.x.x:59730", to: "216.156.209.26:8889", label: "udp 64", kind: "request" },
  ];

  test("one lane per host, client first, headers with address and port, relative times", () => {
    const svg = ladderOf(seedSteps);
    expect(count(svg, '<g class="lane client">')).toBe(1);
    expect(count(svg, '<g class="lane server">')).toBe(2);
    const names = [...svg.matchAll(/class="lane-name"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(names).toEqual(["82.x.x.x", "port 59730", "82.71.226.65", "port 8889", "208.91.112.194", "port 8889"]);
    const times = [...svg.matchAll(/class="time"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(times).toEqual(["+0.000 s", "+1.960 s"]);
    expect(count(svg, '<g class="step request"')).toBe(2);
    expect(count(svg, '<g class="step unanswered"')).toBe(2);
    expect(svg).toContain('class="ink cross"');
    expect(svg).toContain("no reply within 2 s (request on line 5)");
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-label="[^"]*2 requests, 0 replies, 2 without reply/);
    expect(svg).toMatch(/<title>[^<]+<\/title>/);
    expect(markupProblems(svg)).toEqual([]);
    expect(externalReferences(svg)).toEqual([]);
  });

  test("lanes go left to right in the order of the drawing: each request arrow points right", () => {
    const svg = ladderOf(seedSteps);
    const lanes = [...svg.matchAll(/<line class="lifeline" x1="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(lanes).toEqual([...lanes].sort((a, b) => a - b));
    for (const m of svg.matchAll(/<g class="step request"[\s\S]*?<line class="ink" x1="([\d.]+)" y1="[\d.]+" x2="([\d.]+)"/g)) {
      expect(Number(m[2])).toBeGreaterThan(Number(m[1]));
    }
  });

  test("a refusal from the server's address without a port shares the server's lane and has its bar", () => {
    const report = analyze(REJECTED, { source: "rejected.txt" });
    const svg = ladderSvg(diagramOfVerdict(report, 0));
    expect(count(svg, '<g class="lane ')).toBe(2);
    expect(count(svg, '<g class="step refused')).toBe(2);
    expect(count(svg, 'class="ink bar"')).toBe(3); // two rows and the legend
    expect(svg).toContain("ports 53211, 61834");
    expect(svg).toContain("+1.905 ms");
    expect(svg).toContain("refused by the server");
  });

  test("sizes follow the content", () => {
    const one = (label: string): ExchangeStep[] => [
      { line: 1, ts: 0, from: "10.0.0.1:1", to: "10.0.0.2:2", label, kind: "request" },
      { line: 1, ts: 0, from: "10.0.0.1:1", to: "10.0.0.2:2", label: "no reply", kind: "missing" },
    ];
    const short = ladderOf(one("udp 1"));
    const long = ladderOf(one("x".repeat(50)));
    const width = (svg: string) => Number(/ width="(\d+)"/.exec(svg)?.[1]);
    expect(width(long)).toBeGreaterThan(width(short) + 150);
    const many = ladderOf(Array.from({ length: 8 }, (_, i) => one("udp 1").map((s) => ({ ...s, line: i + 1, ts: i }))).flat());
    const height = (svg: string) => Number(/ height="(\d+)"/.exec(svg)?.[1]);
    expect(height(many)).toBeGreaterThan(height(short) + 14 * 30);
  });

  test("hostile text is escaped; exchanges beyond the drawn ones are counted; no steps, no diagram", () => {
    const svg = ladderOf(
      [
        { line: 1, ts: 0, from: `${SCRIPT}:1`, to: "10.0.0.2:2", label: IMG, kind: "request" },
        { line: 2, ts: 1, from: "10.0.0.2:2", to: `${SCRIPT}:1`, label: `" onload="x`, kind: "reply" },
        ...Array.from({ length: 6 }, (_, i) => [
          { line: 3 + i * 2, ts: 2 + i, from: `${SCRIPT}:1`, to: "10.0.0.2:2", label: "udp 1", kind: "request" as const },
          { line: 4 + i * 2, ts: 2.1 + i, from: "10.0.0.2:2", to: `${SCRIPT}:1`, label: "udp 1", kind: "reply" as const },
        ]).flat(),
      ],
      { title: "<b>t</b>" },
    );
    expect(markupProblems(svg)).toEqual([]);
    expect(svg).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(svg).toContain("3 more exchanges not drawn");
    expect(ladderOf([])).toBe("");
  });

  test("helpers", () => {
    expect(relativeTime(0)).toBe("+0.000 s");
    expect(relativeTime(0.005635)).toBe("+5.635 ms");
    expect(relativeTime(2)).toBe("+2.000 s");
    expect(splitEndpoint("10.0.0.1:53")).toEqual({ host: "10.0.0.1", port: "53" });
    expect(splitEndpoint("[2001:db8::1]:53")).toEqual({ host: "2001:db8::1", port: "53" });
    expect(splitEndpoint("fe80::1")).toEqual({ host: "fe80::1", port: null });
  });
});

describe("renderHtml", () => {
  // without the catalogue (analyze's default since round 3): the expectations name bare ports
  const mixed = analyze(MIXED, { source: "mixed.txt", catalogue: [] });
  const html = renderHtml(mixed);

  test("the fixture has a verdict of every severity", () => {
    expect(new Set(mixed.verdicts.map((v) => v.severity))).toEqual(new Set(["error", "warning", "info", "ok"]));
  });

  test("one self-contained HTML5 document with the generator version", () => {
    expect(html.startsWith("<!DOCTYPE html>\n<html lang=\"en\">")).toBe(true);
    expect(html.trimEnd().endsWith("</html>")).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toMatch(/<header class="top">[\s\S]*Generated by sniffdiag <span class="version">0\.\d+\.\d+/);
    expect(html).toContain("@media print");
    expect(html).toContain("prefers-color-scheme: dark");
    expect(count(html, "<style>")).toBe(1);
    expect(externalReferences(html)).toEqual([]);
    expect(markupProblems(html)).toEqual([]);
  });

  test("cards in severity order, one per verdict, with the severity word", () => {
    const found = cards(html);
    expect(found).toHaveLength(mixed.verdicts.length);
    expect(found.map((c) => c.code)).toEqual(mixed.verdicts.map((v) => v.code));
    const ranks = found.map((c) => SEVERITY_RANK[c.severity]);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    for (const c of found) expect(c.body).toContain(`<span class="badge">${c.severity.toUpperCase()}</span>`);
  });

  test("the same verdicts in the same order as the markdown", () => {
    const md = renderMarkdown(mixed);
    const mdOrder = [...md.matchAll(/^### \d+\. (ERROR|WARNING|INFO|OK): /gm)].map((m) => m[1]);
    const htmlOrder = [...html.matchAll(/<span class="badge">(\w+)<\/span>/g)].map((m) => m[1]);
    expect(htmlOrder).toEqual(mdOrder);
    for (const v of mixed.verdicts) expect(html).toContain(escapeHtml(v.title));
  });

  test("evidence lines with their input line numbers in <pre>", () => {
    const error = cards(html).find((c) => c.code === "unanswered");
    expect(error).toBeDefined();
    const pre = /<div class="evidence">[\s\S]*?<pre>([\s\S]*?)<\/pre>/.exec(error?.body ?? "")?.[1] ?? "";
    const numbered = [...pre.matchAll(/<span class="ln">\s*(\d+)<\/span>(.*)/g)].map((m) => [Number(m[1]), m[2]]);
    expect(numbered).toEqual([
      [6, escapeHtml("2024-02-20 16:03:41.220418 port1 out 10.0.0.1.4271 -> 10.0.0.50.1812: udp 128")],
      [7, escapeHtml("2024-02-20 16:03:46.221377 port1 out 10.0.0.1.4271 -> 10.0.0.50.1812: udp 128")],
      [8, escapeHtml("2024-02-20 16:03:51.222902 port1 out 10.0.0.1.4271 -> 10.0.0.50.1812: udp 128")],
    ]);
  });

  test("the unanswered verdict has a ladder: one arrow per request, a missing-reply marker", () => {
    const index = mixed.verdicts.findIndex((v) => v.code === "unanswered");
    const steps = mixed.exchanges?.find((e) => e.verdict === index)?.steps ?? [];
    const requests = steps.filter((s) => s.kind === "request").length;
    expect(requests).toBe(3);
    const body = cards(html).find((c) => c.code === "unanswered")?.body ?? "";
    expect(count(body, "<svg ")).toBe(1);
    expect(count(body, '<g class="step request"')).toBe(requests);
    expect(count(body, '<g class="step unanswered"')).toBeGreaterThan(0);
    expect(count(body, 'data-evidence="true"')).toBe(requests);
    expect(body).toContain('class="ink cross"');
    expect(body).toMatch(/<svg [^>]*role="img" aria-label="[^"]+"/);
    // ok verdicts get no diagram
    expect(cards(html).find((c) => c.code === "answered")?.body ?? "").not.toContain("<svg");
  });

  test("remedy prose with code spans, commands in <pre> (both from describe())", () => {
    const report = structuredClone(mixed);
    const v = report.verdicts.find((x) => x.code === "unanswered");
    if (v === undefined || v.code !== "unanswered" || v.args.kind !== "timeout") throw new Error("no unanswered verdict in the mixed sample");
    v.args.catalogueRemedy = "Trace it with `diagnose debug enable`:\ndiagnose debug flow filter addr 10.0.0.50\ndiagnose debug flow trace start 20";
    const out = renderHtml(report);
    expect(out).toContain("<p>Trace it with <code>diagnose debug enable</code>:</p>");
    expect(out).toContain('<pre class="commands">diagnose debug flow filter addr 10.0.0.50\ndiagnose debug flow trace start 20</pre>');
  });

  test("capture facts and services tables", () => {
    expect(html).toContain("<h3 class=\"section\">Capture facts</h3>");
    const command = mixed.inputs[0]?.captures[0]?.command;
    expect(command).toMatch(/^diagnose sniffer packet any /);
    expect(html).toContain(`<td class="command"><code>${escapeHtml(command ?? "?")}</code></td>`);
    expect(html).toContain(`<td class="filter">${escapeHtml("port 53 or port 1812 or port 123")}</td>`);
    expect(html).toContain("<h3 class=\"section\">Services</h3>");
    expect(html).toMatch(/<td>UDP\/1812<\/td><td><span class="status st-unanswered">unanswered<\/span><\/td>/);
  });

  test("an input that could not be read says so", () => {
    const report: Report = { ...mixed, inputs: [{ source: "gone.txt", lines: 0, packets: 0, unrecognized: 0, captures: [], error: `cannot read ${SCRIPT}` }], verdicts: [], services: [], flows: [] };
    delete report.exchanges;
    const out = renderHtml(report);
    expect(out).toContain(`Not analysed: cannot read ${escapeHtml(SCRIPT)}`);
    expect(markupProblems(out)).toEqual([]);
  });
});

describe("hostile input is escaped everywhere", () => {
  const cases: [string, string, string][] = [
    ["interface name <script>", HOSTILE_SCRIPT, `${SCRIPT}.txt`],
    ["interface name <img onerror>", HOSTILE_IMG, `x" onmouseover="alert(1)`],
  ];
  test.each(cases)("%s", (_name, text, source) => {
    const report = analyze(text, { source });
    // the payload did reach the report, so the test exercises the escaping
    const json = JSON.stringify(report);
    expect(json.includes(SCRIPT) || json.includes(IMG)).toBe(true);
    expect(report.inputs[0]?.captures[0]?.interfaces).toMatch(/^<(script|img)/);
    const html = renderHtml(report);
    expect(markupProblems(html)).toEqual([]);
    expect(externalReferences(html)).toEqual([]);
    expect(html).not.toMatch(/<script|<img/i);
    const filter = report.inputs[0]?.captures[0]?.filter ?? "";
    expect(html).toContain(`<td class="filter">${escapeHtml(filter)}</td>`);
    expect(html).not.toMatch(/<[^>]*\son\w+=/i);
    expect(html).toContain(escapeHtml(report.inputs[0]?.captures[0]?.interfaces ?? "?"));
    expect(html).toContain(`<h2>${escapeHtml(source)}</h2>`);
  });
  test("the ladder of a hostile capture is escaped too", () => {
    const html = renderHtml(analyze(HOSTILE_SCRIPT, { source: "s.txt" }));
    expect(html).toContain("<svg ");
    expect(markupProblems(html)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// golden file for the seed

const SEED = "seed_fortimail_kb192524.txt";

/**
 * The reviewed report body: the page with its stylesheet's text left out, so a style tweak does not
 * touch the golden file while any change to the markup, the words or the ladder does.
 */
function withoutStylesheet(html: string): string {
  const styles = html.match(/<style>[\s\S]*?<\/style>/g) ?? [];
  expect(styles).toHaveLength(1);
  return html.replace(/<style>[\s\S]*?<\/style>/, "<style>/* the stylesheet (src/render/html.ts), not part of the golden file */</style>");
}

describe("the seed report", () => {
  const goldenPath = fileURLToPath(new URL("./golden/seed.html", import.meta.url));
  const render = (): string => {
    const report = analyze(readSample(SEED), { ...builtinAnalyzeOptions(), source: SEED });
    report.generator.version = "0.0.0-golden"; // normalised: a version bump must not break the golden file
    return renderHtml(report);
  };

  test("structure: the UDP/8889 error first with its ladder, then the UDP/53 ok", () => {
    const html = render();
    const found = cards(html);
    expect(found.map((c) => [c.severity, c.code])).toEqual([
      ["error", "unanswered"],
      ["ok", "answered"],
    ]);
    const bad = found[0]?.body ?? "";
    expect(count(bad, '<g class="step request"')).toBe(3);
    expect(count(bad, '<g class="step unanswered"')).toBe(3);
    for (const line of [5, 6, 7]) expect(bad).toMatch(new RegExp(`<span class="ln">${line}</span>`));
    expect(bad).toContain("+1.960 s");
    expect(markupProblems(html)).toEqual([]);
    expect(externalReferences(html)).toEqual([]);
    // the page carries its own stylesheet (checked here, left out of the golden file)
    expect(/<style>([\s\S]*?)<\/style>/.exec(html)?.[1]?.length ?? 0).toBeGreaterThan(1000);
  });

  test("matches test/golden/seed.html, the stylesheet left out", () => {
    const body = withoutStylesheet(render());
    if (process.env.UPDATE_GOLDEN === "1") {
      mkdirSync(fileURLToPath(new URL("./golden/", import.meta.url)), { recursive: true });
      writeFileSync(goldenPath, body);
      console.log(`wrote ${goldenPath}: review it`);
    }
    if (!existsSync(goldenPath)) throw new Error(`${goldenPath} is missing: run UPDATE_GOLDEN=1 npm test -- test/html.test.ts`);
    const golden = readFileSync(goldenPath, "utf8");
    expect(body.split("\n")).toEqual(golden.split("\n"));
  });
});
