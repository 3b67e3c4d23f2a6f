/**
 * An inline SVG sequence ("ladder") diagram of one problem service's exchanges: one vertical lane
 * per host (clients on the left, servers to the right, headers with address:port), one row per
 * packet with its time from the first packet and its input line, requests drawn to the right,
 * replies back, refusals with a bar, missing replies as a dashed arrow ending in a cross.
 *
 * Sizes are computed from the text (monospace, so a character is 0.6 em wide); no fonts, images
 * or links are referenced. Colours are presentation attributes (light defaults, `currentColor`
 * for ink) that a page's stylesheet may override by class for dark mode. Every piece of text is
 * escaped with `escapeHtml`, which the HTML renderer shares.
 */
import type { ExchangeStep } from "../report.js";

/** Escape text for HTML/SVG content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => {
    switch (c) {
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      case ">":
        return "&gt;";
      case '"':
        return "&quot;";
      default:
        return "&#39;";
    }
  });
}

export interface LadderOptions {
  /** accessible name of the diagram (its `<title>`); a summary of the steps is appended */
  title?: string;
  /** how the reply window is named in the missing-reply legend, e.g. "2 s"; default "the reply window" */
  window?: string;
  /** legend text for the missing-reply marker; default `no reply within <window>` */
  missingLegend?: string;
  /** steps drawn at most; the rest are counted in a note under the diagram (default 60) */
  maxSteps?: number;
  /** add the SVG namespace, for a standalone .svg file (inline SVG in HTML needs none) */
  standalone?: boolean;
}

const FONT = 12;
const CHAR = 7.3; // monospace advance at 12 px (0.6 em) with a little slack
const PAD = 16;
const ROW = 34;
const LINE_H = 15;
const ROLE_H = 16;
const MIN_GAP = 150;
const MAX_LABEL = 56;
const MONO = "ui-monospace, SFMono-Regular, Menlo, Consolas, Liberation Mono, monospace";

const COLOR = {
  reply: "#1a7f37",
  reject: "#cf222e",
  missing: "#bc4c00",
  box: "#f6f8fa",
  halo: "#ffffff",
} as const;

/** Width of text in the diagram's monospace font; wide (CJK) characters count twice. */
export function textWidth(text: string): number {
  let n = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    n += cp >= 0x1100 && (cp <= 0x115f || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xff00 && cp <= 0xff60) || cp >= 0x1f300) ? 2 : 1;
  }
  return n * CHAR;
}

/** Seconds since the first step: `+0.000 s`, `+5.635 ms` under a second, `+1.960 s` above. */
export function relativeTime(seconds: number): string {
  const d = Math.max(0, seconds);
  if (d > 0 && d < 1) return `+${(d * 1000).toFixed(3)} ms`;
  return `+${d.toFixed(3)} s`;
}

/** `10.0.0.1:53` → host and port; `[2001:db8::1]:53` → host and port; `10.0.0.1`, `fe80::1` → host. */
export function splitEndpoint(endpoint: string): { host: string; port: string | null } {
  const v6 = /^\[(.+)\]:(\d+)$/.exec(endpoint);
  if (v6) return { host: v6[1] ?? endpoint, port: v6[2] ?? null };
  const v4 = /^([^:]+):(\d+)$/.exec(endpoint);
  if (v4) return { host: v4[1] ?? endpoint, port: v4[2] ?? null };
  return { host: endpoint, port: null };
}

function joinEndpoint(host: string, port: string): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

