/**
 * `runExport` (src/cli/export-command.ts): files in and out, the start-time note, exit statuses
 * and one-line messages, and tshark reading what it wrote.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { runExport, type ExportArgs } from "../src/cli/export-command.js";
import { haveTshark, testIfPresent, TSHARK } from "./helpers/require.js";

/** A case that reads the export back with tshark (skipped with a reason without it; a failure under CI=true). */
const withTshark = testIfPresent(haveTshark, TSHARK);

/** Verbose 6 on any, relative stamps: an ICMP echo in on port1, out on wan1, and its reply back. */
const CAPTURE = [
  "FGT60F (root) # diagnose sniffer packet any 'icmp' 6 0",
  "interfaces=[any]",
  "filters=[icmp]",
  "0.100000 port1 in 10.0.1.10 -> 10.0.2.20: icmp: echo request",
  "0x0000\t 0000 0000 0001 0011 2233 4455 0800 4500\t........\"3DU..E.",
  "0x0010\t 002c 1234 4000 4001 1180 0a00 010a 0a00\t.,.4@.@.........",
  "0x0020\t 0214 0800 ecf2 0001 0001 6161 6161 6161\t..........aaaaaa",
  "0x0030\t 6161 6161 6161 6161 6161               \taaaaaaaaaa",
  "",
  "0.100050 wan1 out 10.0.1.10 -> 10.0.2.20: icmp: echo request",
  "0x0000\t 0000 0000 0000 0009 0f09 0002 0800 4500\t..............E.",
  "0x0010\t 002c 1234 4000 4001 1180 0a00 010a 0a00\t.,.4@.@.........",
  "0x0020\t 0214 0800 ecf2 0001 0001 6161 6161 6161\t..........aaaaaa",
  "0x0030\t 6161 6161 6161 6161 6161               \taaaaaaaaaa",
  "",
  "1.250000 wan1 in 10.0.2.20 -> 10.0.1.10: icmp: echo reply",
  "0x0000\t 0000 0000 0001 0011 2233 4466 0800 4500\t........\"3Df..E.",
  "0x0010\t 002c 1234 4000 4001 1180 0a00 0214 0a00\t.,.4@.@.........",
  "0x0020\t 010a 0000 f4f2 0001 0001 6161 6161 6161\t..........aaaaaa",
  "0x0030\t 6161 6161 6161 6161 6161               \taaaaaaaaaa",
  "",
  "1.250070 port1 out 10.0.2.20 -> 10.0.1.10: icmp: echo reply",
  "0x0000\t 0000 0000 0000 0009 0f09 0001 0800 4500\t..............E.",
  "0x0010\t 002c 1234 4000 4001 1180 0a00 0214 0a00\t.,.4@.@.........",
  "0x0020\t 010a 0000 f4f2 0001 0001 6161 6161 6161\t..........aaaaaa",
  "0x0030\t 6161 6161 6161 6161 6161               \taaaaaaaaaa",
  "",
  "",
  "4 packets received by filter",
  "0 packets dropped by kernel",
  "",
].join("\n");

const HEADER_ONLY = [
  "FGT60F (root) # diagnose sniffer packet port1 'host 10.0.2.20' 4 0 a",
  "interfaces=[port1]",
  "filters=[host 10.0.2.20]",
  "2024-05-15 10:00:00.100000 port1 in 10.0.1.10 -> 10.0.2.20: icmp: echo request",
  "2024-05-15 10:00:00.120000 port1 out 10.0.2.20 -> 10.0.1.10: icmp: echo reply",
  "",
].join("\n");

const MTIME = Date.UTC(2024, 4, 15, 8, 30, 0) / 1000;

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sniffdiag-export-cli-"));
});
afterAll(() => {
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string | Uint8Array, mtime = MTIME): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  utimesSync(p, mtime, mtime);
  return p;
}

async function run(args: ExportArgs): Promise<{ status: number; stderr: string[] }> {
  const stderr: string[] = [];
  const status = await runExport(args, { stderr: (l) => stderr.push(l) });
  return { status, stderr };
}

function tshark(path: string, fields: string[]): string[][] {
  const r = spawnSync("tshark", ["-r", path, "-T", "fields", ...fields.flatMap((f) => ["-e", f])], { encoding: "utf8" });
  expect(r.status).toBe(0);
  expect(r.stderr.split("\n").filter((l) => l.trim() !== "" && !/^Running as user "root"/.test(l))).toEqual([]);
  return r.stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => l.split("\t"));
}

