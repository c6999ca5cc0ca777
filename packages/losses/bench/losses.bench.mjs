// Value + gradient time of every loss at BYOL's projection size (batch 256,
// dim 256), the per-step cost a trainer pays. One JSON line per loss; the
// ratio is to the BYOL loss measured in the same process.
// Usage: node losses.bench.mjs [wasm|cpu]
import * as tf from '@tensorflow/tfjs-core';
import { barlowTwinsLoss, byolLoss, negativeCosineSimilarity, ntXentLoss, vicregLoss } from '@selfsup/losses';
import { initBackend } from '@selfsup/runtime';
import { report, timeIt } from '../../../tooling/bench.mjs';

const backend = process.argv[2] ?? 'wasm';
await initBackend(backend);
const N = 256;
const D = 256;
const a = tf.randomNormal([N, D], 0, 1, 'float32', 1);
const b = tf.randomNormal([N, D], 0, 1, 'float32', 2);

async function measure(_name, loss) {
  const valueAndGrads = tf.valueAndGrads(loss);
  const seconds = await timeIt(
    async () => {
      const { value, grads } = valueAndGrads([a, b]);
      await value.data();
      tf.dispose([value, ...grads]);
    },
    { warmup: 2, iterations: 10 },
  );
  return seconds;
}

const losses = {
  byol: (p, z) => byolLoss(p, z),
  simsiam: (p, z) => negativeCosineSimilarity(p, z),
  'nt-xent': (x, y) => ntXentLoss(x, y, 0.5),
  'barlow-twins': (x, y) => barlowTwinsLoss(x, y),
  vicreg: (x, y) => vicregLoss(x, y),
};
let baseline;
for (const [name, loss] of Object.entries(losses)) {
  const seconds = await measure(name, loss);
  baseline ??= seconds;
  report({
    bench: `losses/${name}`,
    batch: N,
    dim: D,
    msValueAndGrad: +(seconds * 1e3).toFixed(2),
    ratioToByol: +(seconds / baseline).toFixed(2),
  });
}
