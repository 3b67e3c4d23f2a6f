// Builds dist/web/index.html: one self-contained page (script and styles inlined, nothing
// fetched) running the same core as the CLI. The page's script is also its worker (client.ts
// starts it again from a blob: URL of its own text).
//
//   node scripts/build-web.mjs            (npm run build:web)
//   node scripts/build-web.mjs --out DIR  (write DIR/index.html instead)
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outArg = process.argv.indexOf("--out");
const outDir = outArg > 0 && process.argv[outArg + 1] ? process.argv[outArg + 1] : join(root, "dist", "web");

const common = { bundle: true, write: false, minify: true, legalComments: "none", logLevel: "warning", absWorkingDir: root };

const [js, css, template, pkg] = await Promise.all([
  build({
    ...common,
    entryPoints: ["src/web/main.ts"],
    format: "iife",
    platform: "browser",
    // DecompressionStream, structuredClone, Array.prototype.at: browsers from 2023 on
    target: ["chrome110", "firefox115", "safari16.4", "edge110"],
  }),
  build({ ...common, entryPoints: ["src/web/styles.css"], loader: { ".css": "css" }, target: ["chrome110", "firefox115", "safari16.4"] }),
  readFile(join(root, "src/web/index.html"), "utf8"),
  readFile(join(root, "package.json"), "utf8").then(JSON.parse),
]);

const script = js.outputFiles[0].text.trim();
const style = css.outputFiles[0].text.trim();

// Inline text must not end its element early or open an HTML comment inside the script.
for (const [name, text, bad] of [
  ["script", script, /<\/script|<!--|<script/i],
  ["style", style, /<\/style/i],
]) {
  const m = bad.exec(text);
  if (m !== null) {
    console.error(`build-web: the inlined ${name} holds ${JSON.stringify(m[0])} at ${m.index}; it cannot be inlined as is`);
    process.exit(1);
  }
}

const sha = (text) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
// The page may run its own script (and, from a blob: URL, its own worker) and its own styles;
// nothing else, and nothing is loaded from anywhere.
const csp = [
  "default-src 'none'",
  `script-src ${sha(script)}`,
  `style-src ${sha(style)}`,
  "worker-src blob:",
  // browsers without worker-src take it from child-src
  "child-src blob:",
  "img-src 'none'",
  "connect-src 'none'",
  "font-src 'none'",
  "media-src 'none'",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

const values = { CSP: csp, VERSION: pkg.version, CSS: style, JS: script };
// one pass over the template only: inserted text is never scanned for placeholders
const html = template.replace(/%(CSP|VERSION|CSS|JS)%/g, (_, key) => values[key]);

await mkdir(outDir, { recursive: true });
const outFile = join(outDir, "index.html");
await writeFile(outFile, html);
console.log(`${relative(process.cwd(), outFile) || outFile}: ${(html.length / 1024).toFixed(0)} KiB (script ${(script.length / 1024).toFixed(0)} KiB, styles ${(style.length / 1024).toFixed(0)} KiB)`);
