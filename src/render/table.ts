/**
 * Terminal output of a report: the verdicts led by the worst (title, what was seen, remedy,
 * evidence lines), then a services table. Colour only when asked (a TTY without NO_COLOR).
 */
import type { Report, Severity, ServiceSummary, FlowSummary } from "../report.js";
import { serviceLabel } from "../format/service.js";
import { describe } from "../describe/index.js";
import { duplicatesSentence, formatTime } from "../format/time.js";
import { plural } from "../format/words.js";
import { fitTable, wrap } from "./fit.js";
import { catalogueRows, type Catalogue } from "../catalogue/index.js";
import { DEFAULT_TOP_FLOWS, moreFlowsSentence, topFlows } from "./top-flows.js";

export interface TableOptions {
  color: boolean;
  /** the terminal's width: tables and prose are fitted to it */
  width: number;
  /** plain text: no box drawing, no colour (`--format text`, for ticket systems without markdown) */
  plain?: boolean;
}

const SGR: Record<Severity, string> = { error: "31;1", warning: "33;1", info: "36", ok: "32" };

function paint(text: string, code: string, color: boolean): string {
  return color ? `\x1b[${code}m${text}\x1b[0m` : text;
}

export { wrap };
export { renderFlowsCsv } from "./csv.js";

/** The summary line: "1 error, 0 warnings, 0 info, 1 ok". */
function verdictCounts(s: Report["summary"]): string {
  return `${plural(s.errors, "error")}, ${plural(s.warnings, "warning")}, ${s.infos} info, ${s.oks} ok`;
}

export function renderTable(report: Report, options: TableOptions): string {
  if (report.inputs.length > 1) return renderBatch(report, options);
  const lines: string[] = [];
  const { width } = options;
  const color = options.color && options.plain !== true;
  let lastSource: string | null = null;
  for (const v of report.verdicts) {
    if (v.source !== lastSource) {
      if (lastSource !== null) lines.push("");
      lines.push(paint(v.source, "1", color));
      lastSource = v.source;
    }
    const tag = v.severity.toUpperCase().padEnd(8);
    const where = v.capture === null ? "" : report.inputs.find((i) => i.source === v.source)?.captures.length === 1 ? "" : ` (capture ${v.capture + 1})`;
    const [head = "", ...headRest] = wrap(`${v.title}${where}`, width, 11);
    lines.push(`  ${paint(tag, SGR[v.severity], color)} ${head.trimStart()}`);
    for (const l of headRest) lines.push(l);
    if (v.severity !== "ok") {
      for (const l of wrap(v.explanation, width, 11)) lines.push(l);
      const { remedy: first, commands: rest } = describe(v);
      if (first !== null) {
        for (const l of wrap(`Remedy: ${first}`, width, 11)) lines.push(l);
        for (const r of rest) lines.push(" ".repeat(13) + r);
      }
    }
    for (const e of v.evidence.slice(0, v.severity === "ok" ? 2 : 5)) {
      // evidence is quoted as read: long lines continue on the next line, indented under the text
      const prefix = `           ${String(e.line).padStart(5)}: `;
      const room = Math.max(20, width - prefix.length);
      const chunks = e.text.length <= room ? [e.text] : (e.text.match(new RegExp(`.{1,${room}}`, "gu")) ?? [e.text]);
      chunks.forEach((c, i) => lines.push(paint(`${i === 0 ? prefix : " ".repeat(prefix.length)}${c}`, "2", color)));
    }
  }
  for (const input of report.inputs) {
    if (input.error !== undefined) lines.push(`${input.source}: ${input.error}`);
    const dupes = duplicatesSentence(input.captures);
    if (dupes !== null) {
      lines.push("");
      for (const l of wrap(dupes, width, 0)) lines.push(l);
    }
  }
  if (report.services.length > 0) {
    lines.push("", paint("Services", "1", color));
    lines.push(servicesTable(report.services, color, width, options.plain === true));
  }
  lines.push("", verdictCounts(report.summary));
  return lines.join("\n") + "\n";
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1, ok: 0 };

/**
 * "43 inputs: 20 with errors, 3 with warnings, 19 clean, 1 not analysed (2 errors, 5 warnings,
 * 1 info, 30 ok)": inputs counted as inputs (by their worst verdict), verdicts as verdicts.
 */
export function batchSummary(report: Report): string {
  const worst = new Map<string, Severity>();
  for (const v of report.verdicts) if (!worst.has(v.source)) worst.set(v.source, v.severity);
  let errors = 0;
  let warnings = 0;
  let clean = 0;
  let notAnalysed = 0;
  for (const input of report.inputs) {
    if (input.error !== undefined) notAnalysed++;
    else {
      const w = worst.get(input.source);
      if (w === "error") errors++;
      else if (w === "warning") warnings++;
      else clean++;
    }
  }
  const parts = [`${errors} with errors`, `${warnings} with warnings`, `${clean} clean`];
  if (notAnalysed > 0) parts.push(`${notAnalysed} not analysed`);
  return `${plural(report.inputs.length, "input")}: ${parts.join(", ")} (verdicts: ${verdictCounts(report.summary)})`;
}

