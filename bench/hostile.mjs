// `npm run bench -- --hostile [--steps N] [--only a,b]`: every hostile input of issue 16
// (bench/hostile-inputs.mjs) at n, 2n, 4n… analysed by the built CLI in a fresh process
// (`sniffdiag FILE --format json -o /dev/null --fail-on never`); prints wall time, CPU time (user +
// system, from GNU time when /usr/bin/time exists), peak RSS and the growth per doubling. Linear
// work grows about 2× per doubling; the target is ≤ 2.5×. The growth is taken on CPU time when it
// is measured (on a machine shared with other work, wall time mostly measures the others), else
// on wall time. Start-up is subtracted before the ratio is taken, so small inputs do not hide
// growth. Results also go to bench/data/hostile.json.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SCALABLE } from "./hostile-inputs.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = join(ROOT, "dist", "cli.mjs");
const TARGET = 2.5;
/** A run longer than this is stopped and reported as such (the growth is then plainly too high). */
const LIMIT_MS = 60_000;
/** Growth is only taken between runs doing at least this much work beyond start-up. */
const MIN_WORK_MS = 300;

export function parseHostileArgs(argv) {
  const opts = { steps: 3, only: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--hostile") continue;
    if (a === "--steps") opts.steps = Math.max(2, Number(argv[++i]) || 3);
    else if (a === "--only") opts.only = String(argv[++i]).split(",");
    else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

/** GNU time: CPU time and peak RSS of the child (wall time alone measures the machine's load too). */
const GNU_TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;

/** One run: wall ms, CPU ms (user + system; null without GNU time), peak RSS in MB (null without it). */
function runOnce(file, args = [file, "--format", "json", "-o", "/dev/null", "--fail-on", "never"], dir = null) {
  const started = process.hrtime.bigint();
  const timeFile = GNU_TIME !== null && dir !== null ? join(dir, "time.txt") : null;
  const argv = [CLI, ...args];
  const r =
    timeFile === null
      ? spawnSync(process.execPath, argv, { encoding: "utf8", timeout: LIMIT_MS, env: { ...process.env, NO_COLOR: "1" } })
      : spawnSync(GNU_TIME, ["-f", "%U %S %M", "-o", timeFile, process.execPath, ...argv], { encoding: "utf8", timeout: LIMIT_MS, env: { ...process.env, NO_COLOR: "1" } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  let cpuMs = null;
  let rssMb = null;
  if (timeFile !== null && r.signal === null) {
    const [user, sys, kb] = readFileSync(timeFile, "utf8").trim().split("\n").pop().split(" ").map(Number);
    if (Number.isFinite(user) && Number.isFinite(sys)) cpuMs = (user + sys) * 1000;
    if (Number.isFinite(kb)) rssMb = (kb * 1024) / 1e6;
  }
  return { ms, cpuMs, rssMb, status: r.status, signal: r.signal, stderr: (r.stderr ?? "").split("\n")[0] ?? "" };
}

/** Start-up (`--version`), median of three: wall and CPU ms. */
function startup(dir) {
  const runs = [0, 1, 2].map(() => runOnce(null, ["--version"], dir));
  const median = (xs) => xs.sort((a, b) => a - b)[1];
  return { ms: median(runs.map((r) => r.ms)), cpuMs: runs[0].cpuMs === null ? null : median(runs.map((r) => r.cpuMs)) };
}

export async function runHostile(argv) {
  const opts = parseHostileArgs(argv);
  const dir = mkdtempSync(join(tmpdir(), "sniffdiag-hostile-"));
  const base = startup(dir);
  const onCpu = base.cpuMs !== null;
  console.log(
    `hostile inputs: ${opts.steps} sizes each, doubling; growth on ${onCpu ? "CPU" : "wall"} time, start-up ${(onCpu ? base.cpuMs : base.ms).toFixed(0)} ms subtracted; target ≤ ${TARGET}× per doubling; load average ${loadavg()[0].toFixed(1)}`,
  );
  console.log("input".padEnd(16) + "n".padStart(9) + "MB".padStart(8) + "wall s".padStart(9) + "cpu s".padStart(8) + "RSS MB".padStart(8) + "exit".padStart(6) + "growth".padStart(9));
  const results = [];
  let worst = 0;
  try {
    for (const g of SCALABLE) {
      if (opts.only !== null && !opts.only.includes(g.name)) continue;
      let prev = null;
      const rows = [];
      for (let step = 0; step < opts.steps; step++) {
        const n = g.n * 2 ** step;
        const file = join(dir, `${g.name}-${n}.txt`);
        writeFileSync(file, g.make(n));
        const mb = statSync(file).size / 1e6;
        const r = runOnce(file, undefined, dir);
        rmSync(file);
        const work = onCpu && r.cpuMs !== null ? Math.max(1, r.cpuMs - base.cpuMs) : Math.max(1, r.ms - base.ms);
        // below MIN_WORK_MS the ratio is mostly noise of process start-up
        const growth = prev === null || prev < MIN_WORK_MS ? null : work / prev;
        if (growth !== null) worst = Math.max(worst, growth);
        prev = work;
        const status = r.signal !== null ? r.signal : String(r.status);
        console.log(
          g.name.padEnd(16) +
            String(n).padStart(9) +
            mb.toFixed(1).padStart(8) +
            (r.ms / 1000).toFixed(2).padStart(9) +
            (r.cpuMs === null ? "—" : (r.cpuMs / 1000).toFixed(2)).padStart(8) +
            (r.rssMb === null ? "—" : r.rssMb.toFixed(0)).padStart(8) +
            status.padStart(6) +
            (growth === null ? "" : `${growth.toFixed(2)}×${growth > TARGET ? " !" : ""}`).padStart(9),
        );
        rows.push({ n, mb, ms: r.ms, cpuMs: r.cpuMs, rssMb: r.rssMb, status, growth });
        if (r.signal !== null) break;
      }
      results.push({ name: g.name, rows });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`worst growth per doubling: ${worst.toFixed(2)}× (target ≤ ${TARGET}×)`);
  const out = join(ROOT, "bench", "data");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "hostile.json"), JSON.stringify({ startupMs: base.ms, startupCpuMs: base.cpuMs, growthOn: onCpu ? "cpu" : "wall", load: loadavg()[0], target: TARGET, results }, null, 2) + "\n");
  return worst <= TARGET ? 0 : 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runHostile(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
