/**
 * The package as a user gets it. The library surface: `analyze(text)` judges with the built-in
 * catalogue (as the CLI does), the entry exports the API and every type its signatures use, and
 * no internals. The tarball: packed from a copy of the working tree (`prepack` builds it there),
 * installed into an empty project, then `npx sniffdiag sample.txt`, `npx sniffdiag web` and a
 * TypeScript file importing `analyze` (type-checked for node16 and bundler resolution, then run).
 * The tarball part needs the npm registry for the dependencies: without it, it skips with a
 * printed reason — except under CI=true, where it runs (and fails without the registry).
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import ts from "typescript";
import * as library from "../src/index.js";
import { analyze, type Report } from "../src/index.js";
import { readSample, repoRoot } from "./helpers/corpus.js";
import { runCli } from "./helpers/cli.js";
import { describeIfPresent, inCI } from "./helpers/require.js";

const SEED = "seed_fortimail_kb192524.txt";
const verdictKeys = (r: Report) => r.verdicts.map((v) => ({ code: v.code, proto: v.proto, port: v.port, servers: v.servers, args: v.args }));

describe("analyze(text) without options", () => {
  const seed = readSample(SEED).toString("utf8");

  test("judges with the built-in catalogue: the verdicts of the CLI on the seed sample", () => {
    const cli = runCli([repoRoot + "samples/" + SEED, "--format", "json", "--fail-on", "never"]);
    expect(cli.status).toBe(0);
    const fromCli = JSON.parse(cli.stdout) as Report;
    const fromLibrary = analyze(seed);
    expect(verdictKeys(fromLibrary)).toEqual(verdictKeys(fromCli));
    expect(fromLibrary.verdicts.map((v) => v.code)).toEqual(["unanswered", "answered"]);
    // the catalogue's name of UDP/8889 is in the facts
    expect(fromLibrary.verdicts[0]?.args).toMatchObject({ name: "FortiGuard antispam rating" });
  });

  test("an empty catalogue is a different analysis (the default is not a no-op)", () => {
    const without = analyze(seed, { catalogue: [] });
    expect(without.verdicts[0]?.code).toBe("unanswered");
    expect(without.verdicts[0]?.args).toMatchObject({ name: null });
  });
});

describe("the entry point", () => {
  test("exports the API and keeps internals in sniffdiag/internal", async () => {
    const names = Object.keys(library);
    for (const name of ["analyze", "parseCapture", "parseStream", "createParser", "formatReport", "builtinCatalogue", "mergeCatalogue", "lookupService", "VERDICT_CODES", "reportSchema", "VERSION"]) {
      expect(names).toContain(name);
    }
    for (const name of ["classifyLine", "LineSplitter", "InputAnalyzer", "buildReport", "cleanLine", "splitLines", "StreamDecoder", "Exporter", "builtinAnalyzeOptions"]) {
      expect(names).not.toContain(name);
    }
    const internal = Object.keys(await import("../src/internal.js"));
    for (const name of ["classifyLine", "LineSplitter", "InputAnalyzer", "buildReport", "analyze"]) expect(internal).toContain(name);
  });

  test("formatReport gives the documents the CLI writes", () => {
    const report = analyze(readSample(SEED), { source: SEED });
    expect(JSON.parse(library.formatReport(report, "json"))).toEqual(JSON.parse(JSON.stringify(report)));
    expect(library.formatReport(report, "jsonl").trim().split("\n").map((l) => (JSON.parse(l) as { code: string }).code)).toEqual(["unanswered", "answered"]);
    expect(library.formatReport(report, "markdown")).toContain("UDP/8889");
    expect(library.formatReport(report, "html")).toMatch(/^<!doctype html>/i);
  });

  describe("every type the public signatures use is exported (checked on the emitted .d.ts)", () => {
    let out = "";
    beforeAll(() => {
      out = mkdtempSync(join(tmpdir(), "sniffdiag-types-"));
      const config = ts.getParsedCommandLineOfConfigFile(repoRoot + "tsconfig.build.json", {}, {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
        },
      });
      if (config === undefined) throw new Error("tsconfig.build.json: unreadable");
      const emitted = ts.createProgram(config.fileNames, { ...config.options, outDir: out, rootDir: repoRoot }).emit(undefined, undefined, undefined, true);
      expect(emitted.diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).toEqual([]);
    }, 180_000);
    afterAll(() => rmSync(out, { recursive: true, force: true }));

    test("src/index.d.ts names none it does not export", () => {
      expect(forgottenExports(join(out, "src", "index.d.ts"))).toEqual([]);
    });

    test("the check finds a forgotten type (an entry exporting analyze alone)", () => {
      const entry = join(out, "only-analyze.d.ts");
      writeFileSync(entry, 'export { analyze } from "./src/analyze.js";\n');
      expect(forgottenExports(entry)).toEqual(expect.arrayContaining(["AnalyzeOptions (used by analyze)", "Report (used by analyze)"]));
    });
  });
});

/**
 * Types declared in this package that a declaration reachable from `entry`'s exports names (in a
 * signature, a member, a base) but `entry` does not export: a user could not name them. What
 * api-extractor calls a forgotten export.
 */
