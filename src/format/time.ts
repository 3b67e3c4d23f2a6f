/** Time stamps as the sniffer prints them. A leaf. */

/** Seconds to `2010-10-27 12:40:19.050364` (epoch stamps) or `14.061164` (relative stamps). */
export function formatTime(ts: number): string {
  if (ts >= 1e8) {
    const whole = Math.floor(ts);
    const micros = Math.round((ts - whole) * 1e6);
    const carry = micros >= 1e6 ? 1 : 0;
    const d = new Date((whole + carry) * 1000);
    const iso = d.toISOString();
    return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${String(carry ? 0 : micros).padStart(6, "0")}`;
  }
  return ts.toFixed(6);
}

/**
 * One sentence for the captures pasted again (judged once): "Capture 3 repeats capture 1 (pasted
 * twice) and is judged once." or, for many, "4 captures repeat earlier ones (pasted again) and are
 * judged once: 3 = 1, 4 = 2, 5 = 1, 6 = 2." — bounded, however many repeats there are.
 */
export function duplicatesSentence(captures: readonly { index: number; duplicateOf?: number }[]): string | null {
  const dupes = captures.filter((c) => c.duplicateOf !== undefined);
  const [only] = dupes;
  if (only === undefined) return null;
  if (dupes.length === 1) return `Capture ${only.index + 1} repeats capture ${(only.duplicateOf ?? 0) + 1} (pasted twice) and is judged once.`;
  const shown = dupes.slice(0, 6).map((c) => `${c.index + 1} = ${(c.duplicateOf ?? 0) + 1}`);
  const more = dupes.length - shown.length;
  return `${dupes.length} captures repeat earlier ones (pasted again) and are judged once: ${shown.join(", ")}${more > 0 ? `, and ${more} more` : ""}.`;
}
