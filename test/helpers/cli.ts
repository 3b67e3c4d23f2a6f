/**
 * Runs the bundled CLI as a user would. jest's globalSetup (test/setup/build.mjs) rebuilds the
 * bundle from source before any test runs; `ensureBuilt` refuses a bundle older than its sources
 * (a test file run some other way, or a source edited during the run) instead of testing stale code.
 */
import { spawnSync } from "node:child_process";
import { repoRoot } from "./corpus.js";
import { staleReason } from "../setup/build.mjs";

const bundle = repoRoot + "dist/cli.mjs";

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function ensureBuilt(): void {
  const reason = staleReason();
  if (reason === null) return;
  throw new Error(`dist/ is stale (${reason}): the test setup builds it before the run; run the tests with npm test`);
}

/** Runs the CLI; `uid`/`gid` run it as another user (the test runs as root; supplementary groups are dropped). */
export function runCli(args: string[], options: { input?: string | Buffer; cwd?: string; env?: Record<string, string>; uid?: number; gid?: number } = {}): CliResult {
  ensureBuilt();
  const r = spawnSync(process.execPath, [bundle, ...args], {
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
    cwd: options.cwd ?? repoRoot,
    input: options.input ?? "",
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
