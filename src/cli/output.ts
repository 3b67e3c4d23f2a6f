/** Buffered writing to standard output or `-o FILE`, with back-pressure. */
import { createWriteStream, type WriteStream } from "node:fs";
import type { Writable } from "node:stream";

export class Output {
  private chunks: string[] = [];
  private size = 0;
  private readonly stream: Writable;
  private readonly owned: boolean;

  constructor(path: string | null) {
    this.stream = path === null ? process.stdout : createWriteStream(path);
    this.owned = path !== null;
  }

  get isTTY(): boolean {
    return !this.owned && process.stdout.isTTY === true;
  }

  async write(text: string): Promise<void> {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size >= 1 << 16) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.chunks.length === 0) return;
    const text = this.chunks.join("");
    this.chunks = [];
    this.size = 0;
    if (!this.stream.write(text)) await new Promise<void>((resolve) => this.stream.once("drain", resolve));
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.owned) {
      await new Promise<void>((resolve, reject) => {
        (this.stream as WriteStream).end((err?: Error | null) => (err ? reject(err) : resolve()));
      });
    }
  }
}
