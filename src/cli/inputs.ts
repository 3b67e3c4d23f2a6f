/**
 * INPUT arguments to readable inputs: files, directories (every regular file below, sorted),
 * globs (`'tickets/**\/*.txt'`), and `-` for standard input. Gzip is detected by its magic bytes
 * and decompressed on the fly. The only module besides main.ts that touches the file system.
 */
import { createReadStream, promises as fs } from "node:fs";
import { createGunzip } from "node:zlib";
import { join, relative, sep } from "node:path";
import type { Readable } from "node:stream";

export interface InputRef {
  /** the name used in records and messages */
  name: string;
  /** file path, or null for standard input */
  path: string | null;
}

export interface InputProblem {
  name: string;
  message: string;
}

export class InputError extends Error {}

const GLOB_CHARS = /[*?[\]{}]/;

export async function resolveInputs(args: readonly string[]): Promise<{ inputs: InputRef[]; problems: InputProblem[] }> {
  const inputs: InputRef[] = [];
  const problems: InputProblem[] = [];
  const list = args.length === 0 ? ["-"] : args;
  for (const arg of list) {
    if (arg === "-") {
      inputs.push({ name: "-", path: null });
      continue;
    }
    let stat;
    try {
      stat = await fs.stat(arg);
    } catch (err) {
      if (GLOB_CHARS.test(arg)) {
        const matches = await expandGlob(arg);
        if (matches.length === 0) problems.push({ name: arg, message: "no file matches this pattern" });
        for (const m of matches) inputs.push({ name: m, path: m });
        continue;
      }
      problems.push({ name: arg, message: describeFsError(err) });
      continue;
    }
    if (stat.isDirectory()) {
      let files: string[];
      try {
        files = await walk(arg);
      } catch (err) {
        problems.push({ name: arg, message: describeFsError(err) });
        continue;
      }
      if (files.length === 0) problems.push({ name: arg, message: "directory holds no files" });
      for (const f of files) inputs.push({ name: f, path: f });
    } else if (stat.isFile() || stat.isFIFO()) {
      // a FIFO is streamed like standard input
      inputs.push({ name: arg, path: arg });
    } else {
      // /dev/zero, /dev/urandom, a socket: endless or not a capture
      problems.push({ name: arg, message: "cannot read: not a regular file (a device or socket)" });
    }
  }
  return { inputs, problems };
}

export function describeFsError(err: unknown): string {
  if (err instanceof InputError) return err.message;
  const code = (err as { code?: string }).code;
  switch (code) {
    case "ENOENT":
      return "cannot read: no such file or directory";
    case "EACCES":
    case "EPERM":
      return "cannot read: permission denied";
    case "EISDIR":
      return "cannot read: is a directory";
    case "ENOTDIR":
      return "cannot read: a part of the path is not a directory";
    case "Z_DATA_ERROR":
    case "Z_BUF_ERROR":
      return "cannot read: corrupt gzip data";
    default:
      return `cannot read: ${(err as Error).message ?? String(err)}`;
  }
}

/**
 * Every regular file below `dir`, depth first with names sorted (what a recursive walk would
 * give), with an explicit stack: neither deep nor wide trees grow the call stack. Symlinked
 * directories are not followed (no cycles); folders that cannot be read below the top are skipped.
 */
async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  // each frame: a folder's sorted entries and the position reached in them
  const stack: { dir: string; names: { name: string; dir: boolean; file: boolean }[]; next: number }[] = [];
  const open = async (d: string, top: boolean): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(d, { withFileTypes: true });
    } catch (err) {
      if (top) throw err;
      return;
    }
    const names = entries.map((e) => ({ name: e.name, dir: e.isDirectory(), file: e.isFile() }));
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    stack.push({ dir: d, names, next: 0 });
  };
  await open(dir, true);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as (typeof stack)[number];
    if (frame.next >= frame.names.length) {
      stack.pop();
      continue;
    }
    const e = frame.names[frame.next++] as (typeof frame.names)[number];
    const p = join(frame.dir, e.name);
    if (e.dir) await open(p, false);
    else if (e.file) out.push(p);
  }
  return out;
}

