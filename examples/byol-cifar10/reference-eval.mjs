// The evaluation of ../shared/reference/byol_reference.py, with selfsup's blocks: frozen
// features (BN in eval mode); weighted kNN on cosine similarity (k = 20 and 200, T = 0.1);
// features standardised with the training set's column mean and std, then multinomial
// logistic regression with C from logspace(-4, 4, 9) picked on a seeded 20% validation split,
// refit on all of train, top-1 on test.
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import { extractFeatures, knnClassify, linearProbe, logspace, top1 } from '@selfsup/eval-transfer';

function standardiseColumns(train, test) {
  const [mean, std] = tf.tidy(() => {
    const { mean: m, variance } = tf.moments(train, 0);
    return [m, tf.maximum(tf.sqrt(variance), 1e-12)];
  });
  const out = [train, test].map((f) => tf.tidy(() => tf.div(tf.sub(f, mean), std)));
  tf.dispose([mean, std]);
  return out.map((t) => {
    const matrix = { data: t.dataSync(), n: t.shape[0], dim: t.shape[1] };
    t.dispose();
    return matrix;
  });
}

/** `{ knn20, knn200, linear, linearC }` of `encoder` on `{ train, test }` (labelled image datasets). */
export async function referenceEvaluation(encoder, { train, test }, { transform, seed = 0 } = {}) {
  const trainF = await extractFeatures(encoder, train, { transform });
  const testF = await extractFeatures(encoder, test, { transform });
  const numClasses = train.classes.length;
  const knn = (k) =>
    top1(
      knnClassify({ trainFeatures: trainF, trainLabels: train.labels, testFeatures: testF, k, numClasses }).predictions,
      test.labels,
    );
  const asTensor = (f) => tf.tensor2d(f.data, [f.n, f.dim]);
  const [trainT, testT] = [asTensor(trainF), asTensor(testF)];
  const [trainS, testS] = standardiseColumns(trainT, testT);
  tf.dispose([trainT, testT]);
  const probe = linearProbe({
    train: { features: trainS, labels: train.labels },
    test: { features: testS, labels: test.labels },
    cGrid: logspace(-4, 4, 9),
    seed,
  });
  return { knn20: knn(20), knn200: knn(200), linear: probe.testScore, linearC: probe.C };
}

/**
 * Run ../shared/reference/byol_reference.py (Debian's python3-torch) with `flags` after
 * `--backbone convnet --no-blur`; returns its final JSON line and one row per encoder
 * (BYOL, random init) in this folder's row format.
 */
export function runPytorchReference(flags, extra = {}) {
  const script = new URL('../../../shared/reference/byol_reference.py', import.meta.url).pathname;
  const out = execFileSync('/usr/bin/python3', [script, '--backbone', 'convnet', '--no-blur', ...flags], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 28,
  });
  const summary = JSON.parse(out.trim().split('\n').at(-1));
  const rows = [
    ['byol', ''],
    ['random init', 'random_'],
  ].map(([encoder, p]) => ({
    impl: 'pytorch',
    ...extra,
    encoder,
    knn20: summary[`${p}knn20`],
    knn200: summary[`${p}knn200`],
    linear: summary[`${p}linear`],
  }));
  return { summary, rows };
}
