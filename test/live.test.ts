/**
 * `sniffdiag live` against an ssh2 server in the suite (127.0.0.1, ephemeral port) that replays
 * saved sessions: the exact commands the client types, the own-session exclusion, every cleanup
 * command, known_hosts behaviour, the errors (exit 2), and the final report equal to `analyze` on
 * the transcript saved with --save.
 */
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { createHmac, randomBytes } from "node:crypto";
import { Ajv2020 } from "ajv/dist/2020.js";
import { reportSchema } from "../src/schema.js";
import { analyze } from "../src/analyze.js";
import { builtinAnalyzeOptions } from "../src/services.js";
import { builtinCatalogue } from "../src/catalogue/index.js";
import { runLive, type LiveArgs, type LiveIo } from "../src/cli/live/live-command.js";
import { LiveError } from "../src/cli/live/fortios.js";
import { OutputError } from "../src/cli/output.js";
import type { Terminal } from "../src/cli/live/terminal.js";
import { readSample, repoRoot } from "./helpers/corpus.js";
import { ensureBuilt } from "./helpers/cli.js";
import { ed25519KeyPair, generateHostKey, knownHostsEntry, readLiveFixture, startReplayServer, type ReplayServer, type UnitScript } from "./helpers/fortios-server.js";

const seed = readLiveFixture("seed-v4.txt");

interface Run {
  code: number | null;
  error: LiveError | null;
  /** a file that cannot be written (or would overwrite another): one line, exit 2 in the CLI */
  outputError: OutputError | null;
  stdout: string;
  stderr: string;
  report: Record<string, unknown> & { live: Record<string, unknown>; verdicts: { code: string; port: number | null }[]; inputs: { packets: number; source: string }[] };
  transcript: string;
  dir: string;
}

class FakeTerminal implements Terminal {
  asked: string[] = [];
  constructor(private readonly answers: Record<string, string | null> = {}) {}
  private answer(q: string): string | null {
    this.asked.push(q);
    for (const [k, v] of Object.entries(this.answers)) if (q.includes(k)) return v;
    return null;
  }
  async confirm(q: string) {
    return this.answer(q) === "yes";
  }
  async secret(q: string) {
    return this.answer(q);
  }
  async ask(q: string) {
    return this.answer(q);
  }
}

interface RunOptions {
  args?: Partial<LiveArgs>;
  terminal?: Terminal;
  env?: Record<string, string>;
  /** press Ctrl-C this many times once the unit has sent every packet */
  ctrlC?: number;
  knownHosts?: string | null;
}

async function live(server: ReplayServer, o: RunOptions = {}): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), "sniffdiag-live-test-"));
  const knownHosts = join(dir, "known_hosts");
  if (o.knownHosts !== null) writeFileSync(knownHosts, o.knownHosts ?? knownHostsEntry(server.port, server.hostKey.publicBlob));
  const save = join(dir, "session.txt");
  const output = join(dir, "report.json");
  const args: LiveArgs = {
    target: `admin@127.0.0.1:${server.port}`,
    filter: "port 8889 or port 53",
    iface: "any",
    verbose: null,
    count: null,
    duration: null,
    vdom: null,
    save,
    savePcapng: null,
    excludeOwnSession: true,
    identity: null,
    knownHosts,
    acceptNewHostKey: false,
    connectTimeout: 10,
    promptTimeout: 3,
    debugFlow: null,
    output,
    format: "json",
    failOn: "never",
    color: false,
    width: 100,
    settings: { catalogue: builtinCatalogue() },
    ...o.args,
  };
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d: Buffer) => (out += d.toString()));
  stderr.on("data", (d: Buffer) => (err += d.toString()));
  const handlers = new Set<() => void>();
  const io: LiveIo = {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    terminal: o.terminal ?? new FakeTerminal(),
    env: { HOME: dir, SNIFFDIAG_SSH_PASSWORD: "secret", ...o.env },
    onInterrupt(h) {
      handlers.add(h);
      return () => handlers.delete(h);
    },
  };
  if ((o.ctrlC ?? 0) > 0) {
    void server.allSent().then(async () => {
      for (let i = 0; i < (o.ctrlC as number); i++) {
        await new Promise((r) => setTimeout(r, 100));
        for (const h of [...handlers]) h();
      }
    });
  }
  let code: number | null = null;
  let error: LiveError | null = null;
  let outputError: OutputError | null = null;
  try {
    code = await runLive(args, io);
  } catch (e) {
    if (e instanceof OutputError) outputError = e;
    else if (e instanceof LiveError) error = e;
    else throw e;
  }
  return {
    code,
    error,
    outputError,
    stdout: out,
    stderr: err,
    report: existsSync(output) ? JSON.parse(readFileSync(output, "utf8")) : null,
    transcript: existsSync(save) ? readFileSync(save, "utf8") : "",
    dir,
  };
}