/**
 * A batch: the problem verdicts one line each, then one summary table (input, captures, packets,
 * worst verdict, headline), worst first; inputs that could not be analysed are listed with why.
 */
function renderBatch(report: Report, options: TableOptions): string {
  const color = options.color && options.plain !== true;
  const lines: string[] = [];
  for (const v of report.verdicts) {
    if (v.severity === "ok") continue;
    const firstLine = v.evidence[0]?.line;
    const where = v.capture !== null && (report.inputs.find((i) => i.source === v.source)?.captures.length ?? 0) > 1 ? ` (capture ${v.capture + 1})` : "";
    // one problem per line (wrapped, continuation indented), as compilers print them
    const [first = "", ...rest] = wrap(`${v.source}${firstLine === undefined ? "" : `:${firstLine}`}: ${v.severity}: ${v.title}${where} [${v.code}]`, options.width, 0);
    const sev = `: ${v.severity}: `;
    lines.push(first.replace(sev, `: ${paint(v.severity, SGR[v.severity], color)}: `));
    for (const l of rest.flatMap((x) => wrap(x, options.width, 4))) lines.push(l);
  }
  // each input's first verdict is its worst (verdicts are sorted worst first); one pass, not one per input
  const worstOf = new Map<string, (typeof report.verdicts)[number]>();
  for (const v of report.verdicts) if (!worstOf.has(v.source)) worstOf.set(v.source, v);
  const rows = report.inputs.map((input) => {
    const worst = worstOf.get(input.source) ?? null;
    const rank = input.error !== undefined ? 4 : worst === null ? -1 : RANK[worst.severity];
    return { input, worst, rank };
  });
  rows.sort((a, b) => b.rank - a.rank || (a.input.source < b.input.source ? -1 : 1));
  const cells = rows.map(({ input, worst }) => {
    if (input.error !== undefined) return [input.source, "—", "—", paint("not analysed", SGR.error, color), input.error];
    const dupes = input.captures.filter((c) => c.duplicateOf !== undefined).length;
    return [
      input.source,
      `${input.captures.length}${dupes > 0 ? ` (${dupes} repeated)` : ""}`,
      String(input.packets),
      worst === null ? "—" : paint(worst.severity, SGR[worst.severity], color),
      worst === null ? "no requests to judge" : `${worst.code}: ${worst.title}`,
    ];
  });
  if (lines.length > 0) lines.push("");
  lines.push(fitTable({ head: ["input", "captures", "packets", "worst", "headline"], rows: cells, width: options.width, color, plain: options.plain === true }));
  lines.push("");
  for (const l of wrap(batchSummary(report), options.width, 0)) lines.push(l);
  return lines.join("\n") + "\n";
}

function servicesTable(services: ServiceSummary[], color: boolean, width: number, plain: boolean): string {
  const multi = new Set(services.map((s) => s.source)).size > 1;
  const rows = services.map((s) => [
    ...(multi ? [s.source] : []),
    String(s.capture + 1),
    serviceLabel(s.proto, s.port) + (s.name ? ` ${s.name}` : ""),
    s.status,
    String(s.requests),
    String(s.answered),
    String(s.unanswered + s.inconclusive),
    String(s.rejected),
    s.servers.length <= 3 ? s.servers.map((v) => v.address).join("\n") : `${s.servers.length} servers`,
  ]);
  return fitTable({ head: [...(multi ? ["input"] : []), "capture", "service", "status", "requests", "answered", "no reply", "refused", "servers"], rows, width, color, plain });
}

/** The flow table on a terminal: the top flows (`topFlows`), then a count of the rest. */
export function renderFlowsTable(flows: readonly FlowSummary[], color: boolean, width = 100, top = DEFAULT_TOP_FLOWS): string {
  const { shown, rest } = topFlows(flows, top);
  const rows = shown.map((f) => [
    String(f.capture + 1),
    f.proto,
    f.clientPort === null ? f.client : `${f.client}:${f.clientPort}`,
    f.serverPort === null ? f.server : `${f.server}:${f.serverPort}`,
    f.state,
    `${f.toServer.packets} pkt ${f.toServer.bytes} B`,
    `${f.toClient.packets} pkt ${f.toClient.bytes} B`,
    f.interfaces.join(" "),
    formatTime(f.start),
    `${f.firstLine}-${f.lastLine}`,
  ]);
  const table = fitTable({ head: ["capture", "proto", "client", "server", "state", "to server", "to client", "interfaces", "start", "lines"], rows, width, color }) + "\n";
  return rest === 0 ? table : table + moreFlowsSentence(shown.length, rest) + "\n";
}

/** `sniffdiag services`: the catalogue, one row per service and port. */
export function renderCatalogue(catalogue: Catalogue, color: boolean, width = 120): string {
  const rows = catalogueRows(catalogue).map((r) => [r.label, r.name, r.products, r.oneWay ? "yes" : "", r.source]);
  return fitTable({ head: ["service", "name", "products", "one-way", "source"], rows, width, color }) + "\n";
}
