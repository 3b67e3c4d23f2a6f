/**
 * A filter's answer on one packet, three-valued, with the reason for an "unknown"; `and`/`or`/`not`
 * are Kleene's: `false and unknown` is false, `true or unknown` is true.
 */
import type { Tri } from "./packet.js";

export interface Outcome {
  v: Tri;
  why: string | null;
}

export const YES: Outcome = { v: true, why: null };
export const NO: Outcome = { v: false, why: null };
export const unknown = (why: string): Outcome => ({ v: "unknown", why });
export const tri = (b: boolean): Outcome => (b ? YES : NO);

export function and(a: Outcome, b: () => Outcome): Outcome {
  if (a.v === false) return NO;
  const r = b();
  if (r.v === false) return NO;
  if (a.v === "unknown") return a;
  return r;
}

export function or(a: Outcome, b: () => Outcome): Outcome {
  if (a.v === true) return YES;
  const r = b();
  if (r.v === true) return YES;
  if (a.v === "unknown") return a;
  return r;
}

export function not(a: Outcome): Outcome {
  return a.v === "unknown" ? a : tri(!a.v);
}
