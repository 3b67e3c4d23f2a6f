/** The severity of every verdict code (the contract's table). */
import type { Severity, VerdictCode } from "../contract/report.js";

export const SEVERITY: Record<VerdictCode, Severity> = {
  unanswered: "error",
  "partially-answered": "warning",
  rejected: "error",
  "not-forwarded": "error",
  "filter-excludes-replies": "info",
  "capture-ended": "info",
  "kernel-drops": "warning",
  "unrecognized-lines": "warning",
  "one-way": "ok",
  answered: "ok",
  "unmatched-unreachable": "info",
  "policy-denied": "error",
  "local-in-denied": "error",
  "reverse-path-drop": "error",
  "no-session-matched": "warning",
  "ipsec-selector-mismatch": "error",
  "ipsec-not-ready": "error",
  "trace-ended": "info",
  offloaded: "info",
};
