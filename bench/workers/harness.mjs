// Shared plumbing for benchmark workers. A worker is a script run by bench/run.mjs in a fresh
// `node` process as `node <worker> <file> <label>`; it does one task over the file and reports
// through `main()`, which prints one `BENCH_RESULT {json}` line on stdout:
//
//   { workMs, loadMs, maxRssKB, ...whatever the task returns (counts, lines, ...) }
//
// workMs times the task itself, loadMs the import of dist/lib/internal.js; run.mjs also times the
// whole process (spawn to exit), which is what its table shows.
//
// A new task (analyze, export, ...) is a file here such as:
//
//   import { main, fileChunks } from "./harness.mjs";
//   await main(async ({ file, lib }) => {
//     ... for await (const chunk of fileChunks(file)) ...
//     return { counts: { ... } };
//   });
//
// and one entry in TASKS in bench/run.mjs.
import { createReadStream } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const LIBRARY = join(ROOT, "dist", "lib", "internal.js");
/** Read size of fileChunks (64 KiB unless BENCH_HWM=<bytes>); the readline baseline keeps Node's default. */
export const HIGH_WATER_MARK = Number.parseInt(process.env.BENCH_HWM ?? "", 10) || 1 << 16;

/** The file as a stream of UTF-8 strings in HIGH_WATER_MARK pieces. */
export function fileChunks(file) {
  const stream = createReadStream(file, { highWaterMark: HIGH_WATER_MARK });
  stream.setEncoding("utf8");
  return stream;
}

/**
 * Run one measured task. `task({ file, label, lib })` returns an object that is merged into the
 * result. With `{ library: false }` the bundle is not imported (the baseline).
 */
export async function main(task, { library = true } = {}) {
  const [file, label = ""] = process.argv.slice(2);
  if (!file) {
    console.error("usage: node <worker> <file> [label]");
    process.exit(2);
  }
  let lib = null;
  let loadMs = 0;
  if (library) {
    const t = performance.now();
    lib = await import(pathToFileURL(LIBRARY).href);
    loadMs = performance.now() - t;
  }
  const t0 = performance.now();
  const result = await task({ file, label, lib });
  const workMs = performance.now() - t0;
  const out = { workMs, loadMs, maxRssKB: process.resourceUsage().maxRSS, ...result };
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(out)}\n`);
}
