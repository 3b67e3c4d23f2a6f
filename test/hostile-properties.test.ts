/**
 * Properties behind issue 16: escape sequences and hex offsets never throw and never build more
 * than a bound; safeText leaves no control character; an output path that names an input, in
 * any spelling, is refused.
 */
import fc from "fast-check";
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { cleanLine, replayTerminalEdits, MAX_REPLAY_COLUMNS } from "../src/input/clean.js";
import { assembleLines, MAX_SNAPLEN } from "../src/assembly/assemble.js";
import { timestampProblem } from "../src/assembly/fields.js";
import { splitLines } from "../src/input/lines.js";
import { jsonSafe, safeLines, safeStrings, safeText } from "../src/safe-text.js";
import { OutputError, refuseOverwritingInputs } from "../src/cli/output.js";

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Pieces a hostile line is made of: CSI with huge or odd counts, OSC, BS, C0/C1, text. */
const piece = fc.oneof(
  fc.constantFrom("\x1b[", "\x1b]", "\x1b", "\x07", "\x08", "\x1b\\", ";", "?", "\x00", "\r", "\u0085", "\u009b", "\u202e", " ", "a", "0x0000"),
  fc.tuple(fc.oneof(fc.nat(), fc.constant(2_000_000_000), fc.constant(Number.MAX_SAFE_INTEGER)), fc.constantFrom("C", "D", "@", "P", "K", "m", "J", "")).map(([n, f]) => `\x1b[${n}${f}`),
  fc.string({ maxLength: 8 }),
);
const hostileLine = fc.array(piece, { maxLength: 60 }).map((p) => p.join(""));

