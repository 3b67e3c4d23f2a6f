/** `sniffdiag parse [INPUT...] --format jsonl|table`: the packet records, one per line. */
import { parseStream, type AssembledRecord } from "../parse.js";
import type { PacketRecord } from "../records.js";
import { openInput, type InputRef } from "./inputs.js";
import type { Output } from "./output.js";
import { formatTime } from "../format/time.js";
import { jsonSafe, safeLines } from "../safe-text.js";

export type ParseFormat = "jsonl" | "table";

export interface InputOutcome {
  name: string;
  captures: number;
  /** a message for standard error when the input had no sniffer output */
  problem: string | null;
}

/**
 * Stream one input's records to `out`. Records are held back until the first capture is seen, so
 * an input without sniffer output writes nothing to standard output.
 */
export async function parseInputToOutput(ref: InputRef, format: ParseFormat, out: Output, keep?: (r: AssembledRecord) => boolean, maxInputBytes?: number): Promise<InputOutcome> {
  const pending: AssembledRecord[] = [];
  let captures = 0;
  const write = async (r: AssembledRecord): Promise<void> => {
    if (keep !== undefined && !keep(r)) return;
    if (format === "jsonl") await out.write(jsonSafe(JSON.stringify(r)) + "\n");
    else {
      const row = tableRow(r);
      if (row !== null) await out.write(safeLines(row));
    }
  };
  const chunks = await openInput(ref, maxInputBytes);
  for await (const r of parseStream(chunks, { source: ref.name })) {
    if (r.type === "capture") {
      if (captures === 0) {
        captures++;
        await write(r);
        for (const p of pending) await write(p);
        pending.length = 0;
        continue;
      }
      captures++;
    }
    if (captures === 0) {
      if (r.type === "summary" || r.type === "diagnostic") pending.push(r);
      continue;
    }
    await write(r);
  }
  return { name: ref.name, captures, problem: captures === 0 ? "no sniffer output found" : null };
}

function tableRow(r: AssembledRecord): string | null {
  switch (r.type) {
    case "capture":
      return `# ${r.source}:${r.line}: capture ${r.index + 1}${r.command ? `: ${r.command}` : ""}` +
        ` (interfaces ${r.interfaces ?? "?"}, filter ${r.filter ?? "none"}, verbose ${r.verbose ?? "?"})\n`;
    case "packet":
      return packetRow(r);
    case "diagnostic":
      return `# ${r.source}:${r.line}: ${r.severity}: ${r.message} [${r.code}]\n`;
    case "trailer":
      return `# ${r.source}:${r.line}: ${r.received ?? "?"} packets received by filter, ${r.dropped ?? "?"} dropped by kernel\n`;
    case "trace":
      return `# ${r.source}:${r.lines[0] ?? "?"}: debug flow trace ${r.traceId}${r.blade === null ? "" : ` on ${r.blade}`}: ${r.outcome}${r.policy === null ? "" : ` (policy ${r.policy})`}\n`;
    case "summary": {
      const c = r.classes;
      return `# ${r.source}: ${r.lines} lines, ${r.captures} captures, ${r.packets} packets; ` +
        Object.entries(c).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(", ") + "\n";
    }
  }
}

function endpoint(addr: string | null, port: number | null): string {
  if (addr === null) return "";
  if (port === null) return addr;
  return addr.includes(":") ? `[${addr}]:${port}` : `${addr}:${port}`;
}

function packetRow(p: PacketRecord): string {
  const cols = [
    String(p.line).padStart(6),
    formatTime(p.ts).padEnd(26),
    (p.iface ?? "").padEnd(10),
    (p.dir ?? "").padEnd(7),
    p.proto.padEnd(5),
    `${endpoint(p.src, p.sport)} > ${endpoint(p.dst, p.dport)}`.padEnd(45),
    p.summary,
  ];
  return cols.join(" ").trimEnd() + "\n";
}
