/** The JSON contract's types live in `src/contract/` (a leaf); this path stays for existing imports. */
export * from "./contract/report.js";
export type * from "./contract/args.js";
