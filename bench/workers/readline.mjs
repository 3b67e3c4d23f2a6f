// Baseline ("the floor"): split the file into lines with Node's readline and count them
// (createReadStream with its default 64 KiB reads: faster and leaner here than 1 MiB reads).
import { createReadStream } from "node:fs";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { main } from "./harness.mjs";

await main(
  async ({ file }) => {
    const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    let lines = 0;
    rl.on("line", () => {
      lines++;
    });
    await once(rl, "close");
    return { lines };
  },
  { library: false },
);
