// Benchmark runner (`npm run bench` builds first, then runs this).
//
//   node bench/run.mjs [--runs N] [--tasks parse,analyze-json] [--files v4,v6,v4s] [--regenerate] [--library]
//   node bench/run.mjs --hostile [--steps N] [--only name,name]   (see bench/hostile.mjs)
//   node bench/run.mjs --web [--runs N] [--mb 100]                 (the web page vs the CLI, see bench/web.mjs)
//
// Every task runs the CLI as users run it (`sniffdiag parse FILE -o /dev/null`, `sniffdiag analyze
// FILE --format json -o OUT`, the table, `sniffdiag export FILE -o OUT`) through
// bench/workers/cli.mjs, next to the floor: Node's `readline` counting the same file's lines. For
// every data set (bench/generate.mjs makes them when missing or out of date) each task runs in a
// fresh `node` process, N times (default 3), tasks interleaved round-robin in one run. Wall time =
// spawn to exit of that process; the median of the runs is reported, with its ratio to the median
// readline time of the same file in the same run. Peak RSS = the largest maxRSS over the runs.
// Flatness: peak RSS of `analyze` on v4s (100k packets) against v4 (1M packets, same traffic).
// Results go to the console and to bench/data/results.json. MB = 10^6 bytes throughout.
//
// `--library` runs the library-level workers instead (bench/workers/parse.mjs, analyze.mjs,
// export.mjs: the pipeline without the CLI around it; BENCH_HWM=<bytes> sets their read size).
import { spawn } from "node:child_process";
import { createReadStream, existsSync } from "node:fs";
import { stat, writeFile } from "node:fs/promises";
import { once } from "node:events";
import { loadavg } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { DATA_DIR, DATASETS, ensureData } from "./generate.mjs";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = join(BENCH_DIR, "..");

/**
 * Tasks, measured in this order. `baseline: true` marks the floor the others are compared to.
 * `targets[label]` = [comparison, factor] against the baseline (PRODUCT.md "Performance").
 */
export const TASKS = [
  { name: "readline", worker: "workers/readline.mjs", baseline: true },
  { name: "parse", cli: ["parse", "{file}", "-o", "/dev/null"], targets: { v4: ["<=", 1.5], v6: ["<=", 1.5] } },
  { name: "analyze-json", cli: ["analyze", "{file}", "--format", "json", "-o", "{out}", "--fail-on", "never"], targets: { v4: ["<=", 3], v6: ["<=", 2] } },
  { name: "analyze-table", cli: ["analyze", "{file}", "--format", "table", "-o", "{out}", "--fail-on", "never"] },
  // header-only captures (v4) cannot be exported: exit 2, as designed
  { name: "export", cli: ["export", "{file}", "-o", "{out}", "--format", "pcapng", "--start", "1700000000"], only: ["v6"], targets: { v6: ["<=", 2] } },
];

/** Library-level tasks (`--library`): the pipeline without the CLI around it. */
export const LIBRARY_TASKS = [
  { name: "readline", worker: "workers/readline.mjs", baseline: true },
  { name: "lib-parse", worker: "workers/parse.mjs" },
  { name: "lib-analyze", worker: "workers/analyze.mjs" },
  { name: "lib-export", worker: "workers/export.mjs", only: ["v6"] },
];

/** Peak RSS of analyze at 100k packets (v4s) and at 1M (v4) may differ by this much. */
const FLATNESS = 0.2;

/** Peak memory target for every task but the baseline (PRODUCT.md: under 150 MB). */
const RSS_TARGET_MB = 150;

function parseArgs(argv) {
  const opts = { runs: 3, tasks: null, files: null, regenerate: false, library: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a.startsWith("--runs")) opts.runs = Math.max(1, Number.parseInt(value(), 10) || 1);
    else if (a.startsWith("--tasks")) opts.tasks = value().split(",");
    else if (a.startsWith("--files")) opts.files = value().split(",");
    else if (a === "--regenerate") opts.regenerate = true;
    else if (a === "--library") opts.library = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

/** Run one worker in a fresh process; resolves to its BENCH_RESULT plus the process wall time. */
function runWorker(workerPath, file, label, cliArgs) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const argv = cliArgs ? [workerPath, file, label, "--", ...cliArgs] : [workerPath, file, label];
    const child = spawn(process.execPath, argv, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (d) => {
      if (stderr.length < 4000) stderr += d;
    });
    let stdout = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.on("error", (error) => resolve({ error: error.message }));
    child.on("close", (code, signal) => {
      const wallMs = performance.now() - t0;
      const line = stdout.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
      const result = line ? JSON.parse(line.slice("BENCH_RESULT ".length)) : null;
      // the CLI's exit status 1 means "findings", not failure
      const failed = cliArgs ? result === null || result.exitCode > 1 : code !== 0 || result === null;
      if (failed) {
        const why = stderr.trim().split("\n").slice(-1)[0] ?? "";
        resolve({ error: `exit ${result?.exitCode ?? code ?? signal}${line ? "" : ", no BENCH_RESULT line"}${why ? `: ${why}` : ""}`, wallMs });
        return;
      }
      resolve({ ...result, wallMs });
    });
  });
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Read a file once so every task starts with it in the page cache. */
async function warm(path) {
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  stream.resume();
  await once(stream, "end");
}

