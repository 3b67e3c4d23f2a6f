// `node bench/flat-memory.mjs [FILE...]`: peak RSS of the analysis with an `onFlow` sink
// (bench/workers/analyze-sink.mjs: flows handed over as they finish, as a streaming caller does),
// on the v4 data sets at 100k and 1M packets (bench/generate.mjs makes them) and on any FILE given
// (a 10M-packet capture: see bench/generate.mjs). Flat memory (issue 12 item 3): the 1M figure
// within 20% of the 100k one. Needs GNU time (/usr/bin/time) for the peak RSS of the child.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureData } from "./generate.mjs";

const BENCH = dirname(fileURLToPath(import.meta.url));
const WORKER = join(BENCH, "workers", "analyze-sink.mjs");
if (!existsSync("/usr/bin/time")) {
  console.error("bench/flat-memory.mjs needs GNU time (/usr/bin/time; Debian package time)");
  process.exit(2);
}
const files = process.argv.slice(2);
const sets = await ensureData(["v4s", "v4"], { log: () => undefined });
const targets = [...sets.map((s) => s.path), ...files];
const dir = mkdtempSync(join(tmpdir(), "sniffdiag-flat-"));
console.log(`analysis with an onFlow sink; load average ${loadavg()[0].toFixed(1)}`);
const rows = [];
try {
  for (const file of targets) {
    const out = join(dir, "time.txt");
    const r = spawnSync("/usr/bin/time", ["-f", "%e %U %S %M", "-o", out, process.execPath, WORKER, file, "sink"], { encoding: "utf8", maxBuffer: 1 << 24 });
    const [wall, user, sys, kb] = readFileSync(out, "utf8").trim().split("\n").pop().split(" ").map(Number);
    const result = JSON.parse((r.stdout.split("\n").find((l) => l.startsWith("BENCH_RESULT ")) ?? "BENCH_RESULT {}").slice(13));
    const row = { file, status: r.status, wallS: wall, cpuS: +(user + sys).toFixed(2), peakRssMB: +((kb * 1024) / 1e6).toFixed(0), flows: result.counts?.flows ?? null };
    rows.push(row);
    console.log(`${file}: exit ${row.status}, ${row.wallS} s wall, ${row.cpuS} s CPU, peak RSS ${row.peakRssMB} MB, ${row.flows} flows handed over`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const [small, big] = rows;
if (small !== undefined && big !== undefined) {
  const ratio = big.peakRssMB / small.peakRssMB;
  console.log(`flatness: 1M / 100k peak RSS = ${ratio.toFixed(2)} (target ≤ 1.20); 1M peak ${big.peakRssMB} MB (target ≤ 150 MB)`);
}
