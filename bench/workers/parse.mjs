// parse: stream the file through createParser(...).push and count the records by type.
import { fileChunks, main } from "./harness.mjs";

await main(async ({ file, lib }) => {
  const parser = lib.createParser(file);
  const counts = { capture: 0, packet: 0, diagnostic: 0, trailer: 0, summary: 0 };
  let lines = null;
  const tally = (records) => {
    for (const r of records) {
      counts[r.type] = (counts[r.type] ?? 0) + 1;
      if (r.type === "summary") lines = r.lines;
    }
  };
  for await (const chunk of fileChunks(file)) tally(parser.push(chunk));
  tally(parser.end());
  return { counts, lines };
});
