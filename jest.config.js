// Native ESM through ts-jest's ESM preset; run with `node --experimental-vm-modules`.
import { createDefaultEsmPreset } from "ts-jest";

const preset = createDefaultEsmPreset({ tsconfig: "tsconfig.json", diagnostics: false });

export default {
  ...preset,
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  moduleNameMapper: {
    // chevrotain's multi-file entry costs ~250 ms per test file; its single-file build does not.
    "^chevrotain$": "<rootDir>/node_modules/chevrotain/lib/chevrotain.mjs",
    "^(\\.{1,2}/.*)\\.js$": "$1",
  },
  testTimeout: 60000,
  // the CLI tests run dist/cli.mjs: rebuilt from source first whenever a source is newer
  globalSetup: "<rootDir>/test/setup/build.mjs",
  // one fixed fast-check seed under CI=true (random elsewhere; FC_SEED replays one)
  setupFilesAfterEnv: ["<rootDir>/test/setup/fast-check.ts"],
};
