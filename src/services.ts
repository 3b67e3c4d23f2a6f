/** The built-in service catalogue wired into the analysis (names, one-way services, remedies). */
import type { AnalyzeOptions } from "./analyze.js";
import { builtinCatalogue, portFactsLookup, serviceInfoLookup, type Catalogue } from "./catalogue/index.js";

/** Analysis options backed by a catalogue (the built-in one unless given: `--services FILE` merges into it). */
export function builtinAnalyzeOptions(catalogue: Catalogue = builtinCatalogue()): Pick<AnalyzeOptions, "serviceInfo" | "portFacts"> {
  return { serviceInfo: serviceInfoLookup(catalogue), portFacts: portFactsLookup(catalogue) };
}
