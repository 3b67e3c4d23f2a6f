/** Input normalisation: encodings, line breaks and numbering, and what pasting does to lines. */
import { parseCapture, splitLines, cleanLine, decodeBytes, LineSplitter, parseStream } from "../src/internal.js";
import { replayTerminalEdits } from "../src/input/clean.js";
import { MAX_LINE_CHARS } from "../src/input/lines.js";

const SEED_LINE = "2010-10-27 12:40:19.050364 port1 out 82.x.x.x.59730 -> 82.71.226.65.8889: udp 64";

describe("decoding", () => {
  test("UTF-8 with a BOM", () => {
    expect(decodeBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x0a]))).toBe("a\n");
  });
  test("UTF-16 LE and BE with a BOM are decoded, not rejected", () => {
    const text = SEED_LINE + "\r\n";
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const be = Buffer.from(le);
    for (let i = 0; i < be.length; i += 2) [be[i], be[i + 1]] = [be[i + 1] as number, be[i] as number];
    for (const bytes of [le, be]) {
      const r = parseCapture(bytes);
      expect(r.packets).toHaveLength(1);
      expect(r.packets[0]).toMatchObject({ dport: 8889, line: 1 });
    }
  });
  test("multi-byte characters split across stream chunks stay whole", async () => {
    const bytes = Buffer.from(SEED_LINE + "   //主防火墙\n", "utf8");
    const chunks = Array.from(bytes).map((b) => new Uint8Array([b]));
    const records = [];
    for await (const r of parseStream(chunks)) records.push(r);
    const packet = records.find((r) => r.type === "packet");
    expect(packet).toMatchObject({ comment: "主防火墙", dport: 8889 });
  });
});

describe("line numbering (contract: Line numbers)", () => {
  test("\\n, \\r\\n and \\r\\r\\n each end one line; a lone \\r does not", () => {
    const lines = splitLines("a\nb\r\nc\r\r\nd\re\n");
    expect(lines.map((l) => [l.no, l.text])).toEqual([
      [1, "a"],
      [2, "b"],
      [3, "c"],
      [4, "d\re"],
    ]);
  });
  test("the empty remainder after a final newline is not a line; a last line without one is", () => {
    expect(splitLines("a\nb\n")).toHaveLength(2);
    expect(splitLines("a\nb")).toHaveLength(2);
    expect(splitLines("")).toHaveLength(0);
    expect(splitLines("\n")).toHaveLength(1);
  });
  test("chunk boundaries anywhere give the same lines", () => {
    const text = "x\r\nyy\r\r\nzzz\n\nw";
    for (let cut = 0; cut <= text.length; cut++) {
      const s = new LineSplitter();
      const got = [...s.push(text.slice(0, cut)), ...s.push(text.slice(cut)), ...s.end()];
      expect(got).toEqual(splitLines(text));
    }
  });
  test("a 10 MB line is cut for reading but still one line, with a diagnostic", () => {
    const big = "A".repeat(10 * 1024 * 1024);
    const r = parseCapture(`${SEED_LINE}\n${big}\n${SEED_LINE}\n`);
    expect(r.summary.lines).toBe(3);
    expect(r.packets.map((p) => p.line)).toEqual([1, 3]);
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([["line-too-long", 2]]);
    expect(splitLines(big)[0]?.text.length).toBe(MAX_LINE_CHARS);
  });
});

describe("cleaning pasted lines", () => {
  test.each([
    ["ANSI colour and title sequences", "\x1b]0;oho@chaos: ~\x07\x1b[1m" + SEED_LINE + "\x1b[0m", SEED_LINE],
    ["HTML entities", "10.10.10.1.60368 -&gt; 10.10.20.1.22: syn 2179876642", "10.10.10.1.60368 -> 10.10.20.1.22: syn 2179876642"],
    ["non-breaking spaces", "diagnose sniffer\u00a0packet any", "diagnose sniffer packet any"],
    ["markdown quote prefix", "> " + SEED_LINE, SEED_LINE],
    ["quote prefix without a space", ">" + SEED_LINE, SEED_LINE],
    ["bold interface names", "3.482103 **H1_T11_1** out 10.0.0.1 -> 10.0.0.2: icmp: echo request", "3.482103 H1_T11_1 out 10.0.0.1 -> 10.0.0.2: icmp: echo request"],
    ["smart quotes", "any \u201chost 172.16.1.100 and icmp\u201d 4", 'any "host 172.16.1.100 and icmp" 4'],
    ["indent and trailing blanks", "    " + SEED_LINE + "   ", SEED_LINE],
  ])("%s", (_name, raw, clean) => {
    expect(cleanLine(raw).text).toBe(clean);
  });

  test("indentation is measured (tabs to 8 columns)", () => {
    expect(cleanLine("        CAPWAP  Keep Alive")).toEqual({ text: "CAPWAP  Keep Alive", indent: 8, fence: false, control: -1 });
    expect(cleanLine("\tx").indent).toBe(8);
  });

  test("code fences are marked", () => {
    expect(cleanLine("```text").fence).toBe(true);
  });

  test("terminal edits in the echoed command are replayed", () => {
    expect(replayTerminalEdits('diag snif pack wan1 "ether proto 0x0\x08\x1b[K8890" 6 0 a')).toBe('diag snif pack wan1 "ether proto 0x8890" 6 0 a');
    expect(replayTerminalEdits("diag n\x08\x1b[Ksnif pa\x08\x1b[K\x08\x1b[Kpack wan1")).toBe("diag snif pack wan1");
  });

  test("a pasted ticket with fences, quotes and a constant indent parses like the clean capture", () => {
    const clean = ["diagnose sniffer packet any 'port 53' 4 0 a", "interfaces=[any]", "filters=[port 53]", SEED_LINE, "2010-10-27 12:40:19.060000 port1 in 82.71.226.65.8889 -> 82.x.x.x.59730: udp 40"];
    const pasted = ["Hi team, capture below:", "```", ...clean.map((l) => "> " + l), "```", "thanks"];
    const a = parseCapture(clean.join("\n") + "\n");
    const b = parseCapture(pasted.join("\r\n") + "\r\n");
    const strip = (r: typeof a) => r.packets.map((p) => ({ ...p, line: 0 }));
    expect(strip(b)).toEqual(strip(a));
    expect(b.captures[0]).toMatchObject({ filter: "port 53", verbose: 4 });
    expect(b.summary.classes).toMatchObject({ noise: 4, packet: 2, preamble: 2, command: 1 });
  });
});
