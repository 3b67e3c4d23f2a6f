// analyze: stream the file through the parser into the analyzer and build the report (verdicts,
// services, flows), as `sniffdiag analyze` does without rendering.
import { fileChunks, main } from "./harness.mjs";

await main(async ({ file, lib }) => {
  const parser = lib.createParser(file);
  const analyzer = new lib.InputAnalyzer({ ...lib.builtinAnalyzeOptions(), source: file });
  for await (const chunk of fileChunks(file)) for (const r of parser.push(chunk)) analyzer.push(r);
  for (const r of parser.end()) analyzer.push(r);
  const report = lib.buildReport([analyzer.end()]);
  return { counts: { verdicts: report.verdicts.length, services: report.services.length, flows: report.flows.length, errors: report.summary.errors } };
});
