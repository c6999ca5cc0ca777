import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { barlowTwinsTerms, byolLoss, ntXentLoss, symmetricByolLoss } from '@selfsup/losses';

await initBackend('wasm');

// Online predictions p and target projections z of two views (batch 8, dim 32).
const [p1, p2, z1, z2] = [1, 2, 3, 4].map((seed) => tf.randomNormal([8, 32], 0, 1, 'float32', seed));

// BYOL: both directions summed, no gradient into the target projections.
const loss = symmetricByolLoss(p1, z2, p2, z1);
console.log('BYOL loss', loss.dataSync()[0]);

// Gradients reach p only: d/dz is exactly zero.
const [dp, dz] = tf.grads((p: tf.Tensor, z: tf.Tensor) => byolLoss(p, z))([p1, z2]);
console.log('max |dL/dp|', tf.max(tf.abs(dp)).dataSync()[0], 'max |dL/dz|', tf.max(tf.abs(dz)).dataSync()[0]);

// SimCLR and Barlow Twins on the same batch; Barlow Twins also returns its two terms.
console.log('NT-Xent', ntXentLoss(z1, z2, 0.5).dataSync()[0]);
const { loss: bt, onDiag, offDiag } = barlowTwinsTerms(z1, z2);
console.log(
  'Barlow Twins',
  bt.dataSync()[0],
  'on-diagonal',
  onDiag.dataSync()[0],
  'off-diagonal',
  offDiag.dataSync()[0],
);