/** `analyze` on the saved transcript, as `sniffdiag session.txt --format json` computes it. */
function analyzeTranscript(run: Run): unknown {
  return JSON.parse(JSON.stringify(analyze(run.transcript, { ...builtinAnalyzeOptions(), source: join(run.dir, "session.txt") })));
}

function withoutLive(report: Record<string, unknown>): unknown {
  const { live: _live, ...rest } = report;
  return rest;
}

const servers: ReplayServer[] = [];
async function serve(script: UnitScript, hostKey?: ReturnType<typeof generateHostKey>): Promise<ReplayServer> {
  const s = await startReplayServer(script, hostKey);
  servers.push(s);
  return s;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const sniffer = (filter: string, verbose = 4, count = 0) => `diagnose sniffer packet any '${filter}' ${verbose} ${count} a`;

describe("a capture stopped with Ctrl-C", () => {
  let server: ReplayServer;
  let run: Run;
  beforeAll(async () => {
    server = await serve({ hostname: "FGT-LAB", packets: seed });
    run = await live(server, { ctrlC: 1 });
  });

  test("runs get system status over exec, then types exactly the sniffer command with the own-session exclusion, Ctrl-C and exit", () => {
    expect(run.error).toBeNull();
    expect(server.log.exec).toEqual(["get system status"]);
    const peer = server.log.peers[0] as { address: string; port: number };
    expect(peer.address).toBe("127.0.0.1");
    expect(server.log.shells.map((s) => s.typed)).toEqual([[sniffer(`(port 8889 or port 53) and not (host 127.0.0.1 and port ${peer.port})`), "^C", "exit"]]);
    expect(run.report.live["excluded"]).toBe(`not (host 127.0.0.1 and port ${peer.port})`);
    expect(run.report.live["stoppedBy"]).toBe("ctrl-c");
    expect(run.report.live["interrupted"]).toBeNull();
    // the report lists every command typed, as the unit received them
    expect(run.report.live["commands"]).toEqual(server.log.shells.flatMap((s) => s.typed));
  });

  test("asks for a very tall PTY so nothing pages", () => {
    expect(server.log.shells[0]?.pty).toEqual({ cols: 511, rows: 9_999_999, term: "vt100" });
  });

  test("the transcript is the shell's bytes as received: prompt, echoed command, CRLF, trailer, prompt", () => {
    expect(run.transcript.startsWith("FGT-LAB # diagnose sniffer packet any '(port 8889 or port 53)")).toBe(true);
    expect(run.transcript).toContain("\r\n2010-10-27 12:40:19.050364 port1 out 82.x.x.x.59730 -> 82.71.226.65.8889: udp 64\r\n");
    expect(run.transcript).toContain("\r\n5 packets received by filter\r\n0 packets dropped by kernel\r\n\r\nFGT-LAB # exit\r\n");
  });

  test("the final report equals analyze on the saved transcript", () => {
    expect(withoutLive(run.report)).toEqual(analyzeTranscript(run));
    expect(run.report.verdicts.map((v) => `${v.code}:${v.port}`)).toEqual(["unanswered:8889", "answered:53"]);
    expect(run.report.inputs[0]?.packets).toBe(5);
  });

  test("the live JSON report is valid against the report's JSON Schema (the live field is an addition)", () => {
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(reportSchema);
    expect(validate(run.report) ? [] : validate.errors).toEqual([]);
  });

  test("the unit's facts come from get system status", () => {
    expect(run.report.live["unit"]).toEqual({ hostname: "FGT-LAB", version: "FortiGate-VM64 v7.2.8,build1639,240313 (GA.M)", vdom: null });
  });
});

test("--no-exclude-own-session sends the user's filter alone; no filter is 'none'", async () => {
  const server = await serve({ hostname: "FGT-LAB", packets: seed });
  await live(server, { ctrlC: 1, args: { excludeOwnSession: false } });
  const server2 = await serve({ hostname: "FGT-LAB", packets: seed });
  await live(server2, { ctrlC: 1, args: { excludeOwnSession: false, filter: null } });
  expect(server.log.shells[0]?.typed[0]).toBe(sniffer("port 8889 or port 53"));
  expect(server2.log.shells[0]?.typed[0]).toBe(sniffer("none"));
});

test("VDOMs: the management VDOM (or --vdom) is entered with config vdom / edit, left with end before exit", async () => {
  const packets = readLiveFixture("vdom-tcp-v4.txt");
  const server = await serve({ hostname: "FGT-HA", vdoms: ["root", "dmz"], packets });
  const run = await live(server, { ctrlC: 1, args: { vdom: "dmz", filter: "port 443", excludeOwnSession: false } });
  expect(run.error).toBeNull();
  expect(server.log.shells[0]?.typed).toEqual(["config vdom", "edit dmz", sniffer("port 443"), "^C", "end", "exit"]);
  expect(run.transcript).toContain("FGT-HA (vdom) # edit dmz\r\ncurrent vf=dmz:1\r\nFGT-HA (dmz) # diagnose sniffer packet");
  expect(run.report.live["unit"]).toMatchObject({ hostname: "FGT-HA", vdom: "dmz" });
  expect(withoutLive(run.report)).toEqual(analyzeTranscript(run));
  expect(run.report.verdicts.map((v) => v.code)).toContain("partially-answered");

  const defaultVdom = await serve({ hostname: "FGT-HA", vdoms: ["root", "dmz"], packets });
  await live(defaultVdom, { ctrlC: 1, args: { filter: "port 443", excludeOwnSession: false } });
  expect(defaultVdom.log.shells[0]?.typed.slice(0, 2)).toEqual(["config vdom", "edit root"]);

  const missing = await serve({ hostname: "FGT-HA", vdoms: ["root", "dmz"], packets });
  const bad = await live(missing, { args: { vdom: "nope" } });
  expect(bad.error?.kind).toBe("vdom");
  expect(missing.log.shells[0]?.typed).toEqual(["config vdom", "edit nope", "end", "exit"]);
});

test("--count: the unit stops by itself after N packets; no Ctrl-C is sent", async () => {
  const server = await serve({ hostname: "FGT-LAB", packets: seed });
  const run = await live(server, { args: { count: 3, excludeOwnSession: false } });
  expect(server.log.shells[0]?.typed).toEqual([sniffer("port 8889 or port 53", 4, 3), "exit"]);
  expect(run.report.live["stoppedBy"]).toBe("count");
  expect(run.report.inputs[0]?.packets).toBe(3);
  expect(withoutLive(run.report)).toEqual(analyzeTranscript(run));
});

test("--duration sends Ctrl-C when the time is up", async () => {
  const server = await serve({ hostname: "FGT-LAB", packets: seed });
  const t0 = Date.now();
  const run = await live(server, { args: { duration: 0.8, excludeOwnSession: false } });
  expect(Date.now() - t0).toBeGreaterThanOrEqual(800);
  expect(server.log.shells[0]?.typed).toEqual([sniffer("port 8889 or port 53"), "^C", "exit"]);
  expect(run.report.live["stoppedBy"]).toBe("duration");
});

test("banners, the pager and console lines between packets: answered, and the report still equals analyze", async () => {
  const server = await serve({
    hostname: "FGT-LAB",
    banner: "Authorised access only. Activity is logged.",
    postLoginBanner: "Use of this unit is restricted to the NOC.",
    pager: true,
    packets: seed,
    consoleLines: [
      { before: 1, line: "PPP recv: LCP Echo_Request id(7) len(8) [Magic_Number bf0d2dcf]" },
      { before: 4, line: "PPP send: LCP Echo_Reply id(7) len(8) [Magic_Number 59d1b2a3]" },
    ],
  });
  const run = await live(server, { ctrlC: 1, args: { excludeOwnSession: false } });
  expect(run.error).toBeNull();
  expect(server.log.shells[0]?.typed).toEqual(["<a>", sniffer("port 8889 or port 53"), "<space>", "^C", "exit"]);
  expect(run.stderr).toContain("Authorised access only. Activity is logged.");
  expect(run.transcript).toContain("--More--");
  expect(run.transcript).toContain("PPP recv: LCP Echo_Request");
  expect(withoutLive(run.report)).toEqual(analyzeTranscript(run));
  // the pager's erase (`--More--\r        \r`) glues onto the next line: the parser does not yet
  // read a CR-overwritten line as the terminal shows it, so that packet is reported, not lost silently
  const unrecognized = (run.report.verdicts as unknown as { code: string; evidence: { text: string }[] }[]).find((v) => v.code === "unrecognized-lines");
  expect(unrecognized?.evidence.map((e) => e.text)).toEqual([`--More--\r        \r${seed[0]}`]);
  expect(run.report.verdicts.map((v) => `${v.code}:${v.port}`)).toEqual(["unanswered:8889", "unrecognized-lines:null", "answered:53"]);
});

describe("errors end with exit 2 and a clear message, leaving nothing behind", () => {
  test("Reached maximum number of logged in administrators.", async () => {
    const server = await serve({ hostname: "FGT-LAB", maxAdmins: true, packets: seed });
    const run = await live(server);
    expect(run.error?.kind).toBe("max-admins");
    expect(run.error?.message).toBe("Reached maximum number of logged in administrators.");
    expect(server.log.shells).toEqual([]);
  });

  test("pcap_compile: the unit's own message; the session is left with exit", async () => {
    const server = await serve({ hostname: "FGT-LAB", snifferError: "pcap_compile: syntax error", packets: seed });
    const run = await live(server, { args: { filter: "port eighty", excludeOwnSession: false } });
    expect(run.error?.kind).toBe("filter-rejected");
    expect(run.error?.message).toBe("pcap_compile: syntax error");
    expect(server.log.shells[0]?.typed).toEqual([sniffer("port eighty"), "exit"]);
  });

  test("a command the account may not run", async () => {
    const server = await serve({ hostname: "FGT-LAB", snifferError: "Command fail. Return code -37", packets: seed });
    const run = await live(server);
    expect(run.error?.kind).toBe("not-allowed");
    expect(run.error?.message).toContain("Command fail. Return code -37");
  });

  test("a host that is not FortiOS: no FortiOS prompt within the timeout", async () => {
    const server = await serve({ hostname: "linux", notFortiOS: true, packets: seed });
    const t0 = Date.now();
    const run = await live(server, { args: { promptTimeout: 1 } });
    expect(run.error?.kind).toBe("not-fortios");
    expect(run.error?.message).toMatch(/no FortiOS prompt/);
    expect(Date.now() - t0).toBeLessThan(8000);
  });

  test("authentication failed: a wrong password, and none at all without a terminal", async () => {
    const server = await serve({ hostname: "FGT-LAB", packets: seed });
    const run = await live(server, { env: { SNIFFDIAG_SSH_PASSWORD: "wrong" } });
    expect(run.error?.kind).toBe("auth");
    expect(run.error?.message).toMatch(/authentication failed/);
    const server2 = await serve({ hostname: "FGT-LAB", packets: seed });
    const noPassword = await live(server2, { env: { SNIFFDIAG_SSH_PASSWORD: undefined as unknown as string } });
    expect(noPassword.error?.kind).toBe("auth");
  });
});

describe("authentication", () => {
  test("a password typed on the terminal (keyboard-interactive)", async () => {
    const server = await serve({ hostname: "FGT-LAB", packets: seed, keyboardInteractive: true, password: "s3cret" });
    const terminal = new FakeTerminal({ "Password:": "s3cret" });
    const run = await live(server, { ctrlC: 1, terminal, env: { SNIFFDIAG_SSH_PASSWORD: undefined as unknown as string } });
    expect(run.error).toBeNull();
    expect(server.log.auth).toContain("keyboard-interactive");
    expect(terminal.asked.some((q) => q.includes("Password:"))).toBe(true);
  });

  test("--identity FILE (publickey), no password asked", async () => {
    const pair = ed25519KeyPair();
    const dir = mkdtempSync(join(tmpdir(), "sniffdiag-id-"));
    writeFileSync(join(dir, "id"), pair.private);
    const server = await serve({ hostname: "FGT-LAB", packets: seed, authorizedKeys: [pair.parsed] });
    const run = await live(server, { ctrlC: 1, args: { identity: join(dir, "id") }, env: { SNIFFDIAG_SSH_PASSWORD: undefined as unknown as string } });
    expect(run.error).toBeNull();
    expect(server.log.auth).toContain("publickey");
    expect(server.log.auth).not.toContain("password");
  });
});

describe("known_hosts", () => {
  test("an unknown key: its SHA256 fingerprint is shown and it is refused without a yes", async () => {
    const server = await serve({ hostname: "FGT-LAB", packets: seed });
    const terminal = new FakeTerminal({ "continue connecting": "no" });
    const run = await live(server, { terminal, knownHosts: "" });
    expect(run.error?.kind).toBe("host-key");
    const expected = "SHA256:" + (await import("node:crypto")).createHash("sha256").update(server.hostKey.publicBlob).digest("base64").replace(/=+$/, "");
    expect(terminal.asked[0]).toContain(`ED25519 key fingerprint is ${expected}.`);
    expect(run.error?.message).toContain(expected);
    expect(server.log.shells).toEqual([]);
  });

  test("an unknown key accepted on yes is added; the next connection matches it without asking", async () => {
    const server = await serve({ hostname: "FGT-LAB", packets: seed });
    const dir = mkdtempSync(join(tmpdir(), "sniffdiag-kh-"));
    const file = join(dir, "known_hosts");
    const first = await live(server, { ctrlC: 1, terminal: new FakeTerminal({ "continue connecting": "yes" }), knownHosts: null, args: { knownHosts: file } });
    expect(first.error).toBeNull();
    expect(readFileSync(file, "utf8")).toBe(knownHostsEntry(server.port, server.hostKey.publicBlob));
    expect(first.stderr).toContain(`Permanently added '[127.0.0.1]:${server.port}'`);
    const server2 = await serve({ hostname: "FGT-LAB", packets: seed }, server.hostKey);
    const terminal = new FakeTerminal();
    // the same key on another port is another host for known_hosts: add the entry for that port too
    writeFileSync(file, readFileSync(file, "utf8") + knownHostsEntry(server2.port, server.hostKey.publicBlob));
    const second = await live(server2, { ctrlC: 1, terminal, knownHosts: null, args: { knownHosts: file } });
    expect(second.error).toBeNull();
    expect(terminal.asked).toEqual([]);
  });

  test("--accept-new-host-key accepts an unknown key without asking", async () => {
    const server = await serve({ hostname: "FGT-LAB", packets: seed });
    const terminal = new FakeTerminal();
    const run = await live(server, { ctrlC: 1, terminal, knownHosts: "", args: { acceptNewHostKey: true } });
    expect(run.error).toBeNull();
    expect(terminal.asked).toEqual([]);
  });

  test("a hashed entry (|1|salt|HMAC-SHA1) matches", async () => {
    const server = await serve({ hostname: "FGT-LAB", packets: seed });
    const salt = randomBytes(20);
    const hash = createHmac("sha1", salt).update(`[127.0.0.1]:${server.port}`).digest("base64");
    const line = `|1|${salt.toString("base64")}|${hash} ssh-ed25519 ${server.hostKey.publicBlob.toString("base64")}\n`;
    const terminal = new FakeTerminal();
    const run = await live(server, { ctrlC: 1, terminal, knownHosts: "# other hosts\n" + line });
    expect(run.error).toBeNull();
    expect(terminal.asked).toEqual([]);
  });

  test("a changed key is refused, even with --accept-new-host-key, and names the known_hosts line", async () => {
    const other = generateHostKey();
    const server = await serve({ hostname: "FGT-LAB", packets: seed });
    const run = await live(server, { knownHosts: "\n" + knownHostsEntry(server.port, other.publicBlob), args: { acceptNewHostKey: true } });
    expect(run.error?.kind).toBe("host-key");
    expect(run.error?.message).toMatch(/has changed/);
    expect(run.error?.message).toMatch(/known_hosts:2/);
    expect(server.log.shells).toEqual([]);
  });
});

test("slow drip: --format jsonl without a terminal emits running updates that change as packets arrive", async () => {
  const server = await serve({ hostname: "FGT-LAB", packets: seed, dripMs: 600 });
  const run = await live(server, { ctrlC: 1, args: { format: "jsonl", output: null, excludeOwnSession: false } });
  const lines = run.stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string; packets?: number; services?: { port: number; status: string }[] });
  const updates = lines.filter((l) => l.type === "update");
  expect(updates.length).toBeGreaterThanOrEqual(3);
  const packetCounts = updates.map((u) => u.packets);
  expect(packetCounts).toEqual([...packetCounts].sort((a, b) => (a ?? 0) - (b ?? 0)));
  const statuses8889 = updates.map((u) => u.services?.find((s) => s.port === 8889)?.status).filter((s) => s !== undefined);
  expect(statuses8889[0]).toBe("waiting");
  expect(statuses8889).toContain("unanswered");
  expect(updates.at(-1)?.services?.find((s) => s.port === 53)?.status).toBe("answered");
  const last = lines.at(-1) as unknown as { type: string; report: { verdicts: { code: string }[] } };
  expect(last.type).toBe("report");
  expect(last.report.verdicts.map((v) => v.code)).toEqual(["unanswered", "answered"]);
});

