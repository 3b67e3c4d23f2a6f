/**
 * Ticket-ready markdown: per input, the verdicts led by the worst with their explanation, remedy
 * and evidence lines (fenced, with line numbers), a Mermaid sequence diagram of the exchanges
 * behind each problem verdict, the capture facts and the services. Everything taken from the
 * input is escaped; fences are longer than any backtick run they hold.
 */
import type { CaptureFacts, Report, Verdict } from "../report.js";
import { diagramCaption, diagramOfVerdict, type Diagram } from "./diagram.js";
import { mermaidOf } from "./mermaid.js";
import { serviceLabel } from "../format/service.js";
import { describe } from "../describe/index.js";
import { duplicatesSentence, formatTime } from "../format/time.js";
import { plural } from "../format/words.js";
import { DEFAULT_TOP_FLOWS, moreFlowsSentence, topFlows } from "./top-flows.js";

/** What the markdown report may be told. */
export interface MarkdownOptions {
  /** flows listed per input (the most packets first; default 50; 0 lists them all) */
  topFlows?: number;
}

const SEVERITY_WORD = { error: "ERROR", warning: "WARNING", info: "INFO", ok: "OK" } as const;

/** Escape text for markdown prose and table cells (no HTML, no emphasis, no links). */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]|~])/g, "\\$1")
    .replace(/\r?\n/g, " ");
}

/** Prose with `code` spans kept as code and everything else escaped. */
export function inlineMarkdown(text: string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((part, i) => (i % 2 === 1 ? part : escapeMarkdown(part)))
    .join("");
}

/**
 * Inline code that shows `text` verbatim: delimited by a backtick run longer than any inside it
 * (CommonMark), padded with a space when it starts or ends with a backtick; in a table cell `|`
 * is escaped (GFM splits cells before code spans).
 */
export function codeSpan(text: string, inTable = false): string {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const f = "`".repeat(longest + 1);
  const body = text.replace(/[\r\n]+/g, " ");
  const pad = body.startsWith("`") || body.endsWith("`") ? " " : "";
  return `${f}${pad}${inTable ? body.replace(/\|/g, "\\|") : body}${pad}${f}`;
}

