/**
 * Terminal output of a report: the verdicts led by the worst (title, what was seen, remedy,
 * evidence lines), then a services table. Colour only when asked (a TTY without NO_COLOR).
 */
import Table from "cli-table3";
import type { Report, Severity, ServiceSummary, FlowSummary } from "../report.js";
import { serviceLabel } from "../format/service.js";
import { describe } from "../describe/index.js";
import { formatTime } from "../format/time.js";
import { catalogueRows, type Catalogue } from "../catalogue/index.js";

export interface TableOptions {
  color: boolean;
  width: number;
}

const SGR: Record<Severity, string> = { error: "31;1", warning: "33;1", info: "36", ok: "32" };

function paint(text: string, code: string, color: boolean): string {
  return color ? `\x1b[${code}m${text}\x1b[0m` : text;
}

/** Word-wrap to `width` columns with `indent` spaces before every line. */
export function wrap(text: string, width: number, indent: number): string[] {
  const out: string[] = [];
  for (const para of text.split("\n")) {
    let line = "";
    for (const word of para.split(/ +/)) {
      if (line.length > 0 && indent + line.length + 1 + word.length > width) {
        out.push(" ".repeat(indent) + line);
        line = word;
      } else line = line.length > 0 ? `${line} ${word}` : word;
    }
    out.push(" ".repeat(indent) + line);
  }
  return out;
}

export function renderTable(report: Report, options: TableOptions): string {
  if (report.inputs.length > 1) return renderBatch(report, options);
  const lines: string[] = [];
  const { color, width } = options;
  let lastSource: string | null = null;
  for (const v of report.verdicts) {
    if (v.source !== lastSource) {
      if (lastSource !== null) lines.push("");
      lines.push(paint(v.source, "1", color));
      lastSource = v.source;
    }
    const tag = v.severity.toUpperCase().padEnd(8);
    const where = v.capture === null ? "" : report.inputs.find((i) => i.source === v.source)?.captures.length === 1 ? "" : ` [capture ${v.capture + 1}]`;
    lines.push(`  ${paint(tag, SGR[v.severity], color)} ${v.title}${where}`);
    if (v.severity !== "ok") {
      for (const l of wrap(v.explanation, width, 11)) lines.push(l);
      const { remedy: first, commands: rest } = describe(v);
      if (first !== null) {
        for (const l of wrap(`Remedy: ${first}`, width, 11)) lines.push(l);
        for (const r of rest) lines.push(" ".repeat(13) + r);
      }
    }
    for (const e of v.evidence.slice(0, v.severity === "ok" ? 2 : 5)) {
      lines.push(paint(`           ${String(e.line).padStart(5)}: ${e.text}`, "2", color));
    }
  }
  for (const input of report.inputs) {
    if (input.error !== undefined) lines.push(`${input.source}: ${input.error}`);
  }
  if (report.services.length > 0) {
    lines.push("", paint("Services", "1", color));
    lines.push(servicesTable(report.services, color));
  }
  const s = report.summary;
  lines.push("", `${s.errors} error${s.errors === 1 ? "" : "s"}, ${s.warnings} warning${s.warnings === 1 ? "" : "s"}, ${s.infos} info, ${s.oks} ok`);
  return lines.join("\n") + "\n";
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1, ok: 0 };

/**
 * A batch: the problem verdicts one line each, then one summary table (input, captures, packets,
 * worst verdict, headline), worst first; inputs that could not be analysed are listed with why.
 */
