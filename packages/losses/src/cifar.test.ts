// The losses on real images: CIFAR-10 JPEGs downscaled to 8×8 and flattened
// (192 features), compared with themselves (a perfect pair of views) and with
// a shuffled batch (unrelated views).
import { readdirSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import {
  barlowTwinsTerms,
  byolLoss,
  negativeCosineSimilarity,
  ntXentLoss,
  symmetricByolLoss,
  vicregTerms,
} from './index';

const CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse'];
const PER_CLASS = 4;
const SIDE = 8;

async function readCifarFeatures(): Promise<tf.Tensor2D> {
  const rows: number[][] = [];
  for (const name of CLASSES) {
    const folder = dataPath('cifar10', 'train', name);
    for (const file of readdirSync(folder).sort().slice(0, PER_CLASS)) {
      const raw = await sharp(`${folder}/${file}`).resize(SIDE, SIDE).removeAlpha().raw().toBuffer();
      rows.push(Array.from(raw, (v) => v / 255));
    }
  }
  return tf.tensor2d(rows);
}

const value = (t: tf.Scalar) => {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
};

describeWithData('losses on CIFAR-10 images', () => {
  let x: tf.Tensor2D;
  let shuffled: tf.Tensor2D;
  beforeAll(async () => {
    await initBackend('wasm');
    x = await readCifarFeatures();
    // Pair every image with one of another class (shift by one class block).
    shuffled = tf.tidy(() => tf.concat([tf.slice(x, PER_CLASS), tf.slice(x, 0, PER_CLASS)]));
  });
  afterAll(() => tf.dispose([x, shuffled]));

  it('BYOL: 0 for identical views, clearly positive for unrelated ones', () => {
    expect(value(byolLoss(x, x))).toBeLessThan(1e-5);
    expect(value(symmetricByolLoss(x, x, x, x))).toBeLessThan(2e-5);
    const unrelated = value(byolLoss(x, shuffled));
    expect(unrelated).toBeGreaterThan(0.01);
    expect(unrelated).toBeLessThanOrEqual(4);
  });

  it('SimSiam: -1 for identical views, above -1 for unrelated ones', () => {
    expect(value(negativeCosineSimilarity(x, x))).toBeCloseTo(-1, 5);
    expect(value(negativeCosineSimilarity(x, shuffled))).toBeGreaterThan(-0.99);
  });

  it('NT-Xent, Barlow Twins and VICReg all prefer matching views', () => {
    expect(value(ntXentLoss(x, x, 0.1))).toBeLessThan(value(ntXentLoss(x, shuffled, 0.1)));
    const same = barlowTwinsTerms(x, x);
    const other = barlowTwinsTerms(x, shuffled);
    // c_ii = var / (var + eps) for identical views: the invariance term is ~0.
    expect(same.onDiag.dataSync()[0]).toBeLessThan(1e-3);
    expect(other.onDiag.dataSync()[0]).toBeGreaterThan(1);
    tf.dispose([same, other] as unknown as tf.TensorContainer);
    const v = vicregTerms(x, x);
    expect(v.invariance.dataSync()[0]).toBe(0);
    expect(v.loss.dataSync()[0]).toBeLessThan(value(vicregTerms(x, shuffled).loss));
    tf.dispose(v as unknown as tf.TensorContainer);
  });
});
