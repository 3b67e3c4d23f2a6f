// `npm run bench -- --hostile [--steps N] [--only a,b]`: every hostile input of issue 16
// (bench/hostile-inputs.mjs) at n, 2n, 4n… analysed by the built CLI in a fresh process
// (`sniffdiag FILE --format json -o /dev/null --fail-on never`); prints wall time, peak RSS and
// the growth per doubling. Linear work grows about 2× per doubling; the target is ≤ 2.5×.
// Start-up (~0.1 s) is subtracted before the ratio is taken, so small inputs do not hide growth.
// Results also go to bench/data/hostile.json.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
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

function runOnce(file) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, file, "--format", "json", "-o", "/dev/null", "--fail-on", "never"], {
    encoding: "utf8",
    timeout: LIMIT_MS,
    env: { ...process.env, NO_COLOR: "1" },
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, status: r.status, signal: r.signal, stderr: (r.stderr ?? "").split("\n")[0] ?? "" };
}

function startupMs() {
  const times = [];
  for (let k = 0; k < 3; k++) {
    const started = process.hrtime.bigint();
    spawnSync(process.execPath, [CLI, "--version"]);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[1];
}

export async function runHostile(argv) {
  const opts = parseHostileArgs(argv);
  const dir = mkdtempSync(join(tmpdir(), "sniffdiag-hostile-"));
  const base = startupMs();
  console.log(`hostile inputs: ${opts.steps} sizes each, doubling; start-up ${base.toFixed(0)} ms subtracted; target ≤ ${TARGET}× per doubling`);
  console.log("input".padEnd(16) + "n".padStart(9) + "MB".padStart(8) + "wall s".padStart(9) + "exit".padStart(6) + "growth".padStart(9));
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
        const r = runOnce(file);
        rmSync(file);
        const work = Math.max(1, r.ms - base);
        // below MIN_WORK_MS the ratio is mostly noise of process start-up
        const growth = prev === null || prev < MIN_WORK_MS ? null : work / prev;
        if (growth !== null) worst = Math.max(worst, growth);
        prev = work;
        const status = r.signal !== null ? r.signal : String(r.status);
        console.log(
          g.name.padEnd(16) + String(n).padStart(9) + mb.toFixed(1).padStart(8) + (r.ms / 1000).toFixed(2).padStart(9) + status.padStart(6) +
            (growth === null ? "" : `${growth.toFixed(2)}×${growth > TARGET ? " !" : ""}`).padStart(9),
        );
        rows.push({ n, mb, ms: r.ms, status, growth });
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
  writeFileSync(join(out, "hostile.json"), JSON.stringify({ startupMs: base, target: TARGET, results }, null, 2) + "\n");
  return worst <= TARGET ? 0 : 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runHostile(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
