/**
 * Writing results: standard output or `-o FILE`, never over an input.
 *
 * A file is written to a temporary file beside it and renamed over the target once everything
 * was written, so a failure (a full disk, an interrupted run) leaves the old file as it was and
 * no half-written one. Devices and FIFOs (`/dev/null`, `/dev/stdout`, a named pipe) are written
 * in place. Every failure is an OutputError with one line naming the path; a reader that stopped
 * reading standard output (`| head -1`) is a BrokenPipe, which ends the run quietly with exit 0.
 */
import { promises as fs, constants as fsConstants, fstatSync, type Stats } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { safeText } from "../safe-text.js";

/** A write failed: the message is one line naming the path and the reason. */
export class OutputError extends Error {}

/** Standard output was closed by its reader: stop quietly (exit 0, like other Unix filters). */
export class BrokenPipe extends Error {}

/** The reason part of a write failure: `cannot write: no space left on device`. */
export function describeWriteError(err: unknown): string {
  const code = (err as { code?: string }).code;
  switch (code) {
    case "ENOENT":
      return "cannot write: no such file or directory";
    case "EACCES":
    case "EPERM":
    case "EROFS":
      return "cannot write: permission denied";
    case "EISDIR":
      return "cannot write: is a directory";
    case "ENOTDIR":
      return "cannot write: a part of the path is not a directory";
    case "ENOSPC":
      return "cannot write: no space left on device";
    case "EDQUOT":
      return "cannot write: disk quota exceeded";
    case "EFBIG":
      return "cannot write: file too large";
    case "EIO":
      return "cannot write: input/output error";
    default:
      return `cannot write: ${safeText(String((err as Error).message ?? err))}`;
  }
}

function outputError(path: string, err: unknown): OutputError {
  return new OutputError(`${safeText(path)}: ${describeWriteError(err)}`);
}

interface FileId {
  dev: number;
  ino: number;
}

function sameFile(a: FileId, b: FileId): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

async function fileId(path: string): Promise<FileId | null> {
  try {
    const st = await fs.stat(path);
    return { dev: st.dev, ino: st.ino };
  } catch {
    return null;
  }
}

function fdId(fd: number): FileId | null {
  try {
    const st = fstatSync(fd);
    return st.isFile() ? { dev: st.dev, ino: st.ino } : null;
  } catch {
    return null;
  }
}

/**
 * Refuse (OutputError, exit 2) when the output is one of the inputs: the same device and inode
 * after following symlinks, so `./c.txt`, a symlink or a hard link to the input all count.
 * `inputs` holds file paths, or null for standard input (compared by its file descriptor).
 * `output` null means standard output, compared the same way (`sniffdiag c.txt >> c.txt`).
 */
export async function refuseOverwritingInputs(output: string | null, inputs: readonly (string | null)[]): Promise<void> {
  const out = output === null || output === "-" ? fdId(1) : await fileId(output);
  if (out === null) return;
  for (const input of inputs) {
    const id = input === null ? fdId(0) : await fileId(input);
    if (id !== null && sameFile(id, out)) {
      const shown = output === null || output === "-" ? "standard output" : output;
      throw new OutputError(`${safeText(shown)}: refusing to write over the input ${safeText(input ?? "(standard input)")}; choose another output file`);
    }
  }
}

type Chunk = string | Uint8Array;

/** Where bytes go: a file handle (temporary or in place) or standard output. */
interface Target {
  write(data: Uint8Array): Promise<void>;
  close(): Promise<void>;
  discard(): Promise<void>;
}

class StdoutTarget implements Target {
  private failure: Error | null = null;
  private readonly onError = (err: Error): void => {
    this.failure = err;
  };

  constructor() {
    process.stdout.on("error", this.onError);
  }

  private check(): void {
    const err = this.failure;
    if (err === null) return;
    if ((err as { code?: string }).code === "EPIPE") throw new BrokenPipe("standard output closed");
    throw outputError("standard output", err);
  }

  async write(data: Uint8Array): Promise<void> {
    this.check();
    const ok = process.stdout.write(data);
    if (!ok) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          process.stdout.off("drain", done);
          process.stdout.off("error", done);
          resolve();
        };
        process.stdout.once("drain", done);
        process.stdout.once("error", done);
      });
    }
    this.check();
  }

  async close(): Promise<void> {
    // let a pending EPIPE surface before we report success
    await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
    this.check();
    process.stdout.off("error", this.onError);
  }

  async discard(): Promise<void> {
    process.stdout.off("error", this.onError);
  }
}

