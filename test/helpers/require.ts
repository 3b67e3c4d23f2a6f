/**
 * What a test needs from outside the repo (../shared, tshark, chromium). Absent: the suite skips
 * with a printed reason — except under `CI=true`, where the absence is a failing test.
 */
import { existsSync } from "node:fs";

export const inCI = process.env.CI === "true";

/** `describe` for a suite that needs `what`; `present` says whether it is there. */
export function describeIfPresent(present: boolean, what: string): jest.Describe | ((name: string, fn: () => void) => void) {
  if (present) return describe;
  if (inCI) {
    return (name: string) =>
      describe(name, () => {
        test(`requires ${what} (CI=true: missing is a failure)`, () => {
          throw new Error(`${what} is missing; CI=true requires it`);
        });
      });
  }
  console.log(`skipping tests that need ${what}: it is absent`);
  return describe.skip;
}

/** `describe` for a suite that needs the folder `dir`. */
export function describeWithCorpus(dir: string, what: string) {
  return describeIfPresent(existsSync(dir), `${what} (${dir})`);
}
