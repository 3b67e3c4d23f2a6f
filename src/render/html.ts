/**
 * The standalone HTML report: one self-contained HTML5 file with the markdown report's content in
 * the same order (per input: the verdicts led by the worst as cards with explanation, remedy and
 * evidence lines, a ladder diagram of the exchanges behind each problem verdict, the capture
 * facts and the services). Inline CSS only, no scripts, nothing fetched: no fonts, images or
 * links. Light and dark follow `prefers-color-scheme`; the print stylesheet uses a white page,
 * keeps cards whole and wraps long lines instead of cutting them.
 *
 * Every piece of text taken from the report goes through `escapeHtml`.
 */
import type { CaptureFacts, FlowSummary, InputSummary, Report, ServiceSummary, Severity, Verdict } from "../report.js";
import { DEFAULT_TOP_FLOWS, moreFlowsSentence, topFlows } from "./top-flows.js";
import { diagramCaption, diagramOfVerdict, type Diagram } from "./diagram.js";
import { duplicatesSentence } from "../format/time.js";
import { SEVERITY_RANK } from "../report.js";
import { serviceLabel } from "../format/service.js";
import { describe } from "../describe/index.js";
import { escapeHtml, ladderSvg } from "./ladder.js";
import { formatTime } from "../format/time.js";
import { plural } from "../format/words.js";

export { escapeHtml } from "./ladder.js";

const SEVERITY_WORD: Record<Severity, string> = { error: "ERROR", warning: "WARNING", info: "INFO", ok: "OK" };

/** Prose with `code` spans as <code> and everything escaped. */
export function inlineHtml(text: string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((part, i) => (i % 2 === 1 ? `<code>${escapeHtml(part.slice(1, -1))}</code>` : escapeHtml(part)))
    .join("");
}

/** The markdown's time span, laid out on lines that do not break inside a stamp. */
function timeSpan(c: CaptureFacts): string {
  if (c.start === null || c.end === null) return cell(null);
  const part = (text: string) => `<span class="nowrap">${escapeHtml(text)}</span>`;
  return `${part(formatTime(c.start))} ${part(`– ${formatTime(c.end)}`)} ${part(`(${(c.end - c.start).toFixed(3)} s)`)}`;
}

function cell(x: string | number | null): string {
  return x === null ? `<span class="none">—</span>` : escapeHtml(String(x));
}

function evidenceBlock(v: Verdict): string {
  if (v.evidence.length === 0) return "";
  const width = v.evidence.reduce((w, e) => Math.max(w, String(e.line).length), 0);
  const lines = v.evidence.map((e) => `<span class="ln">${String(e.line).padStart(width)}</span>${escapeHtml(e.text)}`);
  return `<div class="evidence">\n<h4>Evidence <span class="hint">(input line: text)</span></h4>\n<pre>${lines.join("\n")}</pre>\n</div>`;
}

function remedyBlock(v: Verdict): string {
  const { remedy: first, commands } = describe(v);
  if (first === null) return "";
  const out = [`<div class="remedy">`, `<h4>Remedy</h4>`, `<p>${inlineHtml(first ?? "")}</p>`];
  if (commands.length > 0) out.push(`<pre class="commands">${escapeHtml(commands.join("\n"))}</pre>`);
  out.push(`</div>`);
  return out.join("\n");
}

function ladderBlock(v: Verdict, d: Diagram): string {
  const service = v.proto === null ? "Exchanges" : `${serviceLabel(v.proto, v.port)} exchanges`;
  const svg = ladderSvg(d, { title: service });
  return [`<figure class="ladder">`, `<figcaption>${escapeHtml(diagramCaption(service, d))}</figcaption>`, `<div class="ladder-scroll">`, svg, `</div>`, `</figure>`].join("\n");
}

