/** The built-in service catalogue wired into the analysis (names, one-way services, remedies). */
import type { AnalyzerOptions } from "./analyze.js";
import { builtinCatalogue, portFactsLookup, serviceInfoLookup, type Catalogue } from "./catalogue/index.js";

/**
 * Analysis options backed by a catalogue (the built-in one unless given: `--services FILE` merges
 * into it), its lookups made once for every input of a run.
 */
export function builtinAnalyzeOptions(catalogue: Catalogue = builtinCatalogue()): Required<Pick<AnalyzerOptions, "catalogue" | "serviceInfo" | "portFacts">> {
  return { catalogue, serviceInfo: serviceInfoLookup(catalogue), portFacts: portFactsLookup(catalogue) };
}