test("a burst of 100k lines: every packet counted, report equals analyze on the transcript", async () => {
  const packets: string[] = [];
  for (let i = 0; i < 50_000; i++) {
    const t = 1000 + i * 0.01;
    const sec = Math.floor(t);
    const stamp = (s: number, us: number) => `2026-12-07 22:${String(Math.floor(s / 60) % 60).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}.${String(us).padStart(6, "0")}`;
    const us = Math.round((t - sec) * 1e6);
    const port = 20000 + (i % 40000);
    packets.push(`${stamp(sec, us)} port1 out 192.0.2.10.${port} -> 198.51.100.53.53: udp 40`);
    packets.push(`${stamp(sec, us + 900)} port1 in 198.51.100.53.53 -> 192.0.2.10.${port}: udp 120`);
  }
  const server = await serve({ hostname: "FGT-LAB", packets });
  const run = await live(server, { ctrlC: 1, args: { filter: "port 53", excludeOwnSession: false } });
  expect(run.error).toBeNull();
  expect(server.log.sniffed).toEqual([100_000]);
  expect(run.report.inputs[0]?.packets).toBe(100_000);
  expect(run.transcript).toContain("100000 packets received by filter");
  expect(withoutLive(run.report)).toEqual(analyzeTranscript(run));
});

