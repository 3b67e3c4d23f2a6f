/**
 * A progress bar on standard error (cli-progress), shown only when stderr is a terminal and the
 * work is long: more than one input, and still running after half a second. Silent otherwise.
 */
import { SingleBar, Presets } from "cli-progress";

const DELAY_MS = 500;

export class Progress {
  private bar: SingleBar | null = null;
  private count = 0;
  private readonly timer: ReturnType<typeof setTimeout> | null = null;

  private readonly forced: boolean;

  constructor(private readonly total: number, bytes: number, enabled: boolean | undefined) {
    this.forced = enabled === true;
    const want = enabled ?? (process.stderr.isTTY === true && (total > 1 || bytes > 50 * 1024 * 1024));
    if (!want || total === 0) return;
    if (this.forced) {
      this.start();
      return;
    }
    this.timer = setTimeout(() => this.start(), DELAY_MS);
    this.timer.unref();
  }

  private start(): void {
    if (this.count >= this.total) return;
    this.bar = new SingleBar(
      {
        format: "analysing |{bar}| {value}/{total} inputs | {name}",
        hideCursor: true,
        clearOnComplete: !this.forced,
        stream: process.stderr,
        // --progress asks for the bar even when stderr is not a terminal
        noTTYOutput: this.forced,
      },
      Presets.shades_classic,
    );
    this.bar.start(this.total, this.count, { name: "" });
  }

  done(name: string): void {
    this.count++;
    this.bar?.update(this.count, { name: name.length > 40 ? "…" + name.slice(-39) : name });
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.bar?.stop();
    this.bar = null;
  }

  /** whether the bar was ever drawn (for tests) */
  get shown(): boolean {
    return this.bar !== null;
  }
}
