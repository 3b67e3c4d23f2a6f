/**
 * Bytes as they arrive → the same streaming parser and analyzer `analyze` uses on a file
 * (`parseStream` → `InputAnalyzer`), so the final report equals `analyze` on the transcript.
 */
import { InputAnalyzer, type AnalyzerOptions, type InputReport } from "../../analyze.js";
import { parseStream } from "../../parse.js";
import type { ServiceAgg } from "../../correlate/analyzer.js";

/** An async queue of byte chunks: pushed by the connection, pulled by the parser. */
class ChunkQueue implements AsyncIterable<Uint8Array> {
  private chunks: Uint8Array[] = [];
  private ended = false;
  private wake: (() => void) | null = null;

  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      if (this.chunks.length > 0) {
        const batch = this.chunks;
        this.chunks = [];
        for (const c of batch) yield c;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((r) => (this.wake = r));
      this.wake = null;
    }
  }
}

export class LivePipeline {
  private readonly queue = new ChunkQueue();
  private readonly analyzer: InputAnalyzer;
  private readonly done: Promise<void>;
  packets = 0;
  lines = 0;
  /** the sniffer's trailer has been read (`N packets received by filter`) */
  trailers = 0;
  captures = 0;
  /** bumped whenever a record arrives, to redraw only on change */
  generation = 0;
  onRecord: (() => void) | null = null;

  constructor(options: AnalyzerOptions & { source: string }) {
    const analyzer = new InputAnalyzer(options);
    this.analyzer = analyzer;
    this.done = (async () => {
      for await (const r of parseStream(this.queue, { source: options.source })) {
        analyzer.push(r);
        this.generation++;
        if (r.type === "packet") this.packets++;
        else if (r.type === "trailer") this.trailers++;
        else if (r.type === "capture") this.captures++;
        else if (r.type === "summary") this.lines = r.lines;
        this.onRecord?.();
      }
    })();
  }

  push(bytes: Uint8Array): void {
    this.queue.push(bytes);
  }

  servicesSoFar(): { capture: number; services: readonly ServiceAgg[] }[] {
    return this.analyzer.servicesSoFar();
  }

  async end(): Promise<InputReport> {
    this.queue.end();
    await this.done;
    return this.analyzer.end();
  }
}
