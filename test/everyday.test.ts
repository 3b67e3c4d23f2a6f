/**
 * Everyday use: pasting (twice, inside ticket prose), batches of files, and the markdown report.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { analyze } from "../src/analyze.js";
import { builtinAnalyzeOptions } from "../src/services.js";
import { renderMarkdown } from "../src/render/markdown.js";
import type { Report } from "../src/report.js";
import { runCli, ensureBuilt } from "./helpers/cli.js";
import { readSample, repoRoot } from "./helpers/corpus.js";
import { haveScript, SCRIPT_NEEDED, testIfPresent } from "./helpers/require.js";

/** The unprivileged user (uid and gid 65534 on Debian). */
const NOBODY = 65534;

const options = builtinAnalyzeOptions();
const seed = readSample("seed_fortimail_kb192524.txt").toString("utf8");
const verdictKeys = (r: Report) => r.verdicts.map((v) => `${v.code}|${v.proto}/${v.port}|${v.title}|${v.evidence.map((e) => e.text).join("/")}`);

describe("paste", () => {
  const once = analyze(seed, options);

  test("the same capture pasted twice gives the verdicts once", () => {
    const twice = analyze(seed + "\n" + seed, options);
    expect(verdictKeys(twice)).toEqual(verdictKeys(once));
    expect(twice.inputs[0]?.captures.map((c) => c.duplicateOf ?? null)).toEqual([null, null, 0, 1]);
  });

  test("packet lines pasted twice without the command in between are one capture judged once", () => {
    const lines = seed.split("\n");
    const firstRun = lines.slice(1, 8).join("\n");
    const packetsAgain = lines.slice(4, 7).join("\n");
    const r = analyze(`${firstRun}\n${packetsAgain}\n`, options);
    expect(r.verdicts.map((v) => v.code)).toEqual(["unanswered"]);
    expect(r.services[0]).toMatchObject({ port: 8889, requests: 3 });
  });

  test("a capture wrapped in ticket prose gives the same verdicts", () => {
    const ticket = `Hello support,\n\nFortiMail cannot reach FortiGuard since Monday. Output below:\n\n${seed}\nRegards,\nJane (NOC)\n`;
    expect(verdictKeys(analyze(ticket, options)).map((k) => k.split("|").slice(0, 3).join("|"))).toEqual(verdictKeys(once).map((k) => k.split("|").slice(0, 3).join("|")));
  });

  testIfPresent(haveScript, SCRIPT_NEEDED)("on a terminal (a pty from script(1)): the paste hint, then wrapped verdicts", () => {
    ensureBuilt();
    const cli = join(repoRoot, "dist/cli.mjs");
    const r = spawnSync("sh", ["-c", `(sleep 0.5; cat; sleep 0.5; printf '\\004') | script -qec "node ${cli} --fail-on never --no-color" /dev/null`], {
      input: seed,
      encoding: "utf8",
      timeout: 30000,
    });
    expect(r.stdout).toContain("Paste the sniffer output, then press Ctrl-D");
    const explanation = r.stdout.split("\n").find((l) => l.trim().startsWith("3 requests from 82.x.x.x"));
    expect(explanation?.length ?? 0).toBeGreaterThan(60);
  });

  test("the terminal hint is printed only for a terminal; piped standard input is read silently", () => {
    const r = runCli([], { input: seed });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("UDP/8889");
  });
});

describe("markdown report", () => {
  const report = analyze(seed, { ...options, source: "seed_fortimail_kb192524.txt" });
  const md = renderMarkdown({ ...report, generator: { name: "sniffdiag", version: "0.0.0-golden" } });

  test("matches the reviewed golden file", () => {
    const golden = join(repoRoot, "test/golden/seed.md");
    if (process.env["UPDATE_GOLDEN"] === "1" || !existsSync(golden)) {
      if (process.env["UPDATE_GOLDEN"] !== "1") throw new Error("test/golden/seed.md is missing: run with UPDATE_GOLDEN=1 and review it");
      writeFileSync(golden, md);
    }
    expect(md).toBe(readFileSync(golden, "utf8"));
  });

  test("tells what is wrong, what proves it and what to do", () => {
    expect(md).toMatch(/ERROR: UDP\/8889 \(FortiGuard antispam rating\): 3 requests to 3 servers, 0 replies/);
    expect(md).toContain("    5: 2010-10-27 12:40:19.050364 port1 out 82.x.x.x.59730 -> 82.71.226.65.8889: udp 64");
    expect(md).toContain("set port 53");
    expect(md).toContain("| 1 | `diagnose sniffer  packet any 'port 8889 or port 8888 or port 53' 4 0 a` | any |");
  });

  test("every Mermaid line is well formed", () => {
    const blocks = [...md.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1] as string);
    expect(blocks.length).toBe(1);
    const text = "[^;#\\n]*(?:#(?:\\d+|lt|gt);[^;#\\n]*)*";
    const shapes = [
      /^sequenceDiagram$/,
      new RegExp(`^ {4}participant P\\d+ as ${text}$`),
      new RegExp(`^ {4}P\\d+(?:->>|-->>|--x)P\\d+: ${text}$`),
      new RegExp(`^ {4}Note over P\\d+(?:,P\\d+)?: ${text}$`),
    ];
    for (const block of blocks) {
      const lines = block.split("\n");
      expect(lines[0]).toBe("sequenceDiagram");
      for (const line of lines) expect({ line, ok: shapes.some((re) => re.test(line)) }).toEqual({ line, ok: true });
      // each request has its missing-reply note; participants are declared before use
      expect(lines.filter((l) => l.includes("->>")).length).toBe(3);
      expect(lines.filter((l) => l.includes("Note over")).length).toBe(3);
      const declared = new Set(lines.filter((l) => l.includes("participant")).map((l) => l.trim().split(" ")[1]));
      for (const l of lines.filter((x) => /P\d+(->>|-->>|--x)/.test(x))) {
        for (const id of l.match(/P\d+/g) ?? []) expect(declared.has(id)).toBe(true);
      }
    }
  });

  test("input text is escaped (an interface named like markup)", () => {
    const evil = seed.replaceAll("port1", "<b>x</b>|*y*");
    const out = renderMarkdown(analyze(evil, options));
    // inside fenced blocks the text is shown as written; everywhere else it is escaped
    const prose = out.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, "");
    expect(prose).not.toMatch(/<b>/);
    expect(out).toContain("    5: 2010-10-27 12:40:19.050364 <b>x</b>|*y* out");
    expect(out).toContain("&lt;b&gt;x&lt;/b&gt;\\|\\*y\\*");
  });
});

