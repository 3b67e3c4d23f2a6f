/**
 * `sniffdiag live` on a terminal (a pty from script(1)) against the replay server: the seed's
 * verdicts form in the live view while the packets drip in, Ctrl-C (the byte 0x03 typed on the
 * terminal, SIGINT) stops the sniffer with its trailer, and the report equals `analyze` on the
 * transcript saved with --save.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBuilt } from "./helpers/cli.js";
import { repoRoot } from "./helpers/corpus.js";
import { haveScript, SCRIPT_NEEDED, testIfPresent } from "./helpers/require.js";
import { knownHostsEntry, readLiveFixture, startReplayServer } from "./helpers/fortios-server.js";

const maybe = testIfPresent(haveScript, SCRIPT_NEEDED);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

maybe("on a terminal the seed's verdicts form live; Ctrl-C gives the trailer, the report and a transcript that re-analyses identically", async () => {
  ensureBuilt();
  const cli = join(repoRoot, "dist/cli.mjs");
  const server = await startReplayServer({ hostname: "FGT-LAB", packets: readLiveFixture("seed-v4.txt"), dripMs: 700 });
  const dir = mkdtempSync(join(tmpdir(), "sniffdiag-live-pty-"));
  const kh = join(dir, "known_hosts");
  writeFileSync(kh, knownHostsEntry(server.port, server.hostKey.publicBlob));
  const save = join(dir, "session.txt");
  const out = join(dir, "report.json");
  // `exec`: the CLI itself is the terminal's foreground process. Without it, a shell that does not
  // exec its last command (script(1) runs $SHELL) also takes the Ctrl-C and dies of it (exit 130)
  // while the CLI stops cleanly behind it.
  const cmd = `exec ${process.execPath} ${cli} live admin@127.0.0.1:${server.port} 'port 8889 or port 53' --known-hosts ${kh} --save ${save} -o ${out}`;
  const child = spawn("script", ["-qec", cmd, "/dev/null"], { env: { ...process.env, HOME: dir, SNIFFDIAG_SSH_PASSWORD: "secret", NO_COLOR: "1" } });
  let screen = "";
  child.stdout.on("data", (d: Buffer) => (screen += d.toString("utf8")));
  child.stderr.on("data", (d: Buffer) => (screen += d.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  try {
    await Promise.race([server.allSent(), sleep(30_000)]);
    // let the view draw the last packets, then Ctrl-C on the terminal
    await sleep(1200);
    child.stdin.write("\x03");
    const code = await Promise.race([exited, sleep(30_000).then(() => "timeout" as const)]);
    // the screen's end says why when the status is not the report's
    expect({ code, screen: code === 1 ? "" : screen.slice(-2000) }).toEqual({ code: 1, screen: "" });
  } finally {
    child.kill("SIGKILL");
    await server.close();
  }

  // the unit saw the command, one Ctrl-C and the exit
  expect(server.log.shells[0]?.typed).toEqual([expect.stringMatching(/^diagnose sniffer packet any '\(port 8889 or port 53\) and not \(host 127\.0\.0\.1 and port \d+\)' 4 0 a$/), "^C", "exit"]);

  // the live view: frames redrawn in place, the verdicts forming
  // eslint-disable-next-line no-control-regex -- the view redraws with ESC[nF ESC[J
  const frames = screen.split(/\x1b\[\d+F\x1b\[J/).map((f) => f.replace(/\r/g, ""));
  expect(frames.length).toBeGreaterThanOrEqual(5);
  const status = (frame: string, service: string) => frame.split("\n").find((l) => l.trimStart().startsWith(service))?.slice(42).trim().split(/\s{2,}/)[0] ?? null;
  const s8889 = frames.map((f) => status(f, "UDP/8889"));
  const s53 = frames.map((f) => status(f, "UDP/53"));
  const firstWaiting = s8889.indexOf("waiting");
  const firstUnanswered = s8889.indexOf("unanswered");
  expect(firstWaiting).toBeGreaterThanOrEqual(0);
  expect(firstUnanswered).toBeGreaterThan(firstWaiting);
  expect(s53.indexOf("answered")).toBeGreaterThanOrEqual(firstUnanswered);
  expect(frames.some((f) => / 3 packets/.test(f))).toBe(true);
  const last = frames.at(-1) as string;
  expect(last).toMatch(/ 5 packets — stopped/);
  expect(last).toMatch(/UDP\/8889 FortiGuard antispam rating\s+unanswered\s+3 req, 0 answered, 3 no reply/);
  expect(last).toMatch(/UDP\/53 FortiGuard antispam rating\s+answered\s+1 req, 1 answered, reply 5\.64 ms/);

  // the trailer, and the transcript re-analyses to the same report
  const transcript = readFileSync(save, "utf8");
  expect(transcript).toContain("\r\n5 packets received by filter\r\n0 packets dropped by kernel\r\n");
  const live = JSON.parse(readFileSync(out, "utf8")) as Record<string, unknown> & { live: { stoppedBy: string } };
  expect(live.live.stoppedBy).toBe("ctrl-c");
  const again = spawnSync(process.execPath, [cli, save, "--format", "json"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  expect(again.status).toBe(1);
  const { live: _live, ...report } = live;
  expect(report).toEqual(JSON.parse(again.stdout));
  expect((report["verdicts"] as { title: string }[])[0]?.title).toBe("UDP/8889 (FortiGuard antispam rating): 3 requests to 3 servers, 0 replies");
}, 90_000);

maybe("SIGTERM (kill) stops the capture as Ctrl-C does: the sniffer's trailer, exit, the report", async () => {
  ensureBuilt();
  const cli = join(repoRoot, "dist/cli.mjs");
  const server = await startReplayServer({ hostname: "FGT-LAB", packets: readLiveFixture("seed-v4.txt") });
  const dir = mkdtempSync(join(tmpdir(), "sniffdiag-live-term-"));
  const kh = join(dir, "known_hosts");
  writeFileSync(kh, knownHostsEntry(server.port, server.hostKey.publicBlob));
  const child = spawn(process.execPath, [cli, "live", `admin@127.0.0.1:${server.port}`, "port 8889 or port 53", "--known-hosts", kh, "--format", "json", "--fail-on", "never"], {
    env: { ...process.env, HOME: dir, SNIFFDIAG_SSH_PASSWORD: "secret" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  try {
    await Promise.race([server.allSent(), sleep(30_000)]);
    await sleep(300);
    child.kill("SIGTERM");
    expect(await Promise.race([exited, sleep(30_000).then(() => "timeout" as const)])).toBe(0);
  } finally {
    child.kill("SIGKILL");
    await server.close();
  }
  expect(server.log.shells[0]?.typed.slice(1)).toEqual(["^C", "exit"]);
  const report = JSON.parse(out) as { live: { stoppedBy: string; interrupted: string | null }; inputs: { packets: number }[] };
  expect(report.live.stoppedBy).toBe("ctrl-c");
  expect(report.live.interrupted).toBeNull();
  expect(report.inputs[0]?.packets).toBe(5);
}, 90_000);
