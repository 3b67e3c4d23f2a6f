/* global module */
/**
 * The pipeline order of ARCHITECTURE.md, enforced (`npx depcruise src grammars`, run by .ci/run).
 * Each stage may import its own stage and the stages before it, never one after it; nothing but
 * src/cli touches `node:` modules; no cycles. Layers, first to last:
 *
 *   0 leaf       src/contract, src/records.ts, src/report.ts, src/format, src/net, src/safe-text.ts, src/version.ts
 *   1 input      src/input
 *   2 grammar    grammars/
 *   3 assembly   src/assembly, src/parse.ts
 *   4 facts      src/filter, src/catalogue (filters and the service catalogue over records)
 *   5 correlate  src/correlate
 *   6 verdicts   src/verdicts, src/describe
 *   7 analyze    src/analyze.ts, src/schema.ts, src/services.ts
 *   8 output     src/render, src/export, src/mask, src/evidence-text.ts
 *   9 entry      src/index.ts (`sniffdiag`), src/internal.ts (`sniffdiag/internal`), src/debugflow (facade), src/web, src/cli
 *
 * The package entries are for users: nothing inside imports them (src/internal.ts re-exports src/index.ts).
 */
const LAYERS = [
  ["leaf", "^src/(contract/|format/|net/|records\\.ts$|report\\.ts$|safe-text\\.ts$|version\\.ts$)"],
  ["input", "^src/input/"],
  ["grammar", "^grammars/"],
  ["assembly", "^src/(assembly/|parse\\.ts$)"],
  ["facts", "^src/(filter|catalogue)/"],
  ["correlate", "^src/correlate/"],
  ["verdicts", "^src/(verdicts|describe)/"],
  ["analyze", "^src/(analyze|schema|services)\\.ts$"],
  ["output", "^src/(render/|export/|mask/|evidence-text\\.ts$)"],
  ["entry", "^src/(index\\.ts$|internal\\.ts$|debugflow/|web/|cli/)"],
];

const upward = LAYERS.slice(0, -1).map(([name, path], i) => ({
  name: `no-upward-from-${name}`,
  comment: `${name} may import only its own stage and the stages before it (ARCHITECTURE.md)`,
  severity: "error",
  from: { path },
  to: { path: LAYERS.slice(i + 1).map(([, p]) => p) },
}));

module.exports = {
  forbidden: [
    { name: "no-circular", comment: "one direction: no import cycles (types included)", severity: "error", from: {}, to: { circular: true } },
    {
      name: "only-cli-touches-node",
      comment: "the core is pure and runs in Node, workers and the browser: only src/cli imports node: modules",
      severity: "error",
      from: { path: "^(src|grammars)/", pathNot: "^src/cli/" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "every-file-in-a-layer",
      comment: "a new folder gets a place in the pipeline (add it to LAYERS)",
      severity: "error",
      from: { path: "^(src|grammars)/", pathNot: LAYERS.map(([, p]) => p) },
      to: {},
    },
    {
      name: "no-import-of-package-entries",
      comment: "src/index.ts and src/internal.ts are the package's entries for users; the code imports the modules themselves",
      severity: "error",
      from: { path: "^(src|grammars)/", pathNot: "^src/internal\\.ts$" },
      to: { path: "^src/(index|internal)\\.ts$" },
    },
    ...upward,
    { name: "not-to-unresolvable", severity: "error", from: {}, to: { couldNotResolve: true } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".mjs"], exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"], mainFields: ["module", "main", "types"] },
  },
};
