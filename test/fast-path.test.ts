/**
 * The byte path's hand scanners against the grammar (the definition). Every line of the shared
 * corpus, the samples, generated bench captures and fast-check lines goes through both: where a
 * scanner accepts a line, the grammar must give the same shape (header fields, hex row bytes);
 * and whole inputs parsed on the byte path and with `grammarOnly` give identical records and line
 * classes. Tests also count what the scanners accepted, so a scanner that declines everything
 * fails here instead of passing silently.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { classifyLine, decodeHexRow } from "../grammars/sniffer/index.js";
import { hexRowScan, scanHeader, scanHexRow } from "../grammars/sniffer/fast.js";
import { cleanLine } from "../src/input/clean.js";
import { splitLines } from "../src/input/lines.js";
import { parseCapture, parseStream, type AssembledRecord } from "../src/parse.js";
import { corpusDir, corpusFiles, debugFlowDir, samplesDir, testCorpus } from "./helpers/corpus.js";

interface Tally {
  headers: number;
  hexRows: number;
  lines: number;
}

const row = new Uint8Array(32);

function toHex(bytes: Uint8Array, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += (bytes[i] as number).toString(16).padStart(2, "0");
  return s;
}

/** One cleaned line through both: the scanners' answers must be the grammar's. */
function checkLine(text: string, tally: Tally): void {
  tally.lines++;
  const header = scanHeader(text);
  if (header !== null) {
    tally.headers++;
    const g = classifyLine(text);
    const got = { text, shape: g.shape, comment: g.comment };
    const want = { text, shape: { kind: "header", header }, comment: null };
    // expect() per line is slow over 100k lines: compare cheaply, let expect() report a difference
    if (JSON.stringify(got) !== JSON.stringify(want)) expect(got).toEqual(want);
  }
  // the hex scanner reads bytes: printable ASCII and TABs only (the byte path sends other lines,
  // and lines where cleaning would put a line break, to the grammar)
  if (!/^[\t\x20-\x7e]*$/.test(text)) return;
  const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
  if (scanHexRow(bytes, 0, bytes.length, row)) {
    tally.hexRows++;
    const g = classifyLine(text);
    const got = { text, kind: g.shape.kind, decoded: g.shape.kind === "hexRow" ? decodeHexRow(g.shape.image) : null };
    const want = { text, kind: "hexRow", decoded: { offset: hexRowScan.offset, hex: toHex(row, hexRowScan.count), bytes: hexRowScan.count } };
    if (JSON.stringify(got) !== JSON.stringify(want)) expect(got).toEqual(want);
  }
}

function checkText(text: string, tally: Tally): void {
  for (const l of splitLines(text)) {
    const clean = cleanLine(l.text);
    if (clean.text.length > 0) checkLine(clean.text, tally);
  }
}

/** Both paths over the same bytes: identical records (hence line classes in the summary). */
function checkWhole(bytes: Uint8Array, source: string): void {
  const fast = parseCapture(bytes, { source, grammarOnly: false });
  const grammar = parseCapture(bytes, { source, grammarOnly: true });
  expect(fast.records).toEqual(grammar.records);
  expect(JSON.stringify(fast.records)).toBe(JSON.stringify(grammar.records));
}

function files(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(".txt"))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** Bench captures, generated small (the generator of bench/data, not its 100 MB files). */
type Generator = { generate(def: object, path: string): Promise<unknown>; DATASETS: Record<string, Record<string, unknown>> };

