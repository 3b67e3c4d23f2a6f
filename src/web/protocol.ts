/** Messages between the page and its analysis worker. */
import type { Analysis, PcapngResult, WebInput } from "./engine.js";

export type WorkerRequest =
  | { id: number; kind: "analyze"; inputs: WebInput[] }
  | { id: number; kind: "pcapng"; input: WebInput; start: number; application: string };

export type WorkerReply =
  | { id: 0; kind: "ready" }
  | { id: number; kind: "progress"; done: number; total: number }
  | { id: number; kind: "analysis"; analysis: Analysis }
  | { id: number; kind: "pcapng"; result: PcapngResult }
  | { id: number; kind: "error"; message: string };
