/**
 * Questions on the terminal: "yes/no" for a new host key, a password or passphrase typed without
 * echo. Without a terminal on standard input nothing is asked (null / no).
 */
import type { ReadStream } from "node:tty";

export interface Terminal {
  /** true on "yes" (OpenSSH's answer), false on anything else or without a terminal */
  confirm(question: string): Promise<boolean>;
  /** typed without echo; null without a terminal or on Ctrl-C / Ctrl-D */
  secret(prompt: string): Promise<string | null>;
  /** typed with echo */
  ask(prompt: string): Promise<string | null>;
}

export class ProcessTerminal implements Terminal {
  constructor(
    private readonly input: NodeJS.ReadStream = process.stdin,
    private readonly output: NodeJS.WriteStream = process.stderr,
  ) {}

  private get available(): boolean {
    return this.input.isTTY === true;
  }

  async confirm(question: string): Promise<boolean> {
    for (;;) {
      const a = await this.read(question, true);
      if (a === null) return false;
      const t = a.trim().toLowerCase();
      if (t === "yes") return true;
      if (t === "no" || t === "") return false;
      this.output.write("Please type 'yes' or 'no': ");
      question = "";
    }
  }

  secret(prompt: string): Promise<string | null> {
    return this.read(prompt, false);
  }

  ask(prompt: string): Promise<string | null> {
    return this.read(prompt, true);
  }

  private read(prompt: string, echo: boolean): Promise<string | null> {
    if (!this.available) return Promise.resolve(null);
    const tty = this.input as ReadStream;
    this.output.write(prompt);
    return new Promise((resolve) => {
      let text = "";
      const wasRaw = tty.isRaw;
      tty.setRawMode(true);
      tty.resume();
      const done = (value: string | null) => {
        tty.off("data", onData);
        tty.setRawMode(wasRaw);
        tty.pause();
        this.output.write("\n");
        resolve(value);
      };
      const onData = (data: Buffer) => {
        for (const byte of data) {
          if (byte === 0x0d || byte === 0x0a) return done(text);
          if (byte === 0x03 || byte === 0x04) return done(null);
          if (byte === 0x7f || byte === 0x08) {
            if (text.length > 0) {
              text = text.slice(0, -1);
              if (echo) this.output.write("\b \b");
            }
            continue;
          }
          const c = String.fromCharCode(byte);
          text += c;
          if (echo) this.output.write(c);
        }
      };
      tty.on("data", onData);
    });
  }
}
