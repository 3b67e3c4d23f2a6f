/**
 * A report as a document: the library's `formatReport`, and what `sniffdiag -f FORMAT` writes for
 * these formats (the terminal ones, `table` and `text`, are the CLI's: they need cli-table3, which
 * needs Node). JSON keeps the text as read (control characters escaped the JSON way) and comes in
 * pieces, an array element at a time (a big capture's report is never one giant string); markdown
 * and HTML get the text through safeStrings, so nothing from the input (ESC, OSC, C1, bidi
 * overrides) reaches a document as anything but visible escapes.
 */
import type { Report } from "../report.js";
import { jsonSafe, safeStrings } from "../safe-text.js";
import { renderMarkdown } from "./markdown.js";
import { renderHtml } from "./html.js";
import { reportJsonPieces } from "./stream.js";

/** `json` (the `sniffdiag.report/1` contract), `jsonl` (one verdict per line), `markdown` (for a ticket), `html` (one self-contained page) */
export type DocumentFormat = "json" | "jsonl" | "markdown" | "html";

export const DOCUMENT_FORMATS: readonly DocumentFormat[] = ["json", "jsonl", "markdown", "html"];

export interface FormatOptions {
  /** markdown and HTML: flows listed per input (the most packets first; default 50; 0 lists them all); JSON keeps them all */
  topFlows?: number;
}

/** The document in pieces to write as they come; joined, they are `formatReport`. */
export function* formatReportPieces(report: Report, format: DocumentFormat, options: FormatOptions = {}): Generator<string> {
  const top = options.topFlows === undefined ? {} : { topFlows: options.topFlows };
  switch (format) {
    case "json":
      // jsonSafe replaces single characters, so per piece equals whole
      for (const piece of reportJsonPieces(report)) yield jsonSafe(piece);
      return;
    case "jsonl":
      // one verdict per line, for pipelines (jq, grep): the verdict objects of the JSON report
      for (const v of report.verdicts) yield jsonSafe(JSON.stringify(v)) + "\n";
      return;
    case "markdown":
      yield renderMarkdown(safeStrings(report), top);
      return;
    case "html":
      yield renderHtml(safeStrings(report), top);
      return;
  }
}

export function formatReport(report: Report, format: DocumentFormat, options: FormatOptions = {}): string {
  return [...formatReportPieces(report, format, options)].join("");
}