async function benchCaptures(): Promise<{ name: string; bytes: Buffer }[]> {
  const gen = (await import("../bench/generate.mjs" as string)) as Generator;
  const dir = mkdtempSync(join(tmpdir(), "sniffdiag-fast-"));
  try {
    const out: { name: string; bytes: Buffer }[] = [];
    for (const [name, def] of Object.entries(gen.DATASETS)) {
      for (const seed of [1, 2]) {
        const path = join(dir, `${name}-${seed}.txt`);
        await gen.generate({ ...def, packets: 4000, seed: (def["seed"] as number) + seed }, path);
        out.push({ name: `${name} seed+${seed}`, bytes: readFileSync(path) });
      }
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("fast path = grammar, line by line", () => {
  test("samples/", () => {
    const tally: Tally = { headers: 0, hexRows: 0, lines: 0 };
    const list = files(samplesDir);
    expect(list.length).toBeGreaterThan(5);
    for (const f of list) checkText(readFileSync(f, "utf8"), tally);
    expect(tally.headers).toBeGreaterThan(50);
    expect(tally.hexRows).toBeGreaterThan(50);
  });

  testCorpus("../shared/corpus and corpus-debugflow", () => {
    const tally: Tally = { headers: 0, hexRows: 0, lines: 0 };
    const list = [...corpusFiles().map((f) => corpusDir + f), ...files(debugFlowDir)];
    expect(list.length).toBeGreaterThan(30);
    for (const f of list) checkText(readFileSync(f, "utf8"), tally);
    expect(tally.headers).toBeGreaterThan(200);
    expect(tally.hexRows).toBeGreaterThan(200);
  });

  test("bench generator output (every line of small captures of each data set)", async () => {
    const tally: Tally = { headers: 0, hexRows: 0, lines: 0 };
    for (const c of await benchCaptures()) checkText(c.bytes.toString("utf8"), tally);
    expect(tally.headers).toBeGreaterThan(10000);
    expect(tally.hexRows).toBeGreaterThan(10000);
  }, 120000);

  test("generated lines", () => {
    const ts = fc.oneof(
      { arbitrary: fc.constantFrom("0.667497", "14.061164", "2024-05-15 09:30:00.396383"), weight: 3 },
      fc.tuple(fc.integer({ min: 0, max: 99999999999 }), fc.integer({ min: 0, max: 9999999999 })).map(([a, b]) => `${a}.${b}`),
      fc.constantFrom("2024-05-15 09:30:00.396383", "2024-05-15 09:30:00.3", "2024-05-15  09:30:00.3", "2024-5-15 09:30:00.396383", "2024-05-15 09:30:00.1234567890"),
    );
    const word = fc.stringMatching(/^[A-Za-z0-9_.:@<>#%$!?,;+|~^`\\\]){}-]{1,12}$/);
    const blank = fc.constantFrom(" ", "  ", "\t", " \t");
    const iface = fc.oneof({ arbitrary: fc.constantFrom("port1 in", "port2 out", "wan1 --"), weight: 4 }, fc.constantFrom("port1 in", "wan1 out", "HUB1-VPN1_0 --", "any in", "port2 outx", "in in", "Using in", "pcap_x: in"), fc.tuple(word, fc.constantFrom(" in", " out", " --")).map(([a, b]) => a + b));
    const endpoint = fc.oneof(
      { arbitrary: fc.constantFrom("172.16.185.153.42416", "10.0.0.1.53", "fe80::1.546"), weight: 4 },
      fc.constantFrom("172.16.185.153.42416", "10.0.0.1", "fe80::1.546", "ff02::1:ff00:1", "<NAS-IP>.XXXXX", "ORIG_IP.53178", "82.x.x.x.59730", "->", "a", "1.2.3.4.5:"),
      word,
    );
    const num = fc.oneof({ arbitrary: fc.nat().map(String), weight: 4 }, fc.constantFrom("0", "007", "1738911297", "99999999999999999999", "12x", ""));
    const summary = fc.oneof(
      fc.tuple(fc.array(fc.oneof({ arbitrary: fc.constantFrom("syn", "fin", "rst", "psh"), weight: 5 }, fc.constantFrom("urg", "ece", "cwr", "ack", "Syn", "synack")), { minLength: 1, maxLength: 3 }), num, fc.option(num)).map(
        ([f, s, a]) => `${f.join(" ")} ${s}${a === null ? "" : ` ack ${a}`}`,
      ),
      num.map((n) => `ack ${n}`),
      num.map((n) => `udp ${n}`),
      fc.tuple(fc.constantFrom("icmp:", "icmp6:", "icmp", "icmp6"), fc.oneof({ arbitrary: fc.constantFrom("echo request", "echo reply"), weight: 3 }, fc.constantFrom("echo", "echo  request", "echo requests")), fc.option(num)).map(
        ([p, e, s]) => `${p} ${e}${s === null ? "" : ` seq ${s}`}`,
      ),
      fc.tuple(fc.constantFrom("udp", "ack", "syn", "icmp:"), fc.array(word, { maxLength: 3 })).map(([a, w]) => [a, ...w].join(" ")),
      fc.constantFrom("udp 146 [hlim 1] (len 154)", "arp who-has 1.2.3.4 tell 5.6.7.8", "syn 1 //comment", "udp 5 packets", "ESP(spi=0x1,seq=0x2)", "ip-proto-47 60"),
    );
    const header = fc
      .tuple(
        ts,
        blank,
        fc.option(fc.tuple(iface, blank), { freq: 4 }),
        endpoint,
        blank,
        fc.oneof({ arbitrary: fc.constant("->"), weight: 6 }, fc.constantFrom("-> ", "- >")),
        blank,
        endpoint,
        fc.oneof({ arbitrary: fc.constant(":"), weight: 6 }, fc.constantFrom("", "::")),
        blank,
        summary,
      )
      .map(([t, b1, i, s, b2, arrow, b3, d, colon, b4, sum]) => `${t}${b1}${i === null ? "" : i[0] + i[1]}${s}${b2}${arrow}${b3}${d}${colon}${b4}${sum}`);
    const hexGroup = fc.oneof(fc.stringMatching(/^[0-9a-fA-F]{4}$/), fc.stringMatching(/^[0-9a-fA-F]{2}$/), fc.stringMatching(/^[0-9a-fA-FxX]{1,5}$/));
    const hexRowLine = fc
      .tuple(
        fc.oneof(fc.stringMatching(/^0x[0-9a-fA-F]{3,9}$/), fc.stringMatching(/^[0-9a-fA-F]{5,7}$/), fc.constantFrom("0x0000", "000010", "0X0010")),
        fc.constantFrom("\t ", "   ", " ", "\t"),
        fc.array(hexGroup, { minLength: 1, maxLength: 10 }),
        fc.constantFrom(" ", "  ", "\t", "        "),
        fc.constantFrom("", "..E.", "&amp;x", "a*b**c**", "&#10;", "\t....&....", "ascii"),
      )
      .map(([off, sep, groups, gap, ascii]) => `${off}${sep}${groups.join(" ")}${gap}${ascii}`.trim());
    const tally: Tally = { headers: 0, hexRows: 0, lines: 0 };
    fc.assert(
      fc.property(fc.oneof(header, hexRowLine), (line) => {
        const clean = cleanLine(line);
        if (clean.text.length > 0) checkLine(clean.text, tally);
      }),
      { numRuns: 3000 },
    );
    expect(tally.headers).toBeGreaterThan(50);
    expect(tally.hexRows).toBeGreaterThan(50);
  });
});

describe("fast path = grammar, whole inputs (records and line classes)", () => {
  test("samples/", () => {
    for (const f of files(samplesDir)) checkWhole(readFileSync(f), f);
  });

  testCorpus("../shared/corpus and corpus-debugflow", () => {
    for (const f of [...corpusFiles().map((n) => corpusDir + n), ...files(debugFlowDir)]) checkWhole(readFileSync(f), f);
  });

  test("bench generator output", async () => {
    for (const c of await benchCaptures()) checkWhole(c.bytes, c.name);
  }, 120000);

  test("generated inputs: byte path = grammar path, in any chunking", async () => {
    const piece = fc.constantFrom(
      "2024-05-15 09:30:00.396383 port1 in 172.16.185.153.42416 -> 151.163.202.133.443: syn 1738911297 ",
      "0.667497 port1 in 172.16.252.103.59243 -> 208.91.112.52.53: udp 35",
      "0x0000\t 0000 0000 0001 0050 56b3 522f 0800 4500\t.......PV.R/..E.",
      "0x0010\t 003c 6e05 4000 8006 c4e3 ac10 b999 97a3\t.<n.@&amp;**x**..",
      "0x0020   ca85 a5b0 01bb        ......",
      "0x0010\t 003c",
      "0x0000\t 4500",
      "000010\t 08 00 06 04",
      "   0x0030\t faf0 a275",
      "> 0x0040\t 202e",
      "FGT # diagnose sniffer packet any none 6 0 a",
      "interfaces=[any]",
      "id=1 trace_id=5 func=x line=1 msg=\"vd-root:0 received a packet(proto=1, 1.1.1.1:1->2.2.2.2:2048) from port1.\"",
      "msg=\"open",
      "\ufeff",
      "\u00e9t\u00e9",
      "\x1b[K",
      // past MAX_LINE_CHARS (cut), past it in bytes but not in characters (not cut), and beyond
      "x".repeat(70000),
      "\u00e9".repeat(40000),
      "\u20ac".repeat(70000),
      "",
      " ",
      "\t",
    );
    const eol = fc.constantFrom("\n", "\r\n", "\r\r\n");
    const input = fc.array(fc.tuple(piece, eol), { maxLength: 40 }).map((a) => a.map(([p, e]) => p + e).join(""));
    await fc.assert(
      fc.asyncProperty(input, fc.boolean(), fc.array(fc.nat({ max: 400 }), { maxLength: 5 }), async (text, bom, cuts) => {
        const bytes = new TextEncoder().encode((bom ? "\ufeff" : "") + text);
        const grammar = parseCapture(bytes, { grammarOnly: true });
        const points = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let at = 0;
        for (const p of points) {
          chunks.push(bytes.subarray(at, p));
          at = p;
        }
        chunks.push(bytes.subarray(at));
        const streamed: AssembledRecord[] = [];
        for await (const r of parseStream(chunks, { grammarOnly: false })) streamed.push(r);
        expect(streamed).toEqual(grammar.records);
        // and the text path (strings, as before the byte path) agrees too
        expect(parseCapture((bom ? "\ufeff" : "") + text, { grammarOnly: true }).records).toEqual(grammar.records);
      }),
      { numRuns: 300 },
    );
  });
});
