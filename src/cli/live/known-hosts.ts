/**
 * OpenSSH's known_hosts, read and appended to: plain and hashed (`|1|salt|hmac`, HMAC-SHA1 of the
 * host name keyed by the salt) host patterns, `[host]:port` names, `*`/`?` wildcards and `!`
 * negation, `@revoked` keys; fingerprints as OpenSSH prints them (`SHA256:` + unpadded base64).
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";

export interface KnownKey {
  /** the key type named in the line (`ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`…) */
  type: string;
  blob: Buffer;
  line: number;
  revoked: boolean;
}

export type HostKeyCheck =
  | { status: "known"; line: number }
  | { status: "unknown"; knownTypes: string[] }
  | { status: "changed"; line: number; expectedFingerprint: string }
  | { status: "revoked"; line: number };

/** `SHA256:…` as `ssh-keygen -lf` and the connect prompt show it. */
export function sha256Fingerprint(blob: Buffer): string {
  return "SHA256:" + createHash("sha256").update(blob).digest("base64").replace(/=+$/, "");
}

/** The key type written at the start of an SSH public key blob. */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return "";
  const n = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + n).toString("latin1");
}

function globMatch(pattern: string, name: string): boolean {
  const re = "^" + pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$";
  return new RegExp(re, "i").test(name);
}

function hashedMatch(field: string, name: string): boolean {
  const parts = field.split("|");
  // "", "1", salt, hash
  if (parts.length !== 4 || parts[1] !== "1") return false;
  const salt = Buffer.from(parts[2] as string, "base64");
  const want = parts[3] as string;
  const got = createHmac("sha1", salt).update(name).digest("base64");
  return got === want;
}

/** Whether a host-pattern field (comma list, or one hashed entry) names the host. */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith("|")) return hashedMatch(field, name);
  let matched = false;
  for (const p of field.split(",")) {
    if (p.startsWith("!")) {
      if (globMatch(p.slice(1), name)) return false;
    } else if (globMatch(p, name)) matched = true;
  }
  return matched;
}

/** Every key known_hosts holds for `name` (`host` or `[host]:port`). */
export function keysFor(text: string, name: string): KnownKey[] {
  const out: KnownKey[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] as string).trim();
    if (raw === "" || raw.startsWith("#")) continue;
    const fields = raw.split(/\s+/);
    let marker: string | null = null;
    if (fields[0]?.startsWith("@")) marker = fields.shift() ?? null;
    if (marker === "@cert-authority") continue;
    const [hosts, type, key] = fields;
    if (hosts === undefined || type === undefined || key === undefined) continue;
    if (!hostFieldMatches(hosts, name)) continue;
    out.push({ type, blob: Buffer.from(key, "base64"), line: i + 1, revoked: marker === "@revoked" });
  }
  return out;
}

/** The host's key against the file: known, unknown (no key of this type), changed, or revoked. */
export function checkHostKey(text: string, name: string, blob: Buffer): HostKeyCheck {
  const keys = keysFor(text, name);
  const revoked = keys.find((k) => k.revoked && k.blob.equals(blob));
  if (revoked !== undefined) return { status: "revoked", line: revoked.line };
  const same = keys.find((k) => !k.revoked && k.blob.equals(blob));
  if (same !== undefined) return { status: "known", line: same.line };
  const type = keyTypeOf(blob);
  const other = keys.find((k) => !k.revoked && k.type === type);
  if (other !== undefined) return { status: "changed", line: other.line, expectedFingerprint: sha256Fingerprint(other.blob) };
  return { status: "unknown", knownTypes: [...new Set(keys.filter((k) => !k.revoked).map((k) => k.type))] };
}

export function readKnownHosts(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    if ((err as { code?: string }).code === "ENOENT") return "";
    throw err;
  }
}

/** One line for the host, hashed like `HashKnownHosts yes` writes it. */
export function knownHostsLine(name: string, blob: Buffer, hashed: boolean): string {
  let field = name;
  if (hashed) {
    const salt = randomBytes(20);
    field = `|1|${salt.toString("base64")}|${createHmac("sha1", salt).update(name).digest("base64")}`;
  }
  return `${field} ${keyTypeOf(blob)} ${blob.toString("base64")}\n`;
}

export function appendKnownHost(path: string, name: string, blob: Buffer, hashed: boolean): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const existing = readKnownHosts(path);
  const sep = existing.length > 0 && !existing.endsWith("\n") ? "\n" : "";
  appendFileSync(path, sep + knownHostsLine(name, blob, hashed), { mode: 0o600 });
}

/** The host-key algorithms that produce these key types (so a known type is negotiated first). */
export function algorithmsForKeyTypes(types: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of types) {
    if (t === "ssh-rsa") out.push("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa");
    else out.push(t);
  }
  return out;
}
