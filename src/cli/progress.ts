/**
 * A progress bar on standard error (cli-progress), shown only when stderr is a terminal and the
 * work is long: more than one input or a big one, and still running after half a second. Silent
 * otherwise. When the inputs' sizes are known it counts bytes, so one big file moves the bar too:
 * `analysing |████░░░░| 45.3/134.3 MB | 22.1 MB/s | ETA 4s | 1/1 | capture.txt`.
 */
import { SingleBar, Presets } from "cli-progress";

const DELAY_MS = 500;

const MB = 1e6;

export class Progress {
  private bar: SingleBar | null = null;
  private count = 0;
  private readonly timer: ReturnType<typeof setTimeout> | null = null;
  private readonly forced: boolean;
  /** bytes of the inputs finished so far, and read of the current one */
  private finishedBytes = 0;
  private currentBytes = 0;
  private name = "";
  private readonly started = Date.now();

  constructor(
    private readonly total: number,
    private readonly bytes: number,
    enabled: boolean | undefined,
  ) {
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

  /** the bar counts bytes (sizes known) or inputs (standard input only) */
  private get byBytes(): boolean {
    return this.bytes > 0;
  }

  private start(): void {
    if (this.count >= this.total) return;
    const format = this.byBytes
      ? "analysing |{bar}| {doneMB}/{totalMB} MB | {rate} MB/s | ETA {eta_formatted} | {inputs} | {name}"
      : "analysing |{bar}| {value}/{total} inputs | {name}";
    this.bar = new SingleBar(
      {
        format,
        hideCursor: true,
        clearOnComplete: !this.forced,
        stream: process.stderr,
        // --progress asks for the bar even when stderr is not a terminal
        noTTYOutput: this.forced,
        etaBuffer: 50,
      },
      Presets.shades_classic,
    );
    if (this.byBytes) this.bar.start(this.bytes, this.value(), this.payload());
    else this.bar.start(this.total, this.count, { name: this.shortName() });
  }

  private value(): number {
    return Math.min(this.bytes, this.finishedBytes + this.currentBytes);
  }

  private shortName(): string {
    return this.name.length > 40 ? "…" + this.name.slice(-39) : this.name;
  }

  private payload(): Record<string, string> {
    const seconds = Math.max(0.001, (Date.now() - this.started) / 1000);
    const done = this.value();
    return {
      doneMB: (done / MB).toFixed(1),
      totalMB: (this.bytes / MB).toFixed(1),
      rate: (done / MB / seconds).toFixed(1),
      inputs: `${Math.min(this.total, this.count + 1)}/${this.total}`,
      name: this.shortName(),
    };
  }

  /** An input starts being read. */
  begin(name: string): void {
    this.name = name;
    this.currentBytes = 0;
  }

  /** Bytes of the current input were read (before decompression). */
  read(bytes: number): void {
    this.currentBytes += bytes;
    if (this.bar !== null && this.byBytes) this.bar.update(this.value(), this.payload());
  }

  /** An input is finished; `size` is its size on disk (0 when unknown). */
  done(name: string, size = 0): void {
    this.count++;
    this.finishedBytes += size;
    this.currentBytes = 0;
    this.name = name;
    if (this.bar === null) return;
    if (this.byBytes) this.bar.update(this.value(), this.payload());
    else this.bar.update(this.count, { name: this.shortName() });
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
