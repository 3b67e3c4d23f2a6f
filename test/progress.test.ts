/**
 * The progress bar inside one input: bytes read of the file's size, a rate and an ETA (forced
 * with --progress, as a terminal would show it).
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "./helpers/cli.js";
import { samplesDir } from "./helpers/corpus.js";

test("one big input moves the bar by bytes read, with rate and ETA, and ends at its size", () => {
  const sample = readFileSync(join(samplesDir, "seed_fortimail_kb192524.txt"), "utf8");
  const dir = mkdtempSync(join(tmpdir(), "sniffdiag-progress-"));
  const file = join(dir, "big.txt");
  writeFileSync(file, sample.repeat(Math.ceil(3e6 / sample.length)));
  const mb = (statSync(file).size / 1e6).toFixed(1);
  const r = runCli([file, "--progress", "--format", "json", "--fail-on", "never"]);
  expect(r.status).toBe(0);
  const bars = r.stderr.split(/[\r\n]+/).filter((l) => l.startsWith("analysing |"));
  expect(bars.length).toBeGreaterThan(0);
  for (const b of bars) expect(b).toMatch(new RegExp(`\\| [0-9.]+/${mb.replace(".", "\\.")} MB \\| [0-9.]+ MB/s \\| ETA \\S+ \\| 1/1 \\|`));
  expect(bars[bars.length - 1]).toContain(`${mb}/${mb} MB`);
});
