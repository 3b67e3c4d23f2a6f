/**
 * Conformance over every public capture in ../shared/corpus: no exception, line classes add up,
 * every line the spec calls a packet header is a packet, hex bytes equal the rows they came from.
 */
import { parseCapture, splitLines, cleanLine } from "../src/internal.js";
import { corpusFiles, describeCorpus, readCorpus } from "./helpers/corpus.js";
import { rowBytes } from "./helpers/hex.js";

/** The spec's packet header (§3.1), checked independently of the grammar. */
const HEADER = /^(?:\[[^\]]+\]\s+)?(?:\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+|\d+\.\d+)\s+\S/;


describeCorpus("shared corpus conformance", () => {
  const files = corpusFiles();
  test("the corpus is there", () => {
    expect(files.length).toBeGreaterThan(30);
  });

  test.each(files)("%s", (name) => {
    const bytes = readCorpus(name);
    const result = parseCapture(bytes, { source: name });
    const lines = splitLines(bytes.toString("utf8"));
    const { summary } = result;

    // every line accounted for exactly once
    expect(summary.lines).toBe(lines.length);
    const total = Object.values(summary.classes).reduce((a, b) => a + b, 0);
    expect(total).toBe(summary.lines);
    expect(summary.classes.unrecognized).toBe(result.diagnostics.filter((d) => d.code === "unrecognized-line" || d.code === "line-too-long" || d.code === "invalid-timestamp" || d.code === "internal-error").length);

    // every header line is a packet, at its line
    const headerLines = lines.filter((l) => HEADER.test(cleanLine(l.text).text)).map((l) => l.no);
    expect(result.packets.map((p) => p.line)).toEqual(headerLines);

    // hex bytes are the rows they came from
    const byNo = new Map(lines.map((l) => [l.no, l.text]));
    for (const p of result.packets) {
      if (p.bytes === null) continue;
      const rows = (p.hexLines ?? []).map((n) => rowBytes(byNo.get(n) ?? ""));
      expect(p.bytes).toBe(rows.join(""));
    }

    if (name.startsWith("59_")) expect(result.captures).toHaveLength(0);
    else expect(result.captures.length).toBeGreaterThan(0);
  });

  test("the seed: two captures, the three UDP/8889 requests at lines 5-7 and the UDP/53 exchange", () => {
    const r = parseCapture(readCorpus(files.find((f) => f.startsWith("00_")) as string));
    expect(r.captures.map((c) => [c.line, c.interfaces, c.filter, c.verbose, c.timestamps])).toEqual([
      [2, "any", "port 8889 or port 8888 or port 53", 4, "absolute"],
      [10, "any", "port 8889 or port 8888 or port 53", 4, "absolute"],
    ]);
    expect(r.packets.map((p) => [p.line, p.capture, p.dir, p.dst, p.dport])).toEqual([
      [5, 0, "out", "82.71.226.65", 8889],
      [6, 0, "out", "208.91.112.194", 8889],
      [7, 0, "out", "216.156.209.26", 8889],
      [13, 1, "out", "208.91.112.194", 53],
      [14, 1, "in", "82.x.x.x", 50210],
    ]);
    // the KB author's bracketed remarks are prose, not capture output
    expect(r.summary.classes).toMatchObject({ packet: 5, command: 2, preamble: 4, noise: 3, blank: 1, unrecognized: 0 });
  });

  test("46: the CAPWAP line under the header is a continuation note, and the hex follows it", () => {
    const r = parseCapture(readCorpus(files.find((f) => f.startsWith("46_")) as string));
    expect(r.packets[0]).toMatchObject({ notes: ["CAPWAP  Keep Alive"], dport: 5247 });
    expect(r.packets[0]?.bytes).toHaveLength(100 * 2);
  });

  test("50: ^C and the trailer close a capture; packets after it start another", () => {
    const r = parseCapture(readCorpus(files.find((f) => f.startsWith("50_")) as string));
    expect(r.captures[0]).toMatchObject({ filter: "icmp && src host 10.0.1.10", received: 4, dropped: 0 });
    expect(r.captures.length).toBe(3);
  });

  test("05: the command that printed help is not a capture; the verbose-3 one is", () => {
    const r = parseCapture(readCorpus(files.find((f) => f.startsWith("05_")) as string));
    expect(r.captures).toHaveLength(1);
    expect(r.captures[0]).toMatchObject({ verbose: 3, interfaces: "any" });
    expect(r.packets[0]?.bytes?.slice(0, 12)).toBe("ffffffffffff");
  });

  test("14: three empty captures with their trailers", () => {
    const r = parseCapture(readCorpus(files.find((f) => f.startsWith("14_")) as string));
    expect(r.captures.map((c) => [c.filter, c.received, c.dropped])).toEqual([
      ["ether proto 0x8890", 0, 0],
      ["ether proto 0x8891", 0, 0],
      ["ether proto 0x8892", 0, 0],
    ]);
  });

  test("17: FortiWeb byte-group hex decodes", () => {
    const r = parseCapture(readCorpus(files.find((f) => f.startsWith("17_")) as string));
    expect(r.packets[0]?.bytes?.slice(0, 32)).toBe("000c29490f7300090f09c80908004500");
  });

  test("39: cFOS preamble lines including the linktype after the redrawn prompt", () => {
    const r = parseCapture(readCorpus(files.find((f) => f.startsWith("39_")) as string));
    expect(r.captures).toHaveLength(1);
    expect(r.summary.classes.preamble).toBe(5);
  });
});