function verdictCard(v: Verdict, index: number, n: number, diagram: Diagram | null, captures: number): string {
  const where = v.capture !== null && captures > 1 ? ` <span class="where">(capture ${v.capture + 1})</span>` : "";
  const out = [
    `<article class="card sev-${v.severity}" id="verdict-${index + 1}" data-severity="${v.severity}" data-code="${escapeHtml(v.code)}">`,
    `<header class="card-head"><span class="badge">${SEVERITY_WORD[v.severity]}</span>`,
    `<h3><span class="num">${n}.</span> ${escapeHtml(v.title)}${where}</h3></header>`,
    `<p class="explanation">${inlineHtml(v.explanation)}</p>`,
  ];
  const remedy = remedyBlock(v);
  if (remedy) out.push(remedy);
  const evidence = evidenceBlock(v);
  if (evidence) out.push(evidence);
  if (diagram !== null && diagram.rows.length > 0) out.push(ladderBlock(v, diagram));
  out.push(`</article>`);
  return out.join("\n");
}

function capturesTable(input: InputSummary): string {
  const rows = input.captures.map(
    (c) =>
      `<tr><td class="n">${c.index + 1}</td><td class="command">${c.command === null ? cell(null) : `<code>${escapeHtml(c.command)}</code>`}</td><td>${cell(c.interfaces)}</td><td class="filter">${cell(c.filter)}</td><td class="n">${cell(c.verbose)}</td><td class="span">${timeSpan(c)}</td><td class="n">${c.packets}</td><td class="n">${cell(c.received)}</td><td class="n">${cell(c.dropped)}</td></tr>`,
  );
  return [
    `<h3 class="section">Capture facts</h3>`,
    `<div class="table-wrap"><table class="facts">`,
    `<thead><tr><th class="n">#</th><th>command</th><th>interfaces</th><th>filter</th><th class="n">verbose</th><th>time span</th><th class="n">packets</th><th class="n">received</th><th class="n">dropped</th></tr></thead>`,
    `<tbody>`,
    ...rows,
    `</tbody></table></div>`,
  ].join("\n");
}

function servicesTable(services: ServiceSummary[]): string {
  const rows = services.map((x) => {
    const servers = x.servers
      .map((v) => `<span class="server">${escapeHtml(v.address)} (${v.answered}/${v.requests}${v.rtt ? `, ${(v.rtt.median * 1000).toFixed(1)} ms` : ""})</span>`)
      .join("<br>");
    const name = `${escapeHtml(serviceLabel(x.proto, x.port))}${x.name ? ` ${escapeHtml(x.name)}` : ""}`;
    return `<tr><td class="n">${x.capture + 1}</td><td>${name}</td><td><span class="status st-${escapeHtml(x.status)}">${escapeHtml(x.status)}</span></td><td class="n">${x.requests}</td><td class="n">${x.answered}</td><td class="n">${x.unanswered + x.inconclusive}</td><td class="n">${x.rejected}</td><td>${servers}</td></tr>`;
  });
  return [
    `<h3 class="section">Services</h3>`,
    `<div class="table-wrap"><table class="services">`,
    `<thead><tr><th class="n">capture</th><th>service</th><th>status</th><th class="n">requests</th><th class="n">answered</th><th class="n">no reply</th><th class="n">refused</th><th>servers (answered/requests, median reply time)</th></tr></thead>`,
    `<tbody>`,
    ...rows,
    `</tbody></table></div>`,
  ].join("\n");
}

