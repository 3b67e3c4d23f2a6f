/**
 * The web page (`npm run build:web` → dist/web/index.html) in a real browser: Debian's Chromium
 * driven by playwright-core, the page opened from disk. The seed capture's verdict cards, an
 * evidence line shown in the input, the markdown / HTML / JSON downloads against the CLI's output
 * for the same input, pcapng against the exporter, files opened and dropped (gzip too), a big
 * input analysed in the worker, hostile text shown as text, zero network requests, and every
 * corpus capture giving the CLI's verdicts. Screenshots at 1280×720 in light and dark go to the
 * temporary directory; docs/web.png is written when missing or with UPDATE_SCREENSHOTS=1.
 *
 * Skips with a printed reason when /usr/bin/chromium is absent (.ci/run installs `chromium`), and
 * the corpus part when ../shared/corpus is absent.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { runWeb } from "../src/cli/web-command.js";
import { exportRecords } from "../src/export/export.js";
import { parseCapture } from "../src/parse.js";
import type { Report, Verdict } from "../src/report.js";
import { VERSION } from "../src/version.js";
import { analysisText, countLines, displayText, lineRange } from "../src/web/editor.js";
import { uniqueNames } from "../src/web/files.js";
import { stem } from "../src/web/io.js";
import { ensureBuilt } from "./helpers/cli.js";
import { corpusDir, corpusFiles, repoRoot, samplesDir, testCorpus } from "./helpers/corpus.js";
import { CHROMIUM, CHROMIUM_NEEDED, describeIfPresent, haveChromium } from "./helpers/require.js";

const describeBrowser = describeIfPresent(haveChromium, CHROMIUM_NEEDED);

const PAGE = join(repoRoot, "dist", "web", "index.html");
const PAGE_URL = pathToFileURL(PAGE).href;
const CLI = join(repoRoot, "dist", "cli.mjs");
const SEED = readFileSync(join(samplesDir, "seed_fortimail_kb192524.txt"), "utf8");
const HEX_SAMPLE = "v6_any_tcp_handshake_rawtab.txt";

// ---- pure helpers (no browser) ---------------------------------------------------------------------

describe("web page helpers", () => {
  test("a lone CR is shown as ␍ and read back as CR; CRLF stays a line break", () => {
    const text = "a\r\r\nb\rc\r\nd\n";
    const shown = displayText(text);
    expect(shown).toBe("a\u240d\r\nb\u240dc\r\nd\n");
    // a textarea turns CRLF into LF; the line count is the contract's either way
    const inTextarea = shown.replace(/\r\n/g, "\n");
    expect(countLines(inTextarea)).toBe(3);
    expect(analysisText(inTextarea)).toBe("a\r\nb\rc\nd\n");
  });

  test("lineRange finds a line's offsets and nothing past the end", () => {
    const text = "one\ntwo\n\nfour";
    expect(lineRange(text, 1)).toEqual({ start: 0, end: 3 });
    expect(lineRange(text, 2)).toEqual({ start: 4, end: 7 });
    expect(lineRange(text, 3)).toEqual({ start: 8, end: 8 });
    expect(lineRange(text, 4)).toEqual({ start: 9, end: 13 });
    expect(lineRange(text, 5)).toBeNull();
    expect(lineRange("a\n", 2)).toBeNull();
    expect(lineRange(text, 0)).toBeNull();
  });

  test("dropped files keep their names, made unique; download names are safe stems", () => {
    expect(uniqueNames(["a.txt", "b.txt", "a.txt", "a.txt (2)"])).toEqual(["a.txt", "b.txt", "a.txt (3)", "a.txt (2)"]);
    expect(stem("tickets/case 12.txt.gz")).toBe("case_12");
    expect(stem("<img>.log")).toBe("img");
    expect(stem("...")).toBe("capture");
  });
});

// ---- sniffdiag web ---------------------------------------------------------------------------------

describe("sniffdiag web", () => {
  test("prints the page's path (building it when missing) and opens nothing when not on a terminal", async () => {
    let out = "";
    let err = "";
    const status = await runWeb({ stdout: (t) => (out += t), stderr: (t) => (err += t), open: false });
    expect(status).toBe(0);
    expect(out).toBe(`${PAGE}\n`);
    expect(existsSync(PAGE)).toBe(true);
    expect(err).not.toMatch(/failed/);
  });

  test("says so when it cannot find the package", async () => {
    let err = "";
    const status = await runWeb({ from: tmpdir(), stdout: () => {}, stderr: (t) => (err += t), open: false });
    expect(status).toBe(2);
    expect(err).toMatch(/cannot find the sniffdiag package/);
  });
});

// ---- the page in Chromium ---------------------------------------------------------------------------

interface ShownVerdict {
  code: string;
  severity: string;
  title: string;
  evidence: { line: number; text: string }[];
}

function expected(vs: readonly Verdict[]): ShownVerdict[] {
  return vs.map((v) => ({ code: v.code, severity: v.severity, title: v.title, evidence: v.evidence.map((e) => ({ line: e.line, text: e.text })) }));
}

/** The CLI on files in `cwd`, as a user runs it. */
function cli(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Requests the page made that are not the page itself, a blob: or a data: URL. */
const offPage: string[] = [];
const pageErrors: string[] = [];

describeBrowser("the web page in Chromium", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let work: string;

  beforeAll(async () => {
    ensureBuilt();
    const b = spawnSync(process.execPath, [join(repoRoot, "scripts", "build-web.mjs")], { cwd: repoRoot, encoding: "utf8" });
    if (b.status !== 0) throw new Error(`build-web failed: ${b.stderr}`);
    work = mkdtempSync(join(tmpdir(), "sniffdiag-web-"));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true, colorScheme: "light" });
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    page = await context.newPage();
    page.on("request", (r) => {
      const url = r.url();
      if (url !== PAGE_URL && !url.startsWith("blob:") && !url.startsWith("data:")) offPage.push(url);
    });
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") pageErrors.push(m.text());
    });
    await page.goto(PAGE_URL);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Replace the input with `text` through a paste event (as Ctrl+V delivers it) and wait for the analysis. */
  async function paste(text: string): Promise<void> {
    const before = await page.evaluate(() => Number(document.getElementById("results")?.dataset["analysis"] ?? 0));
    await page.evaluate((t) => {
      const viewer = document.querySelector<HTMLElement>(".viewer");
      const ta = document.querySelector<HTMLTextAreaElement>("#text");
      const target = viewer !== null && !viewer.hidden ? viewer : ta;
      if (target === null) throw new Error("no paste area");
      target.focus();
      if (target === ta) ta.select();
      const data = new DataTransfer();
      data.setData("text/plain", t);
      target.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }, text);
    await analysed(before);
  }

  async function analysed(before: number): Promise<void> {
    await page.waitForFunction(
      (n) => Number(document.getElementById("results")?.dataset["analysis"] ?? 0) > n && document.getElementById("status")?.dataset["state"] === "done",
      before,
      { timeout: 60_000 },
    );
  }

  async function shownVerdicts(source?: string): Promise<ShownVerdict[]> {
    return page.$$eval(
      "[data-testid=verdict]",
      (cards, src) =>
        cards
          .filter((c) => src === undefined || (c as HTMLElement).dataset["source"] === src)
          .map((c) => ({
            code: (c as HTMLElement).dataset["code"] ?? "",
            severity: (c as HTMLElement).dataset["severity"] ?? "",
            title: c.querySelector(".title")?.textContent ?? "",
            evidence: Array.from(c.querySelectorAll<HTMLElement>(".ev")).map((b) => ({ line: Number(b.dataset["line"]), text: b.querySelector(".tx")?.textContent ?? "" })),
          })),
      source,
    );
  }

  async function downloadOf(buttonId: string): Promise<{ name: string; bytes: Buffer }> {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(`#${buttonId}`)]);
    const path = await download.path();
    return { name: download.suggestedFilename(), bytes: readFileSync(path) };
  }

  test("opens from disk: the empty page invites a paste and offers nothing to download", async () => {
    await expect(page.title()).resolves.toMatch(/sniffdiag/);
    expect(await page.locator(".welcome").isVisible()).toBe(true);
    expect(await page.isDisabled("#copy-md")).toBe(true);
    expect(await page.isDisabled("#dl-pcapng")).toBe(true);
    // the script and styles are inlined: no src, no href to anything but the page itself
    const html = readFileSync(PAGE, "utf8");
    const markup = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>|<style>[\s\S]*?<\/style>/g, "");
    expect(markup.match(/<\w+[^>]*\s(?:src|href|srcset|action)=[^>]*>|<link\b[^>]*>/gi)).toEqual(['<a class="skip" href="#results">']);
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script id="sniffdiag-app">']);
    // the page forbids itself any load: only its own inline script and styles, and a blob: worker
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'none'; script-src 'sha256-/);
  });

  test("the seed capture: the UDP/8889 card says unanswered (worst first), the UDP/53 card answered", async () => {
    await paste(SEED);
    const cards = await shownVerdicts();
    expect(cards.map((c) => [c.code, c.severity])).toEqual([
      ["unanswered", "error"],
      ["answered", "ok"],
    ]);
    expect(cards[0]?.title).toMatch(/^UDP\/8889 .*3 requests to 3 servers, 0 replies$/);
    expect(cards[0]?.evidence.map((e) => e.line)).toEqual([5, 6, 7]);
    expect(cards[1]?.title).toMatch(/^UDP\/53 /);
    expect(await page.locator(".card.sev-error .ladder svg").count()).toBe(1);
    // small pastes too are analysed in the worker: no input can freeze the page
    expect(await page.locator("#status").getAttribute("data-where")).toBe("worker");
    expect(await page.isEnabled("#copy-md")).toBe(true);
    // no hex in the seed: nothing to write to pcapng
    expect(await page.isDisabled("#dl-pcapng")).toBe(true);
  });

  test("an evidence line shows and highlights that line in the input", async () => {
    await page.locator('.card[data-code="unanswered"] .ev[data-line="6"]').click();
    const band = page.locator("[data-testid=line-highlight]");
    expect(await band.isVisible()).toBe(true);
    expect(await band.getAttribute("data-line")).toBe("6");
    const selected = await page.evaluate(() => {
      const ta = document.querySelector<HTMLTextAreaElement>("#text");
      return ta === null ? null : { text: ta.value.slice(ta.selectionStart, ta.selectionEnd), focus: document.activeElement?.className };
    });
    // the line is selected in the input; keyboard focus stays on the evidence line
    expect(selected).toEqual({ text: SEED.split("\n")[5], focus: "ev" });
    expect(await page.locator("#status").textContent()).toBe("Line 6 is highlighted in the input.");
    // the band sits over the textarea's sixth row
    const geometry = await page.evaluate(() => {
      const ta = document.querySelector<HTMLTextAreaElement>("#text") as HTMLTextAreaElement;
      const b = document.querySelector<HTMLElement>("[data-testid=line-highlight]") as HTMLElement;
      const style = getComputedStyle(ta);
      return { bandTop: b.getBoundingClientRect().top, taTop: ta.getBoundingClientRect().top, pad: parseFloat(style.paddingTop), lh: parseFloat(style.lineHeight), scroll: ta.scrollTop };
    });
    expect(Math.abs(geometry.bandTop - (geometry.taTop + geometry.pad + 5 * geometry.lh - geometry.scroll))).toBeLessThan(1.5);
    // keyboard: Tab to the next evidence line, Enter shows it
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    expect(await band.getAttribute("data-line")).toBe("7");
    await page.locator('.card[data-code="answered"] .ev').first().focus();
    await page.keyboard.press("Space");
    expect(await band.getAttribute("data-line")).toBe("13");
  });

  test("typing is analysed once the typist pauses, not at every key", async () => {
    await page.click("#clear");
    await page.waitForFunction(() => document.getElementById("status")?.dataset["state"] === "idle");
    const before = await page.evaluate(() => Number(document.getElementById("results")?.dataset["analysis"] ?? 0));
    const typed = SEED.split("\n").slice(1, 7).join("\n");
    await page.locator("#text").pressSequentially(typed, { delay: 0 });
    await analysed(before);
    await page.waitForTimeout(500);
    const after = await page.evaluate(() => Number(document.getElementById("results")?.dataset["analysis"] ?? 0));
    expect(after - before).toBeGreaterThanOrEqual(1);
    expect(after - before).toBeLessThan(typed.length / 10);
    expect((await shownVerdicts()).map((v) => v.code)).toEqual(["unanswered"]);
    await paste(SEED);
  });

  test("the downloaded markdown, HTML and JSON are the CLI's for the same input", async () => {
    const dir = join(work, "seed");
    mkdirSync(dir, { recursive: true });
    // a paste is named "pasted" in the report, as the CLI names a file called so
    writeFileSync(join(dir, "pasted"), SEED);
    const md = await downloadOf("dl-md");
    expect(md.name).toBe("pasted.sniffdiag.md");
    expect(md.bytes.toString("utf8")).toBe(cli(["analyze", "pasted", "--format", "markdown"], dir).stdout);
    const html = await downloadOf("dl-html");
    expect(html.name).toBe("pasted.sniffdiag.html");
    expect(html.bytes.toString("utf8")).toBe(cli(["analyze", "pasted", "--format", "html"], dir).stdout);
    const json = await downloadOf("dl-json");
    const cliJson = cli(["analyze", "pasted", "--format", "json"], dir).stdout;
    expect(json.bytes.toString("utf8")).toBe(cliJson);
    // Copy markdown puts the same text on the clipboard
    await page.click("#copy-md");
    await page.waitForFunction(() => /copied/i.test(document.getElementById("status")?.textContent ?? ""));
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(md.bytes.toString("utf8"));
  });

  test("sortable tables: a heading sorts (again reverses) and says so in aria-sort", async () => {
    const table = page.locator("[data-testid=services-table]");
    const services = () => table.locator("tbody tr td:nth-child(2)").allTextContents();
    const requests = table.locator("th:has(button[data-key=requests])");
    await requests.locator("button").click();
    expect(await requests.getAttribute("aria-sort")).toBe("descending");
    expect(await services()).toEqual([expect.stringMatching(/^UDP\/8889/), expect.stringMatching(/^UDP\/53/)]);
    await requests.locator("button").click();
    expect(await requests.getAttribute("aria-sort")).toBe("ascending");
    expect(await services()).toEqual([expect.stringMatching(/^UDP\/53/), expect.stringMatching(/^UDP\/8889/)]);
    expect(await page.locator("[data-testid=flows-table] tbody tr").count()).toBe(4);
  });

  test("a capture pasted three times: judged once, said in one line", async () => {
    await paste(`${SEED}\n${SEED}\n${SEED}\n`);
    const lines = await page.locator("[data-testid=duplicates]").allTextContents();
    expect(lines).toHaveLength(1);
    expect(lines[0]?.trim()).toBe("4 captures repeat earlier ones (pasted again) and are judged once: 3 = 1, 4 = 2, 5 = 1, 6 = 2.");
    expect((await shownVerdicts()).map((v) => v.code)).toEqual(["unanswered", "answered"]);
  });

  test("screenshots at 1280×720, light and dark", async () => {
    const shots = join(tmpdir(), "sniffdiag-web-shots");
    mkdirSync(shots, { recursive: true });
    await paste(SEED);
    await page.locator('.card[data-code="unanswered"] .ev[data-line="5"]').click();
    // the worst card from its head down, under the pane's sticky head
    await page.evaluate(() => {
      const pane = document.querySelector<HTMLElement>(".results-pane") as HTMLElement;
      const head = document.querySelector<HTMLElement>(".results-head") as HTMLElement;
      const card = document.querySelector<HTMLElement>(".card.sev-error") as HTMLElement;
      pane.scrollTop += card.getBoundingClientRect().top - pane.getBoundingClientRect().top - head.offsetHeight - 10;
    });
    const docs = join(repoRoot, "docs", "web.png");
    const light = join(shots, "web-light.png");
    await page.screenshot({ path: light });
    if (!existsSync(docs) || process.env["UPDATE_SCREENSHOTS"] === "1") {
      mkdirSync(join(repoRoot, "docs"), { recursive: true });
      copyFileSync(light, docs);
    }
    await page.emulateMedia({ colorScheme: "dark" });
    const dark = join(shots, "web-dark.png");
    await page.screenshot({ path: dark });
    // dark mode really is dark: the page background follows the scheme
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe("rgb(13, 17, 23)");
    await page.emulateMedia({ colorScheme: "light" });
    expect(statSync(light).size).toBeGreaterThan(10_000);
    console.log(`web page screenshots: ${light}, ${dark}`);
  });

  test("hostile text (an <img onerror> interface name) is shown as text, never as markup", async () => {
    const hostile = SEED.replace("interfaces=[any]", "interfaces=[<img src=x onerror=window.__pwned=1>]")
      .replace("port1 out 82.x.x.x.59730 -> 82.71.226.65", "<img src=x onerror=window.__pwned=2> out 82.x.x.x.59730 -> 82.71.226.65")
      .replace("port1 in 208.91", "<img/src=x/onerror=window.__pwned=3> in 208.91");
    await paste(hostile);
    expect(await page.locator("img").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    const text = await page.locator("#report").textContent();
    expect(text).toContain("<img src=x onerror=window.__pwned=1>");
    expect(text).toContain("<img src=x onerror=window.__pwned=2> out 82.x.x.x.59730");
    // the same verdicts as the CLI
    const dir = join(work, "hostile");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "pasted"), hostile);
    const report = JSON.parse(cli(["analyze", "pasted", "--format", "json", "--fail-on", "never"], dir).stdout) as Report;
    expect(await shownVerdicts()).toEqual(expected(report.verdicts));
  });

  test("a capture with hex dumps downloads as pcapng, the bytes the exporter writes", async () => {
    const text = readFileSync(join(samplesDir, HEX_SAMPLE), "utf8");
    await paste(text);
    expect(await page.isEnabled("#dl-pcapng")).toBe(true);
    const file = await downloadOf("dl-pcapng");
    expect(file.name).toBe("pasted.pcapng");
    // absolute stamps: the bytes do not depend on the start time
    const want = exportRecords(parseCapture(text, { source: "pasted" }).records, { format: "pcapng", start: 0, application: `sniffdiag ${VERSION}` });
    expect(file.bytes.readUInt32LE(0)).toBe(0x0a0d0d0a);
    expect(Buffer.from(file.bytes).equals(Buffer.from(want.bytes))).toBe(true);
    expect(await page.locator("#status").textContent()).toMatch(/pcapng written: \d+ packets/);
  });

  test("files: opened (one gzipped) and dropped, one tab per input, verdicts per input as the CLI's", async () => {
    const dir = join(work, "files");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "seed.txt.gz"), gzipSync(SEED));
    copyFileSync(join(samplesDir, HEX_SAMPLE), join(dir, HEX_SAMPLE));
    const report = JSON.parse(cli(["analyze", "--jobs", "1", "seed.txt.gz", HEX_SAMPLE, "--format", "json", "--fail-on", "never"], dir).stdout) as Report;

    let before = await page.evaluate(() => Number(document.getElementById("results")?.dataset["analysis"] ?? 0));
    await page.setInputFiles("#file", [join(dir, "seed.txt.gz"), join(dir, HEX_SAMPLE)]);
    await analysed(before);
    expect(await page.locator("[role=tab]").allTextContents()).toEqual(["seed.txt.gz", HEX_SAMPLE]);
    for (const source of ["seed.txt.gz", HEX_SAMPLE]) {
      expect(await shownVerdicts(source)).toEqual(expected(report.verdicts.filter((v) => v.source === source)));
    }
    // the downloaded markdown is the CLI's for both files at once
    expect((await downloadOf("dl-md")).bytes.toString("utf8")).toBe(cli(["analyze", "--jobs", "1", "seed.txt.gz", HEX_SAMPLE, "--format", "markdown"], dir).stdout);
    // and so is the JSON report: the worker read the opened files themselves (gzip inflated), as the CLI does
    expect((await downloadOf("dl-json")).bytes.toString("utf8")).toBe(cli(["analyze", "--jobs", "1", "seed.txt.gz", HEX_SAMPLE, "--format", "json"], dir).stdout);
    // evidence of the second input switches to its tab
    const second = report.verdicts.find((v) => v.source === HEX_SAMPLE && v.evidence.length > 0);
    if (second !== undefined) {
      await page.locator(`.ev[data-source="${HEX_SAMPLE}"]`).first().click();
      expect(await page.locator("[role=tab][aria-selected=true]").textContent()).toBe(HEX_SAMPLE);
      expect(await page.locator("[data-testid=line-highlight]").getAttribute("data-line")).toBe(String(second.evidence[0]?.line));
    }

    // drag and drop: a gzip file and a plain one dropped on the page
    before = await page.evaluate(() => Number(document.getElementById("results")?.dataset["analysis"] ?? 0));
    const gz = [...gzipSync(SEED)];
    await page.evaluate(
      ({ gz, plain }) => {
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(gz)], "dropped.log.gz", { type: "application/gzip" }));
        data.items.add(new File([plain], "second.txt", { type: "text/plain" }));
        const target = document.querySelector("#text") as HTMLElement;
        target.dispatchEvent(new DragEvent("dragenter", { dataTransfer: data, bubbles: true, cancelable: true }));
        target.dispatchEvent(new DragEvent("dragover", { dataTransfer: data, bubbles: true, cancelable: true }));
        target.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
      },
      { gz, plain: SEED },
    );
    await analysed(before);
    expect(await page.locator("[role=tab]").allTextContents()).toEqual(["dropped.log.gz", "second.txt"]);
    expect((await shownVerdicts("dropped.log.gz")).map((v) => v.code)).toEqual(["unanswered", "answered"]);
    expect(await page.locator("#drop").isHidden()).toBe(true);
    await page.click("#clear");
    await page.waitForFunction(() => document.getElementById("status")?.dataset["state"] === "idle");
    expect(await page.locator("[role=tab]").count()).toBe(0);
  });

  test("a big input is analysed in the worker and shown read-only; evidence still finds its line", async () => {
    // the seed many times over: ~700 KB, past both the worker and the read-only thresholds
    const big = Array.from({ length: 600 }, () => SEED).join("\n");
    await paste(big);
    expect(await page.locator("#status").getAttribute("data-where")).toBe("worker");
    expect(await page.locator(".viewer").isVisible()).toBe(true);
    const dir = join(work, "big");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "pasted"), big);
    const report = JSON.parse(cli(["analyze", "pasted", "--format", "json", "--fail-on", "never"], dir).stdout) as Report;
    expect(await shownVerdicts()).toEqual(expected(report.verdicts));
    const last = report.verdicts.flatMap((v) => v.evidence).reduce((a, e) => Math.max(a, e.line), 0);
    await page.locator(`.ev[data-line="${last}"]`).first().click();
    const band = page.locator("[data-testid=line-highlight]");
    expect(await band.getAttribute("data-line")).toBe(String(last));
    // the viewer draws the highlighted line where the band is
    const row = await page.evaluate((line) => {
      const rows = document.querySelector(".viewer-rows") as HTMLElement;
      const gutter = document.querySelector(".gutter-mark") as HTMLElement;
      return { mark: gutter.textContent, hasText: (rows.textContent ?? "").length > 0, line };
    }, last);
    expect(row).toEqual({ mark: String(last), hasText: true, line: last });
    // the page kept answering: a paste of something small replaces it at once
    await paste(SEED);
    expect(await page.locator("#text").isVisible()).toBe(true);
    expect((await shownVerdicts()).map((v) => v.code)).toEqual(["unanswered", "answered"]);
  });

  testCorpus("every corpus capture pasted shows the verdicts of sniffdiag analyze on that file", async () => {
    const files = corpusFiles();
    expect(files.length).toBeGreaterThan(10);
    const r = cli(["analyze", "--jobs", "1", "--format", "json", "--fail-on", "never", ...files], corpusDir);
    expect(r.stderr).not.toMatch(/internal error/);
    const report = JSON.parse(r.stdout) as Report;
    const mismatches: string[] = [];
    for (const name of files) {
      const text = readFileSync(join(corpusDir, name), "utf8");
      await paste(text);
      const want = expected(report.verdicts.filter((v) => v.source === name));
      const got = await shownVerdicts();
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${name}:\n  page ${JSON.stringify(got)}\n  cli  ${JSON.stringify(want)}`);
      const input = report.inputs.find((i) => i.source === name);
      if (input?.error !== undefined) expect(await page.locator("[data-testid=input-problem]").textContent()).toContain(input.error);
    }
    expect(mismatches).toEqual([]);
  }, 180_000);

  test("the page made no network request and logged no error", () => {
    expect(offPage).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
