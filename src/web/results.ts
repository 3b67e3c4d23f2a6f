/**
 * The analysis as page content: counts, the verdict cards led by the worst (evidence lines are
 * buttons that show the line in the input), a ladder diagram per problem service, and sortable
 * services, flows and capture tables. Built node by node; input text only ever becomes text.
 */
import type { CaptureFacts, FlowSummary, Report, ServiceSummary, Severity, Verdict } from "../report.js";
import { diagramCaption, diagramOfVerdict, type Diagram } from "../render/diagram.js";
import { duplicatesSentence } from "../format/time.js";
import { SEVERITY_RANK } from "../report.js";
import { ladderSvg, type LadderOptions } from "../render/ladder.js";
import { formatTime } from "../format/time.js";
import { serviceLabel } from "../format/service.js";
import { describe } from "../describe/index.js";
import { grouped, h, inline, replaceKids, safeSvg } from "./dom.js";
import { plural } from "../format/words.js";
import type { Analysis } from "./engine.js";
import { sortableTable, type Column } from "./table.js";

export interface ResultsContext {
  /** show line `line` of input `source` in the paste area */
  jump: (source: string, line: number) => void;
}

const SEVERITY_WORD: Record<Severity, string> = { error: "Error", warning: "Warning", info: "Info", ok: "OK" };

/** Flows drawn in the table before "showing the first N". */
const FLOW_ROWS = 200;

function lineButton(source: string, line: number, ctx: ResultsContext, label?: string): HTMLButtonElement {
  const b = h("button", { type: "button", class: "line-link", "data-source": source, "data-line": line, title: `Show line ${line} in the input` }, label ?? String(line));
  b.addEventListener("click", () => ctx.jump(source, line));
  return b;
}

function evidenceList(v: Verdict, ctx: ResultsContext): HTMLElement | null {
  if (v.evidence.length === 0) return null;
  const width = v.evidence.reduce((w, e) => Math.max(w, String(e.line).length), 0);
  const items = v.evidence.map((e) => {
    const button = h(
      "button",
      { type: "button", class: "ev", "data-source": v.source, "data-line": e.line, title: `Show line ${e.line} in the input` },
      h("span", { class: "sr-only" }, "line "),
      h("span", { class: "ln", "aria-hidden": null }, String(e.line).padStart(width)),
      h("span", { class: "tx" }, e.text),
    );
    button.addEventListener("click", () => ctx.jump(v.source, e.line));
    return h("li", null, button);
  });
  return h("div", { class: "evidence" }, h("h5", null, "Evidence ", h("span", { class: "hint" }, "(select a line to show it in the input)")), h("ol", null, items));
}

function remedyBlock(v: Verdict): HTMLElement | null {
  const { remedy: first, commands } = describe(v);
  if (first === null) return null;
  return h("div", { class: "remedy" }, h("h5", null, "Remedy"), h("p", null, inline(first ?? "")), commands.length > 0 ? h("pre", { class: "commands" }, commands.join("\n")) : null);
}

function ladderBlock(v: Verdict, d: Diagram, ctx: ResultsContext): HTMLElement | null {
  const service = v.proto === null ? "Exchanges" : `${serviceLabel(v.proto, v.port)} exchanges`;
  const options: LadderOptions = { title: service, standalone: true };
  const svg = safeSvg(ladderSvg(d, options));
  if (svg === null) return null;
  svg.addEventListener("click", (event) => {
    const step = (event.target as Element).closest("g.step[data-line]");
    const line = Number(step?.getAttribute("data-line"));
    if (Number.isInteger(line) && line > 0) ctx.jump(v.source, line);
  });
  return h(
    "details",
    { class: "ladder", open: true },
    h("summary", null, diagramCaption(service, d).replace(/ Time from the first drawn packet, input line beside it\.$/, ""), h("span", { class: "hint" }, " — time from the first drawn packet; select a row to show its line")),
    h("div", { class: "ladder-scroll" }, svg),
  );
}

