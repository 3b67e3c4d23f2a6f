// Hostile inputs, generated (never committed): each a function of a size n, so the test suite can
// run them at a small size and `npm run bench -- --hostile` can double n and watch the time grow.
// Every input reproduces one finding of issue 16 (the name says which). Texts are plain strings;
// `gzipNewlines` returns bytes.
import { gzipSync } from "node:zlib";

const COMMAND = "diagnose sniffer packet any 'none' 4 0 a";
const COMMAND6 = "diagnose sniffer packet any 'none' 6 0 a";

/** `2024-06-10 06:13:20.000000` + i microseconds (i < 10^6 per second rolls into seconds). */
export function stamp(i) {
  const s = Math.floor(i / 1e6);
  const us = String(i % 1e6).padStart(6, "0");
  const base = 20 + s;
  const mm = 13 + Math.floor(base / 60);
  return `2024-06-10 06:${String(mm % 60).padStart(2, "0")}:${String(base % 60).padStart(2, "0")}.${us}`;
}

function udp(i, src, dst, dir = "out", iface = "port1", length = 64) {
  return `${stamp(i)} ${iface} ${dir} ${src} -> ${dst}: udp ${length}`;
}

function capture(lines, command = COMMAND) {
  return [command, "interfaces=[any]", "filters=[none]", ...lines, ""].join("\n");
}

function repeatLines(n, make) {
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = make(i);
  return out;
}

/** The 16-byte line that padded to the cursor (2.4 GB, then a V8 fatal error): n of them. */
export function escapeCursor(n) {
  return capture([udp(0, "10.0.0.1.1000", "10.0.0.2.53"), ...repeatLines(n, () => "x\x1b[2000000000Cx")]);
}

/** `ESC[n@` with a huge n (a spread into splice threw): n lines. */
export function escapeInsert(n) {
  return capture([udp(0, "10.0.0.1.1000", "10.0.0.2.53"), ...repeatLines(n, () => "x\x1b[200000@y")]);
}

/** Lines full of blank inserts at the line's start (each shifts the whole line): n lines of 15000. */
export function escapeDense(n) {
  const line = "x".repeat(4000) + "\x1b[4000D" + "\x1b[@".repeat(15000);
  return capture([udp(0, "10.0.0.1.1000", "10.0.0.2.53"), ...repeatLines(n, () => line)]);
}

/** Hex rows at 0x0000 then 0x8000000 and 0xffffffff (a 4 GB zero fill): n packets. */
export function hexGap(n) {
  const lines = [];
  for (let i = 0; i < n; i++) {
    lines.push(`${stamp(i * 10)} port1 in 10.0.0.1.1000 -> 10.0.0.2.53: udp 10`);
    lines.push("0x0000\t 0000 0000 0001 0000 0000 0002 0800 4500");
    lines.push("0x8000000\t 0026 0000 4000 4011 0000 0a00 0001 0a00");
    lines.push("0xffffffff\t 0002");
  }
  return capture(lines, COMMAND6);
}

/** n ICMP unreachables (each its own verdict, and `verdicts.push(...)` overflowed). */
export function unreachables(n) {
  return capture(
    repeatLines(n, (i) => {
      const host = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      return `${stamp(i * 100)} port1 in ${host} -> 10.0.0.1: icmp: ${host} udp port 53 unreachable`;
    }),
  );
}

/**
 * n distinct UDP flows (`flows.push(...)` overflowed at 150k). Lengths vary, as in real traffic,
 * so the copy tracker's buckets stay small (identical packets are `copies`).
 */
export function manyFlows(n) {
  return capture(repeatLines(n, (i) => udp(i * 10, `10.0.${(i >> 8) & 255}.${i & 255}.${1024 + (i % 60000)}`, `10.1.${(i >> 16) & 255}.${(i >> 8) & 255}.53`, "out", "port1", 20 + (i % 1400))));
}

/** One flow seen on n interfaces (interface lists searched with `includes`; table wrap spread). */
export function manyInterfaces(n) {
  return capture(repeatLines(n, (i) => udp(i, "10.0.0.1.1000", "10.0.0.2.53", "out", `if${i}`)));
}

/** 20 lines of `[ ` × n (bracket tokens rescanned: minutes at n = 32000). */
export function brackets(n) {
  return capture(repeatLines(20, () => "[ ".repeat(n)));
}

/** n identical copies of one packet (copy chains O(N²): > 30 s at 40k). */
export function copies(n) {
  return capture(repeatLines(n, () => udp(0, "10.0.0.1.1000", "10.0.0.2.53")));
}

/** n lines the grammar rejects (each used to build chevrotain error objects). */
export function noise(n) {
  return capture(repeatLines(n, (i) => `${i} ~~ not a sniffer line -> at all: ${"z".repeat(i % 40)}`));
}

/** n packet lines, each with a NUL, a lone CR or a NEL where a space belongs. */
export function controls(n) {
  const seps = ["\x00", "\r", "\u0085"];
  return capture(repeatLines(n, (i) => `${stamp(i * 10)} port1 out 10.0.0.1.1000 -> 10.0.0.2.53: udp${seps[i % 3]}64`));
}

/** Terminal and document injection in lines echoed as evidence: n of each kind. */
export const INJECTIONS = [
  "\x1b[2J\x1b[H cleared your screen",
  "\x1b]52;c;cm0gLXJmIH4=\x07 wrote your clipboard",
  "\x1b]0;owned\x07 set your window title",
  "\u009b31m 8-bit CSI",
  "\u202eevil\u202c bidi override",
  "=cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "%%{init: {'theme':'dark'}}%% mermaid directive",
  "a | b | markdown pipe",
];

export function injection(n) {
  const lines = [udp(0, "10.0.0.1.1000", "10.0.0.2.53")];
  for (let i = 0; i < n; i++) for (const s of INJECTIONS) lines.push(`${stamp(10 + i)} port1 out 10.0.0.1.1000 -> 10.0.0.2.8889: udp 64 ${s}`, s);
  return capture(lines);
}

/** Impossible dates: n packet lines dated 2024-99-99. */
export function badDates(n) {
  return capture(repeatLines(n, (i) => `2024-99-99 06:13:${String(i % 60).padStart(2, "0")}.000000 port1 out 10.0.0.1.1000 -> 10.0.0.2.53: udp 64`));
}

/** n megabytes of newlines, gzipped (about 1000:1). */
export function gzipNewlines(n) {
  return gzipSync(Buffer.alloc(n * 1024 * 1024, 10), { level: 9 });
}

/** Generators the --hostile bench doubles: name, generator, the n to start from. */
export const SCALABLE = [
  { name: "escape-cursor", make: escapeCursor, n: 20000 },
  { name: "escape-insert", make: escapeInsert, n: 20000 },
  { name: "escape-dense", make: escapeDense, n: 200 },
  { name: "hex-gap", make: hexGap, n: 5000 },
  { name: "unreachables", make: unreachables, n: 20000 },
  { name: "many-flows", make: manyFlows, n: 20000 },
  { name: "many-interfaces", make: manyInterfaces, n: 20000 },
  { name: "brackets", make: brackets, n: 2000 },
  { name: "copies", make: copies, n: 5000 },
  { name: "noise", make: noise, n: 20000 },
  { name: "controls", make: controls, n: 20000 },
  { name: "injection", make: injection, n: 1000 },
  { name: "bad-dates", make: badDates, n: 20000 },
];
