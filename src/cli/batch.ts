/**
 * Many inputs at once: analysed in parallel on worker threads (`--jobs`), with a progress bar on
 * standard error when it is a terminal and the work is long. Results come back in input order.
 */
import { availableParallelism } from "node:os";
import { statSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { analyzeInput, type AnalyzeSettings, type InputAnalysis } from "./analyze-command.js";
import type { InputRef } from "./inputs.js";
import { Progress } from "./progress.js";

export interface BatchOptions {
  jobs: number | undefined;
  progress: boolean | undefined;
  /** told about each input that gave no analysis, as it finishes */
  onProblem: (name: string, problem: string) => void;
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
  const jobs = Math.max(1, Math.min(batch.jobs ?? availableParallelism(), 64));
  const results: InputAnalysis[] = new Array(inputs.length);
  const bytes = totalBytes(inputs);
  const progress = new Progress(inputs.length, bytes, batch.progress);
  const script = worthWorkers(inputs, jobs, bytes) ? workerScript() : null;
  try {
    if (script === null) {
      for (let i = 0; i < inputs.length; i++) {
        const ref = inputs[i] as InputRef;
        const r = await analyzeInput(ref, options);
        results[i] = r;
        if (r.problem !== null) batch.onProblem(ref.name, r.problem);
        progress.done(ref.name);
      }
      return results;
    }
    await runPool(script, inputs, options, Math.min(jobs, inputs.length), (i, r) => {
      results[i] = r;
      if (r.problem !== null) batch.onProblem(r.ref.name, r.problem);
      progress.done(r.ref.name);
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

function runPool(script: string, inputs: InputRef[], options: AnalyzeSettings, size: number, onResult: (index: number, r: InputAnalysis) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let next = 0;
    let finished = 0;
    let failed = false;
    const workers: Worker[] = [];
    /** workers we stopped ourselves (terminate() exits with code 1) */
    const stopped = new Set<Worker>();
    const stop = (w: Worker): void => {
      stopped.add(w);
      void w.terminate();
    };
    const fail = (err: unknown): void => {
      if (failed) return;
      failed = true;
      for (const x of workers) stop(x);
      reject(err instanceof Error ? err : new Error(String(err)));
    };
    const give = (w: Worker): void => {
      if (next >= inputs.length) {
        stop(w);
        return;
      }
      const index = next++;
      try {
        w.postMessage({ index, ref: inputs[index], options });
      } catch (err) {
        fail(err);
      }
    };
    for (let k = 0; k < size; k++) {
      const w = new Worker(script, { workerData: null });
      workers.push(w);
      w.on("message", (msg: WorkerReply) => {
        onResult(msg.index, msg.result);
        finished++;
        if (finished === inputs.length) {
          for (const x of workers) stop(x);
          resolve();
        } else give(w);
      });
      w.on("error", fail);
      w.on("exit", (code) => {
        if (!stopped.has(w) && code !== 0 && finished < inputs.length) fail(new Error(`a worker thread stopped (exit code ${code})`));
      });
      give(w);
    }
  });
}
