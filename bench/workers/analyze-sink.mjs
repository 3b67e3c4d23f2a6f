// analyze with an `onFlow` sink: flows are handed over as they finish and dropped, as a caller
// streaming them out would, so only the correlator's own live state stays in memory (issue 12
// item 3). The report is built without flows.
import { fileChunks, main } from "./harness.mjs";

await main(async ({ file, lib }) => {
  let flows = 0;
  const parser = lib.createParser(file);
  const analyzer = new lib.InputAnalyzer({ ...lib.builtinAnalyzeOptions(), source: file, onFlow: () => flows++ });
  for await (const chunk of fileChunks(file)) for (const r of parser.push(chunk)) analyzer.push(r);
  for (const r of parser.end()) analyzer.push(r);
  const report = lib.buildReport([analyzer.end()]);
  return { counts: { verdicts: report.verdicts.length, services: report.services.length, flows, errors: report.summary.errors } };
});
