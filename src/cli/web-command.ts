/**
 * `sniffdiag web`: the path of the self-contained page (dist/web/index.html), built first when it
 * is missing; on a terminal it is also opened with the desktop's opener (`xdg-open`, `open`).
 * The path alone goes to standard output, so `firefox "$(sniffdiag web)"` works.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface WebDeps {
  /** where to look for the package (default: beside this module) */
  from?: string;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** open the page with the desktop's opener (default: when standard output is a terminal) */
  open?: boolean;
}

/** The sniffdiag package root above `from` (its package.json names sniffdiag). */
export function packageRoot(from: string): string | null {
  let dir = from;
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, "utf8")) as { name?: unknown }).name === "sniffdiag") return dir;
      } catch {
        // not ours; keep looking
      }
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

function opener(): { command: string; args: string[] } | null {
  switch (process.platform) {
    case "darwin":
      return { command: "open", args: [] };
    case "win32":
      return { command: "cmd", args: ["/c", "start", '""'] };
    default:
      return { command: "xdg-open", args: [] };
  }
}

/** Start the opener; false when it cannot be started (not installed). */
function openPage(page: string): Promise<boolean> {
  const o = opener();
  if (o === null) return Promise.resolve(false);
  return new Promise((resolve) => {
    try {
      const child = spawn(o.command, [...o.args, page], { detached: true, stdio: "ignore" });
      child.once("error", () => resolve(false));
      child.once("spawn", () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}

export async function runWeb(deps: WebDeps = {}): Promise<number> {
  const out = deps.stdout ?? ((t: string) => void process.stdout.write(t));
  const err = deps.stderr ?? ((t: string) => void process.stderr.write(t));
  const root = packageRoot(deps.from ?? dirname(fileURLToPath(import.meta.url)));
  if (root === null) {
    err("sniffdiag web: cannot find the sniffdiag package (no package.json named sniffdiag above this program)\n");
    return 2;
  }
  const page = join(root, "dist", "web", "index.html");
  if (!existsSync(page)) {
    const builder = join(root, "scripts", "build-web.mjs");
    if (!existsSync(builder)) {
      err(`sniffdiag web: ${page} is missing and this installation cannot build it; run 'npm run build:web' in a checkout of sniffdiag\n`);
      return 2;
    }
    err(`sniffdiag web: building ${page}\n`);
    const b = spawnSync(process.execPath, [builder], { cwd: root, encoding: "utf8" });
    if (b.status !== 0 || !existsSync(page)) {
      err(`sniffdiag web: the build failed${b.stderr ? `:\n${b.stderr}` : ` (${b.error?.message ?? `exit status ${b.status}`})`}\n`);
      return 2;
    }
  }
  out(`${page}\n`);
  const open = deps.open ?? process.stdout.isTTY === true;
  if (open && !(await openPage(page))) err(`sniffdiag web: could not start ${opener()?.command ?? "a browser"}; open the file above in a browser\n`);
  return 0;
}
