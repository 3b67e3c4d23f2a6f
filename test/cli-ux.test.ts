/**
 * The CLI behaves like the tools people know: mistyped commands and options get a suggestion and
 * exit 2 without analysing anything; NO_COLOR wins over --color; other tools' output is named.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closest, editDistance, mistypedCommand, suggestOption } from "../src/cli/suggest.js";
import { recognizeForeignOutput } from "../src/input/foreign.js";
import { ensureBuilt, runCli } from "./helpers/cli.js";
import { repoRoot } from "./helpers/corpus.js";

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