function card(v: Verdict, n: number, diagram: Diagram | null, source: string | null, capture: string | null, ctx: ResultsContext): HTMLElement {
  return h(
    "article",
    { class: `card sev-${v.severity}`, "data-code": v.code, "data-severity": v.severity, "data-source": v.source, "data-testid": "verdict" },
    h(
      "header",
      { class: "card-head" },
      h("span", { class: "badge" }, SEVERITY_WORD[v.severity]),
      h("h4", null, h("span", { class: "num" }, `${n}. `), h("span", { class: "title" }, v.title), capture !== null ? h("span", { class: "capture" }, ` (${capture})`) : null),
      source !== null ? h("span", { class: "where" }, source) : null,
    ),
    h("p", { class: "explanation" }, inline(v.explanation)),
    remedyBlock(v),
    evidenceList(v, ctx),
    diagram !== null && diagram.rows.length > 0 ? ladderBlock(v, diagram, ctx) : null,
  );
}

function section(id: string, title: string, children: readonly (Node | null)[]): HTMLElement {
  return h("section", { class: "block", id, "aria-labelledby": `${id}-h` }, h("h3", { id: `${id}-h`, tabindex: "-1" }, title), children);
}

function serviceName(x: { proto: string; port: number | null; name: string | null }): string {
  return `${serviceLabel(x.proto, x.port)}${x.name !== null ? ` ${x.name}` : ""}`;
}

function endpoint(addr: string, port: number | null): string {
  if (port === null) return addr;
  return addr.includes(":") ? `[${addr}]:${port}` : `${addr}:${port}`;
}

function mono(text: string): HTMLElement {
  return h("span", { class: "mono" }, text);
}

function servicesTable(services: ServiceSummary[], multi: boolean): HTMLElement {
  const columns: Column<ServiceSummary>[] = [];
  if (multi) columns.push({ key: "input", label: "input", value: (x) => x.source, className: "input" });
  columns.push(
    { key: "capture", label: "capture", numeric: true, value: (x) => x.capture + 1 },
    { key: "service", label: "service", value: serviceName },
    { key: "status", label: "status", value: (x) => x.status, cell: (x) => h("span", { class: `status st-${x.status}` }, x.status) },
    { key: "requests", label: "requests", numeric: true, value: (x) => x.requests },
    { key: "answered", label: "answered", numeric: true, value: (x) => x.answered },
    { key: "noreply", label: "no reply", numeric: true, value: (x) => x.unanswered + x.inconclusive },
    { key: "refused", label: "refused", numeric: true, value: (x) => x.rejected },
    {
      key: "servers",
      label: "servers (answered/requests, median reply)",
      value: (x) => x.servers.map((s) => s.address).join(" "),
      cell: (x) => {
        const list = h("ul", { class: "servers" });
        for (const s of x.servers) list.append(h("li", null, mono(s.address), ` ${s.answered}/${s.requests}${s.rtt ? `, ${(s.rtt.median * 1000).toFixed(1)} ms` : ""}`));
        return list;
      },
    },
  );
  return sortableTable(columns, services, { labelledBy: "services-h", noun: "services", testId: "services-table" });
}

function flowsTable(flows: FlowSummary[], multi: boolean, ctx: ResultsContext): HTMLElement {
  const columns: Column<FlowSummary>[] = [];
  if (multi) columns.push({ key: "input", label: "input", value: (f) => f.source, className: "input" });
  columns.push(
    { key: "capture", label: "capture", numeric: true, value: (f) => f.capture + 1 },
    { key: "proto", label: "proto", value: (f) => f.proto },
    { key: "client", label: "client", value: (f) => endpoint(f.client, f.clientPort), cell: (f) => mono(endpoint(f.client, f.clientPort)) },
    {
      key: "server",
      label: "server",
      value: (f) => endpoint(f.server, f.serverPort),
      cell: (f) => {
        const nat = f.nat === undefined ? null : [f.nat.snat !== null ? `SNAT ${f.nat.snat}` : "", f.nat.dnat !== null ? `DNAT ${f.nat.dnat}` : ""].filter((x) => x !== "").join(", ");
        return h("span", null, mono(endpoint(f.server, f.serverPort)), nat ? h("span", { class: "sub" }, nat) : null);
      },
    },
    { key: "interfaces", label: "interfaces", value: (f) => f.interfaces.join(", ") },
    { key: "state", label: "state", value: (f) => f.state, cell: (f) => h("span", { class: "mono" }, f.state) },
    { key: "out", label: "pkts →", numeric: true, value: (f) => f.toServer.packets },
    { key: "back", label: "pkts ←", numeric: true, value: (f) => f.toClient.packets },
    { key: "bytes", label: "bytes", numeric: true, value: (f) => f.toServer.bytes + f.toClient.bytes },
    { key: "start", label: "start", value: (f) => f.start, cell: (f) => mono(formatTime(f.start)) },
    { key: "duration", label: "duration (s)", numeric: true, value: (f) => f.end - f.start, cell: (f) => (f.end - f.start).toFixed(3) },
    {
      key: "lines",
      label: "lines",
      numeric: true,
      value: (f) => f.firstLine,
      cell: (f) => h("span", { class: "nowrap" }, lineButton(f.source, f.firstLine, ctx), f.lastLine !== f.firstLine ? "–" : "", f.lastLine !== f.firstLine ? lineButton(f.source, f.lastLine, ctx) : null),
    },
  );
  return sortableTable(columns, flows, { labelledBy: "flows-h", noun: "flows", limit: FLOW_ROWS, testId: "flows-table" });
}