test("a connection dropped mid-capture: the report so far, with a capture-interrupted caveat", async () => {
  const server = await serve({ hostname: "FGT-LAB", packets: seed, dripMs: 50, dropAfter: 3 });
  const run = await live(server, { args: { excludeOwnSession: false, format: "markdown", output: null } });
  expect(run.error).toBeNull();
  expect(run.code).toBe(0);
  const json = await live(await serve({ hostname: "FGT-LAB", packets: seed, dripMs: 50, dropAfter: 3 }), { args: { excludeOwnSession: false } });
  expect(json.report.live["stoppedBy"]).toBe("connection-lost");
  expect(String(json.report.live["interrupted"])).toMatch(/connection to the unit was lost/);
  expect(json.report.inputs[0]?.packets).toBe(3);
  expect(withoutLive(json.report)).toEqual(analyzeTranscript(json));
  expect(run.stdout).toMatch(/Capture interrupted: the connection to the unit was lost/);
});

test("a second Ctrl-C stops at once, without waiting for the trailer", async () => {
  // the unit takes its time to print the trailer after the first Ctrl-C
  const server = await serve({ hostname: "FGT-LAB", packets: seed, trailerDelayMs: 20_000 });
  const t0 = Date.now();
  const run = await live(server, { ctrlC: 2, args: { excludeOwnSession: false } });
  expect(Date.now() - t0).toBeLessThan(8000);
  expect(run.error).toBeNull();
  expect(server.log.shells[0]?.typed).toEqual([sniffer("port 8889 or port 53"), "^C", "exit"]);
  expect(run.report.live["stoppedBy"]).toBe("second-ctrl-c");
  expect(String(run.report.live["interrupted"])).toMatch(/second Ctrl-C/);
  expect(run.report.inputs[0]?.packets).toBe(5);
});

