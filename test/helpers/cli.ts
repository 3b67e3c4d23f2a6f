/** Runs the bundled CLI as a user would (building it first when a fresh checkout has none). */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { repoRoot } from "./corpus.js";

const bundle = repoRoot + "dist/cli.mjs";

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function ensureBuilt(): void {
  if (!existsSync(bundle)) {
    const b = spawnSync(process.execPath, [repoRoot + "scripts/build.mjs"], { cwd: repoRoot, encoding: "utf8" });
    if (b.status !== 0) throw new Error("build failed: " + b.stderr);
  }
}

export function runCli(args: string[], options: { input?: string | Buffer; cwd?: string; env?: Record<string, string> } = {}): CliResult {
  ensureBuilt();
  const r = spawnSync(process.execPath, [bundle, ...args], {
    cwd: options.cwd ?? repoRoot,
    input: options.input ?? "",
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
