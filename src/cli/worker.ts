/** A batch worker thread: analyses the inputs it is handed, one at a time. */
import { parentPort } from "node:worker_threads";
import { analyzeInput, type AnalyzeSettings } from "./analyze-command.js";
import type { InputRef } from "./inputs.js";

interface Job {
  index: number;
  ref: InputRef;
  options: AnalyzeSettings;
}

parentPort?.on("message", (job: Job) => {
  void analyzeInput(job.ref, job.options).then((result) => parentPort?.postMessage({ index: job.index, result }));
});
