/** Remedy pieces: the catalogue's remedy form, the contract's one-string form. */
import type { Description } from "../contract/report.js";

/** A catalogue remedy (first line prose, the rest CLI lines) as prose and commands. */
export function splitCatalogueRemedy(text: string): { remedy: string; commands: string[] } {
  const [first, ...commands] = text.split("\n");
  return { remedy: first ?? "", commands };
}

/** The contract's `remedy` string: the prose, then the commands one per line. */
export function remedyWithCommands(d: Description): string | null {
  if (d.remedy === null) return d.commands.length > 0 ? d.commands.join("\n") : null;
  return d.commands.length > 0 ? `${d.remedy}\n${d.commands.join("\n")}` : d.remedy;
}

/** The commands that start a `diagnose debug flow` trace for one address. */
export function flowDebugCommands(address: string): string[] {
  return [
    `diagnose debug flow filter addr ${address}`,
    "diagnose debug flow show function-name enable",
    "diagnose debug console timestamp enable",
    "diagnose debug enable",
    "diagnose debug flow trace start 20",
  ];
}
