/**
 * The flow table as CSV (`sniffdiag flows --format csv`): one row per flow, cells a spreadsheet
 * reads as text. No terminal code here, so the stream writer (and the library) need not load
 * cli-table3.
 */
import type { FlowSummary } from "../report.js";

const CSV_COLUMNS = ["source", "capture", "proto", "client", "clientPort", "server", "serverPort", "interfaces", "toServerPackets", "toServerBytes", "toClientPackets", "toClientBytes", "state", "start", "end", "firstLine", "lastLine"] as const;

function csvField(v: string | number | null): string {
  if (v === null) return "";
  // a text cell that a spreadsheet would run as a formula (`= + - @`, TAB, CR first) is defused with a leading quote (OWASP)
  const s = typeof v === "string" && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV header row (no line break). */
export function csvHeader(): string {
  return CSV_COLUMNS.join(",");
}

/** One flow as a CSV row (no line break). */
export function csvRow(f: FlowSummary): string {
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
  return CSV_COLUMNS.map((c) => csvField(values[c])).join(",");
}

export function renderFlowsCsv(flows: readonly FlowSummary[]): string {
  const rows = [csvHeader()];
  for (const f of flows) rows.push(csvRow(f));
  return rows.join("\n") + "\n";
}