function flowsTable(flows: readonly FlowSummary[], top: number): string {
  const { shown, rest } = topFlows(flows, top);
  const end = (host: string, port: number | null) => escapeHtml(port === null ? host : `${host}:${port}`);
  const rows = shown.map(
    (f) =>
      `<tr><td class="n">${f.capture + 1}</td><td>${escapeHtml(f.proto)}</td><td>${end(f.client, f.clientPort)}</td><td>${end(f.server, f.serverPort)}</td><td>${escapeHtml(f.state)}</td><td class="n">${f.toServer.packets} pkt ${f.toServer.bytes} B</td><td class="n">${f.toClient.packets} pkt ${f.toClient.bytes} B</td><td>${escapeHtml(f.interfaces.join(" "))}</td><td class="n">${f.firstLine}–${f.lastLine}</td></tr>`,
  );
  return [
    `<h3 class="section">Flows</h3>`,
    ...(rest > 0 ? [`<p class="more-flows">${inlineHtml(moreFlowsSentence(shown.length, rest))}</p>`] : []),
    `<div class="table-wrap"><table class="flows">`,
    `<thead><tr><th class="n">capture</th><th>proto</th><th>client</th><th>server</th><th>state</th><th class="n">to server</th><th class="n">to client</th><th>interfaces</th><th class="n">lines</th></tr></thead>`,
    `<tbody>`,
    ...rows,
    `</tbody></table></div>`,
  ].join("\n");
}

/** What the HTML report may be told. */
export interface HtmlOptions {
  /** flows listed per input (the most packets first; default 50; 0 lists them all) */
  topFlows?: number;
}