function renderBatch(report: Report, options: TableOptions): string {
  const { color } = options;
  const lines: string[] = [];
  for (const v of report.verdicts) {
    if (v.severity === "ok") continue;
    const firstLine = v.evidence[0]?.line;
    lines.push(`${v.source}${firstLine === undefined ? "" : `:${firstLine}`}: ${paint(v.severity, SGR[v.severity], color)}: ${v.title} [${v.code}]`);
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
  const table = new Table({ head: ["input", "captures", "packets", "worst", "headline"], ...tableStyle(color), colWidths: [null, null, null, null, Math.max(30, options.width - 70)], wordWrap: true });
  for (const { input, worst } of rows) {
    if (input.error !== undefined) {
      table.push([input.source, "—", "—", paint("not read", SGR.error, color), input.error]);
      continue;
    }
    table.push([
      input.source,
      String(input.captures.length),
      String(input.packets),
      worst === null ? "—" : paint(worst.severity, SGR[worst.severity], color),
      worst === null ? "no requests to judge" : `${worst.code}: ${worst.title}`,
    ]);
  }
  if (lines.length > 0) lines.push("");
  lines.push(table.toString());
  const s = report.summary;
  const unread = report.inputs.filter((i) => i.error !== undefined).length;
  lines.push(
    "",
    `${report.inputs.length} inputs${unread > 0 ? ` (${unread} not analysed)` : ""}: ${s.errors} error${s.errors === 1 ? "" : "s"}, ${s.warnings} warning${s.warnings === 1 ? "" : "s"}, ${s.infos} info, ${s.oks} ok`,
  );
  return lines.join("\n") + "\n";
}

function tableStyle(color: boolean): { style: { head: string[]; border: string[] } } {
  return { style: color ? { head: ["bold"], border: ["grey"] } : { head: [], border: [] } };
}

function servicesTable(services: ServiceSummary[], color: boolean): string {
  const multi = new Set(services.map((s) => s.source)).size > 1;
  const table = new Table({
    head: [...(multi ? ["input"] : []), "capture", "service", "status", "requests", "answered", "no reply", "refused", "servers"],
    ...tableStyle(color),
  });
  for (const s of services) {
    const label = serviceLabel(s.proto, s.port) + (s.name ? ` ${s.name}` : "");
    table.push([
      ...(multi ? [s.source] : []),
      String(s.capture + 1),
      label,
      s.status,
      String(s.requests),
      String(s.answered),
      String(s.unanswered + s.inconclusive),
      String(s.rejected),
      s.servers.length <= 3 ? s.servers.map((v) => v.address).join("\n") : `${s.servers.length} servers`,
    ]);
  }
  return table.toString();
}

export function renderFlowsTable(flows: FlowSummary[], color: boolean): string {
  const table = new Table({
    head: ["capture", "proto", "client", "server", "state", "to server", "to client", "interfaces", "start", "lines"],
    ...tableStyle(color),
  });
  for (const f of flows) {
    table.push([
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
  }
  return table.toString() + "\n";
}

const CSV_COLUMNS = ["source", "capture", "proto", "client", "clientPort", "server", "serverPort", "interfaces", "toServerPackets", "toServerBytes", "toClientPackets", "toClientBytes", "state", "start", "end", "firstLine", "lastLine"] as const;

function csvField(v: string | number | null): string {
  if (v === null) return "";
  // a text cell that a spreadsheet would run as a formula (`= + - @`, TAB, CR first) is defused with a leading quote (OWASP)
  const s = typeof v === "string" && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderFlowsCsv(flows: FlowSummary[]): string {
  const rows = [CSV_COLUMNS.join(",")];
  for (const f of flows) {
    const values: Record<(typeof CSV_COLUMNS)[number], string | number | null> = {
      source: f.source,
      capture: f.capture,
      proto: f.proto,
      client: f.client,
      clientPort: f.clientPort,
      server: f.server,
      serverPort: f.serverPort,
      interfaces: f.interfaces.join("|"),
      toServerPackets: f.toServer.packets,
      toServerBytes: f.toServer.bytes,
      toClientPackets: f.toClient.packets,
      toClientBytes: f.toClient.bytes,
      state: f.state,
      start: f.start,
      end: f.end,
      firstLine: f.firstLine,
      lastLine: f.lastLine,
    };
    rows.push(CSV_COLUMNS.map((c) => csvField(values[c])).join(","));
  }
  return rows.join("\n") + "\n";
}

/** `sniffdiag services`: the catalogue, one row per service and port. */
export function renderCatalogue(catalogue: Catalogue, color: boolean): string {
  const table = new Table({ head: ["service", "name", "products", "one-way", "source"], ...tableStyle(color), colWidths: [null, 34, 18, null, 50], wordWrap: true });
  for (const r of catalogueRows(catalogue)) {
    table.push([r.label, r.name, r.products, r.oneWay ? "yes" : "", r.source]);
  }
  return table.toString() + "\n";
}