const FIELDS = ["frame.number", "frame.interface_name", "frame.p2p_dir", "ip.src", "ip.dst", "frame.len", "frame.time_epoch"];

describe("runExport", () => {
  test("pcapng from a file: relative stamps from its modification time, said on stderr", async () => {
    const input = file("cap.txt", CAPTURE);
    const output = join(dir, "cap.pcapng");
    const r = await run({ input, output, format: "pcapng" });
    expect(r.status).toBe(0);
    expect(r.stderr).toEqual([`${input}: relative timestamps counted from 2024-05-15T08:30:00.000Z (the file's modification time); set the capture start with --start TIME`]);
    const bytes = readFileSync(output);
    expect(bytes.readUInt32LE(0)).toBe(0x0a0d0d0a);
  });

  withTshark("pcapng from a file: tshark reads the interfaces, directions, addresses and stamps", async () => {
    const input = file("cap-tshark.txt", CAPTURE);
    const output = join(dir, "cap-tshark.pcapng");
    expect((await run({ input, output, format: "pcapng" })).status).toBe(0);
    const rows = tshark(output, FIELDS);
    expect(rows.map((r) => r.slice(0, 6))).toEqual([
      ["1", "port1", "1", "10.0.1.10", "10.0.2.20", "58"],
      ["2", "wan1", "0", "10.0.1.10", "10.0.2.20", "58"],
      ["3", "wan1", "1", "10.0.2.20", "10.0.1.10", "58"],
      ["4", "port1", "0", "10.0.2.20", "10.0.1.10", "58"],
    ]);
    expect(rows.map((r) => Math.round(Number(r[6]) * 1e6))).toEqual([0.1, 0.10005, 1.25, 1.25007].map((t) => Math.round((MTIME + t) * 1e6)));
  });

  test("--start: stamps from the given time, no note", async () => {
    const input = file("cap-start.txt", CAPTURE);
    const output = join(dir, "cap-start.pcapng");
    const r = await run({ input, output, format: "pcapng", start: "2024-05-15 10:00:00" });
    expect(r).toEqual({ status: 0, stderr: [] });
  });

  withTshark("--start: tshark reads the stamps from the given time", async () => {
    const input = file("cap-start-tshark.txt", CAPTURE);
    const output = join(dir, "cap-start-tshark.pcapng");
    expect(await run({ input, output, format: "pcapng", start: "2024-05-15 10:00:00" })).toEqual({ status: 0, stderr: [] });
    const rows = tshark(output, ["frame.time_epoch"]);
    expect(Math.round(Number(rows[0]?.[0]) * 1e6)).toBe(Math.round((Date.UTC(2024, 4, 15, 10) / 1000 + 0.1) * 1e6));
  });

  test("--format pcap, gzip input, --include / --exclude", async () => {
    const input = file("cap.txt.gz", gzipSync(CAPTURE));
    const output = join(dir, "cap.pcap");
    const r = await run({ input, output, format: "pcap", start: "1715767200", include: ["port1", "wan1"], exclude: ["wan1"] });
    expect(r).toEqual({ status: 0, stderr: [] });
    const bytes = readFileSync(output);
    expect(bytes.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(bytes.readUInt32LE(20)).toBe(1);
  });

  withTshark("--format pcap, gzip input, --include / --exclude: tshark reads the packets kept", async () => {
    const input = file("cap-tshark.txt.gz", gzipSync(CAPTURE));
    const output = join(dir, "cap-tshark.pcap");
    expect(await run({ input, output, format: "pcap", start: "1715767200", include: ["port1", "wan1"], exclude: ["wan1"] })).toEqual({ status: 0, stderr: [] });
    expect(tshark(output, ["frame.number", "ip.src", "frame.len"])).toEqual([
      ["1", "10.0.1.10", "58"],
      ["2", "10.0.2.20", "58"],
    ]);
  });

  test("--filter: a tcpdump expression over the packets; a malformed one is a usage error", async () => {
    const input = file("cap-filter.txt", CAPTURE);
    const output = join(dir, "filtered.pcapng");
    expect(await run({ input, output, format: "pcapng", start: "0", filter: "src host 10.0.2.20 and icmp" })).toEqual({ status: 0, stderr: [] });
    expect(readFileSync(output).readUInt32LE(0)).toBe(0x0a0d0d0a);
    const bad = await run({ input, output: join(dir, "bad-filter.pcapng"), format: "pcapng", start: "0", filter: "port" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toHaveLength(1);
    expect(bad.stderr[0]).toMatch(/^sniffdiag: filter: syntax error at column \d+: .*\n {2}port\n +\^$/);
    expect(existsSync(join(dir, "bad-filter.pcapng"))).toBe(false);
  });

  withTshark("--filter: tshark reads only the matching packets", async () => {
    const input = file("cap-filter-tshark.txt", CAPTURE);
    const output = join(dir, "filtered-tshark.pcapng");
    expect(await run({ input, output, format: "pcapng", start: "0", filter: "src host 10.0.2.20 and icmp" })).toEqual({ status: 0, stderr: [] });
    expect(tshark(output, ["frame.interface_name", "ip.src"])).toEqual([
      ["wan1", "10.0.2.20"],
      ["port1", "10.0.2.20"],
    ]);
  });

  test("everything excluded: a valid empty file and a note", async () => {
    const input = file("cap-ex.txt", CAPTURE);
    const output = join(dir, "empty.pcapng");
    const r = await run({ input, output, format: "pcapng", start: "0", include: ["port9"] });
    expect(r).toEqual({ status: 0, stderr: [`${input}: no packets written (4 on excluded interfaces)`] });
    expect(readFileSync(output).readUInt32LE(0)).toBe(0x0a0d0d0a);
  });

  withTshark("everything excluded: tshark reads a valid file without packets", async () => {
    const input = file("cap-ex-tshark.txt", CAPTURE);
    const output = join(dir, "empty-tshark.pcapng");
    expect((await run({ input, output, format: "pcapng", start: "0", include: ["port9"] })).status).toBe(0);
    expect(tshark(output, ["frame.number"])).toEqual([]);
  });

  test("empty captures: exit 2 naming the interface and the filter, no file (issue 11 item 12)", async () => {
    const input = file("empty.txt", "interfaces=[wan1]\nfilters=[none]\n\n0 packets received by filter\n0 packets dropped by kernel\n");
    const output = join(dir, "empty-cap.pcapng");
    expect(await run({ input, output, format: "pcapng" })).toEqual({
      status: 2,
      stderr: [`${input}:1: the capture matched no packets on wan1: check the interface and the filter; nothing to export`],
    });
    expect(existsSync(output)).toBe(false);
    const filtered = file("empty-filter.txt", "FGT # diagnose sniffer packet wan1 'host 198.51.100.99' 6 0 a\ninterfaces=[wan1]\nfilters=[host 198.51.100.99]\n^C\n0 packets received by filter\n0 packets dropped by kernel\n");
    const r = await run({ input: filtered, output: join(dir, "ef.pcapng"), format: "pcapng" });
    expect(r.status).toBe(2);
    expect(r.stderr).toEqual([`${filtered}:1: the capture matched no packets on wan1 with filter 'host 198.51.100.99': check the interface and the filter; nothing to export`]);
  });

  test("header-only capture: exit 2, one line naming the verbose level and the command, no file", async () => {
    const input = file("v4.txt", HEADER_ONLY);
    const output = join(dir, "v4.pcapng");
    const r = await run({ input, output, format: "pcapng" });
    expect(r).toEqual({
      status: 2,
      stderr: [`${input}:1: the capture has no hex dump (verbose 4); capture with verbose 6: diagnose sniffer packet port1 'host 10.0.2.20' 6 0 a`],
    });
    expect(existsSync(output)).toBe(false);
  });

  test("no capture, unreadable input, bad --start, unwritable output: exit 2 with one line", async () => {
    const prose = file("prose.txt", "nothing to see here\n");
    expect(await run({ input: prose, output: join(dir, "p.pcapng"), format: "pcapng" })).toEqual({ status: 2, stderr: [`${prose}: no sniffer output found`] });
    expect(existsSync(join(dir, "p.pcapng"))).toBe(false);

    const missing = join(dir, "missing.txt");
    expect(await run({ input: missing, output: join(dir, "m.pcapng"), format: "pcapng" })).toEqual({ status: 2, stderr: [`${missing}: cannot read: no such file or directory`] });

    const input = file("cap-bad.txt", CAPTURE);
    const bad = await run({ input, output: join(dir, "b.pcapng"), format: "pcapng", start: "yesterday" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toHaveLength(1);
    expect(bad.stderr[0]).toMatch(/^sniffdiag: --start: cannot read 'yesterday' as a time/);

    const nowhere = join(dir, "no-such-dir", "out.pcapng");
    const w = await run({ input, output: nowhere, format: "pcapng", start: "0" });
    expect(w).toEqual({ status: 2, stderr: [`${nowhere}: cannot write: no such file or directory`] });
  });
});