function capturesTable(rows: { source: string; c: CaptureFacts }[], multi: boolean, ctx: ResultsContext): HTMLElement {
  type Row = { source: string; c: CaptureFacts };
  const columns: Column<Row>[] = [];
  if (multi) columns.push({ key: "input", label: "input", value: (r) => r.source, className: "input" });
  columns.push(
    { key: "n", label: "#", numeric: true, value: (r) => r.c.index + 1 },
    { key: "line", label: "line", numeric: true, value: (r) => r.c.line, cell: (r) => lineButton(r.source, r.c.line, ctx) },
    { key: "command", label: "command", value: (r) => r.c.command, cell: (r) => (r.c.command === null ? "—" : h("code", null, r.c.command)), className: "command" },
    { key: "interfaces", label: "interfaces", value: (r) => r.c.interfaces },
    { key: "filter", label: "filter", value: (r) => r.c.filter },
    { key: "verbose", label: "verbose", numeric: true, value: (r) => r.c.verbose },
    { key: "start", label: "start", value: (r) => r.c.start, cell: (r) => (r.c.start === null ? "—" : mono(formatTime(r.c.start))) },
    { key: "span", label: "span (s)", numeric: true, value: (r) => (r.c.start === null || r.c.end === null ? null : r.c.end - r.c.start), cell: (r) => (r.c.start === null || r.c.end === null ? "—" : (r.c.end - r.c.start).toFixed(3)) },
    { key: "packets", label: "packets", numeric: true, value: (r) => r.c.packets },
    { key: "received", label: "received", numeric: true, value: (r) => r.c.received },
    { key: "dropped", label: "dropped", numeric: true, value: (r) => r.c.dropped },
  );
  return sortableTable(columns, rows, { labelledBy: "captures-h", noun: "captures", testId: "captures-table" });
}

function counts(report: Report): HTMLElement {
  const s = report.summary;
  const item = (cls: string, n: number, one: string, many: string) => h("li", { class: `count c-${cls}` }, h("b", null, n.toLocaleString("en-US")), ` ${n === 1 ? one : many}`);
  return h("ul", { class: "counts", "aria-label": "Verdicts by severity" }, item("error", s.errors, "error", "errors"), item("warning", s.warnings, "warning", "warnings"), item("info", s.infos, "info", "info"), item("ok", s.oks, "ok", "ok"));
}

function inputFacts(report: Report): HTMLElement {
  const list = h("ul", { class: "inputs" });
  for (const input of report.inputs) {
    if (input.error !== undefined) {
      list.append(
        h(
          "li",
          { class: "problem", "data-testid": "input-problem" },
          h("b", null, input.source),
          `: ${input.error}. `,
          h("span", { class: "hint" }, "Paste the output of "),
          h("code", null, "diagnose sniffer packet <interface> '<filter>' <verbose> <count> a"),
          h("span", { class: "hint" }, " as the unit printed it."),
        ),
      );
      continue;
    }
    const parts = [plural(input.lines, "line", "lines", grouped), plural(input.captures.length, "capture", "captures", grouped), plural(input.packets, "packet", "packets", grouped)];
    if (input.unrecognized > 0) parts.push(plural(input.unrecognized, "unreadable line", "unreadable lines", grouped));
    const li = h("li", null, h("b", null, input.source), `: ${parts.join(", ")}.`);
    // one sentence however many repeats (a paste repeated 40,000 times is one line, not 40,000)
    const dupes = duplicatesSentence(input.captures);
    if (dupes !== null) li.append(h("span", { "data-testid": "duplicates" }, ` ${dupes}`));
    list.append(li);
  }
  return list;
}

