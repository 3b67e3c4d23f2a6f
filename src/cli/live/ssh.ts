/**
 * The SSH connection, done the way OpenSSH users expect: keys from ssh-agent (`SSH_AUTH_SOCK`)
 * and `~/.ssh/id_*`, `--identity FILE`, password and keyboard-interactive answered on the
 * terminal (or from `SNIFFDIAG_SSH_PASSWORD` for automation, never from the command line), the host
 * key checked against `~/.ssh/known_hosts` (hashed entries too): an unknown key is shown as its
 * SHA256 fingerprint and accepted only on "yes" or with `--accept-new-host-key`; a changed key is
 * refused. ssh2 is loaded only here, when a live command runs.
 */
import { connect as netConnect, type Socket } from "node:net";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { AnyAuthMethod, AuthenticationType, Client, ClientChannel, ConnectConfig, NextAuthHandler, ParsedKey } from "ssh2";
import { algorithmsForKeyTypes, appendKnownHost, checkHostKey, keysFor, keyTypeOf, readKnownHosts, sha256Fingerprint } from "./known-hosts.js";
import { knownHostsName, type Target } from "./target.js";
import { LiveError } from "./fortios.js";
import type { Terminal } from "./terminal.js";

export const PASSWORD_ENV = "SNIFFDIAG_SSH_PASSWORD";
export const PASSPHRASE_ENV = "SNIFFDIAG_SSH_PASSPHRASE";

export interface SshOptions {
  target: Target;
  identity: string | null;
  knownHosts: string;
  acceptNewHostKey: boolean;
  connectTimeoutMs: number;
  keepaliveMs: number;
  terminal: Terminal;
  env: NodeJS.ProcessEnv;
  /** where messages for the user go (banner, new host key added) */
  note: (line: string) => void;
}

export interface SshSession {
  client: Client;
  /** the client's address and port on the connection, as the local socket sees them */
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  hostKey: { type: string; fingerprint: string; status: "known" | "added" };
  close(): void;
}

function defaultIdentities(home: string): string[] {
  return ["id_ed25519", "id_ecdsa", "id_rsa"].map((n) => join(home, ".ssh", n)).filter((p) => existsSync(p));
}

type Ssh2Module = typeof import("ssh2");

async function loadSsh2(): Promise<Ssh2Module> {
  // a computed specifier: no bundler pulls ssh2 (and its optional native modules) into a bundle
  const name = "ssh2";
  const mod = (await import(name)) as Ssh2Module & { default?: Ssh2Module };
  return mod.default ?? mod;
}

function tcpConnect(host: string, port: number, ms: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = netConnect({ host, port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new LiveError("connect", `${host} port ${port}: no connection within ${Math.round(ms / 1000)} s`));
    }, ms);
    sock.once("connect", () => {
      clearTimeout(timer);
      resolve(sock);
    });
    sock.once("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new LiveError("connect", `${host} port ${port}: ${err.code === "ECONNREFUSED" ? "connection refused" : err.code === "ENOTFOUND" ? "no such host" : err.message}`));
    });
  });
}

