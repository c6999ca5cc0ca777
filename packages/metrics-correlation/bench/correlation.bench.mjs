// Throughput of the correlations and the bootstrap. Kendall's O(n log n)
// merge-sort counting is compared with the O(n^2) pair loop (the baseline,
// written here) in the same process, as a ratio.
import { bootstrapCI, kendall, kendallExactPValue, pearson, spearman } from '@selfsup/metrics-correlation';
import { report, timeIt } from '../../../tooling/bench.mjs';
// This package never touches tfjs, but the shared report() reads tf.memory(),
// which needs some backend registered; the root's cpu backend is enough.
import '@tensorflow/tfjs-backend-cpu';

function sample(n, seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const x = Float64Array.from({ length: n }, next);
  const y = x.map((v) => v + 0.5 * next());
  return { x, y };
}

/** Baseline: tau-b from the O(n^2) pair definition. */
function kendallPairLoop(x, y) {
  let s = 0;
  let tiedX = 0;
  let tiedY = 0;
  const n = x.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = Math.sign(x[i] - x[j]);
      const dy = Math.sign(y[i] - y[j]);
      s += dx * dy;
      if (dx === 0) tiedX++;
      if (dy === 0) tiedY++;
    }
  }
  const pairs = (n * (n - 1)) / 2;
  return s / Math.sqrt((pairs - tiedX) * (pairs - tiedY));
}

for (const n of [1_000, 10_000]) {
  const { x, y } = sample(n, n);
  const fast = await timeIt(() => kendall(x, y), { iterations: 5 });
  const baseline = await timeIt(() => kendallPairLoop(x, y), { iterations: 2 });
  report({
    bench: 'kendall tau-b + p',
    n,
    ms: +(fast * 1e3).toFixed(3),
    pairLoopMs: +(baseline * 1e3).toFixed(2),
    speedup: +(baseline / fast).toFixed(1),
  });
}

for (const n of [14, 100_000]) {
  const { x, y } = sample(n, 7);
  for (const [name, fn] of [
    ['pearson', pearson],
    ['spearman', spearman],
  ]) {
    const seconds = await timeIt(() => fn(x, y), { iterations: n < 100 ? 2000 : 5 });
    report({ bench: name, n, ms: +(seconds * 1e3).toFixed(4) });
  }
}

const exact = await timeIt(() => kendallExactPValue(33, 200), { iterations: 200 });
report({ bench: 'kendall exact p (n=33)', ms: +(exact * 1e3).toFixed(4) });

// The paper's setting: 14 models, 10,000 resamples.
const paper = sample(14, 3);
for (const method of ['pearson', 'spearman', 'kendall']) {
  const seconds = await timeIt(() => bootstrapCI(paper.x, paper.y, method, { iterations: 10_000, seed: 0 }), {
    iterations: 3,
  });
  report({ bench: 'bootstrapCI', method, n: 14, iterations: 10_000, ms: +(seconds * 1e3).toFixed(1) });
}