test("--debug-flow: a second session traces the filter's addresses and cleans up on the way out", async () => {
  const packets = readLiveFixture("icmp-denied-v4-traces.txt");
  const traces = readLiveFixture("icmp-denied-traces.txt");
  const server = await serve({ hostname: "FGT-LAB", packets, traces });
  const run = await live(server, { ctrlC: 1, args: { filter: "host 10.20.0.8 and icmp", debugFlow: 10 } });
  expect(run.error).toBeNull();
  const peer = server.log.peers[0] as { port: number };
  expect(server.log.shells.map((s) => s.typed)).toEqual([
    [sniffer(`(host 10.20.0.8 and icmp) and not (host 127.0.0.1 and port ${peer.port})`), "^C", "exit"],
    [
      "diagnose debug disable",
      "diagnose debug reset",
      "diagnose debug flow filter clear",
      "diagnose debug flow filter addr 10.20.0.8",
      "diagnose debug flow show function-name enable",
      "diagnose debug flow trace start 10",
      "diagnose debug enable",
      "diagnose debug disable",
      "diagnose debug flow trace stop",
      "diagnose debug flow filter clear",
      "diagnose debug reset",
      "exit",
    ],
  ]);
  expect(run.transcript).toContain('msg="Denied by forward policy check (policy 0)"');
  expect(withoutLive(run.report)).toEqual(analyzeTranscript(run));
  expect((run.report["traces"] as unknown[] | undefined)?.length ?? 0).toBeGreaterThan(0);
});

