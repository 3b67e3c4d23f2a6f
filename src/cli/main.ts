/**
 * The `sniffdiag` command line (../shared/spec/contract.md). The only place, with inputs.ts and
 * output.ts, that touches files, streams and the process; every other stage is pure.
 *
 * Exit status: 0 finished, nothing at --fail-on level; 1 finished with a verdict at that level;
 * 2 usage error, an unreadable INPUT, or no sniffer output in any INPUT.
 */
import yargs, { type Argv } from "yargs";
import { hideBin } from "yargs/helpers";
import { VERSION } from "../version.js";
import { resolveInputs, type InputRef } from "./inputs.js";
import { Output } from "./output.js";
import { parseInputToOutput, type ParseFormat } from "./parse-command.js";

/** A failure that ends the run with a message on stderr and exit status 2. */
export class UsageError extends Error {}

function stderr(line: string): void {
  process.stderr.write(line.endsWith("\n") ? line : line + "\n");
}

async function inputsOrFail(args: readonly string[]): Promise<{ inputs: InputRef[]; unreadable: number }> {
  const { inputs, problems } = await resolveInputs(args);
  for (const p of problems) stderr(`${p.name}: ${p.message}`);
  if (inputs.length === 0) throw new UsageError("");
  if (inputs.some((i) => i.path === null) && process.stdin.isTTY === true) {
    stderr("Paste the sniffer output, then press Ctrl-D");
  }
  return { inputs, unreadable: problems.length };
}

async function runParse(argv: { inputs: string[]; format: ParseFormat; output: string | undefined }): Promise<number> {
  const { inputs, unreadable } = await inputsOrFail(argv.inputs);
  const out = new Output(argv.output ?? null);
  let withCapture = 0;
  let failed = unreadable;
  for (const ref of inputs) {
    try {
      const outcome = await parseInputToOutput(ref, argv.format, out);
      if (outcome.problem !== null) stderr(`${ref.name}: ${outcome.problem}`);
      else withCapture++;
    } catch (err) {
      failed++;
      stderr(`${ref.name}: ${ioMessage(err)}`);
    }
  }
  await out.close();
  return failed > 0 || withCapture === 0 ? 2 : 0;
}

function ioMessage(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (e.code === "EISDIR") return "cannot read: is a directory";
  if (e.code === "ENOENT") return "cannot read: no such file or directory";
  if (e.code === "EACCES") return "cannot read: permission denied";
  if (e.code === "Z_DATA_ERROR" || e.code === "Z_BUF_ERROR") return "cannot read: corrupt gzip data";
  return `cannot read: ${e.message ?? String(err)}`;
}

function inputsPositional<T>(y: Argv<T>) {
  return y.positional("inputs", { describe: "files, directories, globs, or - for standard input", type: "string", array: true, default: [] as string[] });
}

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const parser = yargs(argv)
    .scriptName("sniffdiag")
    .usage("$0 [command] [INPUT...]\n\nReads `diagnose sniffer packet` output and says what is wrong.")
    .command(
      "parse [inputs..]",
      "the packet records, one per line",
      (y) =>
        inputsPositional(y)
          .option("format", { choices: ["jsonl", "table"] as const, default: "jsonl" as const, describe: "output format" })
          .option("output", { alias: "o", type: "string", describe: "write to FILE instead of standard output" }),
      async (a) => {
        exitCode = await runParse({ inputs: a.inputs as string[], format: a.format as ParseFormat, output: a.output });
      },
    )
    .version("version", "print the version", VERSION)
    .alias("h", "help")
    .strict()
    .demandCommand(1, "name a command (see --help)")
    .recommendCommands()
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      if (err !== undefined && err !== null) throw err;
      throw new UsageError(msg ?? "usage error");
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    if (err instanceof UsageError) {
      if (err.message !== "") stderr(`sniffdiag: ${err.message}\nRun 'sniffdiag --help' for usage.`);
      return 2;
    }
    stderr(`sniffdiag: internal error: ${(err as Error).message ?? String(err)}`);
    return 2;
  }
  return exitCode;
}

// Run when executed as the CLI bundle (not when imported by tests).
const isEntry = typeof process !== "undefined" && process.argv[1] !== undefined && /(?:cli\.mjs|sniffdiag(?:\.js)?)$/.test(process.argv[1]);
if (isEntry) {
  main(hideBin(process.argv)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      stderr(`sniffdiag: internal error: ${(err as Error).message ?? String(err)}`);
      process.exitCode = 2;
    },
  );
}
