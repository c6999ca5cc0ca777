import { describe, expect, it } from 'vitest';
import { createRng } from './rng';

/** xoshiro128** and splitmix32 written independently with BigInt arithmetic, to check the fast path bit for bit. */
function referenceStream(seed: number, count: number): number[] {
  const M = 0xffffffffn;
  let x = BigInt(seed >>> 0);
  const mix = () => {
    x = (x + 0x9e3779b9n) & M;
    let z = x;
    z = ((z ^ (z >> 16n)) * 0x85ebca6bn) & M;
    z = ((z ^ (z >> 13n)) * 0xc2b2ae35n) & M;
    return z ^ (z >> 16n);
  };
  const s = [mix(), mix(), mix(), mix()];
  const rotl = (v: bigint, k: bigint) => ((v << k) | (v >> (32n - k))) & M;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    out.push(Number((rotl((s[1] * 5n) & M, 7n) * 9n) & M));
    const t = (s[1] << 9n) & M;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11n);
  }
  return out;
}

describe('createRng', () => {
  it('produces exactly the xoshiro128** stream (platform-independent integer maths)', () => {
    for (const seed of [0, 1, 42, 0xdeadbeef]) {
      const rng = createRng(seed);
      const ours = Array.from({ length: 1000 }, () => rng.nextUint32());
      expect(ours).toEqual(referenceStream(seed, 1000));
    }
  });

  it('is deterministic per seed and differs across seeds', () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const xa = Array.from({ length: 50 }, () => a.uniform());
    expect(Array.from({ length: 50 }, () => b.uniform())).toEqual(xa);
    expect(Array.from({ length: 50 }, () => c.uniform())).not.toEqual(xa);
  });

  it('uniform(lo, hi) has the right range, mean and variance', () => {
    const rng = createRng(3);
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const v = rng.uniform(-2, 6);
      expect(v >= -2 && v < 6).toBe(true);
      sum += v;
      sq += v * v;
    }
    const mean = sum / n;
    // U(-2, 6): mean 2, variance 64/12; 5 standard errors of slack.
    expect(Math.abs(mean - 2)).toBeLessThan(5 * Math.sqrt(64 / 12 / n));
    expect(Math.abs(sq / n - mean * mean - 64 / 12)).toBeLessThan(0.05);
  });

  it('normal(mean, std) matches its first four moments', () => {
    const rng = createRng(11);
    const n = 200_000;
    const xs = new Float32Array(n);
    rng.fillNormal(xs, 1, 3);
    let m1 = 0;
    for (const v of xs) m1 += v;
    m1 /= n;
    let m2 = 0;
    let m3 = 0;
    let m4 = 0;
    for (const v of xs) {
      const d = (v - m1) / 3;
      m2 += d * d;
      m3 += d * d * d;
      m4 += d * d * d * d;
    }
    expect(Math.abs(m1 - 1)).toBeLessThan(0.03);
    expect(Math.abs(m2 / n - 1)).toBeLessThan(0.02);
    expect(Math.abs(m3 / n)).toBeLessThan(0.03); // skewness 0
    expect(Math.abs(m4 / n - 3)).toBeLessThan(0.08); // kurtosis 3
  });

  it('int(n) is uniform over [0, n) (chi-square)', () => {
    const rng = createRng(5);
    const k = 7;
    const n = 70_000;
    const counts = new Array(k).fill(0);
    for (let i = 0; i < n; i++) counts[rng.int(k)]++;
    const chi2 = counts.reduce((acc, c) => acc + (c - n / k) ** 2 / (n / k), 0);
    // 6 degrees of freedom: P(chi2 > 22.46) = 0.001.
    expect(chi2).toBeLessThan(22.46);
    expect(() => rng.int(0)).toThrow(/n must be an integer in \[1, 2\^32\], got 0/);
    expect(() => rng.int(2.5)).toThrow(/got 2.5/);
  });

  it('shuffle returns a permutation and every position is reachable', () => {
    const rng = createRng(9);
    const firsts = new Set<number>();
    for (let t = 0; t < 200; t++) {
      const a = rng.shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect([...a].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      firsts.add(a[0]);
    }
    expect(firsts.size).toBe(10);
  });

  it('getState/setState resumes the stream exactly, including a pending Gaussian', () => {
    const rng = createRng(21);
    rng.normal(); // leaves the Box-Muller spare pending
    const saved = JSON.parse(JSON.stringify(rng.getState()));
    const expected = [rng.normal(), rng.uniform(), rng.int(1000), rng.normal()];
    const other = createRng(999);
    other.setState(saved);
    expect([other.normal(), other.uniform(), other.int(1000), other.normal()]).toEqual(expected);
    expect(() => other.setState({ s: [1, 2] } as never)).toThrow(/expected \{ s: \[4 uint32\], spare \}/);
  });

  it('fork gives an independent, reproducible stream and advances the parent', () => {
    const a = createRng(1);
    const b = createRng(1);
    const fa = a.fork();
    const fb = b.fork();
    const xs = Array.from({ length: 20 }, () => fa.uniform());
    expect(Array.from({ length: 20 }, () => fb.uniform())).toEqual(xs);
    expect(Array.from({ length: 20 }, () => a.uniform())).not.toEqual(xs);
  });

  it('rejects a non-finite seed by name', () => {
    expect(() => createRng(Number.NaN)).toThrow(/seed must be a finite number, got NaN/);
  });
});
