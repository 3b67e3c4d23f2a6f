/**
 * A sortable table: each column heading is a button (Enter/Space or a click sorts by it, again
 * reverses); `aria-sort` tells assistive technology the order. Ties keep the report's order.
 * Long tables draw their first `limit` rows and say how many more there are.
 */
import { h, replaceKids } from "./dom.js";

export interface Column<T> {
  key: string;
  label: string;
  /** right-aligned, sorted as numbers, largest first on the first click */
  numeric?: boolean;
  value: (row: T) => string | number | null;
  cell?: (row: T) => Node | string;
  className?: string;
}

export interface TableOptions {
  /** accessible name (the visible section heading's id) */
  labelledBy: string;
  limit?: number;
  /** name for the rows in the "more" note (`flows`) */
  noun: string;
  testId?: string;
}

type Direction = "ascending" | "descending";

function compare(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b), "en", { numeric: true });
}

export function sortableTable<T>(columns: readonly Column<T>[], rows: readonly T[], options: TableOptions): HTMLElement {
  const limit = options.limit ?? Infinity;
  let sortKey: string | null = null;
  let direction: Direction = "ascending";

  const headCells = columns.map((col) => {
    const button = h("button", { type: "button", class: "sort", "data-key": col.key }, col.label, h("span", { class: "arrow", "aria-hidden": "true" }));
    const th = h("th", { scope: "col", class: col.numeric === true ? "n" : null, "aria-sort": "none" }, button);
    button.addEventListener("click", () => {
      if (sortKey === col.key) direction = direction === "ascending" ? "descending" : "ascending";
      else {
        sortKey = col.key;
        direction = col.numeric === true ? "descending" : "ascending";
      }
      draw();
    });
    return th;
  });
  const tbody = h("tbody");
  const table = h("table", { "aria-labelledby": options.labelledBy, "data-testid": options.testId ?? null }, h("thead", null, h("tr", null, headCells)), tbody);
  const note = h("p", { class: "more" });
  const wrap = h("div", { class: "table-wrap" }, table);
  const box = h("div", { class: "table-box" }, wrap, note);

  function ordered(): readonly T[] {
    const col = columns.find((c) => c.key === sortKey);
    if (col === undefined) return rows;
    const sign = direction === "ascending" ? 1 : -1;
    return rows
      .map((row, i) => ({ row, i, v: col.value(row) }))
      .sort((a, b) => {
        // empty values last in either direction
        if (a.v === null && b.v !== null) return 1;
        if (b.v === null && a.v !== null) return -1;
        return sign * compare(a.v, b.v) || a.i - b.i;
      })
      .map((x) => x.row);
  }

  function draw(): void {
    headCells.forEach((th, i) => {
      const col = columns[i];
      const on = col !== undefined && col.key === sortKey;
      th.setAttribute("aria-sort", on ? direction : "none");
      const arrow = th.querySelector(".arrow");
      if (arrow !== null) arrow.textContent = on ? (direction === "ascending" ? "▲" : "▼") : "";
    });
    const list = ordered();
    const shown = list.slice(0, limit);
    replaceKids(
      tbody,
      shown.map((row) =>
        h(
          "tr",
          null,
          columns.map((col) => {
            const content = col.cell !== undefined ? col.cell(row) : String(col.value(row) ?? "—");
            return h("td", { class: [col.numeric === true ? "n" : "", col.className ?? ""].join(" ").trim() || null }, content);
          }),
        ),
      ),
    );
    const hidden = list.length - shown.length;
    note.hidden = hidden <= 0;
    note.textContent = hidden > 0 ? `Showing the first ${shown.length.toLocaleString("en-US")} of ${list.length.toLocaleString("en-US")} ${options.noun}; sort by a column to bring others up.` : "";
  }

  draw();
  return box;
}
