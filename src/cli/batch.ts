/**
 * Many inputs at once: analysed in parallel on worker threads (`--jobs`), with a progress bar on
 * standard error when it is a terminal and the work is long. Results come back in input order.
 */
import { availableParallelism } from "node:os";
import { statSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { analyzeInput, type AnalyzeSettings, type FlowStream, type InputAnalysis } from "./analyze-command.js";
import type { InputRef } from "./inputs.js";
import { Progress } from "./progress.js";

export interface BatchOptions {
  jobs: number | undefined;
  progress: boolean | undefined;
  /** told about each input that gave no analysis, as it finishes */
  onProblem: (name: string, problem: string) => void;
  /** where the flows go as they finish (one input, analysed in this thread); else they stay in the report */
  flows?: FlowStream;
}

/**
 * Inputs worth a worker pool: several files and more than a little data. Starting a worker costs
 * about a quarter of a second (loading the bundle, building the grammars); below a few megabytes
 * one thread finishes first.
 */
const WORKER_THRESHOLD_BYTES = 4 * 1024 * 1024;

function worthWorkers(inputs: InputRef[], jobs: number, bytes: number): boolean {
  if (jobs <= 1 || inputs.length < 2 || bytes < WORKER_THRESHOLD_BYTES) return false;
  return inputs.every((i) => i.path !== null);
}

function workerScript(): string | null {
  // the CLI bundle lives in dist/; the worker bundle beside it
  try {
    const here = dirname(fileURLToPath(import.meta.url));
    const candidate = join(here, "worker.mjs");
    statSync(candidate);
    return candidate;
  } catch {
    return null;
  }
}

/** An input's size on disk (0 for standard input, or when it cannot be read). */
function sizeOf(ref: InputRef): number {
  if (ref.path === null) return 0;
  try {
    return statSync(ref.path).size;
  } catch {
    return 0;
  }
}

function totalBytes(inputs: InputRef[]): number {
  let n = 0;
  for (const i of inputs) {
    if (i.path === null) continue;
    try {
      n += statSync(i.path).size;
    } catch {
      // reported when the input is read
    }
  }
  return n;
}

export async function analyzeBatch(inputs: InputRef[], options: AnalyzeSettings, batch: BatchOptions): Promise<InputAnalysis[]> {
  const jobs = Math.max(1, Math.min(batch.jobs ?? availableParallelism(), availableParallelism()));
  const results: InputAnalysis[] = new Array(inputs.length);
  const bytes = totalBytes(inputs);
  const progress = new Progress(inputs.length, bytes, batch.progress);
  const script = worthWorkers(inputs, jobs, bytes) ? workerScript() : null;
  try {
    if (script === null) {
      for (let i = 0; i < inputs.length; i++) {
        const ref = inputs[i] as InputRef;
        progress.begin(ref.name);
        const r = await analyzeInput(ref, options, (n) => progress.read(n), undefined, inputs.length === 1 ? batch.flows : undefined);
        results[i] = r;
        if (r.problem !== null) batch.onProblem(ref.name, r.problem);
        progress.done(ref.name, sizeOf(ref));
      }
      return results;
    }
    await runPool(script, inputs, options, Math.min(jobs, inputs.length), (i, r) => {
      results[i] = r;
      if (r.problem !== null) batch.onProblem(r.ref.name, r.problem);
      progress.done(r.ref.name, sizeOf(r.ref));
    });
    return results;
  } finally {
    progress.stop();
  }
}

interface WorkerReply {
  index: number;
  result: InputAnalysis;
}

/**
 * Stack of a worker thread, as the main thread's (about 1 MB): an input that passes in a batch
 * passes alone, and the other way round.
 */
const WORKER_STACK_MB = 1;

/**
 * The pool: each worker analyses one input at a time. A worker that dies (an exception outside
 * analyzeInput's own handling, memory exhausted) costs only the input it held: that input is
 * reported as not analysed and a fresh worker takes the rest.
 */
function runPool(script: string, inputs: InputRef[], options: AnalyzeSettings, size: number, onResult: (index: number, r: InputAnalysis) => void): Promise<void> {
  return new Promise((resolve) => {
    let next = 0;
    let finished = 0;
    const live = new Set<Worker>();
    /** workers we stopped ourselves (terminate() exits with code 1) */
    const stopped = new Set<Worker>();
    /** the input each worker is analysing */
    const holding = new Map<Worker, number>();
    const stop = (w: Worker): void => {
      stopped.add(w);
      live.delete(w);
      void w.terminate();
    };
    const settle = (index: number, r: InputAnalysis): void => {
      onResult(index, r);
      finished++;
      if (finished === inputs.length) {
        for (const x of [...live]) stop(x);
        resolve();
      }
    };
    const give = (w: Worker): void => {
      if (next >= inputs.length) {
        stop(w);
        return;
      }
      const index = next++;
      holding.set(w, index);
      w.postMessage({ index, ref: inputs[index], options });
    };
    const lost = (w: Worker, why: string): void => {
      if (stopped.has(w) || !live.has(w)) return;
      live.delete(w);
      const index = holding.get(w);
      holding.delete(w);
      if (index !== undefined) {
        const ref = inputs[index] as InputRef;
        settle(index, { ref, report: null, problem: `not analysed: ${why}`, unreadable: true });
      }
      if (finished < inputs.length && next < inputs.length) start();
    };
    const start = (): void => {
      const w = new Worker(script, { workerData: null, resourceLimits: { stackSizeMb: WORKER_STACK_MB } });
      live.add(w);
      w.on("message", (msg: WorkerReply) => {
        holding.delete(w);
        settle(msg.index, msg.result);
        if (finished < inputs.length) give(w);
      });
      w.on("error", (err: Error) => lost(w, `the analysis failed (${err.message})`));
      w.on("exit", (code) => lost(w, `the worker thread stopped (exit code ${code})`));
      give(w);
    };
    for (let k = 0; k < size; k++) start();
  });
}