const CSS = `
:root {
  color-scheme: light dark;
  --page: #f5f6f8; --card: #ffffff; --fg: #1f2328; --muted: #59636e; --border: #d6dbe1; --code: #f3f5f7;
  --error: #c4232d; --error-bg: #fdecec; --warning: #8a5a00; --warning-bg: #fdf3d7;
  --info: #0b62c4; --info-bg: #e3effc; --ok: #1a7f37; --ok-bg: #e2f5e7; --missing: #bc4c00;
}
@media (prefers-color-scheme: dark) {
  :root {
    --page: #0f1318; --card: #171c23; --fg: #e3e8ee; --muted: #9aa4af; --border: #343c46; --code: #10151b;
    --error: #ff7b72; --error-bg: #3a1a1c; --warning: #e3b341; --warning-bg: #33290f;
    --info: #6cb6ff; --info-bg: #142a42; --ok: #56d364; --ok-bg: #15301d; --missing: #f0883e;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--page); color: var(--fg);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
.page { max-width: 1120px; margin: 0 auto; padding: 28px 28px 48px; }
.top { border-bottom: 1px solid var(--border); padding-bottom: 14px; margin-bottom: 8px; }
h1 { font-size: 26px; margin: 0 0 6px; letter-spacing: -0.01em; }
h2 { font-size: 20px; margin: 30px 0 4px; overflow-wrap: anywhere; }
h3 { font-size: 16px; margin: 0; }
h3.section { margin: 28px 0 8px; font-size: 16px; }
h4 { font-size: 12px; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); margin: 14px 0 4px; }
.hint { text-transform: none; letter-spacing: 0; font-weight: normal; }
.meta, .facts-line { color: var(--muted); margin: 0; }
.counts { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; padding: 0; list-style: none; }
.count { border: 1px solid var(--border); border-radius: 999px; padding: 1px 10px; font-size: 13px; background: var(--card); }
.count b { font-variant-numeric: tabular-nums; }
.count.c-error b { color: var(--error); } .count.c-warning b { color: var(--warning); }
.count.c-info b { color: var(--info); } .count.c-ok b { color: var(--ok); }
.card { background: var(--card); border: 1px solid var(--border); border-left: 5px solid var(--sev, var(--border));
  border-radius: 6px; padding: 14px 20px 16px; margin: 14px 0; }
.sev-error { --sev: var(--error); --sev-bg: var(--error-bg); }
.sev-warning { --sev: var(--warning); --sev-bg: var(--warning-bg); }
.sev-info { --sev: var(--info); --sev-bg: var(--info-bg); }
.sev-ok { --sev: var(--ok); --sev-bg: var(--ok-bg); }
.card-head { display: flex; align-items: baseline; gap: 10px; }
.badge { flex: none; font-size: 11px; font-weight: 700; letter-spacing: 0.07em; color: var(--sev); background: var(--sev-bg);
  border: 1px solid var(--sev); border-radius: 4px; padding: 1px 7px; position: relative; top: -1px; }
.card h3 { overflow-wrap: anywhere; }
.num, .where { color: var(--muted); font-weight: normal; }
.explanation { margin: 8px 0 0; }
.remedy p { margin: 0; }
code { font-size: 0.88em; background: var(--code); border: 1px solid var(--border); border-radius: 4px; padding: 0 4px; overflow-wrap: anywhere; }
pre { background: var(--code); border: 1px solid var(--border); border-radius: 5px; padding: 9px 12px; margin: 6px 0 0;
  font-size: 13px; line-height: 1.5; overflow-x: auto; }
pre.commands { border-left: 3px solid var(--sev, var(--border)); }
.ln { color: var(--muted); display: inline-block; padding-right: 1.5ch; margin-right: 1.5ch; border-right: 1px solid var(--border); user-select: none; }
.ladder { margin: 16px 0 0; }
.ladder figcaption { font-size: 12px; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); margin: 0 0 6px; font-weight: 600; }
.ladder-scroll { width: fit-content; max-width: 100%; overflow-x: auto; border: 1px solid var(--border); border-radius: 5px; background: var(--card); padding: 4px 0; }
.ladder-svg { display: block; color: var(--fg); }
.ladder-svg .lane-box { fill: var(--code); stroke: var(--border); stroke-opacity: 1; }
.ladder-svg .halo { stroke: var(--card); }
.ladder-svg .reply .ink, .ladder-svg .reply .head { stroke: var(--ok); }
.ladder-svg .reply .head, .ladder-svg .reply .label { fill: var(--ok); }
.ladder-svg .reject .ink { stroke: var(--error); }
.ladder-svg .reject .head, .ladder-svg .reject .label { fill: var(--error); }
.ladder-svg .missing .ink { stroke: var(--missing); }
.ladder-svg .missing .label { fill: var(--missing); }
.ladder-svg .reply .head, .ladder-svg .reject .head { stroke: none; }
.table-wrap { overflow-x: auto; background: var(--card); border: 1px solid var(--border); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
th, td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid var(--border); }
tbody tr:last-child td { border-bottom: none; }
th { background: var(--code); font-weight: 600; white-space: nowrap; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.command code { white-space: pre-wrap; overflow-wrap: anywhere; background: none; border: none; padding: 0; font-size: 12.5px; }
td.command { min-width: 13em; }
td.filter { min-width: 9em; }
.nowrap { white-space: nowrap; }
.none { color: var(--muted); }
.server { white-space: nowrap; }
.status { font-weight: 600; }
.st-unanswered, .st-rejected { color: var(--error); } .st-partial { color: var(--warning); }
.st-answered, .st-one-way { color: var(--ok); } .st-inconclusive { color: var(--info); }
.empty, .error-note { color: var(--muted); font-style: italic; }
footer.foot { margin-top: 36px; padding-top: 10px; border-top: 1px solid var(--border); color: var(--muted); font-size: 12px; }
@media (max-width: 640px) {
  .page { padding: 16px 12px 32px; }
  .card { padding: 12px 12px 14px; }
  .card-head { flex-wrap: wrap; gap: 6px; }
}
@media print {
  :root {
    --page: #ffffff; --card: #ffffff; --fg: #000000; --muted: #4a4f55; --border: #b9bfc6; --code: #ffffff;
    --error: #b0121c; --error-bg: #ffffff; --warning: #7a4f00; --warning-bg: #ffffff;
    --info: #0a55ad; --info-bg: #ffffff; --ok: #17692f; --ok-bg: #ffffff; --missing: #a04000;
  }
  body { font-size: 10.5pt; background: #ffffff; color: #000000; }
  .page { max-width: none; padding: 0; }
  .card { break-inside: avoid; page-break-inside: avoid; }
  h2, h3, h4, figcaption { break-after: avoid; page-break-after: avoid; }
  pre, code, td code { white-space: pre-wrap; overflow-wrap: anywhere; overflow: visible; }
  .table-wrap, .ladder-scroll { overflow: visible; }
  .ladder-svg { max-width: 100%; height: auto; }
  table { font-size: 8.5pt; }
  td { overflow-wrap: anywhere; }
  .server { white-space: normal; }
  tr { break-inside: avoid; page-break-inside: avoid; }
}
`;

