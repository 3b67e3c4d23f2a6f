// Bundles the CLI (fast start-up: one file, no module resolution at run time) and the library
// (platform-neutral ESM, the same core the browser page uses).
import { build } from "esbuild";
import { rmSync } from "node:fs";

const common = { bundle: true, format: "esm", target: "node20", sourcemap: false, logLevel: "warning", legalComments: "none" };

// the library's shared chunk is named by its hash: clear the old ones so a packed tarball holds only this build's
rmSync("dist/lib", { recursive: true, force: true });

await Promise.all([
  build({
    ...common,
    entryPoints: ["src/cli/main.ts"],
    platform: "node",
    outfile: "dist/cli.mjs",
    // ssh2 (live mode) stays a runtime dependency, loaded only when `sniffdiag live` runs; its
    // optional native binding must never be bundled
    external: ["ssh2"],
    // CommonJS dependencies (cli-table3) call require(): give the ESM bundle one
    banner: { js: "import { createRequire as __sniffdiagCreateRequire } from 'node:module'; const require = __sniffdiagCreateRequire(import.meta.url);" },
  }),
  build({
    ...common,
    entryPoints: ["src/cli/worker.ts"],
    platform: "node",
    outfile: "dist/worker.mjs",
    banner: { js: "import { createRequire as __sniffdiagCreateRequire } from 'node:module'; const require = __sniffdiagCreateRequire(import.meta.url);" },
  }),
  // `sniffdiag` and `sniffdiag/internal` share their code in one chunk instead of holding it twice
  build({ ...common, entryPoints: ["src/index.ts", "src/internal.ts"], platform: "neutral", outdir: "dist/lib", splitting: true, chunkNames: "chunk-[hash]", mainFields: ["module", "main"] }),
]);
