/**
 * Talking to the FortiOS CLI over an interactive shell: the prompt in its forms (`FGT # `,
 * `FGT (root) # `, `FGT (global) # `), a post-login banner to accept, `--More--` answered, VDOM
 * entered with `config vdom` / `edit NAME`, the sniffer started, stopped with Ctrl-C (0x03), its
 * trailer and the prompt awaited. Facts: ../shared/spec/live-ssh.md and sniffer-format.md.
 *
 * The shell is any duplex byte channel (`ShellChannel`): an ssh2 ClientChannel in use, a fake in tests.
 */

export interface ShellChannel {
  write(data: string | Buffer): unknown;
  on(event: "data", listener: (data: Buffer) => void): unknown;
  on(event: "close", listener: () => void): unknown;
}

export type LiveErrorKind =
  | "usage"
  | "connect"
  | "auth"
  | "host-key"
  | "max-admins"
  | "not-fortios"
  | "filter-rejected"
  | "not-allowed"
  | "vdom"
  | "connection-lost"
  | "interrupted";

/** A failure that ends `sniffdiag live` with exit status 2 and one message. */
export class LiveError extends Error {
  constructor(
    readonly kind: LiveErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export const MAX_ADMINS = "Reached maximum number of logged in administrators.";

export interface UnitStatus {
  hostname: string | null;
  version: string | null;
  /** `Virtual domain configuration:` as printed (`disable`, `enable`, `multiple`, `split-task`) */
  vdomConfiguration: string | null;
  currentVdom: string | null;
}

/** The facts `get system status` gives (fortidebug reads the same lines). */
export function parseSystemStatus(text: string): UnitStatus {
  const field = (name: string): string | null => {
    const m = new RegExp(`^\\s*${name}\\s*:\\s*(.*?)\\s*$`, "mi").exec(text);
    return m === null ? null : (m[1] as string);
  };
  return {
    hostname: field("Hostname"),
    version: field("Version"),
    vdomConfiguration: field("Virtual domain configuration"),
    currentVdom: field("Current virtual domain"),
  };
}

/** VDOMs are on unless the status says `disable` (or says nothing). */
export function vdomsEnabled(status: UnitStatus): boolean {
  const v = status.vdomConfiguration?.toLowerCase() ?? "disable";
  return !v.includes("disable");
}

export interface Prompt {
  hostname: string;
  /** `root`, `global`, `vdom`… — the part in parentheses, or null */
  context: string | null;
}

// `FGT # `, `FGT (root) # `, `FGT-LAB $ `; a console line may sit before it after a CR
const PROMPT_RE = /(?:^|\r)([A-Za-z0-9][A-Za-z0-9_.:-]*)(?: \(([^()\s]+)\))? [#$] $/;

export function promptAt(tail: string): Prompt | null {
  const m = PROMPT_RE.exec(tail);
  if (m === null) return null;
  return { hostname: m[1] as string, context: m[2] ?? null };
}

// eslint-disable-next-line no-control-regex -- terminal escapes are what it removes
const ANSI_RE = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g;

/** A line as the driver reads it: no CR, no ANSI. */
function plain(line: string): string {
  return line.replace(ANSI_RE, "").replace(/\r/g, "");
}

/** Lines from the unit that mean the command did not run. */
export function commandFailure(line: string): { kind: "filter-rejected" | "not-allowed"; message: string } | null {
  const t = line.trim();
  if (/^pcap_(compile|activate|setfilter):/.test(t)) return { kind: "filter-rejected", message: t };
  if (/^Command fail\b/i.test(t) || /^Unknown action\b/.test(t) || /^command parse error\b/i.test(t)) return { kind: "not-allowed", message: t };
  if (/permission denied|not permitted|access denied/i.test(t)) return { kind: "not-allowed", message: t };
  return null;
}

export const TRAILER_DROPPED = /^\s*\d+ packets dropped by kernel\s*$/;
export const TRAILER_RECEIVED = /^\s*\d+ packets received by filter\s*$/;

/** Quote a filter for the FortiOS CLI: single quotes, or double when it holds a single quote. */
export function quoteFilter(filter: string): string {
  if (!filter.includes("'")) return `'${filter}'`;
  if (!filter.includes('"')) return `"${filter}"`;
  throw new LiveError("usage", `the filter holds both ' and ": the FortiOS CLI cannot take it (${filter})`);
}

export interface SnifferArgs {
  iface: string;
  filter: string;
  verbose: number;
  count: number;
}

/** `diagnose sniffer packet <iface> '<filter>' <verbose> <count> a` (absolute UTC timestamps). */
export function snifferCommand(a: SnifferArgs): string {
  return `diagnose sniffer packet ${a.iface} ${quoteFilter(a.filter === "" ? "none" : a.filter)} ${a.verbose} ${a.count} a`;
}

/** The user's filter with the session's own SSH traffic excluded. */
export function withExclusion(userFilter: string | null, exclusion: string | null): string {
  const user = userFilter === null || userFilter.trim() === "" || userFilter.trim() === "none" ? null : userFilter.trim();
  if (exclusion === null) return user ?? "none";
  return user === null ? exclusion : `(${user}) and ${exclusion}`;
}

export function ownSessionExclusion(address: string, port: number): string {
  return `not (host ${address} and port ${port})`;
}

interface Waiter {
  test: () => boolean;
  resolve: () => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * One interactive CLI session. Raw bytes go to `onBytes` (the transcript, exactly as received);
 * the driver reads a decoded copy line by line to find prompts, errors and the trailer.
 */
export class FortiShell {
  /** every line of text the client typed, in order (the commands sent to the unit) */
  readonly sent: string[] = [];
  private readonly decoder = new TextDecoder("utf-8");
  private tail = "";
  private lines = 0;
  private closed = false;
  private waiters: Waiter[] = [];
  /** the last prompt seen, and how many lines had been read then */
  prompt: Prompt | null = null;
  private promptLine = -1;
  private trailerLine = -1;
  private failure: { kind: "filter-rejected" | "not-allowed"; message: string } | null = null;
  private watchFailures = false;
  private maxAdmins = false;
  /** `current vf=root:0` answers: the VDOM's kernel index */
  vdomIndex: number | null = null;
  /** lines that are not the driver's business go here too (debug-flow demultiplexing) */
  onLine: ((line: string) => void) | null = null;

  constructor(
    private readonly channel: ShellChannel,
    private readonly onBytes: (data: Buffer) => void,
  ) {
    channel.on("data", (data) => this.receive(data));
    channel.on("close", () => {
      this.closed = true;
      this.check();
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves when the unit closed the session, or after `ms` at the latest. */
  closedWithin(ms: number): Promise<void> {
    return this.wait(() => this.closed, ms, () => new Error("still open")).catch(() => undefined);
  }

  get lineCount(): number {
    return this.lines;
  }

  private receive(data: Buffer): void {
    this.onBytes(data);
    const text = this.tail + this.decoder.decode(data, { stream: true });
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl < 0) break;
      this.line(plain(text.slice(start, nl)));
      start = nl + 1;
    }
    this.tail = text.slice(start);
    if (this.tail.length > 4096) this.tail = this.tail.slice(-4096);
    const t = plain(this.tail);
    if (t.includes("--More--")) {
      // the console pager: a space shows the next screen
      this.tail = "";
      this.channel.write(" ");
    } else if (/\(Press 'a' to accept\):?\s*$/i.test(t)) {
      // post-login banner: `set post-login-banner enable`
      this.tail = "";
      this.type("a", false);
    } else {
      const p = promptAt(t);
      if (p !== null) {
        this.prompt = p;
        this.promptLine = this.lines;
      }
    }
    this.check();
  }

  private line(l: string): void {
    this.lines++;
    if (l.includes(MAX_ADMINS)) this.maxAdmins = true;
    if (TRAILER_DROPPED.test(l)) this.trailerLine = this.lines;
    const vf = /^current vf=([^:\s]+):(\d+)\s*$/.exec(l);
    if (vf !== null) this.vdomIndex = Number(vf[2]);
    if (this.watchFailures && this.failure === null) this.failure = commandFailure(l);
    this.onLine?.(l);
  }

  private check(): void {
    const keep: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.test()) {
        clearTimeout(w.timer);
        w.resolve();
      } else if (this.closed || this.maxAdmins) {
        clearTimeout(w.timer);
        w.reject(this.maxAdmins ? new LiveError("max-admins", MAX_ADMINS) : new LiveError("connection-lost", "the unit closed the session"));
      } else keep.push(w);
    }
    this.waiters = keep;
  }

  private wait(test: () => boolean, ms: number, onTimeout: () => Error): Promise<void> {
    if (test()) return Promise.resolve();
    if (this.maxAdmins) return Promise.reject(new LiveError("max-admins", MAX_ADMINS));
    if (this.closed) return Promise.reject(new LiveError("connection-lost", "the unit closed the session"));
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        test,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((x) => x !== w);
          reject(onTimeout());
        }, ms),
      };
      // the connection keeps the process alive while it waits; a settled race must not
      w.timer.unref();
      this.waiters.push(w);
    });
  }

  /** Type one line (or a key) and remember it. */
  type(text: string, newline = true): void {
    this.sent.push(text);
    this.channel.write(newline ? text + "\n" : text);
  }

  /** Wait for a prompt printed after line `after` (i.e. a fresh one). */
  waitPrompt(ms: number, after = this.lines, onTimeout?: () => Error): Promise<Prompt> {
    const since = after;
    return this.wait(
      () => this.prompt !== null && this.promptLine >= since && promptAt(plain(this.tail)) !== null,
      ms,
      onTimeout ?? (() => new LiveError("not-fortios", `no FortiOS prompt (like 'FGT # ') within ${Math.round(ms / 1000)} s`)),
    ).then(() => this.prompt as Prompt);
  }

  /** Type a command and wait for the prompt to come back; the lines it printed are returned. */
  async run(command: string, ms = 10_000): Promise<Prompt> {
    const before = this.lines;
    this.tail = "";
    this.type(command);
    return this.waitPrompt(ms, before + 1, () => new LiveError("not-fortios", `no prompt after '${command}' within ${Math.round(ms / 1000)} s`));
  }

  /**
   * Start the sniffer. Resolves once its preamble shows it runs (or a packet arrives);
   * rejects with the unit's own message when it refuses the command or the filter.
   */
  async startSniffer(command: string, ms = 15_000): Promise<void> {
    const before = this.lines;
    this.tail = "";
    this.watchFailures = true;
    this.type(command);
    // the command echo is one line; the preamble follows; a prompt right away means it did not run
    await this.wait(
      () => this.failure !== null || this.lines >= before + 3 || (this.promptLine > before && this.prompt !== null && promptAt(plain(this.tail)) !== null) || this.trailerLine > before,
      ms,
      () => new LiveError("not-fortios", `the unit printed nothing for the sniffer command within ${Math.round(ms / 1000)} s`),
    );
    // give a failure line right after the preamble a moment to arrive
    if (this.failure === null && this.trailerLine <= before) await this.wait(() => this.failure !== null || this.lines >= before + 4, 300, () => new Error("settled")).catch(() => undefined);
    this.watchFailures = false;
    if (this.failure !== null) throw new LiveError(this.failure.kind, this.failure.message);
    if (this.promptLine > before && this.trailerLine <= before && this.lines < before + 3) throw new LiveError("not-allowed", "the unit returned to the prompt without running the sniffer");
  }

  /** The sniffer has printed its trailer (`N packets dropped by kernel`). */
  get trailerSeen(): boolean {
    return this.trailerLine >= 0;
  }

  /** Wait for the trailer and the prompt after it. */
  waitStopped(ms: number): Promise<void> {
    return this.wait(
      () => this.trailerLine >= 0 && this.promptLine >= this.trailerLine && promptAt(plain(this.tail)) !== null,
      ms,
      () => new LiveError("connection-lost", `the unit did not print the sniffer's trailer within ${Math.round(ms / 1000)} s`),
    );
  }

  /** Ctrl-C: the byte 0x03 to the shell, as a terminal sends it. */
  interrupt(): void {
    this.sent.push("^C");
    this.channel.write("\x03");
  }
}