/** The whole report as one self-contained HTML5 document. */
export function renderHtml(report: Report, options: HtmlOptions = {}): string {
  const s = report.summary;
  const version = report.generator.version;
  const title =
    report.inputs.length === 1 && report.inputs[0] !== undefined ? `sniffdiag report: ${report.inputs[0].source}` : `sniffdiag report: ${report.inputs.length} inputs`;

  const body: string[] = [];
  body.push(`<header class="top">`);
  body.push(`<h1>sniffdiag report</h1>`);
  body.push(
    `<ul class="counts">` +
      `<li class="count c-error"><b>${s.errors}</b> ${s.errors === 1 ? "error" : "errors"}</li>` +
      `<li class="count c-warning"><b>${s.warnings}</b> ${s.warnings === 1 ? "warning" : "warnings"}</li>` +
      `<li class="count c-info"><b>${s.infos}</b> info</li>` +
      `<li class="count c-ok"><b>${s.oks}</b> ok</li>` +
      `</ul>`,
  );
  body.push(`<p class="meta">Generated by sniffdiag <span class="version">${escapeHtml(version)}</span> from ${plural(report.inputs.length, "input", "inputs")}.</p>`);
  body.push(`</header>`);
  body.push(`<main>`);

  report.inputs.forEach((input, inputIndex) => {
    body.push(`<section class="input" id="input-${inputIndex + 1}">`);
    body.push(`<h2>${escapeHtml(input.source)}</h2>`);
    if (input.error !== undefined) {
      body.push(`<p class="error-note">Not analysed: ${escapeHtml(input.error)}</p>`);
      body.push(`</section>`);
      return;
    }
    body.push(
      `<p class="facts-line">${plural(input.lines, "line", "lines")}, ${plural(input.captures.length, "capture", "captures")}, ${plural(input.packets, "packet", "packets")}${
        input.unrecognized > 0 ? `, ${plural(input.unrecognized, "unreadable line", "unreadable lines")}` : ""
      }.${duplicatesSentence(input.captures) === null ? "" : ` ${escapeHtml(duplicatesSentence(input.captures) ?? "")}`}</p>`,
    );
    // worst first; the report is already in that order, the stable sort only guarantees it
    const mine = report.verdicts
      .map((v, i) => ({ v, i }))
      .filter(({ v }) => v.source === input.source)
      .sort((a, b) => SEVERITY_RANK[b.v.severity] - SEVERITY_RANK[a.v.severity]);
    mine.forEach(({ v, i }, k) => body.push(verdictCard(v, i, k + 1, diagramOfVerdict(report, i), input.captures.length)));
    if (mine.length === 0) body.push(`<p class="empty">No verdicts: the captures hold no requests to judge.</p>`);
    body.push(capturesTable(input));
    const services = report.services.filter((x) => x.source === input.source);
    if (services.length > 0) body.push(servicesTable(services));
    const flows = report.flows.filter((f) => f.source === input.source);
    if (flows.length > 0) body.push(flowsTable(flows, options.topFlows ?? DEFAULT_TOP_FLOWS));
    body.push(`</section>`);
  });

  body.push(`</main>`);
  body.push(`<footer class="foot">sniffdiag <span class="version">${escapeHtml(version)}</span> · report schema ${escapeHtml(report.schema)}</footer>`);

  return [
    `<!DOCTYPE html>`,
    `<html lang="en">`,
    `<head>`,
    `<meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<meta name="color-scheme" content="light dark">`,
    `<meta name="generator" content="sniffdiag ${escapeHtml(version)}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${CSS}</style>`,
    `</head>`,
    `<body>`,
    `<div class="page">`,
    ...body,
    `</div>`,
    `</body>`,
    `</html>`,
    ``,
  ].join("\n");
}
