/**
 * What a test needs from outside the repo (../shared, tshark, chromium, script(1)). Absent: the
 * suite or case skips with a printed reason — except under `CI=true`, where the absence is a
 * failing test (.ci/run installs tshark and chromium from .ci/apt-packages).
 */
import { accessSync, constants, existsSync } from "node:fs";
import { delimiter, join } from "node:path";

export const inCI = process.env.CI === "true";

/**
 * `SNIFFDIAG_TEST_WITHOUT=tshark,chromium,script,corpus` makes the tests behave as if those were
 * absent: to see the skips (and, with CI=true, the failures) on a machine that has them.
 */
const pretendAbsent = new Set((process.env.SNIFFDIAG_TEST_WITHOUT ?? "").split(",").map((w) => w.trim()));
export const hidden = (what: string): boolean => pretendAbsent.has(what);

/** Whether an executable `name` is on PATH (looked up without starting it: this module loads in every test file). */
function onPath(name: string): boolean {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

/** Wireshark's command-line reader (Debian `tshark`). */
export const haveTshark = !hidden("tshark") && onPath("tshark");
export const TSHARK = "tshark (apt-get install tshark)";

/** Debian's Chromium, driven by playwright-core through `executablePath`. */
export const CHROMIUM = "/usr/bin/chromium";
export const haveChromium = !hidden("chromium") && existsSync(CHROMIUM);
export const CHROMIUM_NEEDED = `${CHROMIUM} (apt-get install chromium)`;

/** script(1), which gives a command a terminal (util-linux / bsdutils). */
export const haveScript = !hidden("script") && onPath("script");
export const SCRIPT_NEEDED = "script(1) (apt-get install bsdutils)";

const missingInCI = (what: string) => () => {
  throw new Error(`${what} is missing; CI=true requires it`);
};

/** `describe` for a suite that needs `what`; `present` says whether it is there. */
export function describeIfPresent(present: boolean, what: string): jest.Describe | ((name: string, fn: () => void) => void) {
  if (present) return describe;
  if (inCI) {
    return (name: string) =>
      describe(name, () => {
        test(`requires ${what} (CI=true: missing is a failure)`, missingInCI(what));
      });
  }
  return (name: string, fn: () => void) => {
    console.log(`skipping "${name}": it needs ${what}, which is absent`);
    describe.skip(name, fn);
  };
}

/** `test` for a case that needs `what`: skipped with a printed reason when absent, failing under CI=true. */
export function testIfPresent(present: boolean, what: string): jest.It | ((name: string, fn: jest.ProvidesCallback, timeout?: number) => void) {
  if (present) return test;
  if (inCI) return (name: string) => test(`${name} — requires ${what} (CI=true: missing is a failure)`, missingInCI(what));
  return (name: string, fn: jest.ProvidesCallback, timeout?: number) => {
    console.log(`skipping "${name}": it needs ${what}, which is absent`);
    test.skip(name, fn, timeout);
  };
}

/** `describe` for a suite that needs the folder `dir`. */
export function describeWithCorpus(dir: string, what: string) {
  return describeIfPresent(!hidden("corpus") && existsSync(dir), `${what} (${dir})`);
}
