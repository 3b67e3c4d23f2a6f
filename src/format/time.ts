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
