/**
 * Jest globalSetup: the CLI tests run the bundle (`dist/cli.mjs`, `dist/worker.mjs`) as a user
 * would, so it is rebuilt from source before any test file runs whenever a file it is built from
 * is newer than the oldest bundle (or a bundle is missing). It runs once per `npm test`, in jest's
 * parent process before the workers start, so parallel workers never see a half-written bundle.
 * An unchanged checkout costs one walk over the sources' modification times.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** What scripts/build.mjs reads: the sources, the grammars, the build script, the dependencies. */
const INPUTS = ["src", "grammars", "scripts/build.mjs", "package.json", "package-lock.json"];
/** What it writes. */
export const OUTPUTS = ["dist/cli.mjs", "dist/worker.mjs", "dist/lib/index.js"];

/** The newest modification time under `path` (folders count too: a deleted file changes its folder). */
function newest(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  let t = st.mtimeMs;
  if (st.isDirectory()) for (const name of readdirSync(path)) t = Math.max(t, newest(join(path, name)));
  return t;
}

/** Why the bundle must be rebuilt, or null when it is newer than every input. */
export function staleReason() {
  let oldest = Infinity;
  for (const out of OUTPUTS) {
    let t;
    try {
      t = statSync(join(root, out)).mtimeMs;
    } catch {
      return `${out} is missing`;
    }
    oldest = Math.min(oldest, t);
  }
  for (const input of INPUTS) if (newest(join(root, input)) > oldest) return `${input} changed after the last build`;
  return null;
}

export default function buildFromSource() {
  const reason = staleReason();
  if (reason === null) return;
  const started = Date.now();
  const b = spawnSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root, encoding: "utf8" });
  if (b.status !== 0) throw new Error(`test setup: node scripts/build.mjs failed (${reason}):\n${b.stderr}`);
  // an output whose bytes did not change may keep its old time: mark all of them as built now
  const now = new Date();
  for (const out of OUTPUTS) utimesSync(join(root, out), now, now);
  process.stderr.write(`test setup: rebuilt dist/ from source in ${Date.now() - started} ms (${reason})\n`);
}