/** A fence of backticks longer than any run inside the content. */
export function fence(content: string, info = ""): string {
  let longest = 0;
  for (const m of content.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const f = "`".repeat(Math.max(3, longest + 1));
  return `${f}${info}\n${content}\n${f}`;
}

function timeSpan(c: CaptureFacts): string {
  if (c.start === null || c.end === null) return "—";
  return `${formatTime(c.start)} – ${formatTime(c.end)} (${(c.end - c.start).toFixed(3)} s)`;
}

export { mermaidText } from "./mermaid.js";

function verdictBlock(v: Verdict, n: number, diagram: Diagram | null, captures: number): string[] {
  const out: string[] = [];
  const where = v.capture !== null && captures > 1 ? ` (capture ${v.capture + 1})` : "";
  out.push(`### ${n}. ${SEVERITY_WORD[v.severity]}: ${escapeMarkdown(v.title)}${where}`, "");
  out.push(escapeMarkdown(v.explanation), "");
  const { remedy: first, commands } = describe(v);
  if (first !== null) {
    out.push(`**Remedy:** ${inlineMarkdown(first ?? "")}`, "");
    if (commands.length > 0) out.push(fence(commands.join("\n"), "text"), "");
  }
  if (v.evidence.length > 0) {
    out.push("Evidence (input line: text):", "");
    out.push(fence(v.evidence.map((e) => `${String(e.line).padStart(5)}: ${e.text}`).join("\n"), "text"), "");
  }
  if (diagram !== null && diagram.rows.length > 0) {
    out.push(fence(mermaidOf(diagram), "mermaid"), "");
    if (diagram.notDrawn !== null) out.push(`Diagram: ${escapeMarkdown(diagramCaption("", diagram).replace(/^: /, "").replace(/ Time from the first drawn packet, input line beside it\.$/, ""))}`, "");
  }
  return out;
}

export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const out: string[] = ["# sniffdiag report", ""];
  const s = report.summary;
  out.push(`${plural(s.errors, "error")}, ${plural(s.warnings, "warning")}, ${s.infos} info, ${s.oks} ok — sniffdiag ${report.generator.version}`, "");
  for (const input of report.inputs) {
    // the path as given, verbatim in a code span (no backslashes before its underscores)
    out.push(`## ${codeSpan(input.source)}`, "");
    if (input.error !== undefined) {
      out.push(`Not analysed: ${escapeMarkdown(input.error)}`, "");
      continue;
    }
    out.push(`${plural(input.lines, "line")}, ${plural(input.captures.length, "capture")}, ${plural(input.packets, "packet")}${input.unrecognized > 0 ? `, ${plural(input.unrecognized, "unreadable line")}` : ""}.`, "");
    const dupes = duplicatesSentence(input.captures);
    if (dupes !== null) out.push(escapeMarkdown(dupes), "");
    let n = 0;
    report.verdicts.forEach((v, i) => {
      if (v.source !== input.source) return;
      n++;
      for (const l of verdictBlock(v, n, diagramOfVerdict(report, i), input.captures.length)) out.push(l);
    });
    if (n === 0) out.push("No verdicts: the captures hold no requests to judge.", "");
    out.push("### Capture facts", "");
    out.push("| # | command | interfaces | filter | verbose | time span | packets | received | dropped |");
    out.push("|---|---|---|---|---|---|---|---|---|");
    for (const c of input.captures) {
      const cell = (x: string | number | null) => (x === null ? "—" : escapeMarkdown(String(x)));
      out.push(
        `| ${c.index + 1} | ${c.command === null ? "—" : `\`${c.command.replace(/`/g, "'").replace(/\|/g, "\\|")}\``} | ${cell(c.interfaces)} | ${cell(c.filter)} | ${cell(c.verbose)} | ${timeSpan(c)} | ${c.packets} | ${cell(c.received)} | ${cell(c.dropped)} |`,
      );
    }
    out.push("");
    const services = report.services.filter((x) => x.source === input.source);
    if (services.length > 0) {
      out.push("### Services", "");
      out.push("| capture | service | status | requests | answered | no reply | refused | servers (answered/requests, median reply time) |");
      out.push("|---|---|---|---|---|---|---|---|");
      for (const x of services) {
        const servers = x.servers
          .map((v) => `${escapeMarkdown(v.address)} (${v.answered}/${v.requests}${v.rtt ? `, ${(v.rtt.median * 1000).toFixed(1)} ms` : ""})`)
          .join("<br>");
        out.push(
          `| ${x.capture + 1} | ${escapeMarkdown(serviceLabel(x.proto, x.port))}${x.name ? ` ${escapeMarkdown(x.name)}` : ""} | ${x.status} | ${x.requests} | ${x.answered} | ${x.unanswered + x.inconclusive} | ${x.rejected} | ${servers} |`,
        );
      }
      out.push("");
    }
    const flows = report.flows.filter((f) => f.source === input.source);
    if (flows.length > 0) {
      const { shown, rest } = topFlows(flows, options.topFlows ?? DEFAULT_TOP_FLOWS);
      out.push("### Flows", "");
      if (rest > 0) out.push(inlineMarkdown(moreFlowsSentence(shown.length, rest)), "");
      out.push("| capture | proto | client | server | state | to server | to client | interfaces | lines |");
      out.push("|---|---|---|---|---|---|---|---|---|");
      const end = (host: string, port: number | null) => escapeMarkdown(port === null ? host : `${host}:${port}`);
      for (const f of shown) {
        out.push(
          `| ${f.capture + 1} | ${escapeMarkdown(f.proto)} | ${end(f.client, f.clientPort)} | ${end(f.server, f.serverPort)} | ${escapeMarkdown(f.state)} | ${f.toServer.packets} pkt ${f.toServer.bytes} B | ${f.toClient.packets} pkt ${f.toClient.bytes} B | ${escapeMarkdown(f.interfaces.join(" "))} | ${f.firstLine}–${f.lastLine} |`,
        );
      }
      out.push("");
    }
  }
  return out.join("\n");
}
