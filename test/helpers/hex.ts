/** Independent readings of the text, not using the parser, for tests to check it against. */

/** A hex row's bytes: groups of 2 or 4 hex digits after the offset, up to a TAB or two spaces. */
export function rowBytes(line: string): string {
  const body = line.replace(/\r$/, "").trim().replace(/^(?:[>#]\s*)?(?:0x)?[0-9a-f]{4,6}[\t ]+/i, "");
  const area = body.split(/\t| {2,}/)[0] ?? "";
  return area
    .split(" ")
    .filter((g) => /^[0-9a-f]{2}$|^[0-9a-f]{4}$/i.test(g))
    .join("")
    .toLowerCase();
}