function forgottenExports(entry: string): string[] {
  const program = ts.createProgram([entry], { strict: true, noEmit: true, types: [], target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 });
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(entry);
  const entrySymbol = file === undefined ? undefined : checker.getSymbolAtLocation(file);
  if (entrySymbol === undefined) throw new Error(`${entry}: not a module`);
  const resolve = (s: ts.Symbol) => ((s.flags & ts.SymbolFlags.Alias) !== 0 ? checker.getAliasedSymbol(s) : s);
  const exported = new Set(checker.getExportsOfModule(entrySymbol).map(resolve));
  const ours = (d: ts.Declaration) => !d.getSourceFile().fileName.includes("/node_modules/") && !program.isSourceFileDefaultLibrary(d.getSourceFile());
  const forgotten: string[] = [];
  const seen = new Set<ts.Symbol>();
  const visit = (symbol: ts.Symbol, user: string) => {
    const s = resolve(symbol);
    if (seen.has(s) || (s.flags & ts.SymbolFlags.TypeParameter) !== 0) return;
    seen.add(s);
    const declarations = (s.declarations ?? []).filter(ours);
    if (declarations.length === 0) return;
    if (!exported.has(s)) forgotten.push(`${s.name} (used by ${user})`);
    for (const d of declarations) walk(d, s.name);
  };
  const walk = (node: ts.Node, owner: string): void => {
    let name: ts.Node | null = null;
    if (ts.isTypeReferenceNode(node)) name = node.typeName;
    else if (ts.isTypeQueryNode(node)) name = node.exprName;
    else if (ts.isExpressionWithTypeArguments(node)) name = node.expression;
    if (name !== null) {
      const last = ts.isQualifiedName(name) ? name.right : ts.isPropertyAccessExpression(name) ? name.name : name;
      const s = checker.getSymbolAtLocation(last);
      if (s !== undefined) visit(s, owner);
    } else if (ts.isImportTypeNode(node)) {
      const type = checker.getTypeFromTypeNode(node);
      const s = type.aliasSymbol ?? type.getSymbol();
      if (s !== undefined) visit(s, owner);
    }
    ts.forEachChild(node, (child) => walk(child, owner));
  };
  for (const s of exported) {
    seen.add(s);
    for (const d of (s.declarations ?? []).filter(ours)) walk(d, s.name);
  }
  return forgotten;
}

// ---- the tarball ----------------------------------------------------------------------------------

const registryUp = inCI || spawnSync("npm", ["ping", "--loglevel=error"], { encoding: "utf8", timeout: 30_000 }).status === 0;
const describeRegistry = describeIfPresent(registryUp, "the npm registry (`npm ping` failed), to install the packed tarball's dependencies");

const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");

