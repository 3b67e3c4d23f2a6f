/**
 * A report as a document: the library's `formatReport`, and what `sniffdiag -f FORMAT` prints for
 * these formats (the terminal ones, `table` and `text`, are the CLI's: they need cli-table3, which
 * needs Node). JSON keeps the text as read (control characters escaped the JSON way); markdown and
 * HTML get it through safeStrings, so nothing from the input (ESC, OSC, C1, bidi overrides)
 * reaches a document as anything but visible escapes.
 */
import type { Report } from "../report.js";
import { jsonSafe, safeStrings } from "../safe-text.js";
import { renderMarkdown } from "./markdown.js";
import { renderHtml } from "./html.js";

/** `json` (the `sniffdiag.report/1` contract), `jsonl` (one verdict per line), `markdown` (for a ticket), `html` (one self-contained page) */
export type DocumentFormat = "json" | "jsonl" | "markdown" | "html";

export const DOCUMENT_FORMATS: readonly DocumentFormat[] = ["json", "jsonl", "markdown", "html"];

export function formatReport(report: Report, format: DocumentFormat): string {
  switch (format) {
    case "json":
      return jsonSafe(JSON.stringify(report, null, 2)) + "\n";
    case "jsonl":
      // one verdict per line, for pipelines (jq, grep): the verdict objects of the JSON report
      return report.verdicts.map((v) => jsonSafe(JSON.stringify(v)) + "\n").join("");
    case "markdown":
      return renderMarkdown(safeStrings(report));
    case "html":
      return renderHtml(safeStrings(report));
  }
}
