// Lint: typescript-eslint's recommended rules over the sources and tests.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "bench/data/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // the shipped code: tests may spread small fixed lists into variadic APIs (fast-check)
    files: ["src/**/*.ts", "grammars/**/*.ts"],
    rules: {
      // A spread argument puts every element on the stack: `push(...rows)`, `Math.max(...xs)` throw
      // RangeError past ~120k elements (issue 16). Loop, or reduce, instead.
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression > SpreadElement", message: "No spread arguments in calls: an input-sized array overflows the stack. Use a loop (for…of push), reduce, or pass the array." },
        { selector: "NewExpression > SpreadElement", message: "No spread arguments in constructors: an input-sized array overflows the stack." },
      ],
    },
  },
  {
    // a test that returns early passes without asserting: skip it with a reason instead
    // (test/helpers/require.ts: testIfPresent / describeIfPresent), or make the case run
    files: ["test/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        ...["", "IfStatement > ", "IfStatement > BlockStatement > "].map((within) => ({
          selector: `CallExpression[callee.name=/^(test|it|maybe|test[A-Z]\\w*|with[A-Z]\\w*)$/] > :function > BlockStatement > ${within}ReturnStatement`,
          message: "No early return in a test body: it passes without asserting. Use testIfPresent/describeIfPresent (a printed reason, a failure under CI=true) or make the case run.",
        })),
      ],
    },
  },
  {
    files: ["**/*.mjs", "**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", Buffer: "readonly", performance: "readonly", setTimeout: "readonly" } },
  },
);
