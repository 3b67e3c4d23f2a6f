/* global window, document, PerformanceObserver, setInterval, MAX_GAP -- browser code run in the page (page.evaluate, addInitScript) */
// The web page against the CLI (`node bench/run.mjs --web [--runs N] [--mb 100]`).
//
// A capture of about 100 MB (the first MB of the verbose-6 data set, cut before a packet header)
// is opened in dist/web/index.html through its file input, in Debian's Chromium driven by
// playwright-core (/usr/bin/chromium, headless, no download), and analysed in the page's worker.
// Measured per run, in a fresh page:
//
// - page time: from handing the file to the input to the "N verdicts from M lines" status (read,
//   decode, show, analyse in the worker, render the results);
// - worker time: the analysis the page reports (the worker's own clock);
// - main-thread responsiveness while it runs: the longest task the browser reports
//   (PerformanceObserver "longtask", tasks over 50 ms) and the longest gap a 10 ms setInterval
//   probe saw (what a user feels: the page cannot answer a click during a gap).
//
// The CLI runs `sniffdiag analyze FILE --format json -o OUT` on the same file in the same round
// (fresh process, spawn to exit). Targets (issue 12): page time within 2x the CLI's, no
// main-thread task over 200 ms.
import { spawn } from "node:child_process";
import { existsSync, openSync, readSync, closeSync, writeFileSync, statSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DATA_DIR, ensureData } from "./generate.mjs";

const ROOT = join(DATA_DIR, "..", "..");
const PAGE = join(ROOT, "dist", "web", "index.html");
const CLI = join(ROOT, "dist", "cli.mjs");
const CHROMIUM = "/usr/bin/chromium";
const MAX_TASK_MS = 200;
const RATIO_TARGET = 2;

function parseArgs(argv) {
  const opts = { runs: 3, mb: 100, profile: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--web") continue;
    if (a === "--runs") opts.runs = Math.max(1, Number.parseInt(argv[++i], 10) || 1);
    else if (a === "--mb") opts.mb = Math.max(1, Number(argv[++i]) || 100);
    else if (a === "--profile") opts.profile = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

/** The first `mb` MB of the verbose-6 data set, cut before the last packet header in it. */
async function webCapture(mb) {
  const path = join(DATA_DIR, `web-${mb}mb.txt`);
  const [v6] = await ensureData(["v6"]);
  if (existsSync(path) && statSync(path).mtimeMs >= statSync(v6.path).mtimeMs) return path;
  const want = Math.min(Math.round(mb * 1e6), statSync(v6.path).size);
  const buf = Buffer.alloc(want);
  const fd = openSync(v6.path, "r");
  readSync(fd, buf, 0, want, 0);
  closeSync(fd);
  // cut at a line that starts a packet header (a timestamp), so no packet loses its hex rows
  let cut = buf.length;
  for (let i = buf.length - 1; i > 0; i--) {
    if (buf[i - 1] === 10 && buf[i] >= 48 && buf[i] <= 57) {
      cut = i;
      break;
    }
  }
  writeFileSync(path, buf.subarray(0, cut));
  return path;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function runCli(file) {
  const out = join(tmpdir(), `sniffdiag-bench-web-${process.pid}.json`);
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI, "analyze", file, "--format", "json", "-o", out, "--fail-on", "never"], { stdio: "ignore" });
    child.on("close", (code) => {
      const ms = performance.now() - t0;
      rmSync(out, { force: true });
      resolve({ ms, code });
    });
  });
}

/** Installed before the page's own script: long tasks and interval gaps, kept on window.__bench. */
function probe() {
  const bench = { longTasks: [], maxGap: 0, gaps: 0, probing: false, gapLog: [] };
  window.__bench = bench;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (bench.probing) bench.longTasks.push(Math.round(e.duration));
    }).observe({ type: "longtask", buffered: false });
  } catch {
    bench.noLongTask = true;
  }
  let last = performance.now();
  setInterval(() => {
    const t = performance.now();
    if (bench.probing) {
      const gap = t - last;
      if (gap > bench.maxGap) bench.maxGap = gap;
      if (gap > MAX_GAP) bench.gaps++;
      // where the page was when a gap ended (its status line): what held the main thread
      if (gap > 100) bench.gapLog.push(`${Math.round(gap)} ms before ${(document.getElementById("status")?.textContent ?? "").slice(0, 40)}`);
    }
    last = t;
  }, 10);
}