function run(command: string, args: string[], cwd: string, timeout = 300_000): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, { cwd, encoding: "utf8", timeout, env: { ...process.env, NO_COLOR: "1", npm_config_update_notifier: "false" }, maxBuffer: 64 * 1024 * 1024 });
  if (r.error !== undefined) throw new Error(`${command} ${args.join(" ")}: ${r.error.message}`);
  return r;
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what}: exit status ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describeRegistry("the packed tarball, installed in an empty project", () => {
  let temp = "";
  let project = "";
  const sample = readSample(SEED).toString("utf8");

  beforeAll(() => {
    temp = mkdtempSync(join(tmpdir(), "sniffdiag-pack-"));
    // a copy of the working tree (tracked and new files), so `prepack` builds there and never
    // rewrites the dist/ other tests run
    const source = join(temp, "source");
    const files = ok(run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], repoRoot), "git ls-files").split("\0").filter((f) => f !== "");
    for (const f of files) {
      if (!existsSync(join(repoRoot, f))) continue; // deleted, not yet committed
      mkdirSync(dirname(join(source, f)), { recursive: true });
      cpSync(join(repoRoot, f), join(source, f));
    }
    symlinkSync(join(repoRoot, "node_modules"), join(source, "node_modules"), "dir");
    ok(run("npm", ["pack", "--pack-destination", temp, "--loglevel=error"], source, 600_000), "npm pack");
    const tarball = readdirSync(temp).find((f) => /^sniffdiag-.*\.tgz$/.test(f));
    if (tarball === undefined) throw new Error(`npm pack wrote no tarball in ${temp}`);

    project = join(temp, "project");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "sniffdiag-user", private: true, type: "module" }, null, 2));
    writeFileSync(join(project, "sample.txt"), sample);
    ok(run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", join(temp, tarball)], project, 600_000), "npm install of the tarball");
  }, 1_200_000);

  afterAll(() => {
    if (temp !== "") rmSync(temp, { recursive: true, force: true });
  });

  test("npx sniffdiag sample.txt: exit status 1 (an error verdict) and the verdict codes in JSON", () => {
    const r = run("npx", ["--no-install", "sniffdiag", "sample.txt", "--format", "json"], project);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.schema).toBe("sniffdiag.report/1");
    expect(report.verdicts.map((v) => [v.code, v.port])).toEqual([
      ["unanswered", 8889],
      ["answered", 53],
    ]);
  });

  test("npx sniffdiag web: the path of the shipped page", () => {
    const r = run("npx", ["--no-install", "sniffdiag", "web"], project);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const page = r.stdout.trim();
    expect(page).toBe(join(project, "node_modules", "sniffdiag", "dist", "web", "index.html"));
    const html = readFileSync(page, "utf8");
    expect(html).toContain("<title>sniffdiag — what is wrong in this sniffer capture</title>");
    expect(html.length).toBeGreaterThan(100_000); // the inlined core, not a stub
  });

  const program = (text: string) => `import { analyze, formatReport, VERDICT_CODES, type Report, type VerdictCode } from "sniffdiag";
import type { ServiceSummary, TraceSummary } from "sniffdiag";

const report: Report = analyze(${JSON.stringify(text)}, { source: "sample.txt" });
const codes: VerdictCode[] = report.verdicts.map((v) => v.code);
const services: ServiceSummary[] = report.services;
const traces: TraceSummary[] = report.traces ?? [];
if (!codes.every((c) => VERDICT_CODES.includes(c))) throw new Error("a code outside VERDICT_CODES");
console.log(JSON.stringify({ codes, services: services.length, traces: traces.length, markdown: formatReport(report, "markdown").length > 0 }));
`;

  const tsconfig = (resolution: "node16" | "bundler") => ({
    compilerOptions: {
      strict: true,
      target: "es2022",
      module: resolution === "node16" ? "node16" : "esnext",
      moduleResolution: resolution,
      lib: ["es2022", "dom"],
      types: [],
      skipLibCheck: false,
      outDir: "out",
      ...(resolution === "bundler" ? { noEmit: true } : {}),
    },
    files: ["main.ts", "readme-example.ts"],
  });

  /** The README's library example (its first ```ts block), with the `text` it reads declared. */
  function readmeExample(): string {
    const block = /```ts\n([\s\S]*?)```/.exec(readFileSync(join(repoRoot, "README.md"), "utf8"));
    if (block?.[1] === undefined) throw new Error("README.md: no ```ts block");
    const body = block[1];
    const imports = body.split("\n").filter((l) => l.startsWith("import "));
    const rest = body.split("\n").filter((l) => !l.startsWith("import "));
    return [...imports, "declare const text: string;", ...rest, "export {};", ""].join("\n");
  }

  function typeCheck(resolution: "node16" | "bundler"): SpawnSyncReturns<string> {
    writeFileSync(join(project, "main.ts"), program(sample));
    writeFileSync(join(project, "readme-example.ts"), readmeExample());
    writeFileSync(join(project, `tsconfig.${resolution}.json`), JSON.stringify(tsconfig(resolution), null, 2));
    return run(process.execPath, [tsc, "-p", `tsconfig.${resolution}.json`], project);
  }

  test.each(["node16", "bundler"] as const)("a .ts file importing analyze, and the README's example, type-check (moduleResolution %s)", (resolution) => {
    const r = typeCheck(resolution);
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  test("the .ts file, compiled, runs in Node and prints the verdict codes", () => {
    ok(typeCheck("node16"), "tsc");
    const r = run(process.execPath, [join("out", "main.js")], project);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ codes: ["unanswered", "answered"], services: 2, traces: 0, markdown: true });
  });

  test("the type check fails on a package without its declarations (TS7016), so it can fail", () => {
    const types = join(project, "node_modules", "sniffdiag", "dist", "types");
    renameSync(types, types + ".hidden");
    try {
      const r = typeCheck("node16");
      expect(r.status).not.toBe(0);
      expect(r.stdout).toContain("TS7016");
    } finally {
      renameSync(types + ".hidden", types);
    }
  });
});