test("--debug-flow cleans up even when the sniffer is refused", async () => {
  const server = await serve({ hostname: "FGT-LAB", snifferError: "pcap_compile: syntax error", packets: seed, traces: [] });
  const run = await live(server, { args: { filter: "host 10.20.0.8 and bogus", debugFlow: 5 } });
  expect(run.error?.kind).toBe("filter-rejected");
  expect(server.log.shells[1]?.typed.slice(-5)).toEqual(["diagnose debug disable", "diagnose debug flow trace stop", "diagnose debug flow filter clear", "diagnose debug reset", "exit"]);
});

test("--debug-flow without an address in the filter is a usage error before connecting", async () => {
  const server = await serve({ hostname: "FGT-LAB", packets: seed });
  const run = await live(server, { args: { filter: "port 53", debugFlow: 5 } });
  expect(run.error?.kind).toBe("usage");
  expect(server.log.peers).toEqual([]);
});

test("--save-pcapng: verbose 6 by default, and the packets as pcapng", async () => {
  const sample = readSample("v6_any_tcp_handshake_rawtab.txt").toString("utf8").split("\n");
  const from = sample.findIndex((l) => l.startsWith("filters="));
  const to = sample.findIndex((l) => / packets received by filter/.test(l));
  const packets = sample.slice(from + 1, to);
  const server = await serve({ hostname: "FGT60F-BRANCH", packets });
  const dir = mkdtempSync(join(tmpdir(), "sniffdiag-pcapng-"));
  const pcapng = join(dir, "capture.pcapng");
  const run = await live(server, { ctrlC: 1, args: { filter: "host 192.168.1.110 and tcp port 80", excludeOwnSession: false, savePcapng: pcapng } });
  expect(run.error).toBeNull();
  expect(server.log.shells[0]?.typed[0]).toBe(sniffer("host 192.168.1.110 and tcp port 80", 6));
  const bytes = readFileSync(pcapng);
  expect(bytes.readUInt32LE(0)).toBe(0x0a0d0d0a);
  // one enhanced packet block (type 6) per packet header in the replayed output
  let blocks = 0;
  for (let at = 0; at + 8 <= bytes.length; ) {
    if (bytes.readUInt32LE(at) === 6) blocks++;
    at += bytes.readUInt32LE(at + 4);
  }
  expect(blocks).toBe(packets.filter((l) => /^\d{4}-\d\d-\d\d /.test(l)).length);
  expect(withoutLive(run.report)).toEqual(analyzeTranscript(run));
});