describe("escape sequences", () => {
  test("the replay never throws and is never longer than its line (nor the replay width)", () => {
    fc.assert(
      fc.property(hostileLine, (line) => {
        const out = replayTerminalEdits(line);
        expect(out.length).toBeLessThanOrEqual(Math.min(line.length, MAX_REPLAY_COLUMNS));
      }),
      { numRuns: 2000 },
    );
  });

  test("cleanLine never throws, never grows a line, and names a control character it read as a space", () => {
    fc.assert(
      fc.property(hostileLine, (line) => {
        const c = cleanLine(line);
        expect(c.text.length).toBeLessThanOrEqual(line.length);
        // eslint-disable-next-line no-control-regex
        expect(/[\x00-\x08\x0a-\x1f\x7f-\x9f]/.test(c.text)).toBe(false);
        if (c.control >= 0) expect(line.includes(String.fromCharCode(c.control))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  test("a 16-byte line with a cursor move of 2,000,000,000 columns stays within its 15 columns", () => {
    expect(replayTerminalEdits("x\x1b[2000000000Cx")).toBe("x" + " ".repeat(13) + "x");
    expect(replayTerminalEdits("x\x1b[200000@y")).toBe("xy");
    expect(replayTerminalEdits("abc\x1b[2D\x1b[5@z")).toBe("az    bc");
  });
});

describe("hex offsets", () => {
  const HEADER = "2024-06-10 06:13:20.000000 port1 in 10.0.0.1.1000 -> 10.0.0.2.53: udp 10";
  const offset = fc.oneof(fc.nat({ max: 0x20000 }), fc.constantFrom(0x8000000, 0xffffffff, 2 ** 40, 0xfff0), fc.nat());
  test("rows at any offsets never throw, and no packet holds more than the snap length", () => {
    fc.assert(
      fc.property(fc.array(offset, { minLength: 1, maxLength: 12 }), (offsets) => {
        const rows = offsets.map((o) => `0x${o.toString(16).padStart(4, "0")}\t 4500 0026 0000 4000 4011 0000 0a00 0001`);
        const text = ["diagnose sniffer packet any none 6 0 a", HEADER, "0x0000\t 4500 0026 0000 4000 4011 0000 0a00 0001", ...rows, ""].join("\n");
        const records = assembleLines("t", splitLines(text));
        for (const r of records) if (r.type === "packet" && r.bytes !== null) expect(r.bytes.length).toBeLessThanOrEqual(2 * MAX_SNAPLEN);
        const beyond = records.filter((r) => r.type === "diagnostic" && r.code === "hex-offset-beyond-snaplen").length;
        expect(beyond).toBe(offsets.filter((o) => o + 16 > MAX_SNAPLEN && o >= 16).length > 0 ? beyond : 0);
      }),
      { numRuns: 500 },
    );
  });

  test("the command's frame size bounds the dump", () => {
    const text = ["diagnose sniffer packet any none 6 0 a 64", HEADER, "0x0000\t 4500 0026 0000 4000 4011 0000 0a00 0001", "0x0100\t 4500", ""].join("\n");
    const records = assembleLines("t", splitLines(text));
    expect(records.filter((r) => r.type === "diagnostic").map((r) => r.type === "diagnostic" && r.code)).toContain("hex-offset-beyond-snaplen");
  });
});

describe("timestamps", () => {
  test("a date-time is accepted exactly when it names a real instant", () => {
    const two = (n: number) => String(n).padStart(2, "0");
    fc.assert(
      fc.property(fc.integer({ min: 1970, max: 2099 }), fc.nat({ max: 99 }), fc.nat({ max: 99 }), fc.nat({ max: 99 }), fc.nat({ max: 99 }), fc.nat({ max: 59 }), (y, mo, d, h, mi, s) => {
        const image = `${y}-${two(mo)}-${two(d)} ${two(h)}:${two(mi)}:${two(s)}.000000`;
        const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
        const real = mo >= 1 && d >= 1 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h <= 23 && mi <= 59;
        expect(timestampProblem(image) === null).toBe(real);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("safeText", () => {
  test("leaves no control, separator or bidi character; text without them is unchanged", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 80 }), (s) => {
        const out = safeText(s);
        expect(RAW_CONTROL.test(out)).toBe(false);
        if (!RAW_CONTROL.test(s)) expect(out).toBe(s);
        expect(safeLines(s).split("\n").every((l) => !RAW_CONTROL.test(l))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  test("jsonSafe JSON reads back as the same value and holds no raw control", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 80 }), (s) => {
        const json = jsonSafe(JSON.stringify({ s }));
        expect(RAW_CONTROL.test(json)).toBe(false);
        expect((JSON.parse(json) as { s: string }).s).toBe(s);
      }),
      { numRuns: 3000 },
    );
  });

  test("safeStrings reaches every string of a value and copies only what changes", () => {
    const clean = { a: "x", b: [1, "y"] };
    expect(safeStrings(clean)).toBe(clean);
    expect(safeStrings({ a: ["ok", { t: "\x1b[2J" }], n: 3 })).toEqual({ a: ["ok", { t: "\\x1b[2J" }], n: 3 });
  });
});

describe("an output that is an input is refused, in any spelling", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "sniffdiag-same-"));
    mkdirSync(join(dir, "a", "b"), { recursive: true });
    writeFileSync(join(dir, "a", "in.txt"), "capture\n");
    writeFileSync(join(dir, "a", "other.txt"), "other\n");
    symlinkSync(join(dir, "a", "in.txt"), join(dir, "a", "b", "sym.txt"));
    linkSync(join(dir, "a", "in.txt"), join(dir, "a", "b", "hard.txt"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const spelling = fc.record({
    name: fc.constantFrom("a/in.txt", "a/b/sym.txt", "a/b/hard.txt"),
    detour: fc.array(fc.constantFrom("./", "b/../", "./b/../"), { maxLength: 3 }),
    absolute: fc.boolean(),
  });

  test("same file: OutputError; another file: no error", async () => {
    await fc.assert(
      fc.asyncProperty(spelling, fc.boolean(), async ({ name, detour, absolute }, inputFirst) => {
        const parts = name.split("/");
        const spelled = [parts[0], ...detour, ...parts.slice(1)].join("/").replace(/\/+/g, "/");
        const output = absolute ? join(dir, spelled) : relative(process.cwd(), join(dir, spelled));
        const inputs = inputFirst ? [join(dir, "a", "in.txt"), join(dir, "a", "other.txt")] : [join(dir, "a", "other.txt"), join(dir, "a", "in.txt")];
        await expect(refuseOverwritingInputs(output, inputs)).rejects.toBeInstanceOf(OutputError);
        await expect(refuseOverwritingInputs(output, [join(dir, "a", "other.txt")])).resolves.toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });
});

describe("a fault inside one line", () => {
  test("costs that line only: a diagnostic naming it, counted as unrecognized, the input goes on", async () => {
    const { Assembler } = await import("../src/assembly/assemble.js");
    const a = new Assembler("t.txt");
    const real = (a as unknown as { handle: (l: unknown) => void }).handle.bind(a);
    (a as unknown as { handle: (l: { no: number }) => void }).handle = (l) => {
      if (l.no === 2) throw new RangeError("Maximum call stack size exceeded");
      real(l);
    };
    const lines = splitLines("diagnose sniffer packet any none 4 0 a\nboom\n2024-06-10 06:13:20.000000 port1 in 10.0.0.1.1000 -> 10.0.0.2.53: udp 10\n");
    const records = lines.flatMap((l) => a.push(l)).concat(a.end());
    const diag = records.find((r) => r.type === "diagnostic");
    expect(diag).toMatchObject({ line: 2, code: "internal-error", severity: "error" });
    expect(records.filter((r) => r.type === "packet")).toHaveLength(1);
    const summary = records.find((r) => r.type === "summary");
    expect(summary?.type === "summary" && summary.classes.unrecognized).toBe(1);
  });
});