function fmtCount(n) {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)}k`;
  return String(Math.round(n));
}

function table(rows, columns) {
  const widths = columns.map((c) => Math.max(c.title.length, ...rows.map((r) => String(r[c.key]).length)));
  const line = (cells) => cells.map((cell, i) => (columns[i].right ? String(cell).padStart(widths[i]) : String(cell).padEnd(widths[i]))).join("  ");
  return [line(columns.map((c) => c.title)), line(widths.map((w) => "-".repeat(w))), ...rows.map((r) => line(columns.map((c) => r[c.key])))].join("\n");
}

function meets(ratio, [cmp, factor]) {
  return cmp === "<" ? ratio < factor : ratio <= factor;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const names = opts.files ?? Object.keys(DATASETS);
  const data = await ensureData(names, { force: opts.regenerate });

  const tasks = [];
  for (const t of opts.library ? LIBRARY_TASKS : TASKS) {
    if (opts.tasks && !t.baseline && !opts.tasks.includes(t.name)) continue;
    const workerPath = join(BENCH_DIR, t.worker ?? "workers/cli.mjs");
    if (!existsSync(workerPath)) {
      console.log(`note: task ${t.name} skipped: ${relative(ROOT, workerPath)} does not exist yet`);
      continue;
    }
    tasks.push({ ...t, workerPath });
  }
  if (!existsSync(join(ROOT, "dist", "lib", "internal.js"))) console.log("note: dist/lib/internal.js is missing; run `node scripts/build.mjs` first");

  const hwm = Number.parseInt(process.env.BENCH_HWM ?? "", 10) || 1 << 16;
  console.log(`workers read ${hwm} B chunks (BENCH_HWM); the readline baseline reads Node's default 64 KiB`);
  const results = [];
  for (const d of data) {
    const sizeBytes = (await stat(d.path)).size;
    await warm(d.path);
    const load = loadavg().map((x) => x.toFixed(2)).join(" ");
    // v4s is there for the flatness check only
    const here = tasks.filter((t) => (!t.only || t.only.includes(d.name)) && (d.name !== "v4s" || t.baseline || t.name === "analyze-json" || t.name === "lib-analyze"));
    console.log(`\n${basename(d.path)}: ${(sizeBytes / 1e6).toFixed(1)} MB, ${opts.runs} run(s) of ${here.map((t) => t.name).join(", ")} (load average ${load})`);
    const runs = new Map(here.map((t) => [t.name, []]));
    for (let r = 0; r < opts.runs; r++) {
      for (const t of here) {
        const res = await runWorker(t.workerPath, d.path, d.name, t.cli);
        runs.get(t.name).push(res);
        const status = res.error ? `FAILED (${res.error})` : `${(res.wallMs / 1000).toFixed(2)} s, ${(res.maxRssKB * 1024 / 1e6).toFixed(0)} MB`;
        console.log(`  run ${r + 1} ${t.name}: ${status}`);
      }
    }
    const baseRuns = runs.get("readline")?.filter((x) => !x.error) ?? [];
    const baseWall = baseRuns.length ? median(baseRuns.map((x) => x.wallMs)) : null;
    const lines = baseRuns.length ? baseRuns[0].lines : null;
    for (const t of here) {
      const ok = runs.get(t.name).filter((x) => !x.error);
      const entry = {
        file: basename(d.path),
        label: d.name,
        sizeMB: sizeBytes / 1e6,
        lines,
        task: t.name,
        loadAverage: load,
        runs: runs.get(t.name).map((x) => ({ wallMs: x.wallMs, workMs: x.workMs, loadMs: x.loadMs, maxRssKB: x.maxRssKB, error: x.error })),
      };
      if (ok.length > 0) {
        const wallMs = median(ok.map((x) => x.wallMs));
        entry.wallS = wallMs / 1000;
        if (ok[0].workMs !== undefined) {
          entry.workS = median(ok.map((x) => x.workMs)) / 1000;
          entry.loadS = median(ok.map((x) => x.loadMs)) / 1000;
        }
        entry.mbPerS = entry.sizeMB / entry.wallS;
        entry.linesPerS = lines ? lines / entry.wallS : null;
        entry.ratio = baseWall ? wallMs / baseWall : null;
        entry.peakRssMB = Math.max(...ok.map((x) => x.maxRssKB)) * 1024 / 1e6;
        const last = ok[ok.length - 1];
        if (last.counts) entry.counts = last.counts;
        if (last.lines !== undefined && !t.baseline) entry.parserLines = last.lines;
        const target = t.targets?.[d.name];
        if (target) entry.target = { cmp: target[0], factor: target[1], met: entry.ratio !== null && meets(entry.ratio, target) };
        if (!t.baseline) entry.rssTarget = { maxMB: RSS_TARGET_MB, met: entry.peakRssMB <= RSS_TARGET_MB };
        // sanity: packets seen by the parser vs packets written by the generator
        if (entry.counts?.packet !== undefined && entry.counts.packet !== d.meta.packets) {
          console.log(`warning: ${t.name} ${d.name}: ${entry.counts.packet} packet records, the generator wrote ${d.meta.packets}`);
        }
      } else {
        entry.error = runs.get(t.name)[0]?.error ?? "no run";
      }
      results.push(entry);
    }
  }

  const rows = results.map((e) => ({
    file: e.file,
    size: e.sizeMB.toFixed(1),
    lines: e.lines ?? "?",
    task: e.task,
    wall: e.wallS !== undefined ? e.wallS.toFixed(2) : "failed",
    mbps: e.mbPerS !== undefined ? e.mbPerS.toFixed(1) : "-",
    lps: e.linesPerS ? fmtCount(e.linesPerS) : "-",
    ratio: e.ratio ? `${e.ratio.toFixed(2)}x` : "-",
    rss: e.peakRssMB !== undefined ? e.peakRssMB.toFixed(0) : "-",
  }));
  console.log(
    "\n" +
      table(rows, [
        { key: "file", title: "file" },
        { key: "size", title: "size MB", right: true },
        { key: "lines", title: "lines", right: true },
        { key: "task", title: "task" },
        { key: "wall", title: "wall s", right: true },
        { key: "mbps", title: "MB/s", right: true },
        { key: "lps", title: "lines/s", right: true },
        { key: "ratio", title: "ratio", right: true },
        { key: "rss", title: "peak RSS MB", right: true },
      ]),
  );
  console.log("");
  for (const e of results) {
    if (e.task === "readline") continue;
    if (e.error) {
      console.log(`${e.task} ${e.label}: failed (${e.error})`);
      continue;
    }
    const ratio = e.ratio !== null ? `${e.ratio.toFixed(1)}x readline` : "no baseline";
    const target = e.target ? ` (target ${e.target.cmp} ${e.target.factor}x)${e.target.met ? "" : " MISSED"}` : " (no target)";
    const rss = `; peak RSS ${e.peakRssMB.toFixed(0)} MB (target <= ${RSS_TARGET_MB} MB)${e.rssTarget.met ? "" : " MISSED"}`;
    console.log(`${e.task} ${e.label}: ${ratio}${target}${rss}`);
  }
  let flatness = null;
  const small = results.find((e) => e.label === "v4s" && (e.task === "analyze-json" || e.task === "lib-analyze") && e.peakRssMB !== undefined);
  const large = results.find((e) => e.label === "v4" && e.task === small?.task && e.peakRssMB !== undefined);
  if (small && large) {
    const growth = large.peakRssMB / small.peakRssMB - 1;
    flatness = { task: small.task, at100kMB: small.peakRssMB, at1MMB: large.peakRssMB, growth, met: growth <= FLATNESS };
    console.log(
      `flatness (${small.task}): peak RSS ${small.peakRssMB.toFixed(0)} MB at 100k packets, ${large.peakRssMB.toFixed(0)} MB at 1M: ` +
        `${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(0)}% (target within ${FLATNESS * 100}%)${flatness.met ? "" : " MISSED"}`,
    );
  }

  const out = join(DATA_DIR, "results.json");
  const report = { date: new Date().toISOString(), node: process.version, highWaterMark: hwm, platform: `${process.platform} ${process.arch}`, runs: opts.runs, results, flatness };
  await writeFile(out, JSON.stringify(report, null, 2) + "\n");
  console.log(`\nresults: ${relative(ROOT, out)}`);
}

// `--web`: the page (Chromium, its worker) against the CLI on a 100 MB capture (see bench/web.mjs)
if (process.argv.includes("--web")) {
  const { runWebBench } = await import("./web.mjs");
  process.exitCode = await runWebBench(process.argv.slice(2));
} else if (process.argv.includes("--hostile")) {
  const { runHostile } = await import("./hostile.mjs");
  process.exitCode = await runHostile(process.argv.slice(2));
} else await main();