test("-o, --save and --save-pcapng on one file: a usage error before connecting", async () => {
  const server = await serve({ hostname: "FGT-LAB", packets: seed });
  const run = await live(server, { args: { output: "same.txt", save: "./same.txt" } });
  expect(run.error?.kind).toBe("usage");
  expect(server.log.peers).toEqual([]);
});

describe("--save is written like every output (issue 16): temporary file, rename, one-line errors", () => {
  test("a normal run leaves the transcript under its name and no temporary file beside it", async () => {
    const server = await serve({ hostname: "FGT-LAB", packets: seed });
    const run = await live(server, { ctrlC: 1 });
    expect(run.error).toBeNull();
    expect(run.transcript).toContain("5 packets received by filter");
    expect(readdirSync(run.dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  test("--save into a folder that does not exist: one line naming the path, before connecting", async () => {
    const server = await serve({ hostname: "FGT-LAB", packets: seed });
    const missing = join(mkdtempSync(join(tmpdir(), "sniffdiag-save-")), "no-such-folder", "session.txt");
    const run = await live(server, { ctrlC: 1, args: { save: missing } });
    expect(run.outputError?.message).toBe(`${missing}: cannot write: no such file or directory`);
    expect(run.code).toBeNull();
    expect(server.log.peers).toEqual([]);
  });

  test("--save onto a folder, and -o into a missing folder: refused before connecting", async () => {
    const server = await serve({ hostname: "FGT-LAB", packets: seed });
    const dir = mkdtempSync(join(tmpdir(), "sniffdiag-save-"));
    const onFolder = await live(server, { args: { save: dir } });
    expect(onFolder.outputError?.message).toBe(`${dir}: cannot write: is a directory`);
    const report = join(dir, "missing", "report.json");
    const missingReport = await live(server, { args: { output: report } });
    expect(missingReport.outputError?.message).toBe(`${report}: cannot write: no such file or directory`);
    expect(server.log.peers).toEqual([]);
  });

  test("--save naming -o through a hard link or a symlink, or the known_hosts file: refused, files untouched", async () => {
    const server = await serve({ hostname: "FGT-LAB", packets: seed });
    const dir = mkdtempSync(join(tmpdir(), "sniffdiag-save-"));
    const report = join(dir, "report.json");
    writeFileSync(report, "previous report\n");
    linkSync(report, join(dir, "hard.txt"));
    symlinkSync(report, join(dir, "soft.txt"));
    for (const save of [join(dir, "hard.txt"), join(dir, "soft.txt")]) {
      const run = await live(server, { args: { output: report, save } });
      expect(run.outputError?.message).toMatch(/: refusing to write over the input .*; choose another output file$/);
    }
    expect(readFileSync(report, "utf8")).toBe("previous report\n");
    const kh = join(dir, "known_hosts");
    const entry = knownHostsEntry(server.port, server.hostKey.publicBlob);
    writeFileSync(kh, entry);
    const run = await live(server, { args: { save: kh, knownHosts: kh } });
    expect(run.outputError?.message).toBe(`${kh}: refusing to write over the input ${kh}; choose another output file`);
    expect(readFileSync(kh, "utf8")).toBe(entry);
    expect(server.log.peers).toEqual([]);
  });

  test("a connection that fails leaves an existing --save file as it was", async () => {
    const server = await serve({ hostname: "FGT-LAB", packets: seed });
    const dir = mkdtempSync(join(tmpdir(), "sniffdiag-save-"));
    const save = join(dir, "session.txt");
    writeFileSync(save, "yesterday's session\n");
    // an unknown host key, refused (no terminal answer): the run fails before the shell opens
    const run = await live(server, { args: { save }, knownHosts: "" });
    expect(run.error?.kind).toBeDefined();
    expect(readFileSync(save, "utf8")).toBe("yesterday's session\n");
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  test("the CLI: --save into a missing folder is one line on standard error and exit 2", () => {
    ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), "sniffdiag-cli-"));
    const missing = join(dir, "missing", "session.txt");
    // port 9 (discard): nothing is contacted, the path is checked first
    const r = spawnSync(process.execPath, [join(repoRoot, "dist/cli.mjs"), "live", "admin@127.0.0.1:9", "port 53", "--save", missing], {
      env: { ...process.env, HOME: dir, SNIFFDIAG_SSH_PASSWORD: "secret" },
      encoding: "utf8",
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`${missing}: cannot write: no such file or directory\n`);
  });
});

describe("keys without --identity", () => {
  const pair = ed25519KeyPair();
  const authorizedKeys = [pair.parsed];

  test("~/.ssh/id_ed25519 is tried", async () => {
    const server = await serve({ hostname: "FGT-LAB", packets: seed, authorizedKeys });
    const home = mkdtempSync(join(tmpdir(), "sniffdiag-home-"));
    mkdirSync(join(home, ".ssh"), { mode: 0o700 });
    writeFileSync(join(home, ".ssh", "id_ed25519"), pair.private, { mode: 0o600 });
    const run = await live(server, { ctrlC: 1, env: { HOME: home, SNIFFDIAG_SSH_PASSWORD: undefined as unknown as string } });
    expect(run.error).toBeNull();
    expect(server.log.auth).toContain("publickey");
    expect(server.log.auth).not.toContain("password");
  });

  const agentBin = spawnSync("sh", ["-c", "command -v ssh-agent && command -v ssh-add"], { encoding: "utf8" }).status === 0;
  if (!agentBin) console.log("skipping the ssh-agent test: ssh-agent/ssh-add are not installed (openssh-client)");
  (agentBin ? test : test.skip)("a key held by ssh-agent (SSH_AUTH_SOCK)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sniffdiag-agent-"));
    const sock = join(dir, "agent.sock");
    const keyFile = join(dir, "key");
    writeFileSync(keyFile, pair.private, { mode: 0o600 });
    const agent = spawn("ssh-agent", ["-D", "-a", sock], { stdio: "ignore" });
    try {
      for (let i = 0; i < 50 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
      const add = spawnSync("ssh-add", [keyFile], { env: { ...process.env, SSH_AUTH_SOCK: sock }, encoding: "utf8" });
      expect(add.status).toBe(0);
      const server = await serve({ hostname: "FGT-LAB", packets: seed, authorizedKeys });
      const run = await live(server, { ctrlC: 1, env: { SSH_AUTH_SOCK: sock, SNIFFDIAG_SSH_PASSWORD: undefined as unknown as string } });
      expect(run.error).toBeNull();
      expect(server.log.auth).toContain("publickey");
      expect(server.log.auth).not.toContain("password");
    } finally {
      agent.kill();
    }
  });
});

test("the CLI: a live failure is one line on standard error and exit 2", async () => {
  ensureBuilt();
  const server = await serve({ hostname: "FGT-LAB", maxAdmins: true, packets: seed });
  const dir = mkdtempSync(join(tmpdir(), "sniffdiag-cli-"));
  const kh = join(dir, "known_hosts");
  writeFileSync(kh, knownHostsEntry(server.port, server.hostKey.publicBlob));
  const child = spawn(process.execPath, [join(repoRoot, "dist/cli.mjs"), "live", `admin@127.0.0.1:${server.port}`, "port 53", "--known-hosts", kh], {
    env: { ...process.env, HOME: dir, SNIFFDIAG_SSH_PASSWORD: "secret" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((r) => child.on("close", r));
  expect(code).toBe(2);
  expect(out).toBe("");
  expect(err).toBe("sniffdiag live: Reached maximum number of logged in administrators.\n");
});

test("nothing but the one command is typed: a line break in FILTER, --iface or --vdom is refused before connecting", async () => {
  const server = await serve({ hostname: "FGT-LAB", packets: seed });
  for (const args of [{ filter: "port 53\nexecute factoryreset" }, { iface: "any\rexecute reboot" }, { iface: "port1 port2" }, { vdom: "root\nexecute reboot" }]) {
    const run = await live(server, { args });
    expect(run.error?.kind).toBe("usage");
  }
  expect(server.log.peers).toEqual([]);
});

test("--debug-flow on a VDOM unit: both sessions enter the VDOM; the debug session is cleaned up, then left with end and exit", async () => {
  const packets = readLiveFixture("icmp-denied-v4-traces.txt");
  const traces = readLiveFixture("icmp-denied-traces.txt");
  const server = await serve({ hostname: "FGT-HA", vdoms: ["root", "dmz"], packets, traces });
  const run = await live(server, { ctrlC: 1, args: { vdom: "dmz", filter: "host 10.10.0.5 and host 10.20.0.8", debugFlow: 4, excludeOwnSession: false } });
  expect(run.error).toBeNull();
  expect(server.log.shells[0]?.typed).toEqual(["config vdom", "edit dmz", sniffer("host 10.10.0.5 and host 10.20.0.8"), "^C", "end", "exit"]);
  const debug = server.log.shells[1]?.typed ?? [];
  expect(debug.slice(0, 2)).toEqual(["config vdom", "edit dmz"]);
  expect(debug).toContain("diagnose debug flow filter addr 10.10.0.5 10.20.0.8 and");
  expect(debug.slice(-6)).toEqual(["diagnose debug disable", "diagnose debug flow trace stop", "diagnose debug flow filter clear", "diagnose debug reset", "end", "exit"]);
  expect(run.report.live["debugFlow"]).toMatchObject({ cleanup: ["diagnose debug disable", "diagnose debug flow trace stop", "diagnose debug flow filter clear", "diagnose debug reset"] });
  expect(withoutLive(run.report)).toEqual(analyzeTranscript(run));
});
