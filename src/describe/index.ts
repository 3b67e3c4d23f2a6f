/**
 * The one place findings become words. `describe(finding)` gives the title, the explanation, the
 * remedy (prose) and the remedy's CLI commands (data) for every renderer and for the report's
 * derived `title` / `explanation` / `remedy` fields.
 *
 * Adding a verdict code: its describer goes in `DESCRIBERS` (the type requires one per code).
 */
import type { VerdictCode } from "../contract/report.js";
import type { Description, Finding, Verdict } from "../contract/report.js";
import {
  describeAnswered,
  describeCaptureEnded,
  describeFilterExcludesReplies,
  describeKernelDrops,
  describeNotForwarded,
  describeOneWay,
  describePartiallyAnswered,
  describeRejected,
  describeUnanswered,
  describeUnmatchedUnreachable,
  describeUnrecognizedLines,
} from "./sniffer.js";
import {
  describeIpsecNotReady,
  describeIpsecSelectorMismatch,
  describeLocalInDenied,
  describeNoSessionMatched,
  describeOffloaded,
  describePolicyDenied,
  describeReversePathDrop,
  describeTraceEnded,
} from "./trace.js";
import {
  describeAnsweredLate,
  describeDhcpNoOffer,
  describeEmptyCapture,
  describeEspBothWays,
  describeEspOneWay,
  describeEstablishedConnection,
  describeFilterExcludesRequests,
  describeFragmentationNeeded,
  describeHostUnreachable,
  describeLocalInUnanswered,
  describeRefusedByUnit,
  describeTtlExceeded,
} from "./unit.js";
import { remedyWithCommands } from "./remedy.js";

export { remedyWithCommands, splitCatalogueRemedy, flowDebugCommands } from "./remedy.js";

type Describers = { [C in VerdictCode]: (f: Finding<C>) => Description };

const DESCRIBERS: Describers = {
  unanswered: describeUnanswered,
  "partially-answered": describePartiallyAnswered,
  rejected: describeRejected,
  "not-forwarded": describeNotForwarded,
  "filter-excludes-replies": describeFilterExcludesReplies,
  "capture-ended": describeCaptureEnded,
  "kernel-drops": describeKernelDrops,
  "unrecognized-lines": describeUnrecognizedLines,
  "one-way": describeOneWay,
  answered: describeAnswered,
  "unmatched-unreachable": describeUnmatchedUnreachable,
  "policy-denied": describePolicyDenied,
  "local-in-denied": describeLocalInDenied,
  "reverse-path-drop": describeReversePathDrop,
  "no-session-matched": describeNoSessionMatched,
  "ipsec-selector-mismatch": describeIpsecSelectorMismatch,
  "ipsec-not-ready": describeIpsecNotReady,
  "trace-ended": describeTraceEnded,
  offloaded: describeOffloaded,
  "local-in-unanswered": describeLocalInUnanswered,
  "refused-by-unit": describeRefusedByUnit,
  "host-unreachable": describeHostUnreachable,
  "fragmentation-needed": describeFragmentationNeeded,
  "ttl-exceeded": describeTtlExceeded,
  "answered-late": describeAnsweredLate,
  "filter-excludes-requests": describeFilterExcludesRequests,
  "established-connection": describeEstablishedConnection,
  "esp-one-way": describeEspOneWay,
  "esp-both-ways": describeEspBothWays,
  "dhcp-no-offer": describeDhcpNoOffer,
  "empty-capture": describeEmptyCapture,
};

/** The words of a finding (or of a report verdict, from its code and args). */
export function describe(f: Finding | Verdict): Description {
  const fn = DESCRIBERS[f.code] as (x: Finding) => Description;
  return fn(f as Finding);
}

/**
 * The report's verdict: the finding with its words as derived fields, `title`, `explanation` and
 * `remedy` right after `servers` (the contract's order), then `args` and `commands`.
 */
export function toVerdict(f: Finding): Verdict {
  const d = describe(f);
  const v: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(f)) {
    if (k === "args") continue;
    v[k] = value;
    if (k === "servers") {
      v.title = d.title;
      v.explanation = d.explanation;
      v.remedy = remedyWithCommands(d);
    }
  }
  v.args = f.args;
  v.commands = d.commands;
  return v as unknown as Verdict;
}
