// Linear-probe sweep and kNN at the sizes the issue sets (10,000 x 512 features,
// 10 classes, 45 C values; kNN 50,000 x 512 train / 10,000 test) on synthetic
// Gaussian-mixture features. Prints one JSON line per measurement.
import * as tf from '@tensorflow/tfjs-core';
import { knnClassify, linearProbe, paperCGrid, top1 } from '@selfsup/eval-transfer';
import { createRng, enableWasmThreads, initBackend } from '@selfsup/runtime';
import { report, timeIt } from '../../../tooling/bench.mjs';

// Every core on wasm (BENCH_THREADS=1 for the single-threaded figures).
const requested = process.env.SELFSUP_BACKEND ?? 'wasm';
if (requested === 'wasm')
  await enableWasmThreads(process.env.BENCH_THREADS ? Number(process.env.BENCH_THREADS) : undefined);
const backend = await initBackend(requested);

/** n rows: class c = i % classes, features = mean_c + N(0, 1), means ~ N(0, spread^2). */
function mixture(n, dim, classes, seed, means) {
  const rng = createRng(seed);
  const data = new Float32Array(n * dim);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % classes;
    labels[i] = c;
    for (let j = 0; j < dim; j++) data[i * dim + j] = means[c * dim + j] + rng.normal();
  }
  return { features: { data, n, dim }, labels };
}

// Same-run baseline: the machine's float32 matmul throughput right now (it is shared
// and noisy), so the timings below can be compared across runs.
{
  // The shape of one kNN similarity block (bank x queries^T).
  const a = tf.randomNormal([50_000, 512]);
  const b = tf.randomNormal([512, 256]);
  const seconds = await timeIt(() => tf.tidy(() => tf.matMul(a, b)).dispose(), { warmup: 1, iterations: 3 });
  report({
    bench: 'baseline tf.matMul [50000, 512] x [512, 256]',
    seconds: +seconds.toFixed(4),
    gflops: +((2 * 50_000 * 512 * 256) / seconds / 1e9).toFixed(2),
  });
  tf.dispose([a, b]);
}

const dim = 512;
const classes = 10;
const means = createRng(1).fillNormal(new Float32Array(classes * dim), 0, 0.15);

{
  const train = mixture(10_000, dim, classes, 2, means);
  const test = mixture(2_000, dim, classes, 3, means);
  let result;
  const seconds = await timeIt(
    () => {
      result = linearProbe({ train, test, cGrid: paperCGrid(), metric: 'top1', seed: 0 });
    },
    { warmup: 0, iterations: 1 },
  );
  report({
    bench: 'linearProbe sweep (45 C values, 10,000 x 512, 10 classes, 20% val holdout)',
    seconds: +seconds.toFixed(2),
    targetSeconds: 60,
    chosenC: result.C,
    testTop1: +result.testScore.toFixed(4),
    threads: backend.threads,
  });
}

{
  const train = mixture(50_000, dim, classes, 4, means);
  const test = mixture(10_000, dim, classes, 5, means);
  let result;
  const seconds = await timeIt(
    () => {
      result = knnClassify({
        trainFeatures: train.features,
        trainLabels: train.labels,
        testFeatures: test.features,
        k: 200,
        temperature: 0.1,
      });
    },
    { warmup: 0, iterations: 1 },
  );
  report({
    bench: 'knnClassify (50,000 x 512 train, 10,000 test, k 200)',
    seconds: +seconds.toFixed(2),
    targetSeconds: 30,
    testTop1: +top1(result.predictions, test.labels).toFixed(4),
    similarityGflops: +((2 * 10_000 * 50_000 * dim) / seconds / 1e9).toFixed(2),
    threads: backend.threads,
  });
}