class FileTarget implements Target {
  constructor(
    private readonly fh: FileHandle,
    /** the path written to (the temporary file, or the target itself for devices and FIFOs) */
    private readonly writing: string,
    /** the target to rename to, or null when written in place */
    private readonly renameTo: string | null,
    private readonly shown: string,
  ) {}

  get renames(): boolean {
    return this.renameTo !== null;
  }

  async write(data: Uint8Array): Promise<void> {
    let off = 0;
    try {
      while (off < data.length) {
        const { bytesWritten } = await this.fh.write(data, off, data.length - off);
        if (bytesWritten <= 0) throw Object.assign(new Error("short write"), { code: "EIO" });
        off += bytesWritten;
      }
    } catch (err) {
      throw outputError(this.shown, err);
    }
  }

  async close(): Promise<void> {
    try {
      await this.fh.close();
      if (this.renameTo !== null) await fs.rename(this.writing, this.renameTo);
    } catch (err) {
      if (this.renameTo !== null) await fs.rm(this.writing, { force: true }).catch(() => undefined);
      throw outputError(this.shown, err);
    }
  }

  async discard(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    if (this.renameTo !== null) await fs.rm(this.writing, { force: true }).catch(() => undefined);
  }
}

async function openFileTarget(path: string): Promise<Target> {
  let st: Stats | null = null;
  try {
    st = await fs.stat(path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== "ENOENT") throw outputError(path, err);
  }
  if (st !== null && st.isDirectory()) throw outputError(path, Object.assign(new Error("is a directory"), { code: "EISDIR" }));
  try {
    if (st !== null && !st.isFile()) {
      // a device or a FIFO: write in place (renaming over /dev/null would replace it)
      const fh = await fs.open(path, "w");
      return new FileTarget(fh, path, null, path);
    }
    // a symlink is followed: the temporary file goes beside the real file
    const real = st === null ? path : await fs.realpath(path);
    if (st !== null) await fs.access(real, fsConstants.W_OK);
    const temp = join(dirname(real), `.${basename(real)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
    const fh = await fs.open(temp, "wx", st === null ? 0o666 : st.mode & 0o7777);
    return new FileTarget(fh, temp, real, path);
  } catch (err) {
    throw outputError(path, err);
  }
}

/** Buffered writing of text or bytes to standard output (path null or `-`) or a file. */
export class Output {
  private chunks: Chunk[] = [];
  private size = 0;
  private target: Target | null = null;
  private readonly path: string | null;
  private closed = false;

  constructor(path: string | null) {
    this.path = path === "-" ? null : path;
  }

  /** Check that the target can be written (folder exists, not a directory) before any work. */
  async open(): Promise<void> {
    if (this.target === null) this.target = this.path === null ? new StdoutTarget() : await openFileTarget(this.path);
  }

  /**
   * The output appears only once complete (a temporary file renamed at close), so what was
   * written can still be thrown away: a report may be written while the analysis runs.
   */
  get replacesAtomically(): boolean {
    return this.target instanceof FileTarget && this.target.renames;
  }

  get isTTY(): boolean {
    return this.path === null && process.stdout.isTTY === true;
  }

  async write(data: Chunk): Promise<void> {
    this.chunks.push(data);
    this.size += data.length;
    if (this.size >= 1 << 16) await this.flush();
  }

  async flush(): Promise<void> {
    await this.open();
    if (this.chunks.length === 0) return;
    const parts = this.chunks;
    this.chunks = [];
    this.size = 0;
    // one write per flush: strings joined and encoded once, bytes concatenated
    const buffers = parts.map((c) => (typeof c === "string" ? Buffer.from(c, "utf8") : c));
    const data = buffers.length === 1 ? (buffers[0] as Uint8Array) : Buffer.concat(buffers);
    await (this.target as Target).write(data);
  }

  /** Write what is buffered and make the file appear under its name (rename from the temporary file). */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
      await (this.target as Target).close();
    } catch (err) {
      await this.discard();
      throw err;
    }
    this.closed = true;
  }

  /** Forget everything: the target is left as it was (a temporary file is removed). */
  async discard(): Promise<void> {
    this.closed = true;
    this.chunks = [];
    const t = this.target;
    this.target = null;
    if (t !== null) await t.discard();
  }
}
