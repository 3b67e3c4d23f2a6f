/**
 * Where an analysis runs: always in a worker, small pastes too, so that no input (a line that
 * makes the core work hard, a fault) can freeze or crash the page. The worker is the page's own
 * script started from a blob: URL (no request of any kind); a newer request ends the worker still
 * busy with an older one. A worker that dies while analysing rejects with WorkerCrashed (the page
 * says so and stays alive; the next analysis starts a fresh worker). Only when no worker can be
 * started at all (the browser forbids them) does the analysis run on the main thread.
 */
import { analyzeInputs, inputSize, pcapngOf, type Analysis, type PcapngResult, type WebInput } from "./engine.js";
import type { WorkerReply, WorkerRequest } from "./protocol.js";

/** Exports of at least this many characters run in a worker of their own. */
export const WORKER_THRESHOLD = 64 * 1024;

/** The most text analysed at once, as the CLI's default --max-input-bytes. */
export const MAX_INPUT_CHARS = 1024 * 1024 * 1024;

/** The analysis worker stopped while working (out of memory, a fault): the page stays, the input is not judged. */
export class WorkerCrashed extends Error {
  constructor(detail: string) {
    super(`The analysis stopped (${detail}); the page is still usable. Try a smaller part of the input.`);
    this.name = "WorkerCrashed";
  }
}

export class Cancelled extends Error {
  constructor() {
    super("cancelled");
    this.name = "Cancelled";
  }
}

export type Where = "page" | "worker";

export interface Job<T> {
  where: Where;
  result: Promise<T>;
}

type Pending = {
  resolve: (reply: WorkerReply) => void;
  reject: (err: Error) => void;
  onProgress?: (done: number, total: number) => void;
};

export class AnalysisClient {
  private readonly script: string | null;
  private url: string | null = null;
  private worker: Worker | null = null;
  private workerFailed = false;
  /** the current worker said it runs */
  private ready = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /** `script`: the page's own script text (null: no worker). */
  constructor(script: string | null) {
    this.script = script;
  }

  analyze(inputs: WebInput[], onProgress?: (done: number, total: number) => void): Job<Analysis> {
    const size = inputs.reduce((n, i) => n + inputSize(i), 0);
    // a newer analysis makes any older one moot
    this.cancelAll();
    if (size > MAX_INPUT_CHARS) {
      return { where: "page", result: Promise.reject(new Error(`The input is larger than ${MAX_INPUT_CHARS} characters; analyse it with the sniffdiag command (--max-input-bytes).`)) };
    }
    if (this.ensureWorker() !== null) {
      const result = this.request({ id: 0, kind: "analyze", inputs }, onProgress).then((reply) => {
        if (reply.kind !== "analysis") throw new Error("unexpected reply from the worker");
        return reply.analysis;
      });
      return { where: "worker", result };
    }
    return { where: "page", result: analyzeInputs(inputs) };
  }

  pcapng(input: WebInput, start: number, application: string): Job<PcapngResult> {
    if (inputSize(input) >= WORKER_THRESHOLD) {
      // a worker of its own: an analysis started meanwhile must not end the export
      const worker = this.spawn();
      if (worker !== null) {
        const result = new Promise<PcapngResult>((resolve, reject) => {
          worker.onmessage = (event: MessageEvent<WorkerReply>) => {
            const reply = event.data;
            if (reply.kind === "pcapng") resolve(reply.result);
            else if (reply.kind === "error") reject(new Error(reply.message));
            else return;
            worker.terminate();
          };
          worker.onerror = (event) => {
            worker.terminate();
            reject(new Error(event.message || "the export worker failed"));
          };
          const request: WorkerRequest = { id: 1, kind: "pcapng", input, start, application };
          worker.postMessage(request);
        });
        return { where: "worker", result };
      }
    }
    return { where: "page", result: pcapngOf(input, start, application) };
  }

  /** End the busy worker: its requests reject with Cancelled. */
  cancelAll(): void {
    if (this.pending.size === 0) return;
    for (const p of this.pending.values()) p.reject(new Cancelled());
    this.pending.clear();
    this.worker?.terminate();
    this.worker = null;
  }

  private request(message: WorkerRequest, onProgress?: (done: number, total: number) => void): Promise<WorkerReply> {
    const worker = this.ensureWorker();
    if (worker === null) return Promise.reject(new Error("no worker"));
    const id = this.nextId++;
    return new Promise<WorkerReply>((resolve, reject) => {
      this.pending.set(id, onProgress === undefined ? { resolve, reject } : { resolve, reject, onProgress });
      worker.postMessage({ ...message, id });
    });
  }

  private spawn(): Worker | null {
    if (this.script === null || this.workerFailed || typeof Worker === "undefined") return null;
    try {
      this.url ??= URL.createObjectURL(new Blob([this.script], { type: "text/javascript" }));
      return new Worker(this.url, { name: "sniffdiag-analysis" });
    } catch {
      this.workerFailed = true;
      return null;
    }
  }

  private ensureWorker(): Worker | null {
    if (this.worker !== null) return this.worker;
    const worker = this.spawn();
    if (worker === null) return null;
    this.ready = false;
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      const reply = event.data;
      if (reply.kind === "ready") {
        this.ready = true;
        return;
      }
      const p = this.pending.get(reply.id);
      if (p === undefined) return;
      if (reply.kind === "progress") {
        p.onProgress?.(reply.done, reply.total);
        return;
      }
      this.pending.delete(reply.id);
      if (reply.kind === "error") p.reject(new Error(reply.message));
      else p.resolve(reply);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      // a worker that never ran (blocked, or broken): the main thread from now on; one that ran and
      // then failed crashed on this input: say so, and start a fresh worker next time
      const crashed = this.ready;
      if (!crashed) this.workerFailed = true;
      this.worker = null;
      worker.terminate();
      const message = event.message || "the analysis worker failed";
      for (const p of this.pending.values()) p.reject(crashed ? new WorkerCrashed(message) : new Error(message));
      this.pending.clear();
    };
    this.worker = worker;
    return worker;
  }
}
