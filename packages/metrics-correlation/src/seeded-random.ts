/**
 * A tiny seeded generator (splitmix32) for the bootstrap. @selfsup/runtime's
 * createRng is not reused on purpose: runtime declares tfjs as a peer and
 * registers kernels on import, and this package must stay dependency-free and
 * side-effect-free so it runs anywhere (a report in a browser, a Node script).
 * A resample index only needs a well-mixed 32-bit stream: a Weyl sequence
 * through splitmix's avalanche finaliser gives that in five integer ops.
 */
export function seededRandom(seed: number): () => number {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new Error(`seededRandom: seed must be a finite number, got ${String(seed)}`);
  }
  let state = (seed >>> 0) ^ Math.floor(seed / 4294967296);
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  };
}
