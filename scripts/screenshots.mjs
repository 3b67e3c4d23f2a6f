/* global document, window, DataTransfer, ClipboardEvent -- page.evaluate callbacks run in the browser */
// Screenshots for docs/: the HTML report and the web page, for the seed capture and for the
// generated busy capture (hundreds of flows, a few failures; test/fixtures/busy-capture.ts), and
// the busy capture's Mermaid diagrams as mermaid renders them. Needs a build (node
// scripts/build.mjs) and Chromium (/usr/bin/chromium). Usage: node scripts/screenshots.mjs
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const root = fileURLToPath(new URL("../", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "sniffdiag-shots-"));
const cli = join(root, "dist/cli.mjs");

// the busy capture, from its generator
await build({ entryPoints: [join(root, "test/fixtures/busy-capture.ts")], bundle: true, format: "esm", platform: "neutral", outfile: join(tmp, "busy.mjs"), logLevel: "warning" });
const { busyCapture } = await import(pathToFileURL(join(tmp, "busy.mjs")).href);
const busyPath = join(tmp, "busy-capture.txt");
writeFileSync(busyPath, busyCapture().text);
const seedPath = join(root, "samples/seed_fortimail_kb192524.txt");

const run = (args, cwd = root) => {
  try {
    return execFileSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8", maxBuffer: 64 << 20 });
  } catch (err) {
    return err.stdout; // exit 1: the captures have problem verdicts
  }
};

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--headless"] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });

// HTML reports
for (const [name, input, cwd, shot] of [
  ["seed", "samples/seed_fortimail_kb192524.txt", root, "report.png"],
  ["busy", "busy-capture.txt", tmp, "report-busy.png"],
]) {
  // the path as a user gives it (the report's headings show it)
  const html = join(tmp, `${name}.html`);
  run([input, "-o", html], cwd);
  await page.goto(pathToFileURL(html).href);
  if (name === "seed") await page.screenshot({ path: join(root, "docs", shot), fullPage: true });
  else {
    // the top of the report: the summary and the first problem cards with their diagrams
    const height = await page.evaluate(() => {
      const cards = [...document.querySelectorAll("article.card")].slice(0, 3);
      const last = cards[cards.length - 1];
      return last ? Math.ceil(last.getBoundingClientRect().bottom + window.scrollY + 16) : 1600;
    });
    await page.screenshot({ path: join(root, "docs", shot), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Math.min(height, 4200) } });
  }
}

// the web page: paste the capture, wait for the analysis
const webPage = join(root, "dist/web/index.html");
for (const [input, shot] of [
  [seedPath, "web.png"],
  [busyPath, "web-busy.png"],
]) {
  await page.goto(pathToFileURL(webPage).href);
  const text = readFileSync(input, "utf8");
  await page.evaluate((t) => {
    const ta = document.querySelector("#text");
    ta.focus();
    ta.select();
    const data = new DataTransfer();
    data.setData("text/plain", t);
    ta.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
  await page.waitForFunction(() => document.getElementById("status")?.dataset["state"] === "done", null, { timeout: 60_000 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(root, "docs", shot), fullPage: shot === "web.png" });
}

// the busy capture's Mermaid diagrams as mermaid draws them (GitHub, GitLab and most ticket systems use it)
const md = run(["busy-capture.txt", "--format", "markdown"], tmp);
const blocks = [...md.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1]);
const require = createRequire(import.meta.url);
await page.close();
const mpage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await mpage.setContent(`<!doctype html><html><body style="margin:16px;font-family:sans-serif;background:#fff">${blocks.map((_, i) => `<div id="m${i}" style="margin-bottom:24px"></div>`).join("")}</body></html>`);
await mpage.addScriptTag({ path: require.resolve("mermaid/dist/mermaid.min.js") });
const widths = await mpage.evaluate(async (list) => {
  window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
  const out = [];
  for (let i = 0; i < list.length; i++) {
    const { svg } = await window.mermaid.render(`d${i}`, list[i]);
    const holder = document.getElementById(`m${i}`);
    holder.innerHTML = svg;
    out.push(Math.round(holder.querySelector("svg").getBoundingClientRect().width));
  }
  return out;
}, blocks);
await mpage.screenshot({ path: join(root, "docs", "mermaid-busy.png"), fullPage: true });
await browser.close();
console.log(`docs/: report.png, report-busy.png, web.png, web-busy.png, mermaid-busy.png; Mermaid widths of the busy capture: ${widths.join(", ")} px`);
