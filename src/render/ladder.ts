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
import type { Diagram, DiagramRow, RowKind } from "./diagram.js";

export { relativeTime, splitEndpoint } from "./diagram.js";
import { relativeTime } from "./diagram.js";

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
  /** accessible name of the diagram (its `<title>`); a summary of the rows is appended */
  title?: string;
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
  late: "#9a6700",
  reject: "#cf222e",
  missing: "#bc4c00",
  pending: "#6e7781",
  stranded: "#cf222e",
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

/** Coordinates with at most one decimal, no trailing zeros. */
function n(x: number): string {
  return String(Math.round(x * 10) / 10);
}


function truncate(text: string, max: number): string {
  const chars = [...text.replace(/[\r\n\t]+/g, " ")];
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("")}…`;
}

const ROLE_WORD = { client: "client", unit: "unit", server: "server", other: "other host" } as const;

/** What each row kind is called in the legend and the accessible description. */
const KIND_WORD: Record<RowKind, string> = {
  request: "request",
  retransmission: "retransmission",
  reply: "reply",
  "late-reply": "reply after the window (late)",
  refused: "refused (reset or unreachable)",
  unanswered: "no reply within the window",
  pending: "reply could still come",
  "never-left": "never left the unit",
  contrast: "",
};

function colorOf(kind: RowKind): string {
  switch (kind) {
    case "request":
    case "retransmission":
    case "contrast":
      return "currentColor";
    case "reply":
      return COLOR.reply;
    case "late-reply":
      return COLOR.late;
    case "refused":
      return COLOR.reject;
    case "unanswered":
      return COLOR.missing;
    case "pending":
      return COLOR.pending;
    case "never-left":
      return COLOR.stranded;
  }
}

/** A note that belongs to the packet row above it (drawn without time and line). */
function isNote(r: DiagramRow): boolean {
  return r.kind === "unanswered" || r.kind === "pending" || r.kind === "never-left" || r.kind === "contrast";
}

/** The ladder diagram of `d` as an `<svg>` element (empty string for no diagram or no rows). */
export function ladderSvg(d: Diagram | null, options: LadderOptions = {}): string {
  if (d === null || d.rows.length === 0 || d.lifelines.length === 0) return "";
  const lanes = d.lifelines.map((l) => ({ ...l, width: Math.max(96, l.lines.reduce((w, x) => Math.max(w, textWidth(x)), -Infinity) + 20), x: 0 }));
  const rows = d.rows.map((r) => {
    const shown = truncate(r.label, MAX_LABEL);
    const time = r.ts === null || isNote(r) ? "" : relativeTime(r.ts - d.t0);
    const line = r.line === null || isNote(r) ? "" : `line ${r.line}`;
    const who = (i: number) => d.lifelines[i]?.lines[0] ?? "?";
    const full =
      r.kind === "contrast"
        ? r.label
        : isNote(r)
          ? `${r.label}${r.line === null ? "" : ` (request on line ${r.line})`}`
          : `${line}${time ? `, ${time}` : ""}: ${who(r.from)} to ${who(r.to)}, ${r.label} (${KIND_WORD[r.kind]})`;
    return { row: r, label: shown, labelWidth: textWidth(shown), time, line, full };
  });

  // Horizontal layout: the time/line gutter, then gaps between lane centres wide enough for the
  // lane headers and for every label over the lanes its arrow spans.
  const gaps = lanes.slice(1).map((lane, i) => Math.max(MIN_GAP, ((lanes[i]?.width ?? 0) + lane.width) / 2 + 24));
  let rightNeed = 0;
  const spanOf = (r: (typeof rows)[number]) => Math.abs(r.row.from - r.row.to);
  for (const r of [...rows].sort((x, y) => spanOf(x) - spanOf(y))) {
    if (r.row.kind === "contrast") continue;
    const lo = Math.min(r.row.from, r.row.to);
    const hi = Math.max(r.row.from, r.row.to);
    const needed = r.labelWidth + 44;
    if (lo === hi) {
      if (lo === lanes.length - 1) rightNeed = Math.max(rightNeed, r.labelWidth + 48);
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
  let x = gutterEnd + (lanes[0]?.width ?? 0) / 2;
  lanes.forEach((lane, i) => {
    if (i > 0) x += gaps[i - 1] ?? MIN_GAP;
    lane.x = x;
  });
  const last = lanes[lanes.length - 1];
  const lanesRight = (last?.x ?? 0) + Math.max((last?.width ?? 0) / 2, rightNeed) + PAD;

  // Vertical layout.
  const headerLines = lanes.reduce((n, l) => Math.max(n, l.lines.length), -Infinity);
  const headerTop = PAD + ROLE_H;
  const headerH = headerLines * LINE_H + 12;
  const firstRow = headerTop + headerH + 30;
  const rowY = (i: number) => firstRow + i * ROW;
  const lifeEnd = rowY(rows.length - 1) + 16;

  // Legend of the kinds present.
  const kinds = new Set(d.rows.map((r) => r.kind));
  const legendOrder: RowKind[] = ["request", "reply", "late-reply", "refused", "unanswered", "pending", "never-left"];
  const legendText: Partial<Record<RowKind, string>> = { unanswered: `no reply within ${d.window}` };
  const legend = legendOrder.filter((k) => kinds.has(k) || (k === "request" && kinds.has("retransmission"))).map((k) => ({ kind: k, text: legendText[k] ?? KIND_WORD[k] }));
  const legendY = lifeEnd + 26;
  let legendW = PAD;
  const legendItems = legend.map((item) => {
    const at = legendW;
    legendW += 34 + textWidth(item.text) + 22;
    return { ...item, x: at };
  });
  const noteY = legendY + 24;
  const note = d.notDrawn?.text ?? "";
  const width = Math.ceil(Math.max(lanesRight, legendW + PAD, PAD * 2 + textWidth(note)));
  const height = Math.ceil((note ? noteY : legendY) + PAD);

  // Accessible name.
  const count = (k: RowKind) => d.rows.filter((r) => r.kind === k).length;
  const parts = [`${count("request")} request${count("request") === 1 ? "" : "s"}`, `${count("reply") + count("late-reply")} repl${count("reply") + count("late-reply") === 1 ? "y" : "ies"}`];
  if (count("late-reply") > 0) parts.push(`${count("late-reply")} late`);
  if (count("refused") > 0) parts.push(`${count("refused")} refused`);
  if (count("unanswered") > 0) parts.push(`${count("unanswered")} without reply`);
  if (count("pending") > 0) parts.push(`${count("pending")} still open when the capture ended`);
  if (count("never-left") > 0) parts.push(`${count("never-left")} never left the unit`);
  const names = (role: string) => lanes.filter((l) => l.role === role).map((l) => l.lines.join(" "));
  const summary = `${parts.join(", ")} between ${names("client").join(", ") || "?"} and ${[...names("server"), ...names("other")].join(", ") || "?"}${note ? ` (${note})` : ""}`;
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
  for (const lane of lanes) {
    const left = lane.x - lane.width / 2;
    out.push(`<g class="lane ${lane.role}">`);
    if (lane.hosts === 1) out.push(`<text class="muted role" x="${n(lane.x)}" y="${n(headerTop - 5)}" text-anchor="middle" fill="currentColor" fill-opacity="0.65">${ROLE_WORD[lane.role]}</text>`);
    out.push(`<rect class="lane-box" x="${n(left)}" y="${n(headerTop)}" width="${n(lane.width)}" height="${n(headerH)}" rx="4" fill="${COLOR.box}" stroke="currentColor" stroke-opacity="0.45"${lane.role === "unit" ? ' stroke-width="2"' : ""}/>`);
    const textTop = headerTop + (headerH - lane.lines.length * LINE_H) / 2 + LINE_H - 3.5;
    lane.lines.forEach((line, i) => {
      out.push(`<text class="lane-name" x="${n(lane.x)}" y="${n(textTop + i * LINE_H)}" text-anchor="middle" fill="currentColor"${i === 0 ? ' font-weight="600"' : ""}>${escapeHtml(line)}</text>`);
    });
    out.push(`<line class="lifeline" x1="${n(lane.x)}" y1="${n(headerTop + headerH)}" x2="${n(lane.x)}" y2="${n(lifeEnd)}" stroke="currentColor" stroke-opacity="0.35" stroke-width="1.5"${lane.role === "unit" ? ' stroke-dasharray="2 3"' : ""}/>`);
    out.push(`</g>`);
  }

  // one row per packet or note
  rows.forEach((r, i) => {
    const y = rowY(i);
    const s = r.row;
    out.push(`<g class="step ${s.kind}"${s.line === null ? "" : ` data-line="${s.line}"`}${s.evidence ? ' data-evidence="true"' : ""}>`);
    out.push(`<title>${escapeHtml(r.full)}</title>`);
    if (r.time) out.push(`<text class="time" x="${n(timeX)}" y="${n(y + 4)}" text-anchor="end" fill="currentColor">${escapeHtml(r.time)}</text>`);
    if (r.line) out.push(`<text class="muted" x="${n(lineX)}" y="${n(y + 4)}" fill="currentColor" fill-opacity="0.65"${s.evidence ? ' font-weight="700"' : ""}>${escapeHtml(r.line)}</text>`);
    const xa = lanes[s.from]?.x ?? 0;
    const xb = lanes[s.to]?.x ?? 0;
    const color = colorOf(s.kind);
    let labelX = (xa + xb) / 2;
    let anchor = "middle";
    if (s.kind === "contrast") {
      const left = (lanes[0]?.x ?? 0) - 40;
      const right = (last?.x ?? 0) + 40;
      out.push(`<line class="rule" x1="${n(left)}" y1="${n(y)}" x2="${n(right)}" y2="${n(y)}" stroke="currentColor" stroke-opacity="0.4" stroke-dasharray="1 3"/>`);
      labelX = (left + right) / 2;
    } else if (s.kind === "never-left") {
      // the request stops at the unit: a stop bar on its lifeline and the note beside it
      out.push(`<rect class="ink stop" x="${n(xa - 7)}" y="${n(y - 9)}" width="14" height="18" rx="2" fill="${color}" fill-opacity="0.15" stroke="${color}" stroke-width="2"/>`);
      labelX = xa + 14;
      anchor = "start";
    } else if (s.from === s.to) {
      // a packet from a host to itself: a small loop to the right
      out.push(`<path class="ink" d="M${n(xa)} ${n(y - 8)} h28 v16 h-22" fill="none" stroke="${color}" stroke-width="1.5"/>`);
      out.push(`<path class="head" d="M${n(xa)} ${n(y + 8)} l8 -4.5 v9 z" fill="${color}"/>`);
      labelX = xa + 36;
      anchor = "start";
    } else {
      const dir = xb > xa ? 1 : -1;
      switch (s.kind) {
        case "request":
        case "retransmission":
        case "reply":
        case "late-reply": {
          const tip = xb - dir * 1;
          const dash = s.kind === "retransmission" ? ' stroke-dasharray="3 3"' : "";
          out.push(`<line class="ink" x1="${n(xa)}" y1="${n(y)}" x2="${n(tip - dir * 9)}" y2="${n(y)}" stroke="${color}" stroke-width="1.5"${dash}/>`);
          out.push(`<path class="head" d="M${n(tip)} ${n(y)} l${n(-dir * 10)} -5 v10 z" fill="${color}"/>`);
          break;
        }
        case "refused": {
          const tip = xb - dir * 2;
          out.push(`<line class="ink" x1="${n(xa)}" y1="${n(y)}" x2="${n(tip)}" y2="${n(y)}" stroke="${color}" stroke-width="2"/>`);
          out.push(`<line class="ink bar" x1="${n(tip)}" y1="${n(y - 8)}" x2="${n(tip)}" y2="${n(y + 8)}" stroke="${color}" stroke-width="3"/>`);
          out.push(`<circle class="head" cx="${n(xa)}" cy="${n(y)}" r="3" fill="${color}"/>`);
          break;
        }
        case "unanswered": {
          const cross = xb - dir * 16;
          out.push(`<line class="ink" x1="${n(xa)}" y1="${n(y)}" x2="${n(cross + dir * 7)}" y2="${n(y)}" stroke="${color}" stroke-width="1.5" stroke-dasharray="6 4"/>`);
          out.push(
            `<path class="ink cross" d="M${n(cross - 6)} ${n(y - 6)} l12 12 M${n(cross - 6)} ${n(y + 6)} l12 -12" fill="none" stroke="${color}" stroke-width="2.5" stroke-linecap="round"/>`,
          );
          break;
        }
        case "pending": {
          const mark = xb - dir * 16;
          out.push(`<line class="ink" x1="${n(xa)}" y1="${n(y)}" x2="${n(mark + dir * 9)}" y2="${n(y)}" stroke="${color}" stroke-width="1.5" stroke-dasharray="2 4"/>`);
          out.push(`<circle class="ink open" cx="${n(mark)}" cy="${n(y)}" r="7" fill="none" stroke="${color}" stroke-width="1.5"/>`);
          out.push(`<text class="ink open" x="${n(mark)}" y="${n(y + 4)}" text-anchor="middle" fill="${color}" font-weight="700">?</text>`);
          break;
        }
      }
    }
    const italic = isNote(s) ? ' font-style="italic"' : "";
    const labelY = s.kind === "never-left" || s.kind === "contrast" ? y + 4 : y - 7;
    out.push(
      `<text class="label halo" x="${n(labelX)}" y="${n(labelY)}" text-anchor="${anchor}" fill="${color}" stroke="${COLOR.halo}" stroke-width="4" stroke-linejoin="round" paint-order="stroke"${italic}>${escapeHtml(r.label)}</text>`,
    );
    out.push(`</g>`);
  });

  // legend
  out.push(`<g class="legend">`);
  for (const item of legendItems) {
    const y = legendY;
    const x0 = item.x;
    const color = colorOf(item.kind);
    out.push(`<g class="key ${item.kind}">`);
    switch (item.kind) {
      case "refused":
        out.push(`<line class="ink" x1="${n(x0)}" y1="${n(y)}" x2="${n(x0 + 26)}" y2="${n(y)}" stroke="${color}" stroke-width="2"/>`);
        out.push(`<line class="ink bar" x1="${n(x0 + 26)}" y1="${n(y - 7)}" x2="${n(x0 + 26)}" y2="${n(y + 7)}" stroke="${color}" stroke-width="3"/>`);
        break;
      case "unanswered":
        out.push(`<line class="ink" x1="${n(x0)}" y1="${n(y)}" x2="${n(x0 + 16)}" y2="${n(y)}" stroke="${color}" stroke-width="1.5" stroke-dasharray="6 4"/>`);
        out.push(`<path class="ink cross" d="M${n(x0 + 17)} ${n(y - 5)} l10 10 M${n(x0 + 17)} ${n(y + 5)} l10 -10" fill="none" stroke="${color}" stroke-width="2.5" stroke-linecap="round"/>`);
        break;
      case "pending":
        out.push(`<line class="ink" x1="${n(x0)}" y1="${n(y)}" x2="${n(x0 + 14)}" y2="${n(y)}" stroke="${color}" stroke-width="1.5" stroke-dasharray="2 4"/>`);
        out.push(`<circle class="ink open" cx="${n(x0 + 22)}" cy="${n(y)}" r="6" fill="none" stroke="${color}" stroke-width="1.5"/>`);
        break;
      case "never-left":
        out.push(`<rect class="ink stop" x="${n(x0 + 8)}" y="${n(y - 8)}" width="12" height="16" rx="2" fill="${color}" fill-opacity="0.15" stroke="${color}" stroke-width="2"/>`);
        break;
      default:
        out.push(`<line class="ink" x1="${n(x0)}" y1="${n(y)}" x2="${n(x0 + 18)}" y2="${n(y)}" stroke="${color}" stroke-width="1.5"/>`);
        out.push(`<path class="head" d="M${n(x0 + 28)} ${n(y)} l-10 -5 v10 z" fill="${color}"/>`);
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
