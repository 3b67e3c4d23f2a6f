// The CLI as users run it: `node bench/workers/cli.mjs FILE LABEL -- ARGS...` runs dist/cli.mjs
// (what bin/sniffdiag.js loads) in this process with `sniffdiag ARGS...` (`{file}` replaced by
// FILE, `{out}` by a temporary output path) and prints one BENCH_RESULT line when the process
// exits: the exit status, the output's size and the peak RSS. bench/run.mjs times the process
// from spawn to exit.
import { statSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./harness.mjs";

const [file, label = "", sep, ...rest] = process.argv.slice(2);
if (!file || sep !== "--" || rest.length === 0) {
  console.error("usage: node bench/workers/cli.mjs FILE LABEL -- ARGS... ({file}, {out})");
  process.exit(2);
}
const out = join(tmpdir(), `sniffdiag-bench-${process.pid}-${label}`);
const args = rest.map((a) => a.replaceAll("{file}", file).replaceAll("{out}", out));
process.on("exit", (code) => {
  let outBytes = null;
  try {
    outBytes = statSync(out).size;
    rmSync(out, { force: true });
  } catch {
    // no output file (written to /dev/null, or refused)
  }
  const result = { exitCode: code, outBytes, maxRssKB: process.resourceUsage().maxRSS, args: rest };
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
});
// the bundle runs its main() when argv[1] names the CLI
process.argv = [process.argv[0], "sniffdiag", ...args];
await import(pathToFileURL(join(ROOT, "dist", "cli.mjs")).href);