/** The main thread's profile: self time per function (top 15), from a CDP CPU profile. */
function topSelf(profile) {
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const n = byId.get(profile.samples[i]);
    const f = n.callFrame;
    const key = `${f.functionName || "(anonymous)"} ${f.url ? f.url.split("/").pop() : ""}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  }
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, ms]) => `${ms.toFixed(0).padStart(6)} ms  ${k}`);
}

async function runPage(browser, file, profile) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  let cdp = null;
  if (profile) {
    cdp = await context.newCDPSession(page);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 1000 });
  }
  await page.addInitScript(`const MAX_GAP = ${MAX_TASK_MS}; (${probe.toString()})();`);
  await page.goto(pathToFileURL(PAGE).href);
  await page.waitForFunction(() => document.getElementById("status")?.dataset["state"] === "idle");
  await page.evaluate(() => {
    window.__bench.probing = true;
  });
  if (cdp !== null) await cdp.send("Profiler.start");
  const t0 = performance.now();
  await page.setInputFiles("#file", file);
  await page.waitForFunction(() => /verdicts? from [\d,]+ lines/.test(document.getElementById("status")?.textContent ?? "") || document.getElementById("status")?.dataset["state"] === "error", null, { timeout: 600_000, polling: 100 });
  const ms = performance.now() - t0;
  // let the last frames settle, then stop probing
  await page.waitForTimeout(300);
  if (cdp !== null) {
    const { profile: p } = await cdp.send("Profiler.stop");
    const path = join(DATA_DIR, "web-main-thread.cpuprofile");
    writeFileSync(path, JSON.stringify(p));
    console.log(`  main-thread profile: ${path}; self time:\n    ${topSelf(p).join("\n    ")}`);
  }
  const result = await page.evaluate(() => {
    window.__bench.probing = false;
    const status = document.getElementById("status");
    return { bench: window.__bench, status: status?.textContent ?? "", where: status?.dataset["where"] ?? "", state: status?.dataset["state"] ?? "" };
  });
  await context.close();
  const worker = /in ([\d,]+) ms/.exec(result.status);
  return {
    ms,
    workerMs: worker ? Number(worker[1].replace(/,/g, "")) : null,
    where: result.where,
    state: result.state,
    status: result.status,
    longTasks: result.bench.longTasks,
    maxLongTask: result.bench.longTasks.length ? Math.max(...result.bench.longTasks) : 0,
    maxGap: Math.round(result.bench.maxGap),
    gapsOver: result.bench.gaps,
    gapLog: result.bench.gapLog,
  };
}

export async function runWebBench(argv) {
  const opts = parseArgs(argv);
  if (!existsSync(CHROMIUM)) {
    console.log(`web bench: ${CHROMIUM} is missing (apt-get install chromium)`);
    return 2;
  }
  if (!existsSync(PAGE) || !existsSync(CLI)) {
    console.log("web bench: dist/web/index.html or dist/cli.mjs is missing: run `npm run build` first");
    return 2;
  }
  const { chromium } = await import("playwright-core");
  const file = await webCapture(opts.mb);
  const sizeMB = statSync(file).size / 1e6;
  console.log(`web bench: ${file} (${sizeMB.toFixed(1)} MB), ${opts.runs} round(s) of the CLI and the page`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"] });
  const cli = [];
  const web = [];
  try {
    for (let r = 0; r < opts.runs; r++) {
      const c = await runCli(file);
      cli.push(c);
      console.log(`  round ${r + 1} cli: ${(c.ms / 1000).toFixed(2)} s (exit ${c.code})`);
      const w = await runPage(browser, file, opts.profile && r === 0);
      web.push(w);
      console.log(
        `  round ${r + 1} page: ${(w.ms / 1000).toFixed(2)} s (worker ${w.workerMs === null ? "?" : (w.workerMs / 1000).toFixed(2) + " s"}, ${w.where}), ` +
          `longest main-thread task ${w.maxLongTask} ms, longest interval gap ${w.maxGap} ms, long tasks ${JSON.stringify(w.longTasks.slice(0, 12))}, gaps over 100 ms: ${JSON.stringify(w.gapLog.slice(0, 8))}${w.state === "error" ? `; ERROR: ${w.status}` : ""}`,
      );
    }
  } finally {
    await browser.close();
  }
  const cliMs = median(cli.map((c) => c.ms));
  const pageMs = median(web.map((w) => w.ms));
  const workerMs = median(web.map((w) => w.workerMs ?? NaN));
  const ratio = pageMs / cliMs;
  const maxTask = Math.max(...web.map((w) => w.maxLongTask));
  const maxGap = Math.max(...web.map((w) => w.maxGap));
  console.log(
    `\nweb ${sizeMB.toFixed(0)} MB: page ${(pageMs / 1000).toFixed(2)} s (worker ${(workerMs / 1000).toFixed(2)} s), CLI ${(cliMs / 1000).toFixed(2)} s: ` +
      `${ratio.toFixed(2)}x (target <= ${RATIO_TARGET}x)${ratio <= RATIO_TARGET ? "" : " MISSED"}; ` +
      `longest main-thread task ${maxTask} ms, longest gap ${maxGap} ms (target <= ${MAX_TASK_MS} ms)${Math.max(maxTask, maxGap) <= MAX_TASK_MS ? "" : " MISSED"}`,
  );
  const out = join(DATA_DIR, "results-web.json");
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), file, sizeMB, runs: opts.runs, cli, web, medians: { cliMs, pageMs, workerMs, ratio }, maxTask, maxGap }, null, 2) + "\n");
  console.log(`results: ${out}`);
  return 0;
}
