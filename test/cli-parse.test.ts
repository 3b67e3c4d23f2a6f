/** `sniffdiag parse` as a user runs it: output, exit statuses, and bad input. */
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { runCli } from "./helpers/cli.js";
import { samplesDir } from "./helpers/corpus.js";

const seed = samplesDir + "seed_fortimail_kb192524.txt";
const SEED_LINE = "2010-10-27 12:40:19.050364 port1 out 82.x.x.x.59730 -> 82.71.226.65.8889: udp 64\n";

function tmp(): string {
  return mkdtempSync(join(tmpdir(), "sniffdiag-"));
}

function noStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toMatch(/Error:/);
}

describe("sniffdiag parse", () => {
  test("jsonl: capture, packets and a summary whose classes add up to the lines", () => {
    const r = runCli(["parse", seed]);
    expect(r.status).toBe(0);
    const records = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(records.map((x) => x.type)).toEqual(["capture", "packet", "packet", "packet", "capture", "packet", "packet", "summary"]);
    const summary = records.at(-1);
    expect(Object.values(summary.classes as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(summary.lines);
    expect(records[1]).toMatchObject({ source: seed, line: 5, dport: 8889, dir: "out", ts: 1288183219.050364 });
  });

  test("table format lists one row per packet with its line", () => {
    const r = runCli(["parse", "--format", "table", seed]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\s+5 2010-10-27 12:40:19\.050364 port1\s+out\s+udp\s+82\.x\.x\.x:59730 > 82\.71\.226\.65:8889\s+udp 64$/m);
  });

  test("standard input with -, and gzip read transparently", () => {
    const dir = tmp();
    writeFileSync(join(dir, "c.txt.gz"), gzipSync(Buffer.from(SEED_LINE)));
    const a = runCli(["parse", "-"], { input: SEED_LINE });
    const b = runCli(["parse", join(dir, "c.txt.gz")]);
    expect(a.status).toBe(0);
    expect(b.status).toBe(0);
    expect(JSON.parse(a.stdout.split("\n")[1] as string)).toMatchObject({ dport: 8889, source: "-" });
    expect(JSON.parse(b.stdout.split("\n")[1] as string)).toMatchObject({ dport: 8889 });
  });

  test("an input without sniffer output: exit 2, one line naming it, nothing on stdout", () => {
    const dir = tmp();
    const f = join(dir, "prose.txt");
    writeFileSync(f, "Hello, the VPN is down again.\nThanks\n");
    const r = runCli(["parse", f]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`${f}: no sniffer output found\n`);
  });

  test.each([
    ["an empty file", Buffer.alloc(0)],
    ["binary bytes", Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))],
    ["a 10 MB single line", Buffer.from("x".repeat(10 * 1024 * 1024))],
  ])("%s: exit 2 with a one-line message", (_name, bytes) => {
    const dir = tmp();
    const f = join(dir, "in.bin");
    writeFileSync(f, bytes);
    const r = runCli(["parse", f]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${f}: no sniffer output found\n`);
    noStackTrace(r.stderr);
  });

  test("a missing file and a directory without captures", () => {
    const dir = tmp();
    const r = runCli(["parse", join(dir, "nope.txt")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${join(dir, "nope.txt")}: cannot read: no such file or directory\n`);
    const empty = join(dir, "empty");
    mkdirSync(empty);
    const d = runCli(["parse", empty]);
    expect(d.status).toBe(2);
    expect(d.stderr).toBe(`${empty}: directory holds no files\n`);
  });

  test("a directory is read recursively; a glob selects files", () => {
    const dir = tmp();
    mkdirSync(join(dir, "a", "b"), { recursive: true });
    writeFileSync(join(dir, "a", "one.txt"), SEED_LINE);
    writeFileSync(join(dir, "a", "b", "two.txt"), SEED_LINE);
    writeFileSync(join(dir, "a", "b", "skip.log"), SEED_LINE);
    const all = runCli(["parse", join(dir, "a")]);
    expect(all.status).toBe(0);
    expect(all.stdout.match(/"type":"packet"/g)).toHaveLength(3);
    const glob = runCli(["parse", `${dir}/a/**/*.txt`]);
    expect(glob.status).toBe(0);
    expect(glob.stdout.match(/"type":"packet"/g)).toHaveLength(2);
  });

  test("usage errors exit 2 with a hint, nothing on stdout", () => {
    const r = runCli(["parse", "--format", "xml", seed]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/Invalid values|choices/);
    noStackTrace(r.stderr);
  });

  test.each([
    ["port", 6],
    ["host and", 6],
    ["tcp[13 = 2", 8],
  ])("a malformed --filter %j: exit 2, the message and a caret under column %i", (expr, column) => {
    for (const command of [["parse"], ["analyze"], ["flows"]]) {
      const r = runCli([...command, "--filter", expr, seed]);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe("");
      const lines = r.stderr.split("\n");
      expect(lines[0]).toMatch(new RegExp(`^sniffdiag: filter: (syntax )?error at column ${column}: `));
      expect(lines[1]).toBe(`  ${expr}`);
      expect(lines[2]).toBe(" ".repeat(column + 1) + "^");
    }
  });

  test("--filter keeps only the matching packets", () => {
    const r = runCli(["parse", "--filter", "udp port 53 and src host 208.91.112.194", seed]);
    expect(r.status).toBe(0);
    const packets = r.stdout.trim().split("\n").map((l) => JSON.parse(l)).filter((x) => x.type === "packet");
    expect(packets.map((p) => p.line)).toEqual([14]);
  });

  test("--version", () => {
    const r = runCli(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
