/**
 * The live view: on a terminal, a block redrawn about twice a second (packets seen, elapsed time,
 * each service with its running status and reply times); without one, `--format jsonl` gets one
 * line per change. Reads the analyzer's running counts; judges nothing itself.
 */
import type { ServiceAgg } from "../../correlate/analyzer.js";
import type { ServiceInfoLookup } from "../../verdicts/engine.js";

export type RunningStatus = "waiting" | "answered" | "partly answered" | "unanswered" | "refused";

export interface ServiceLine {
  capture: number;
  proto: string;
  port: number | null;
  name: string | null;
  status: RunningStatus;
  requests: number;
  answered: number;
  unanswered: number;
  refused: number;
  waiting: number;
  /** median reply time in milliseconds, null before the first reply */
  replyMs: number | null;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function serviceLine(capture: number, s: ServiceAgg, info: ServiceInfoLookup): ServiceLine {
  const settled = s.answered + s.unanswered + s.rejected + s.inconclusive;
  const waiting = Math.max(0, s.requests - settled);
  let status: RunningStatus;
  if (s.rejected > 0 && s.answered === 0) status = "refused";
  else if (s.answered > 0 && s.unanswered + s.rejected > 0) status = "partly answered";
  else if (s.answered > 0) status = "answered";
  else if (s.unanswered > 0) status = "unanswered";
  else status = "waiting";
  const rtts: number[] = [];
  for (const srv of s.servers.values()) for (const r of srv.rtts) rtts.push(r);
  const m = median(rtts);
  return {
    capture,
    proto: s.proto,
    port: s.port,
    // named as the verdicts name it: by the servers asked and who asked (the unit itself or a client)
    name: info(s.proto, s.port, { servers: [...s.servers.keys()], group: s.group, ...(s.requests > 0 && s.sentByUnit === s.requests ? { direction: "outbound" as const } : {}) })?.name ?? null,
    status,
    requests: s.requests,
    answered: s.answered,
    unanswered: s.unanswered,
    refused: s.rejected,
    waiting,
    // rounded to the microsecond first, as the report's reply times are
    replyMs: m === null ? null : (Math.round(m * 1e6) / 1e6) * 1000,
  };
}

export interface LiveState {
  elapsedMs: number;
  packets: number;
  services: ServiceLine[];
  /** e.g. "stopping: waiting for the sniffer's trailer" */
  note: string | null;
}

/** Reply times written as the report writes them (5.64 ms, 23.4 ms, 1.20 s). */
function replyTime(ms: number): string {
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

function serviceLabel(l: ServiceLine): string {
  const p = l.proto.toUpperCase() + (l.port === null ? "" : `/${l.port}`);
  return l.name === null ? p : `${p} ${l.name}`;
}

/** The terminal block, one string (lines end with \n). */
export function renderLiveBlock(header: string, st: LiveState, width: number): string {
  const lines: string[] = [];
  const secs = (st.elapsedMs / 1000).toFixed(1);
  lines.push(`${header} — ${secs} s, ${st.packets} packet${st.packets === 1 ? "" : "s"}${st.note === null ? " (Ctrl-C stops)" : ` — ${st.note}`}`);
  if (st.services.length === 0) lines.push("  no requests yet");
  for (const l of st.services.slice(0, 30)) {
    const counts = [`${l.requests} req`, `${l.answered} answered`];
    if (l.unanswered > 0) counts.push(`${l.unanswered} no reply`);
    if (l.refused > 0) counts.push(`${l.refused} refused`);
    if (l.waiting > 0) counts.push(`${l.waiting} waiting`);
    if (l.replyMs !== null) counts.push(`reply ${replyTime(l.replyMs)}`);
    lines.push(`  ${serviceLabel(l).padEnd(40).slice(0, 40)} ${l.status.padEnd(15)} ${counts.join(", ")}`);
  }
  if (st.services.length > 30) lines.push(`  … and ${st.services.length - 30} more services`);
  return lines.map((l) => (l.length > width ? l.slice(0, width - 1) + "…" : l) + "\n").join("");
}

export type ViewMode = "tty" | "jsonl" | "none";

export class LiveView {
  private drawnLines = 0;
  private lastJson = "";

  constructor(
    private readonly mode: ViewMode,
    private readonly out: NodeJS.WritableStream,
    private readonly header: string,
    private readonly width: number,
  ) {}

  update(st: LiveState): void {
    if (this.mode === "none") return;
    if (this.mode === "jsonl") {
      const line = JSON.stringify({ type: "update", packets: st.packets, services: st.services });
      if (line === this.lastJson) return;
      this.lastJson = line;
      this.out.write(JSON.stringify({ type: "update", elapsed: Math.round(st.elapsedMs) / 1000, packets: st.packets, services: st.services }) + "\n");
      return;
    }
    const block = renderLiveBlock(this.header, st, this.width);
    // back to the block's first line, clear to the end of the screen, draw again
    const up = this.drawnLines > 0 ? `\x1b[${this.drawnLines}F\x1b[J` : "";
    this.out.write(up + block);
    this.drawnLines = block.split("\n").length - 1;
  }

  /** Leave the last block on screen; what follows prints below it. */
  finish(): void {
    this.drawnLines = 0;
  }
}
