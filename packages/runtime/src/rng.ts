/**
 * Seeded pseudo-random numbers: xoshiro128** seeded through splitmix32.
 * Only 32-bit integer arithmetic (Math.imul, >>>), so the stream is bit-identical
 * on every JS engine and platform.
 */

export interface RngState {
  /** The four 32-bit words of the xoshiro128** state. */
  s: [number, number, number, number];
  /** The second Gaussian of the last Box-Muller pair, not yet returned. */
  spare: number | null;
}

export interface Rng {
  /** A float in [lo, hi), default [0, 1). */
  uniform(lo?: number, hi?: number): number;
  /** A Gaussian sample, default N(0, 1). */
  normal(mean?: number, std?: number): number;
  /** An integer in [0, n), exactly uniform (rejection sampling). */
  int(n: number): number;
  /** A raw 32-bit unsigned integer. */
  nextUint32(): number;
  /** Shuffle in place (Fisher-Yates) and return the same array. */
  shuffle<T>(array: T[] | Int32Array | Uint32Array | Float32Array): typeof array;
  /** Fill an array with uniform [lo, hi) samples. */
  fillUniform(out: Float32Array, lo?: number, hi?: number): Float32Array;
  /** Fill an array with Gaussian samples. */
  fillNormal(out: Float32Array, mean?: number, std?: number): Float32Array;
  /** An independent generator seeded from this one's stream (this one advances). */
  fork(): Rng;
  /** A copy of the state, for checkpoints. */
  getState(): RngState;
  /** Restore a state from `getState()`. */
  setState(state: RngState): void;
}

function splitmix32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const TWO_POW_32 = 4294967296;

/** Create a seeded generator. `seed` is any finite number (its 32-bit integer part and its high bits are mixed in). */
export function createRng(seed: number): Rng {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new Error(`createRng: seed must be a finite number, got ${String(seed)}`);
  }
  const mix = splitmix32((seed >>> 0) ^ Math.floor(seed / TWO_POW_32));
  const s = new Uint32Array([mix(), mix(), mix(), mix()]);
  let spare: number | null = null;

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  };
  // 53 random bits, so every double in [0, 1) on the 2^-53 grid is reachable.
  const next = (): number => ((nextUint32() >>> 5) * 67108864 + (nextUint32() >>> 6)) / 9007199254740992;

  const gaussian = (): number => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = next();
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * next();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };

  const rng: Rng = {
    uniform: (lo = 0, hi = 1) => lo + (hi - lo) * next(),
    normal: (mean = 0, std = 1) => mean + std * gaussian(),
    int(n: number): number {
      if (!Number.isInteger(n) || n <= 0 || n > TWO_POW_32) {
        throw new Error(`rng.int: n must be an integer in [1, 2^32], got ${n}`);
      }
      const limit = TWO_POW_32 - (TWO_POW_32 % n);
      let x = nextUint32();
      while (x >= limit) x = nextUint32();
      return x % n;
    },
    nextUint32,
    shuffle(array) {
      for (let i = array.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const tmp = array[i];
        array[i] = array[j];
        array[j] = tmp;
      }
      return array;
    },
    fillUniform(out, lo = 0, hi = 1) {
      for (let i = 0; i < out.length; i++) out[i] = lo + (hi - lo) * next();
      return out;
    },
    fillNormal(out, mean = 0, std = 1) {
      for (let i = 0; i < out.length; i++) out[i] = mean + std * gaussian();
      return out;
    },
    fork: () => createRng(nextUint32() + TWO_POW_32 * (nextUint32() & 0x1fffff)),
    getState: () => ({ s: [s[0], s[1], s[2], s[3]], spare }),
    setState(state) {
      if (!state || !Array.isArray(state.s) || state.s.length !== 4) {
        throw new Error(`rng.setState: expected { s: [4 uint32], spare }, got ${JSON.stringify(state)}`);
      }
      s.set(state.s);
      spare = state.spare ?? null;
    },
  };
  return rng;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