function truncate(text: string, max: number): string {
  const chars = [...text.replace(/[\r\n\t]+/g, " ")];
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("")}…`;
}

/** Coordinates with at most one decimal, no trailing zeros. */
function n(x: number): string {
  return String(Math.round(x * 10) / 10);
}

interface Lane {
  host: string;
  ports: string[];
  client: boolean;
  lines: string[];
  width: number;
  x: number;
}

function laneLines(host: string, ports: string[]): string[] {
  const [only] = ports;
  if (ports.length === 0) return [host];
  if (ports.length === 1 && only !== undefined) return [joinEndpoint(host, only)];
  const shown = ports.slice(0, 3).join(", ");
  return [host, `ports ${shown}${ports.length > 3 ? ` +${ports.length - 3}` : ""}`];
}

const KIND_WORD: Record<ExchangeStep["kind"], string> = { request: "request", reply: "reply", reject: "refused", missing: "no reply" };

/** The ladder diagram of `steps` as an `<svg>` element (empty string for no steps). */
export function ladderSvg(steps: ExchangeStep[], options: LadderOptions = {}): string {
  if (steps.length === 0) return "";
  const maxSteps = Math.max(1, options.maxSteps ?? 60);
  const drawn = steps.slice(0, maxSteps);
  const hidden = steps.length - drawn.length;
  const windowText = options.window ?? "the reply window";

  // Lanes: one per host, clients (senders of requests) first, in order of appearance.
  const lanes = new Map<string, Lane>();
  const addLane = (endpoint: string, client: boolean) => {
    const { host, port } = splitEndpoint(endpoint);
    let lane = lanes.get(host);
    if (lane === undefined) {
      lane = { host, ports: [], client, lines: [], width: 0, x: 0 };
      lanes.set(host, lane);
    }
    if (port !== null && !lane.ports.includes(port)) lane.ports.push(port);
  };
  for (const s of drawn) {
    const toServer = s.kind === "request" || s.kind === "missing";
    addLane(toServer ? s.from : s.to, true);
  }
  for (const s of drawn) {
    addLane(s.from, false);
    addLane(s.to, false);
  }
  const laneList = [...lanes.values()];
  for (const lane of laneList) {
    lane.lines = laneLines(lane.host, lane.ports);
    lane.width = Math.max(96, lane.lines.reduce((w, l) => Math.max(w, textWidth(l)), -Infinity) + 20);
  }
  const laneIndex = (endpoint: string) => laneList.findIndex((l) => l.host === splitEndpoint(endpoint).host);
  const multiPort = (endpoint: string) => (lanes.get(splitEndpoint(endpoint).host)?.ports.length ?? 0) > 1;

  // Row texts.
  const t0 = drawn.reduce((min, s) => Math.min(min, s.ts), Infinity);
  const rows = drawn.map((s) => {
    const from = laneIndex(s.from);
    const to = laneIndex(s.to);
    // a missing reply is drawn from the server back toward the client
    const [a, b] = s.kind === "missing" ? [to, from] : [from, to];
    let label: string;
    if (s.kind === "missing") {
      label = `${s.label} to line ${s.line}`;
    } else {
      // a lane holding several ports: name the ports of each packet
      const fromPort = splitEndpoint(s.from).port;
      const toPort = splitEndpoint(s.to).port;
      const ports =
        (multiPort(s.from) || multiPort(s.to)) && (fromPort !== null || toPort !== null)
          ? `${fromPort === null ? "" : `:${fromPort}`}${fromPort !== null && toPort !== null ? " → " : ""}${toPort === null ? "" : `:${toPort}`}  `
          : "";
      label = `${ports}${s.label}`;
    }
    const time = s.kind === "missing" ? "" : relativeTime(s.ts - t0);
    const line = s.kind === "missing" ? "" : `line ${s.line}`;
    const shown = truncate(label, MAX_LABEL);
    const full =
      s.kind === "missing"
        ? `${s.label}: nothing came back from ${s.to} to ${s.from} within ${windowText} of the request on line ${s.line}`
        : `line ${s.line}, ${relativeTime(s.ts - t0)}: ${s.from} to ${s.to}, ${s.label} (${KIND_WORD[s.kind]})`;
    return { step: s, a, b, label: shown, labelWidth: textWidth(shown), time, line, full };
  });

  // Horizontal layout: the time/line gutter, then gaps between lane centres wide enough for the
  // lane headers and for every label over the lanes its arrow spans.
  const gaps = laneList.slice(1).map((lane, i) => Math.max(MIN_GAP, ((laneList[i]?.width ?? 0) + lane.width) / 2 + 24));
  const spanOf = (r: (typeof rows)[number]) => Math.abs(r.a - r.b);
  let rightNeed = 0;
  for (const r of [...rows].sort((x, y) => spanOf(x) - spanOf(y))) {
    const lo = Math.min(r.a, r.b);
    const hi = Math.max(r.a, r.b);
    const needed = r.labelWidth + 44;
    if (lo === hi) {
      if (lo === laneList.length - 1) rightNeed = Math.max(rightNeed, r.labelWidth + 48);
      else gaps[lo] = Math.max(gaps[lo] ?? 0, r.labelWidth + 60);
      continue;
    }
    let have = 0;
    for (let i = lo; i < hi; i++) have += gaps[i] ?? 0;
    if (have < needed) for (let i = lo; i < hi; i++) gaps[i] = (gaps[i] ?? 0) + (needed - have) / (hi - lo);
  }
  const timeW = rows.reduce((w, r) => Math.max(w, textWidth(r.time)), textWidth("time"));
  const lineW = rows.reduce((w, r) => Math.max(w, textWidth(r.line)), textWidth("line"));
  const timeX = PAD + timeW; // right-aligned
  const lineX = timeX + 14;
  const gutterEnd = lineX + lineW + 18;
  let x = gutterEnd + (laneList[0]?.width ?? 0) / 2;
  laneList.forEach((lane, i) => {
    if (i > 0) x += gaps[i - 1] ?? MIN_GAP;
    lane.x = x;
  });
  const last = laneList[laneList.length - 1];
  const lanesRight = (last?.x ?? 0) + Math.max((last?.width ?? 0) / 2, rightNeed) + PAD;

  // Vertical layout.
  const headerLines = laneList.reduce((n, l) => Math.max(n, l.lines.length), -Infinity);
  const headerTop = PAD + ROLE_H;
  const headerH = headerLines * LINE_H + 12;
  const firstRow = headerTop + headerH + 30;
  const rowY = (i: number) => firstRow + i * ROW;
  const lifeEnd = rowY(rows.length - 1) + 16;

  // Legend of the kinds present.
  const kinds = new Set(drawn.map((s) => s.kind));
  const legend: { kind: ExchangeStep["kind"]; text: string }[] = [];
  if (kinds.has("request")) legend.push({ kind: "request", text: "request" });
  if (kinds.has("reply")) legend.push({ kind: "reply", text: "reply" });
  if (kinds.has("reject")) legend.push({ kind: "reject", text: "refused (reset or unreachable)" });
  if (kinds.has("missing")) legend.push({ kind: "missing", text: options.missingLegend ?? `no reply within ${windowText}` });
  const legendY = lifeEnd + 26;
  let legendW = PAD;
  const legendItems = legend.map((item) => {
    const at = legendW;
    legendW += 34 + textWidth(item.text) + 22;
    return { ...item, x: at };
  });
  const noteY = legendY + 24;
  const note = hidden > 0 ? `${hidden} more step${hidden === 1 ? "" : "s"} not drawn` : "";
  const width = Math.ceil(Math.max(lanesRight, legendW + PAD, PAD * 2 + textWidth(note)));
  const height = Math.ceil((note ? noteY : legendY) + PAD);

  // Accessible name.
  const count = (k: ExchangeStep["kind"]) => drawn.filter((s) => s.kind === k).length;
  const clients = laneList.filter((l) => l.client).map((l) => l.lines.join(" "));
  const servers = laneList.filter((l) => !l.client).map((l) => l.lines.join(" "));
  const parts = [`${count("request")} request${count("request") === 1 ? "" : "s"}`, `${count("reply")} repl${count("reply") === 1 ? "y" : "ies"}`];
  if (count("reject") > 0) parts.push(`${count("reject")} refused`);
  if (count("missing") > 0) parts.push(`${count("missing")} without reply`);
  const summary = `${parts.join(", ")} between ${clients.join(", ") || "?"} and ${servers.join(", ") || "?"}${hidden > 0 ? ` (first ${drawn.length} of ${steps.length} steps drawn)` : ""}`;
  const name = `${options.title ?? "Ladder diagram"}: ${summary}`;

  const out: string[] = [];
  out.push(
    `<svg${options.standalone ? ' xmlns="http://www.w3.org/2000/svg"' : ""} class="ladder-svg" role="img" aria-label="${escapeHtml(name)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${MONO}" font-size="${FONT}">`,
  );
  out.push(`<title>${escapeHtml(name)}</title>`);
  out.push(`<desc>${escapeHtml(rows.map((r) => r.full).join("; "))}</desc>`);

  // zebra bands tie each row's time to its arrow
  rows.forEach((_, i) => {
    if (i % 2 === 1) out.push(`<rect class="band" x="${PAD / 2}" y="${n(rowY(i) - ROW / 2 - 4)}" width="${n(width - PAD)}" height="${ROW}" fill="currentColor" fill-opacity="0.04"/>`);
  });

  // gutter headings
  const headY = headerTop + headerH / 2 + 4;
  out.push(`<text class="muted" x="${n(timeX)}" y="${n(headY)}" text-anchor="end" fill="currentColor" fill-opacity="0.65">time</text>`);
  out.push(`<text class="muted" x="${n(lineX)}" y="${n(headY)}" fill="currentColor" fill-opacity="0.65">line</text>`);

  // lanes: role, header box, lifeline
  for (const lane of laneList) {
    const left = lane.x - lane.width / 2;
    out.push(`<g class="lane ${lane.client ? "client" : "server"}">`);
    out.push(`<text class="muted role" x="${n(lane.x)}" y="${n(headerTop - 5)}" text-anchor="middle" fill="currentColor" fill-opacity="0.65">${lane.client ? "client" : "server"}</text>`);
    out.push(`<rect class="lane-box" x="${n(left)}" y="${n(headerTop)}" width="${n(lane.width)}" height="${n(headerH)}" rx="4" fill="${COLOR.box}" stroke="currentColor" stroke-opacity="0.45"/>`);
    const textTop = headerTop + (headerH - lane.lines.length * LINE_H) / 2 + LINE_H - 3.5;
    lane.lines.forEach((line, i) => {
      out.push(`<text class="lane-name" x="${n(lane.x)}" y="${n(textTop + i * LINE_H)}" text-anchor="middle" fill="currentColor"${i === 0 ? ' font-weight="600"' : ""}>${escapeHtml(line)}</text>`);
    });
    out.push(`<line class="lifeline" x1="${n(lane.x)}" y1="${n(headerTop + headerH)}" x2="${n(lane.x)}" y2="${n(lifeEnd)}" stroke="currentColor" stroke-opacity="0.35" stroke-width="1.5"/>`);
    out.push(`</g>`);
  }

  // one row per step
  rows.forEach((r, i) => {
    const y = rowY(i);
    const s = r.step;
    out.push(`<g class="step ${s.kind}" data-line="${s.line}">`);
    out.push(`<title>${escapeHtml(r.full)}</title>`);
    if (r.time) out.push(`<text class="time" x="${n(timeX)}" y="${n(y + 4)}" text-anchor="end" fill="currentColor">${escapeHtml(r.time)}</text>`);
    if (r.line) out.push(`<text class="muted" x="${n(lineX)}" y="${n(y + 4)}" fill="currentColor" fill-opacity="0.65">${escapeHtml(r.line)}</text>`);
    const xa = laneList[r.a]?.x ?? 0;
    const xb = laneList[r.b]?.x ?? 0;
    const color = s.kind === "request" ? "currentColor" : COLOR[s.kind];
    let labelX = (xa + xb) / 2;
    let anchor = "middle";
    if (r.a === r.b) {
      // a packet from a host to itself: a small loop to the right
      out.push(`<path class="ink" d="M${n(xa)} ${n(y - 8)} h28 v16 h-22" fill="none" stroke="${color}" stroke-width="1.5"/>`);
      out.push(`<path class="head" d="M${n(xa)} ${n(y + 8)} l8 -4.5 v9 z" fill="${color}"/>`);
      labelX = xa + 36;
      anchor = "start";
    } else {
      const dir = xb > xa ? 1 : -1;
      switch (s.kind) {
        case "request":
        case "reply": {
          const tip = xb - dir * 1;
          out.push(`<line class="ink" x1="${n(xa)}" y1="${n(y)}" x2="${n(tip - dir * 9)}" y2="${n(y)}" stroke="${color}" stroke-width="1.5"/>`);
          out.push(`<path class="head" d="M${n(tip)} ${n(y)} l${n(-dir * 10)} -5 v10 z" fill="${color}"/>`);
          break;
        }
        case "reject": {
          const tip = xb - dir * 2;
          out.push(`<line class="ink" x1="${n(xa)}" y1="${n(y)}" x2="${n(tip)}" y2="${n(y)}" stroke="${color}" stroke-width="2"/>`);
          out.push(`<line class="ink bar" x1="${n(tip)}" y1="${n(y - 8)}" x2="${n(tip)}" y2="${n(y + 8)}" stroke="${color}" stroke-width="3"/>`);
          out.push(`<circle class="head" cx="${n(xa)}" cy="${n(y)}" r="3" fill="${color}"/>`);
          break;
        }
        case "missing": {
          const cross = xb - dir * 16;
          out.push(`<line class="ink" x1="${n(xa)}" y1="${n(y)}" x2="${n(cross + dir * 7)}" y2="${n(y)}" stroke="${color}" stroke-width="1.5" stroke-dasharray="6 4"/>`);
          out.push(
            `<path class="ink cross" d="M${n(cross - 6)} ${n(y - 6)} l12 12 M${n(cross - 6)} ${n(y + 6)} l12 -12" fill="none" stroke="${color}" stroke-width="2.5" stroke-linecap="round"/>`,
          );
          break;
        }
      }
    }
    const italic = s.kind === "missing" ? ' font-style="italic"' : "";
    out.push(
      `<text class="label halo" x="${n(labelX)}" y="${n(y - 7)}" text-anchor="${anchor}" fill="${color}" stroke="${COLOR.halo}" stroke-width="4" stroke-linejoin="round" paint-order="stroke"${italic}>${escapeHtml(r.label)}</text>`,
    );
    out.push(`</g>`);
  });

  // legend
  out.push(`<g class="legend">`);
  for (const item of legendItems) {
    const y = legendY;
    const x0 = item.x;
    const color = item.kind === "request" ? "currentColor" : COLOR[item.kind];
    out.push(`<g class="key ${item.kind}">`);
    switch (item.kind) {
      case "request":
      case "reply":
        out.push(`<line class="ink" x1="${n(x0)}" y1="${n(y)}" x2="${n(x0 + 18)}" y2="${n(y)}" stroke="${color}" stroke-width="1.5"/>`);
        out.push(`<path class="head" d="M${n(x0 + 28)} ${n(y)} l-10 -5 v10 z" fill="${color}"/>`);
        break;
      case "reject":
        out.push(`<line class="ink" x1="${n(x0)}" y1="${n(y)}" x2="${n(x0 + 26)}" y2="${n(y)}" stroke="${color}" stroke-width="2"/>`);
        out.push(`<line class="ink bar" x1="${n(x0 + 26)}" y1="${n(y - 7)}" x2="${n(x0 + 26)}" y2="${n(y + 7)}" stroke="${color}" stroke-width="3"/>`);
        break;
      case "missing":
        out.push(`<line class="ink" x1="${n(x0)}" y1="${n(y)}" x2="${n(x0 + 16)}" y2="${n(y)}" stroke="${color}" stroke-width="1.5" stroke-dasharray="6 4"/>`);
        out.push(`<path class="ink cross" d="M${n(x0 + 17)} ${n(y - 5)} l10 10 M${n(x0 + 17)} ${n(y + 5)} l10 -10" fill="none" stroke="${color}" stroke-width="2.5" stroke-linecap="round"/>`);
        break;
    }
    out.push(`<text class="legend-text" x="${n(x0 + 34)}" y="${n(y + 4)}" fill="currentColor">${escapeHtml(item.text)}</text>`);
    out.push(`</g>`);
  }
  out.push(`</g>`);
  if (note) out.push(`<text class="muted note" x="${PAD}" y="${n(noteY + 4)}" fill="currentColor" fill-opacity="0.65">${escapeHtml(note)}</text>`);
  out.push(`</svg>`);
  return out.join("\n");
}
