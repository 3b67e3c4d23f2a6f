/**
 * The keyed pseudo-random function behind address masking: HMAC-SHA-256 (FIPS 180-4, RFC 2104)
 * in plain TypeScript, so the masking core stays pure (no `node:crypto`, no WebCrypto promise)
 * and runs the same in Node, workers and the browser. Messages are short (an address prefix), so
 * each call costs two compressions: the key's inner and outer blocks are hashed once, up front.
 */

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const INITIAL = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

const W = new Uint32Array(64);

/** One SHA-256 compression of the 64-byte `block` into `state` (8 words, updated in place). */
function compress(state: Uint32Array, block: Uint8Array): void {
  for (let i = 0; i < 16; i++) W[i] = ((block[i * 4] ?? 0) << 24) | ((block[i * 4 + 1] ?? 0) << 16) | ((block[i * 4 + 2] ?? 0) << 8) | (block[i * 4 + 3] ?? 0);
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15] ?? 0;
    const w2 = W[i - 2] ?? 0;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = ((W[i - 16] ?? 0) + s0 + (W[i - 7] ?? 0) + s1) | 0;
  }
  let a = state[0] ?? 0;
  let b = state[1] ?? 0;
  let c = state[2] ?? 0;
  let d = state[3] ?? 0;
  let e = state[4] ?? 0;
  let f = state[5] ?? 0;
  let g = state[6] ?? 0;
  let h = state[7] ?? 0;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + (K[i] ?? 0) + (W[i] ?? 0)) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = ((state[0] ?? 0) + a) | 0;
  state[1] = ((state[1] ?? 0) + b) | 0;
  state[2] = ((state[2] ?? 0) + c) | 0;
  state[3] = ((state[3] ?? 0) + d) | 0;
  state[4] = ((state[4] ?? 0) + e) | 0;
  state[5] = ((state[5] ?? 0) + f) | 0;
  state[6] = ((state[6] ?? 0) + g) | 0;
  state[7] = ((state[7] ?? 0) + h) | 0;
}

/** SHA-256 of `data` (any length). */
export function sha256(data: Uint8Array): Uint8Array {
  const state = Uint32Array.from(INITIAL);
  return finish(state, data, 0);
}

/** Hash the rest of a message (`data`, after `already` bytes were compressed into `state`) and return the digest. */
function finish(state: Uint32Array, data: Uint8Array, already: number): Uint8Array {
  let off = 0;
  while (data.length - off >= 64) {
    compress(state, data.subarray(off, off + 64));
    off += 64;
  }
  const rest = data.length - off;
  const tail = new Uint8Array(rest < 56 ? 64 : 128);
  tail.set(data.subarray(off));
  tail[rest] = 0x80;
  const bits = (already + data.length) * 8;
  const at = tail.length - 8;
  // message length in bits, big-endian 64-bit (messages here stay far below 2^53 bits)
  const hi = Math.floor(bits / 0x100000000);
  tail[at] = hi >>> 24;
  tail[at + 1] = (hi >>> 16) & 0xff;
  tail[at + 2] = (hi >>> 8) & 0xff;
  tail[at + 3] = hi & 0xff;
  tail[at + 4] = bits >>> 24;
  tail[at + 5] = (bits >>> 16) & 0xff;
  tail[at + 6] = (bits >>> 8) & 0xff;
  tail[at + 7] = bits & 0xff;
  compress(state, tail.subarray(0, 64));
  if (tail.length === 128) compress(state, tail.subarray(64));
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const w = state[i] ?? 0;
    out[i * 4] = w >>> 24;
    out[i * 4 + 1] = (w >>> 16) & 0xff;
    out[i * 4 + 2] = (w >>> 8) & 0xff;
    out[i * 4 + 3] = w & 0xff;
  }
  return out;
}

/** HMAC-SHA-256 with a fixed key: the key blocks are compressed once. */
export class Hmac {
  private readonly inner: Uint32Array;
  private readonly outer: Uint32Array;

  constructor(key: Uint8Array) {
    const k = new Uint8Array(64);
    k.set(key.length > 64 ? sha256(key) : key);
    const ipad = new Uint8Array(64);
    const opad = new Uint8Array(64);
    for (let i = 0; i < 64; i++) {
      ipad[i] = (k[i] ?? 0) ^ 0x36;
      opad[i] = (k[i] ?? 0) ^ 0x5c;
    }
    this.inner = Uint32Array.from(INITIAL);
    compress(this.inner, ipad);
    this.outer = Uint32Array.from(INITIAL);
    compress(this.outer, opad);
  }

  digest(message: Uint8Array): Uint8Array {
    const inner = finish(Uint32Array.from(this.inner), message, 64);
    return finish(Uint32Array.from(this.outer), inner, 64);
  }
}
