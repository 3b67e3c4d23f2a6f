// export: stream the file through the parser into the pcapng writer and write the bytes to
// /dev/null, as `sniffdiag export FILE -o out.pcapng` does.
import { openSync, writeSync, closeSync } from "node:fs";
import { fileChunks, main } from "./harness.mjs";

await main(async ({ file, lib }) => {
  async function* records() {
    const parser = lib.createParser(file);
    for await (const chunk of fileChunks(file)) yield* parser.push(chunk);
    yield* parser.end();
  }
  const fd = openSync("/dev/null", "w");
  let bytes = 0;
  const gen = lib.exportCapture(records(), { format: "pcapng", start: 1700000000 });
  for (;;) {
    const step = await gen.next();
    if (step.done) {
      closeSync(fd);
      return { counts: { bytes, packets: step.value?.packets ?? null } };
    }
    bytes += step.value.length;
    writeSync(fd, step.value);
  }
});