/** Connect and authenticate. Every failure is a LiveError with one line for the user. */
export async function openSsh(o: SshOptions): Promise<SshSession> {
  const ssh2 = await loadSsh2();
  const { host, port, user } = o.target;
  const name = knownHostsName(host, port);
  const knownText = readKnownHosts(o.knownHosts);
  const knownTypes = [...new Set(keysFor(knownText, name).filter((k) => !k.revoked).map((k) => k.type))];
  const sock = await tcpConnect(host, port, o.connectTimeoutMs);
  const localAddress = (sock.localAddress ?? "").replace(/^::ffff:/, "");
  const localPort = sock.localPort ?? 0;
  const remoteAddress = (sock.remoteAddress ?? host).replace(/^::ffff:/, "");

  let hostKey: SshSession["hostKey"] | null = null;
  let hostKeyError: LiveError | null = null;
  const hostVerifier = (key: Buffer, verify: (ok: boolean) => void): void => {
    const type = keyTypeOf(key);
    const fingerprint = sha256Fingerprint(key);
    const check = checkHostKey(readKnownHosts(o.knownHosts), name, key);
    switch (check.status) {
      case "known":
        hostKey = { type, fingerprint, status: "known" };
        verify(true);
        return;
      case "revoked":
        hostKeyError = new LiveError("host-key", `${name}: the host key ${type} ${fingerprint} is marked @revoked in ${o.knownHosts}:${check.line}`);
        verify(false);
        return;
      case "changed":
        hostKeyError = new LiveError(
          "host-key",
          `${name}: the host key has changed (possible man-in-the-middle attack, or the unit was replaced). ` +
            `It is ${type} ${fingerprint}; ${o.knownHosts}:${check.line} has ${check.expectedFingerprint}. Remove that line if the change is expected.`,
        );
        verify(false);
        return;
      case "unknown": {
        const ask = o.acceptNewHostKey
          ? Promise.resolve(true)
          : o.terminal.confirm(
              `The authenticity of host '${name}' can't be established.\n${type.replace(/^ssh-/, "").toUpperCase()} key fingerprint is ${fingerprint}.\nAre you sure you want to continue connecting (yes/no)? `,
            );
        ask.then(
          (yes) => {
            if (!yes) {
              hostKeyError = new LiveError(
                "host-key",
                `${name}: unknown host key ${type} ${fingerprint} not accepted (answer "yes" on a terminal, or pass --accept-new-host-key)`,
              );
              verify(false);
              return;
            }
            try {
              appendKnownHost(o.knownHosts, name, key, false);
              o.note(`Warning: Permanently added '${name}' (${type}) to the list of known hosts (${o.knownHosts}).`);
            } catch (err) {
              o.note(`${o.knownHosts}: could not add the host key: ${(err as Error).message}`);
            }
            hostKey = { type, fingerprint, status: "added" };
            verify(true);
          },
          () => verify(false),
        );
        return;
      }
    }
  };

  const identities = o.identity !== null ? [o.identity] : defaultIdentities(o.env["HOME"] ?? homedir());
  const agentSock = o.env["SSH_AUTH_SOCK"];
  const steps = authSteps(ssh2, user, agentSock ?? null, identities, o);

  const client = new ssh2.Client();
  const config: ConnectConfig = {
    sock,
    username: user,
    hostVerifier: hostVerifier as NonNullable<ConnectConfig["hostVerifier"]>,
    keepaliveInterval: o.keepaliveMs,
    keepaliveCountMax: 3,
    readyTimeout: o.connectTimeoutMs,
    authHandler: steps,
  };
  if (knownTypes.length > 0) config.algorithms = { serverHostKey: { prepend: algorithmsForKeyTypes(knownTypes) } as never };
  return new Promise((resolve, reject) => {
    let settled = false;
    client.on("banner", (message: string) => o.note(message.replace(/\s+$/, "")));
    client.once("ready", () => {
      settled = true;
      resolve({
        client,
        localAddress,
        localPort,
        remoteAddress,
        hostKey: hostKey ?? { type: "", fingerprint: "", status: "known" },
        close: () => client.end(),
      });
    });
    client.once("error", (err: Error & { level?: string }) => {
      if (settled) return;
      settled = true;
      client.end();
      if (hostKeyError !== null) reject(hostKeyError);
      else if (err.level === "client-authentication" || /authentication methods failed/i.test(err.message)) reject(new LiveError("auth", `${user}@${name}: authentication failed (tried ${steps.tried().join(", ") || "nothing"})`));
      else if (/timed out/i.test(err.message)) reject(new LiveError("connect", `${name}: no SSH handshake within ${Math.round(o.connectTimeoutMs / 1000)} s`));
      else reject(new LiveError("connect", `${name}: ${err.message}`));
    });
    client.once("close", () => {
      if (settled) return;
      settled = true;
      reject(hostKeyError ?? new LiveError("connect", `${name}: the connection closed during login`));
    });
    client.connect(config);
  });
}

interface AuthSteps {
  (methodsLeft: AuthenticationType[] | null, partial: boolean | null, next: NextAuthHandler): void;
  tried(): string[];
}