describe("batch", () => {
  function folder(): string {
    const dir = mkdtempSync(join(tmpdir(), "sniffdiag-batch-"));
    writeFileSync(join(dir, "good.txt"), seed);
    writeFileSync(join(dir, "empty.txt"), "");
    writeFileSync(join(dir, "zipped.txt.gz"), gzipSync(Buffer.from(seed.replace(/8889/g, "8888"))));
    writeFileSync(join(dir, "broken.txt.gz"), Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from("not gzip at all")]));
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "answered.txt"), seed.split("\n").slice(9).join("\n"));
    return dir;
  }

  test("a folder with good, empty, gzipped and unreadable files: exit 2, and the others' summary only with --keep-going", () => {
    const dir = folder();
    const quiet = runCli([dir, "--jobs", "2"]);
    expect(quiet.status).toBe(2);
    expect(quiet.stdout).toBe("");
    expect(quiet.stderr).toContain(`${join(dir, "broken.txt.gz")}: cannot read: corrupt gzip data`);
    const r = runCli([dir, "--jobs", "2", "--keep-going"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${join(dir, "empty.txt")}: no sniffer output found`);
    expect(r.stderr).toContain(`${join(dir, "broken.txt.gz")}: cannot read: corrupt gzip data`);
    const rows = r.stdout.split("\n").filter((l) => l.startsWith("│ ") && !l.startsWith("│ input"));
    const names = rows.map((l) => l.split("│")[1]?.trim()).filter((n) => n !== "");
    expect(names).toEqual([join(dir, "broken.txt.gz"), join(dir, "empty.txt"), join(dir, "good.txt"), join(dir, "zipped.txt.gz"), join(dir, "sub/answered.txt")]);
    // inputs counted as inputs, verdicts as verdicts (the summary may wrap)
    expect(r.stdout.replace(/\n/g, " ")).toMatch(/5 inputs: 2 with errors, 0 with warnings, 1 clean, 2 not analysed \(verdicts: 2 errors, 0 warnings, 0 info, 3 ok\)/);
    expect(r.stdout.includes("\u001b[")).toBe(false);
  });

  test("JSON for a batch is one report with all inputs", () => {
    const dir = folder();
    const r = runCli([dir, "--format", "json", "--keep-going"]);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.inputs.map((i) => i.error ?? "ok").sort()).toEqual(["cannot read: corrupt gzip data", "no sniffer output found", "ok", "ok", "ok"]);
    expect(report.verdicts.filter((v) => v.code === "unanswered").map((v) => v.port).sort()).toEqual([8888, 8889]);
  });

  test("without a terminal there is no progress bar; with one (forced) it is drawn on stderr", () => {
    const dir = folder();
    const quiet = runCli([dir, "--fail-on", "never"]);
    expect(quiet.stderr).not.toMatch(/analysing \|/);
    const forced = runCli([dir, "--progress", "--fail-on", "never"]);
    expect(forced.stderr).toMatch(/analysing/);
  });

  test("500 captures are analysed in parallel with a correct summary", () => {
    ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), "sniffdiag-500-"));
    for (let i = 0; i < 500; i++) {
      const text = i % 5 === 0 ? seed : seed.split("\n").slice(9).join("\n");
      writeFileSync(join(dir, `ticket-${String(i).padStart(3, "0")}.txt`), text);
    }
    const r = spawnSync(process.execPath, [join(repoRoot, "dist/cli.mjs"), dir, "--jobs", "2", "--format", "json"], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.inputs).toHaveLength(500);
    expect(report.summary).toEqual({ errors: 100, warnings: 0, infos: 0, oks: 500 });
  });

  test("an unreadable file (no permission) is reported and does not stop the batch", () => {
    const dir = folder();
    chmodSync(join(dir, "good.txt"), 0o000);
    // root reads any file: then the CLI runs as the user nobody, who may enter the folder
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chmodSync(dir, 0o755);
    const r = runCli([dir], asRoot ? { uid: NOBODY, gid: NOBODY } : {});
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("permission denied");
  });
});
