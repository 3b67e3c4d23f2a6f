/** Access to ../shared (beside the repo): tests that need it skip with a printed reason when absent. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describeIfPresent, hidden, inCI, testIfPresent } from "./require.js";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
export const corpusDir = fileURLToPath(new URL("../../../shared/corpus/", import.meta.url));
export const debugFlowDir = fileURLToPath(new URL("../../../shared/corpus-debugflow/", import.meta.url));
export const samplesDir = fileURLToPath(new URL("../../samples/", import.meta.url));

export const haveCorpus = !hidden("corpus") && existsSync(corpusDir);

/** `describe` that skips when the shared corpus is absent (and fails under CI=true). */
const CORPUS_NEEDED = `the shared corpus ${corpusDir} (a clone without ../shared beside it)`;
export const describeCorpus = describeIfPresent(haveCorpus, CORPUS_NEEDED);
/** `test` for one case that needs the shared corpus. */
export const testCorpus = testIfPresent(haveCorpus, CORPUS_NEEDED);

/** The corpus captures; none when it is absent (under CI=true its absence throws: a loop over nothing proves nothing). */
export function corpusFiles(): string[] {
  if (!haveCorpus) {
    if (inCI) throw new Error(`${CORPUS_NEEDED} is missing; CI=true requires it`);
    return [];
  }
  return readdirSync(corpusDir).filter((f) => /^\d\d_.*\.txt$/.test(f)).sort();
}

export function readCorpus(name: string): Buffer {
  return readFileSync(corpusDir + name);
}

export function readSample(name: string): Buffer {
  return readFileSync(samplesDir + name);
}