/** Methods in OpenSSH's order: agent keys, identity files, then keyboard-interactive and password. */
function authSteps(ssh2: Ssh2Module, user: string, agent: string | null, identities: string[], o: SshOptions): AuthSteps {
  const queue: (() => Promise<AnyAuthMethod | null>)[] = [];
  const tried: string[] = [];
  queue.push(async () => ({ type: "none", username: user }));
  if (agent !== null && agent !== "") queue.push(async () => ({ type: "agent", username: user, agent }));
  for (const file of identities) {
    queue.push(async () => {
      let data: Buffer;
      try {
        data = readFileSync(file);
      } catch (err) {
        if (o.identity !== null) throw new LiveError("auth", `${file}: ${(err as Error).message}`);
        return null;
      }
      let key = ssh2.utils.parseKey(data);
      if (key instanceof Error && /encrypted|passphrase/i.test(key.message)) {
        const passphrase = o.env[PASSPHRASE_ENV] ?? (await o.terminal.secret(`Enter passphrase for key '${file}': `));
        if (passphrase === null) return null;
        key = ssh2.utils.parseKey(data, passphrase);
      }
      if (key instanceof Error) {
        o.note(`${file}: ${key.message}`);
        return null;
      }
      const parsed = (Array.isArray(key) ? key[0] : key) as ParsedKey;
      return { type: "publickey", username: user, key: parsed };
    });
  }
  let password: string | null | undefined;
  const getPassword = async (prompt: string): Promise<string | null> => {
    if (password !== undefined) return password;
    password = o.env[PASSWORD_ENV] ?? (await o.terminal.secret(prompt));
    return password;
  };
  queue.push(async () => ({
    type: "keyboard-interactive",
    username: user,
    prompt: (_name, _instructions, _lang, prompts, finish) => {
      void (async () => {
        const answers: string[] = [];
        for (const p of prompts) {
          if (!p.echo && /password/i.test(p.prompt) && answers.length === 0) answers.push((await getPassword(`(${user}@${o.target.host}) ${p.prompt.trim()} `)) ?? "");
          else answers.push((p.echo ? await o.terminal.ask(p.prompt) : await o.terminal.secret(p.prompt)) ?? "");
        }
        finish(answers);
      })();
    },
  }));
  queue.push(async () => {
    const pw = await getPassword(`${user}@${o.target.host}'s password: `);
    return pw === null ? null : { type: "password", username: user, password: pw };
  });
  const step = ((methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: NextAuthHandler): void => {
    void (async () => {
      for (;;) {
        const make = queue.shift();
        if (make === undefined) {
          next(false as unknown as AuthenticationType);
          return;
        }
        let method: AnyAuthMethod | null;
        try {
          method = await make();
        } catch (err) {
          o.note((err as Error).message);
          method = null;
        }
        if (method === null) continue;
        if (methodsLeft !== null && method.type !== "none" && !methodsLeft.includes(method.type === "agent" ? "publickey" : method.type)) continue;
        if (method.type !== "none") tried.push(method.type);
        next(method);
        return;
      }
    })();
  }) as AuthSteps;
  step.tried = () => [...new Set(tried)];
  return step;
}

/** An interactive shell with a very tall window, so the CLI never pages. */
export function openShell(client: Client): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.shell({ term: "vt100", cols: 511, rows: 9_999_999, width: 0, height: 0 }, (err, channel) => (err ? reject(new LiveError("not-allowed", `the unit refused an interactive shell: ${err.message}`)) : resolve(channel)));
  });
}

/** Run one command over `exec` and collect what it prints (bounded). */
export function execText(client: Client, command: string, ms: number): Promise<string> {
  return new Promise((resolve) => {
    client.exec(command, (err, channel) => {
      if (err) {
        resolve("");
        return;
      }
      let text = "";
      const timer = setTimeout(() => {
        channel.close();
        resolve(text);
      }, ms);
      const take = (d: Buffer) => {
        if (text.length < 65536) text += d.toString("utf8");
      };
      channel.on("data", take);
      channel.stderr.on("data", take);
      channel.on("close", () => {
        clearTimeout(timer);
        resolve(text);
      });
    });
  });
}