/** A small glob: `*`, `?`, `**`, `[...]`, `{a,b}`; walks from the longest literal directory prefix. */
export async function expandGlob(pattern: string): Promise<string[]> {
  const parts = pattern.split(/[\\/]/);
  const literal: string[] = [];
  for (const p of parts) {
    if (GLOB_CHARS.test(p)) break;
    literal.push(p);
  }
  const base = literal.length === 0 ? "." : literal.join("/") || "/";
  const re = globToRegExp(pattern);
  let files: string[];
  try {
    files = await walk(base);
  } catch {
    return [];
  }
  return files.filter((f) => re.test(base === "." && !pattern.startsWith("./") ? relative(".", f).split(sep).join("/") : f.split(sep).join("/")));
}

export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        // `**/` matches any number of directories, including none
        if (glob[i + 2] === "/") {
          re += "(?:[^/]*/)*";
          i += 2;
        } else {
          re += ".*";
          i += 1;
        }
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end < 0) re += "\\[";
      else {
        re += "[" + glob.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\") + "]";
        i = end;
      }
    } else if (c === "{") {
      const end = glob.indexOf("}", i + 1);
      if (end < 0) re += "\\{";
      else {
        re += "(?:" + glob.slice(i + 1, end).split(",").map(escapeRe).join("|") + ")";
        i = end;
      }
    } else re += escapeRe(c);
  }
  return new RegExp("^" + re + "$");
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Read no more than this by default (after decompression): a generous bound on any capture. */
export const DEFAULT_MAX_INPUT_BYTES = 1024 * 1024 * 1024;

/** An input passed `--max-input-bytes`: not read further, and the run says so. */
export class InputTooLarge extends InputError {}

/**
 * The input's bytes as a stream; gzip (magic 1f 8b) is decompressed transparently. Past
 * `maxBytes` (counted after decompression) the stream fails with InputTooLarge.
 */
/**
 * `onRead` is told how many bytes of the file (before decompression) each read brought, for a
 * progress bar inside one big input.
 */
export async function openInput(ref: InputRef, maxBytes: number = DEFAULT_MAX_INPUT_BYTES, onRead?: (bytes: number) => void): Promise<AsyncIterable<Uint8Array>> {
  const raw: Readable = ref.path === null ? process.stdin : createReadStream(ref.path, { highWaterMark: 1 << 16 });
  return capped(gunzipIfNeeded(raw, onRead), maxBytes, () => raw.destroy());
}

async function* capped(source: AsyncIterable<Uint8Array>, maxBytes: number, stop: () => void): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > maxBytes) {
      stop();
      throw new InputTooLarge(`input larger than ${maxBytes} bytes (after decompression); not read further (raise the limit with --max-input-bytes)`);
    }
    yield chunk;
  }
}

async function* gunzipIfNeeded(stream: Readable, onRead?: (bytes: number) => void): AsyncGenerator<Uint8Array> {
  const source = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const it: AsyncIterator<Buffer> =
    onRead === undefined
      ? source
      : {
          next: async () => {
            const n = await source.next();
            if (n.done !== true) onRead(n.value.length);
            return n;
          },
        };
  let first = await it.next();
  while (!first.done && first.value.length < 2) {
    // accumulate until the magic bytes can be checked
    const more = await it.next();
    if (more.done) break;
    first = { done: false, value: Buffer.concat([first.value, more.value]) };
  }
  if (first.done) return;
  const head = first.value;
  if (head[0] !== 0x1f || head[1] !== 0x8b) {
    yield head;
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      yield n.value;
    }
  }
  const gunzip = createGunzip();
  const feed = (async () => {
    gunzip.write(head);
    for (;;) {
      const n = await it.next();
      if (n.done) break;
      if (!gunzip.write(n.value)) await new Promise((r) => gunzip.once("drain", r));
    }
    gunzip.end();
  })();
  feed.catch((err: unknown) => gunzip.destroy(err as Error));
  for await (const chunk of gunzip) yield chunk as Buffer;
  await feed;
}