/**
 * Bring a section to the top of the analysis pane (below its sticky head), scrolling only the
 * pane (scrollIntoView would move the whole page too), or the page when the panes are stacked.
 */
function scrollToSection(s: HTMLElement): void {
  const pane = s.closest<HTMLElement>(".results-pane");
  const head = pane?.querySelector<HTMLElement>(".results-head");
  if (pane !== null && pane !== undefined && getComputedStyle(pane).overflowY !== "visible") {
    const offset = s.getBoundingClientRect().top - pane.getBoundingClientRect().top - (head?.offsetHeight ?? 0) - 8;
    pane.scrollTop += offset;
  } else {
    window.scrollBy(0, s.getBoundingClientRect().top - 8);
  }
}

/** The whole analysis into `root` (its children are replaced). */
export function renderAnalysis(root: HTMLElement, analysis: Analysis, ctx: ResultsContext): void {
  const { report } = analysis;
  const multi = report.inputs.length > 1;
  const capturesOf = new Map(report.inputs.map((i) => [i.source, i.captures.length]));

  // worst first (the report is in that order already; the stable sort guarantees it)
  const verdicts = report.verdicts.map((v, i) => ({ v, i })).sort((a, b) => SEVERITY_RANK[b.v.severity] - SEVERITY_RANK[a.v.severity]);
  const cards = verdicts.map(({ v, i }, k) => {
    const capture = v.capture !== null && (capturesOf.get(v.source) ?? 0) > 1 ? `capture ${v.capture + 1}` : null;
    return card(v, k + 1, diagramOfVerdict(report, i), multi ? v.source : null, capture, ctx);
  });

  const nav = h("nav", { class: "jump", "aria-label": "Sections" });
  const sections: HTMLElement[] = [];
  const addSection = (id: string, title: string, count: number | null, ...children: (Node | null)[]) => {
    const s = section(id, title, children);
    sections.push(s);
    const link = h("button", { type: "button", class: "jump-link" }, title, count !== null ? h("span", { class: "pill" }, String(count)) : null);
    link.addEventListener("click", () => {
      scrollToSection(s);
      (s.querySelector("h3") as HTMLElement | null)?.focus({ preventScroll: true });
    });
    nav.append(link);
  };

  addSection(
    "verdicts",
    "Verdicts",
    cards.length,
    cards.length > 0 ? h("div", { class: "cards" }, cards) : h("p", { class: "empty" }, report.inputs.every((i) => i.error !== undefined) ? "No sniffer output to judge." : "No verdicts: the captures hold no requests to judge."),
  );
  const services = report.services;
  if (services.length > 0) addSection("services", "Services", services.length, servicesTable(services, multi));
  if (report.flows.length > 0) addSection("flows", "Flows", report.flows.length, flowsTable(report.flows, multi, ctx));
  const captures = report.inputs.flatMap((i) => i.captures.map((c) => ({ source: i.source, c })));
  if (captures.length > 0) addSection("captures", "Captures", captures.length, capturesTable(captures, multi, ctx));

  replaceKids(root, [h("div", { class: "overview" }, counts(report), inputFacts(report)), nav, sections]);
}

/** What the results pane shows before anything is pasted. */
export function renderWelcome(root: HTMLElement): void {
  root.replaceChildren(
    h(
      "div",
      { class: "welcome" },
      h("h3", null, "Paste a capture to see what is wrong"),
      h(
        "ol",
        null,
        h("li", null, "On the FortiGate (or FortiMail, FortiWeb…), run ", h("code", null, "diagnose sniffer packet any '<filter>' 4 0 a"), " (verbose 6 adds hex for a pcapng download)."),
        h("li", null, "Paste the output into the input area, or drop one or more files (", h("code", null, ".txt"), ", ", h("code", null, ".log"), ", ", h("code", null, ".gz"), ") anywhere on this page, or use ", h("b", null, "Open files…"), "."),
        h("li", null, "The verdicts appear here as you paste, the worst first. Select an evidence line to see it in the input."),
      ),
      h("p", { class: "privacy" }, "Everything runs inside this page: nothing is uploaded, nothing is fetched, and it works offline."),
    ),
  );
}
