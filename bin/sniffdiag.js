#!/usr/bin/env node
// Runs the bundled CLI; builds it first when a fresh checkout has not been built yet (an installed
// package ships dist/cli.mjs; without it, a one-line error and exit 2).
// `--version` is answered here, before the grammar is built, so it returns at once.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { execFileSync } from "node:child_process";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  process.stdout.write(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version + "\n");
} else {
  const bundle = join(root, "dist", "cli.mjs");
  if (!existsSync(bundle)) {
    // a checkout builds itself; an installed package always ships the bundle
    const builder = join(root, "scripts", "build.mjs");
    if (!existsSync(builder)) {
      process.stderr.write(`sniffdiag: ${bundle} is missing and this installation cannot build it; reinstall the package\n`);
      process.exit(2);
    }
    execFileSync(process.execPath, [builder], { cwd: root, stdio: "inherit" });
  }
  await import(bundle);
}
