/**
 * Building DOM from data. Text always goes in as text nodes (`textContent`), never as markup:
 * whatever the input holds (`<img src=x onerror=...>` in an interface name) is shown as typed.
 */

type Child = Node | string | null | undefined | false;
/** A child, or a list of them (passed as an array: never spread into a call, however long). */
type Children = Child | readonly Child[];
type Attrs = Record<string, string | number | boolean | null | undefined>;

/**
 * `h("button", { class: "ev", "data-line": 3 }, "text", child)`: attributes are set, text is text.
 * A child may be an array of children (`h("ol", null, items)`).
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs | null = null, ...children: Children[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs !== null) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      // never an event-handler attribute: behaviour is wired with addEventListener
      if (/^on/i.test(name)) throw new Error(`h(): refusing the attribute ${name}`);
      el.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(el: Element | DocumentFragment, children: readonly Children[]): void {
  for (const c of children) {
    if (Array.isArray(c)) append(el, c as readonly Child[]);
    else if (c === null || c === undefined || c === false) continue;
    else el.append(typeof c === "string" ? document.createTextNode(c) : (c as Node));
  }
}

/** `el.replaceChildren(...list)` without a spread: any number of children. */
export function replaceKids(el: Element, children: readonly Children[]): void {
  el.replaceChildren();
  const frag = document.createDocumentFragment();
  append(frag, children);
  el.append(frag);
}

/** Prose with `code` spans as <code>, all of it text. */
export function inline(text: string): DocumentFragment {
  const frag = document.createDocumentFragment();
  text.split(/(`[^`\n]+`)/).forEach((part, i) => {
    if (part === "") return;
    frag.append(i % 2 === 1 ? h("code", null, part.slice(1, -1)) : document.createTextNode(part));
  });
  return frag;
}

/** A count as the page writes numbers: thousands grouped (`12,345`); `plural(n, one, many, grouped)`. */
export function grouped(n: number): string {
  return n.toLocaleString("en-US");
}

const SVG_NS = "http://www.w3.org/2000/svg";
const SVG_ELEMENTS = new Set(["svg", "title", "desc", "g", "rect", "line", "path", "circle", "text"]);
const SVG_ATTRIBUTES = new Set([
  "class", "role", "aria-label", "width", "height", "viewBox", "font-family", "font-size", "font-weight", "font-style",
  "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "d", "fill", "fill-opacity", "stroke", "stroke-opacity",
  "stroke-width", "stroke-dasharray", "stroke-linecap", "stroke-linejoin", "paint-order", "text-anchor", "data-line",
]);

/**
 * The ladder renderer's SVG markup (its text already escaped) parsed as XML and rebuilt from an
 * allow-list of elements and attributes, so nothing but drawing reaches the page. Null when the
 * markup does not parse.
 */
export function safeSvg(markup: string): SVGSVGElement | null {
  if (markup === "") return null;
  const doc = new DOMParser().parseFromString(markup, "image/svg+xml");
  const root = doc.documentElement;
  if (root.namespaceURI !== SVG_NS || root.localName !== "svg" || doc.getElementsByTagName("parsererror").length > 0) return null;
  return copySvg(root) as SVGSVGElement | null;
}

function copySvg(node: Element): Element | null {
  if (node.namespaceURI !== SVG_NS || !SVG_ELEMENTS.has(node.localName)) return null;
  const el = document.createElementNS(SVG_NS, node.localName);
  for (const attr of Array.from(node.attributes)) {
    if (attr.namespaceURI === null && SVG_ATTRIBUTES.has(attr.name)) el.setAttribute(attr.name, attr.value);
  }
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) el.append(document.createTextNode(child.textContent ?? ""));
    else if (child.nodeType === Node.ELEMENT_NODE) {
      const copy = copySvg(child as Element);
      if (copy !== null) el.append(copy);
    }
  }
  return el;
}
