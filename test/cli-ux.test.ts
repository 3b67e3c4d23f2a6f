/**
 * The CLI behaves like the tools people know: mistyped commands and options get a suggestion and
 * exit 2 without analysing anything; NO_COLOR wins over --color; other tools' output is named.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closest, editDistance, mistypedCommand, suggestOption } from "../src/cli/suggest.js";
import { recognizeForeignOutput } from "../src/input/foreign.js";
import { ensureBuilt, runCli } from "./helpers/cli.js";
import { repoRoot } from "./helpers/corpus.js";

import { wrap, fitWidths } from "../src/render/fit.js";
import { duplicatesSentence } from "../src/format/time.js";
import { codeSpan, renderMarkdown } from "../src/render/markdown.js";
import { analyze } from "../src/analyze.js";
import { builtinAnalyzeOptions } from "../src/services.js";
import stringWidth from "string-width";

const seed = "samples/seed_fortimail_kb192524.txt";

describe("mistyped commands and options", () => {
  test.each([
    ["analyse", "analyze"],
    ["flow", "flows"],
    ["anlyze", "analyze"],
    ["exprot", "export"],
    ["servics", "services"],
  ])("'%s x.txt' → unknown command, did you mean '%s', exit 2, nothing analysed", (typed, meant) => {
    const r = runCli([typed, "x.txt"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`unknown command '${typed}' — did you mean '${meant}'?`);
    expect(r.stderr).not.toMatch(/cannot read/);
  });

  test("a bare word that is no file is an unknown command; paths, -, globs and existing files stay inputs", () => {
    expect(mistypedCommand(["frobnicate"], () => false)).toMatch(/^unknown command 'frobnicate' \(commands: /);
    expect(mistypedCommand(["missing.txt"], () => false)).toBeNull();
    expect(mistypedCommand(["-"], () => false)).toBeNull();
    expect(mistypedCommand(["tickets/*.txt"], () => false)).toBeNull();
    expect(mistypedCommand(["analyse"], (p) => p === "analyse")).toBeNull();
    expect(mistypedCommand(["--format", "json", "analyse", "x"], () => false)).toMatch(/did you mean 'analyze'/);
    expect(mistypedCommand(["-o", "flow", "x.txt"], () => false)).toBeNull();
    const missing = runCli(["missing.txt"]);
    expect([missing.status, missing.stderr.trim()]).toEqual([2, "missing.txt: cannot read: no such file or directory"]);
  });

  test("--versoin suggests --version; --formt suggests --format", () => {
    const r = runCli(["--versoin"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown option --versoin (did you mean --version?)");
    expect(suggestOption("Unknown argument: formt")).toBe("unknown option --formt (did you mean --format?)");
    expect(suggestOption("Unknown arguments: zzzzzz")).toBe("unknown option --zzzzzz");
  });

  test("edit distance counts a transposition as one edit", () => {
    expect(editDistance("versoin", "version")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(closest("xyz", ["analyze", "flows"])).toBeNull();
  });
});

describe("colour", () => {
  test("NO_COLOR wins over --color (on a terminal, through script(1))", () => {
    const which = spawnSync("sh", ["-c", "command -v script"], { encoding: "utf8" });
    expect(which.status).toBe(0);
    ensureBuilt();
    const cli = join(repoRoot, "dist/cli.mjs");
    const run = (env: string) =>
      spawnSync("sh", ["-c", `script -qec "env ${env} node ${cli} ${seed} --color --fail-on never" /dev/null`], { cwd: repoRoot, encoding: "utf8", timeout: 30000, input: "" });
    const coloured = run("-u NO_COLOR");
    expect(coloured.stdout).toContain("\x1b[");
    const plain = run("NO_COLOR=1");
    expect(plain.stdout).toContain("UDP/8889");
    expect(plain.stdout).not.toContain("\x1b[");
  });
});

describe("other tools' output is named", () => {
  const tcpdump = [
    "tcpdump: verbose output suppressed, use -v or -vv for full protocol decode",
    "listening on eth0, link-type EN10MB (Ethernet), capture size 262144 bytes",
    "12:34:56.789012 IP 10.0.0.1.1812 > 10.0.0.2.51234: RADIUS, Access-Accept (2), id: 0x01 length: 20",
    "2 packets captured",
  ].join("\n");

  test("tcpdump text (FortiAuthenticator) → named, with text2pcap; exit 2", () => {
    expect(recognizeForeignOutput(tcpdump)?.what).toMatch(/^tcpdump output/);
    expect(recognizeForeignOutput("2024-01-02 10:00:00.123456 IP6 fe80::1 > ff02::1: ICMP6, router advertisement")).not.toBeNull();
    expect(recognizeForeignOutput("hello\nworld")).toBeNull();
    const dir = mkdtempSync(join(tmpdir(), "sniffdiag-foreign-"));
    writeFileSync(join(dir, "fac.txt"), tcpdump);
    const r = runCli([join(dir, "fac.txt")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("no sniffer output found: this is tcpdump output");
    expect(r.stderr).toContain("text2pcap");
  });

  test("a pcap file is named as one", () => {
    const dir = mkdtempSync(join(tmpdir(), "sniffdiag-foreign-"));
    writeFileSync(join(dir, "x.pcap"), Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0]));
    const r = runCli([join(dir, "x.pcap")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/this is a pcap file; open it in Wireshark/);
  });
});

// ---- items 8–13 -----------------------------------------------------------------------------------


const seedText = readFileSync(join(repoRoot, seed), "utf8");
const widest = (text: string) => Math.max(...text.split("\n").map((l) => stringWidth(l)));

describe("tables and prose fit the terminal", () => {
  test("wrap never splits a number from its unit or a code span; long paths break", () => {
    const lines = wrap("reply times 1.68 ms–1.82 ms (median 1.75 ms) after `execute traceroute <address>` was run 3 times", 20, 2);
    for (const l of lines) expect(stringWidth(l)).toBeLessThanOrEqual(34); // a code span may overflow, never split
    const joined = lines.map((l) => l.trim()).join("\n");
    expect(joined).not.toMatch(/1\.75\nms/);
    expect(joined).toContain("`execute traceroute <address>`");
    expect(wrap("a".repeat(50), 20, 0).every((l) => l.length <= 20)).toBe(true);
  });

  test("column widths shrink to the width, wide (CJK) characters counted twice", () => {
    const head = ["input", "headline"];
    const rows = [["tickets/2024/very-long-file-name-of-a-capture.txt", "unanswered: UDP/1812 (RADIUS 认证): 4 requests to 1 server, 0 replies"]];
    const widths = fitWidths(head, rows, 50);
    expect(widths.reduce((a, b) => a + b, 0) + 3).toBeLessThanOrEqual(50);
  });

  test.each([60, 80, 132])("COLUMNS=%i: the batch table, verdict lines and the services table fit", (cols) => {
    const dir = mkdtempSync(join(tmpdir(), "sniffdiag-fit-"));
    writeFileSync(join(dir, "a-rather-long-capture-file-name-for-ticket-4711.txt"), seedText);
    writeFileSync(join(dir, "b.txt"), readFileSync(join(repoRoot, "samples/v4_any_radius_unanswered_retries.txt")));
    const batch = runCli([dir, "--fail-on", "never"], { env: { COLUMNS: String(cols) } });
    expect(batch.status).toBe(0);
    expect(widest(batch.stdout)).toBeLessThanOrEqual(cols);
    const one = runCli([seed, "--fail-on", "never"], { env: { COLUMNS: String(cols) } });
    // evidence lines are quoted whole but continue on the next line; remedy commands are printed as they are typed
    const commands = new Set(["config system fortiguard antispam"]);
    expect(widest(one.stdout.split("\n").filter((l) => !commands.has(l.trim())).join("\n"))).toBeLessThanOrEqual(cols);
  });

  test("on a 72-column terminal (a pty from script(1)) the report fits", () => {
    ensureBuilt();
    const cli = join(repoRoot, "dist/cli.mjs");
    const r = spawnSync("sh", ["-c", `script -qec "stty cols 72; env -u COLUMNS node ${cli} ${seed} --fail-on never --no-color" /dev/null`], { cwd: repoRoot, encoding: "utf8", timeout: 30000, input: "" });
    expect(r.stdout).toContain("UDP/8889");
    const lines = r.stdout.replace(/\r/g, "").split("\n");
    expect(Math.max(...lines.map((l) => stringWidth(l)))).toBeLessThanOrEqual(72);
    expect(lines.filter((l) => l.includes("┌")).every((l) => stringWidth(l) <= 72)).toBe(true);
  });
});

describe("--label, --quiet, --min-severity, jsonl, text, help, flows --fail-on", () => {
  test("--label names standard input; without standard input it is a usage error", () => {
    const r = runCli(["-", "--label", "ticket-4711", "--format", "json"], { input: seedText });
    expect(r.status).toBe(1);
    expect((JSON.parse(r.stdout) as { inputs: { source: string }[] }).inputs[0]?.source).toBe("ticket-4711");
    const md = runCli(["-", "--label", "ticket-4711", "--format", "markdown"], { input: seedText });
    expect(md.stdout).toContain("## `ticket-4711`");
    const bad = runCli([seed, "--label", "x"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--label names standard input/);
  });

  test("--quiet hides ok and info verdicts; --min-severity error hides warnings too; the exit status is unchanged", () => {
    const all = runCli([seed, "--format", "jsonl"]);
    const quiet = runCli([seed, "--format", "jsonl", "--quiet"]);
    const codes = (t: string) => t.trim().split("\n").map((l) => (JSON.parse(l) as { code: string; severity: string }).severity);
    expect(codes(all.stdout)).toEqual(["error", "ok"]);
    expect(codes(quiet.stdout)).toEqual(["error"]);
    expect(quiet.status).toBe(all.status);
    const table = runCli([seed, "-q"]);
    expect(table.stdout).not.toContain("OK       UDP/53");
    expect(table.stdout).toContain("1 error, 0 warnings, 0 info, 1 ok");
    const radius = runCli(["samples/v4_any_radius_unanswered_retries.txt", "--min-severity", "error", "--format", "json"]);
    expect((JSON.parse(radius.stdout) as { verdicts: { severity: string }[] }).verdicts.every((v) => v.severity === "error")).toBe(true);
  });

  test("--format jsonl: one verdict object per line; --format text: no box drawing, no colour", () => {
    const jsonl = runCli([seed, "--format", "jsonl"]);
    const lines = jsonl.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(JSON.parse(l)).toMatchObject({ source: seed });
    const text = runCli([seed, "--format", "text", "--color"], { env: { NO_COLOR: "" } });
    expect(text.stdout).toContain("UDP/8889");
    expect(text.stdout).not.toMatch(/[┌┐└┘│─├┤┬┴┼]/);
    expect(text.stdout).not.toContain("\u001b");
    expect(text.stdout).toMatch(/^capture +service +status/m);
  });

  test.each(["analyze", "flows", "parse", "export", "mask", "services", "schema", "web", "live"])("%s --help has examples and the exit statuses", (cmd) => {
    const r = runCli([cmd, "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Examples:");
    expect(r.stdout).toMatch(/Exit status: 0 /);
  });

  test("flows honours --fail-on (default never)", () => {
    expect(runCli(["flows", seed]).status).toBe(0);
    expect(runCli(["flows", seed, "--fail-on", "error"]).status).toBe(1);
    expect(runCli(["flows", "samples/v3_wan1_icmp_echo_tabexpanded.txt", "--fail-on", "warning"]).status).toBe(0);
  });
});

describe("one numbering, duplicates, batch wording, verbatim evidence, markdown code", () => {
  test("captures are 1-based in every human-facing output; JSON keeps 0-based", () => {
    expect(runCli(["parse", seed, "--format", "table"]).stdout).toMatch(/: capture 1: diagnose/);
    expect(runCli(["parse", seed, "--format", "table"]).stdout).not.toMatch(/: capture 0\b/);
    expect(runCli([seed]).stdout).toContain("(capture 1)");
    expect(runCli([seed, "--format", "markdown"]).stdout).toContain("(capture 1)");
    expect((JSON.parse(runCli([seed, "--format", "json"]).stdout) as { verdicts: { capture: number }[] }).verdicts[0]?.capture).toBe(0);
  });

  test("a capture pasted again is judged once and said in one line, however many times", () => {
    const thrice = `${seedText}\n${seedText}\n${seedText}\n`;
    const table = runCli(["-", "--fail-on", "never"], { input: thrice });
    expect(table.stdout.match(/repeat/g)).toHaveLength(1);
    expect(table.stdout).toContain("4 captures repeat earlier ones (pasted again) and are judged once: 3 = 1, 4 = 2, 5 = 1, 6 = 2.");
    const md = renderMarkdown(analyze(thrice, builtinAnalyzeOptions()));
    expect(md.match(/repeat/g)).toHaveLength(1);
    const many = Array.from({ length: 40000 }, (_, i) => ({ index: i + 2, duplicateOf: i % 2 }));
    const sentence = duplicatesSentence(many) ?? "";
    expect(sentence.length).toBeLessThan(200);
    expect(sentence).toMatch(/^40000 captures repeat .* and 39994 more\.$/);
    expect(duplicatesSentence([{ index: 0 }, { index: 1, duplicateOf: 0 }])).toBe("Capture 2 repeats capture 1 (pasted twice) and is judged once.");
  });

  test("batch summary: inputs counted as inputs, verdicts as verdicts; a non-capture file is named", () => {
    const dir = mkdtempSync(join(tmpdir(), "sniffdiag-batch-"));
    writeFileSync(join(dir, "a.txt"), seedText);
    writeFileSync(join(dir, "b.txt"), readFileSync(join(repoRoot, "samples/v3_wan1_icmp_echo_tabexpanded.txt")));
    writeFileSync(join(dir, "notes.md"), "# ticket notes\nthe customer says it worked yesterday\n");
    const r = runCli([dir, "--fail-on", "never"]);
    expect(r.stdout.replace(/\n/g, " ")).toMatch(/3 inputs: 1 with errors, 0 with warnings, 1 clean, 1 not analysed \(verdicts: 1 error, 0 warnings, \d+ info, \d+ ok\)/);
    expect(r.stderr).toMatch(/notes\.md: no sniffer output found/);
  });

  test("evidence is quoted verbatim (placeholders, comments) from files, standard input and the masked text", () => {
    const text = [
      "diagnose sniffer packet any 'host <NAS-IP> and udp port 1813' 4",
      "interfaces=[any]",
      "filters=[host <NAS-IP> and udp port 1813]",
      "2.634108 <NAS-IP>.XXXXX -> <FortiGate-IP>.1813: udp 92",
      "5.634108 <NAS-IP>.XXXXX -> <FortiGate-IP>.1813: udp 92   // retried",
      "",
    ].join("\n");
    const dir = mkdtempSync(join(tmpdir(), "sniffdiag-verbatim-"));
    writeFileSync(join(dir, "nas.txt"), text);
    for (const r of [runCli([join(dir, "nas.txt"), "--format", "json"]), runCli(["-", "--format", "json"], { input: text })]) {
      const evidence = (JSON.parse(r.stdout) as { verdicts: { evidence: { line: number; text: string }[] }[] }).verdicts.flatMap((v) => v.evidence);
      expect(evidence.find((e) => e.line === 4)?.text).toBe("2.634108 <NAS-IP>.XXXXX -> <FortiGate-IP>.1813: udp 92");
      expect(evidence.find((e) => e.line === 5)?.text).toBe("5.634108 <NAS-IP>.XXXXX -> <FortiGate-IP>.1813: udp 92   // retried");
    }
  });

  test("markdown code spans show backticks verbatim; headings show the path as given", () => {
    expect(codeSpan("diag snif pack any 'port `53`' 4")).toBe("``diag snif pack any 'port `53`' 4``");
    expect(codeSpan("`x`")).toBe("`` `x` ``");
    expect(codeSpan("a|b", true)).toBe("`a\\|b`");
    const md = runCli(["samples/seed_fortimail_kb192524.txt", "--format", "markdown"]).stdout;
    expect(md).toContain("## `samples/seed_fortimail_kb192524.txt`");
    expect(md).not.toContain("seed\\_fortimail");
  });
});

describe("--unit-address", () => {
  test("names the unit's own address: an unanswered SNMP poll to it is local-in, not an upstream problem", () => {
    const sample = "samples/v1_port1_snmp_to_unit_address_given.txt";
    const without = runCli([sample, "--format", "json", "--fail-on", "never"]);
    expect(without.status).toBe(0);
    expect(JSON.parse(without.stdout).verdicts.map((v: { code: string }) => v.code)).toEqual(["unanswered"]);
    const given = runCli([sample, "--unit-address", "10.5.5.1", "--format", "json", "--fail-on", "never"]);
    expect(given.status).toBe(0);
    const v = JSON.parse(given.stdout).verdicts;
    expect(v.map((x: { code: string }) => x.code)).toEqual(["local-in-unanswered"]);
    expect(v[0].args.addresses).toEqual([expect.objectContaining({ address: "10.5.5.1", evidence: "given" })]);
  });

  test("a value that is not an address is a usage error (exit 2, a message, no report, no stack)", () => {
    const r = runCli(["samples/v1_port1_snmp_to_unit_address_given.txt", "--unit-address", "10.5.5"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")[0]).toMatch(/--unit-address .*'10\.5\.5'/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});

describe("-o with an extension the command does not write", () => {
  test("analyze -o out.csv is refused (exit 2) naming the endings that fit; nothing is written", () => {
    const dir = mkdtempSync(join(tmpdir(), "sniffdiag-ext-"));
    const out = join(dir, "out.csv");
    const r = runCli([seed, "-o", out]);
    expect(r.status).toBe(2);
    expect(r.stderr.split("\n")[0]).toContain("does not write csv");
    expect(r.stderr).toContain(".md");
    expect(() => readFileSync(out)).toThrow();
  });

  test("flows -o f.csv writes CSV; an unknown ending falls back to the default format", () => {
    const dir = mkdtempSync(join(tmpdir(), "sniffdiag-ext-"));
    expect(runCli(["flows", seed, "-o", join(dir, "f.csv")]).status).toBe(0);
    expect(readFileSync(join(dir, "f.csv"), "utf8").split("\n")[0]).toContain(",");
    expect(runCli([seed, "-o", join(dir, "report.out"), "--fail-on", "never"]).status).toBe(0);
  });
});
