/**
 * `sniffdiag analyze --follow FILE`: a session log that grows (as PuTTY, `script` or a terminal
 * writes it) is read like `tail -f` with the live view, until the sniffer's trailer or Ctrl-C; the
 * report equals `analyze` on the file as it stood.
 */
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { analyze } from "../src/analyze.js";
import { builtinAnalyzeOptions } from "../src/services.js";
import { builtinCatalogue } from "../src/catalogue/index.js";
import { runFollow, type FollowArgs } from "../src/cli/live/follow.js";
import type { LiveIo } from "../src/cli/live/live-command.js";
import { readLiveFixture } from "./helpers/fortios-server.js";
import { runCli } from "./helpers/cli.js";
import { readSample } from "./helpers/corpus.js";

const seed = readLiveFixture("seed-v4.txt");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

function follow(file: string, extra: Partial<FollowArgs> = {}) {
  const stdout = new PassThrough();
  let out = "";
  stdout.on("data", (d: Buffer) => (out += d.toString()));
  const handlers = new Set<() => void>();
  const io: LiveIo = {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new PassThrough() as unknown as NodeJS.WriteStream,
    terminal: { confirm: async () => false, secret: async () => null, ask: async () => null },
    env: {},
    onInterrupt(h) {
      handlers.add(h);
      return () => handlers.delete(h);
    },
  };
  const done = runFollow({ file, output: null, format: "jsonl", failOn: "never", color: false, width: 100, settings: { catalogue: builtinCatalogue() }, pollMs: 50, ...extra }, io);
  return {
    done,
    text: () => out,
    lines: () => out.trim().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as { type: string; packets?: number; report?: Record<string, unknown> }),
    interrupt: () => {
      for (const h of [...handlers]) h();
    },
  };
}

const expected = (file: string) => JSON.parse(JSON.stringify(analyze(readFileSync(file, "utf8"), { ...builtinAnalyzeOptions(), source: file })));

test("a growing script log: updates while lines arrive, stops by itself at the trailer", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sniffdiag-follow-"));
  const file = join(dir, "typescript");
  writeFileSync(file, "Script started on 2010-10-27 12:40:10+00:00\r\nFGT-LAB # diagnose sniffer packet any 'port 8889 or port 53' 4 0 a\r\ninterfaces=[any]\r\nfilters=[port 8889 or port 53]\r\n");
  const f = follow(file);
  for (const line of seed) {
    await sleep(250);
    // a line may arrive in two writes
    appendFileSync(file, line.slice(0, 20));
    await sleep(30);
    appendFileSync(file, line.slice(20) + "\r\n");
  }
  await sleep(600);
  appendFileSync(file, "^C\r\n5 packets received by filter\r\n0 packets dropped by kernel\r\n\r\nFGT-LAB # ");
  const code = await Promise.race([f.done, sleep(20_000).then(() => "timeout")]);
  expect(code).toBe(0);
  const lines = f.lines();
  const counts = lines.filter((l) => l.type === "update").map((l) => l.packets);
  expect(counts.length).toBeGreaterThanOrEqual(3);
  expect(counts).toEqual([...counts].sort((a, b) => (a ?? 0) - (b ?? 0)));
  expect(counts.at(-1)).toBe(5);
  const report = lines.at(-1)?.report;
  expect(lines.at(-1)?.type).toBe("report");
  expect(report).toEqual(expected(file));
  expect((report?.["verdicts"] as { code: string }[]).map((v) => v.code)).toEqual(["unanswered", "answered"]);
});

test("Ctrl-C ends following a log that has no trailer yet", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sniffdiag-follow-"));
  const file = join(dir, "putty.log");
  writeFileSync(file, "FGT-LAB # diagnose sniffer packet any 'port 8889' 4 0 a\r\ninterfaces=[any]\r\nfilters=[port 8889]\r\n" + seed.slice(0, 3).join("\r\n") + "\r\n");
  const f = follow(file);
  await sleep(400);
  f.interrupt();
  const code = await Promise.race([f.done, sleep(10_000).then(() => "timeout")]);
  expect(code).toBe(0);
  expect(f.lines().at(-1)?.report).toEqual(expected(file));
});

test("a finished PuTTY log (CRLF, two captures with trailers) is read to its end and judged as analyze judges it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sniffdiag-follow-"));
  const file = join(dir, "putty.log");
  writeFileSync(file, readSample("pasted_putty_log_crlf.txt"));
  const f = follow(file, { format: "json" });
  const code = await Promise.race([f.done, sleep(10_000).then(() => "timeout")]);
  expect(code).toBe(0);
  expect(JSON.parse(f.text())).toEqual(expected(file));
});

test("--follow takes exactly one regular file (exit 2)", () => {
  const two = runCli(["analyze", "--follow", "samples/seed_fortimail_kb192524.txt", "samples/v1_icmp_port_unreachable.txt"]);
  expect(two.status).toBe(2);
  expect(two.stderr).toMatch(/--follow takes exactly one FILE/);
  const missing = runCli(["analyze", "--follow", "no-such-file.txt"]);
  expect(missing.status).toBe(2);
  expect(missing.stderr).toMatch(/no-such-file\.txt: cannot read/);
});
