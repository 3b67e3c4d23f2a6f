/**
 * The Mermaid `sequenceDiagram` of a verdict's diagram model (diagram.ts), for markdown tickets:
 * the same lifelines, exchanges and outcomes as the HTML ladder. Bounded by the model (at most
 * MAX_LIFELINES participants, a few exchanges), so it renders at a readable width.
 */
import { relativeTime, type Diagram, type DiagramRow, type Lifeline } from "./diagram.js";

/**
 * Text safe inside a Mermaid message or alias: no `;`, `#`, `<`, `>`, `%` (no `%%` comment or
 * `%%{init}%%` directive), quotes, arrow starts (`--`, `->`, `-x`, `-)`), line breaks.
 */
export function mermaidText(text: string): string {
  return text
    .replace(/#/g, "#35;")
    .replace(/;/g, "#59;")
    .replace(/%/g, "#37;")
    .replace(/"/g, "#quot;")
    .replace(/-(?=[->x)])/g, "#45;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/[\r\n]+/g, " ")
    .trim();
}

/** A short participant name: `10.0.0.1:53`, `10.0.0.1 ports 4271, 4272`, `the unit in on port2`, `3 other hosts`. */
function participantName(l: Lifeline): string {
  const [host = "?", detail] = l.lines;
  if (l.hosts !== 1 || l.role === "unit" || detail === undefined) return l.lines.join(" ");
  const single = /^port (\d+)$/.exec(detail);
  if (single !== null) return host.includes(":") ? `[${host}]:${single[1]}` : `${host}:${single[1]}`;
  return `${host} ${detail}`;
}

function lineRef(r: DiagramRow): string {
  return r.line === null ? "" : ` (line ${r.line})`;
}

/** The diagram as Mermaid text (without the fence). */
export function mermaidOf(d: Diagram): string {
  const id = (i: number) => `P${i + 1}`;
  const out = ["sequenceDiagram"];
  d.lifelines.forEach((l, i) => {
    out.push(`    participant ${id(i)} as ${mermaidText(participantName(l))}`);
  });
  const span = (a: number, b: number) => (a === b ? id(a) : `${id(Math.min(a, b))},${id(Math.max(a, b))}`);
  const all = span(0, d.lifelines.length - 1);
  for (const r of d.rows) {
    const time = r.ts === null ? "" : `${relativeTime(r.ts - d.t0)} `;
    const text = mermaidText(`${time}${r.label}${lineRef(r)}`);
    switch (r.kind) {
      case "request":
      case "retransmission":
        out.push(`    ${id(r.from)}->>${id(r.to)}: ${text}`);
        break;
      case "reply":
      case "late-reply":
        out.push(`    ${id(r.from)}-->>${id(r.to)}: ${text}`);
        break;
      case "refused":
        out.push(`    ${id(r.from)}--x${id(r.to)}: ${text}`);
        break;
      case "unanswered":
      case "pending":
      case "never-left":
        out.push(`    Note over ${span(r.from, r.to)}: ${mermaidText(`${r.label}${r.line === null ? "" : ` (request on line ${r.line})`}`)}`);
        break;
      case "contrast":
        out.push(`    Note over ${all}: ${mermaidText(r.label)}`);
        break;
    }
  }
  if (d.notDrawn !== null) out.push(`    Note over ${all}: ${mermaidText(d.notDrawn.text)}`);
  return out.join("\n");
}
