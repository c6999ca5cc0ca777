import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type Module } from '@selfsup/runtime';
import { cosineTau, emaUpdate } from '@selfsup/ema';

await initBackend('wasm');

// Any Module works (a @selfsup/backbones encoder, a @selfsup/heads projector);
// here a one-layer one, to show the contract: named variables + clone().
let scopes = 0;
function linear(weight: tf.Tensor, bias: tf.Tensor): Module {
  const scope = `linear${scopes++}`;
  const params = new Map([
    ['weight', tf.variable(weight, true, `${scope}/weight`)],
    ['bias', tf.variable(bias, true, `${scope}/bias`)],
  ]);
  const module: Module = {
    apply: (x) => tf.add(tf.matMul(x, params.get('weight')!), params.get('bias')!),
    parameters: () => params,
    state: () => params,
    clone: () => linear(tf.clone(params.get('weight')!), tf.clone(params.get('bias')!)),
    dispose: () => params.forEach((v) => v.dispose()),
  };
  return module;
}

const online = linear(tf.randomNormal([8, 2], 0, 1, 'float32', 1), tf.zeros([2]));
const target = online.clone(); // BYOL starts the target as a copy of the online network
const optimizer = tf.train.sgd(0.1);
const x = tf.randomNormal([32, 8], 0, 1, 'float32', 2);
const y = tf.randomNormal([32, 2], 0, 1, 'float32', 3);

const totalSteps = 50;
for (let step = 0; step < totalSteps; step++) {
  optimizer.minimize(() => tf.losses.meanSquaredError(y, online.apply(x)) as tf.Scalar);
  // tau rises from 0.99 to 1 along a cosine; step = optimizer steps already taken.
  const tau = cosineTau(step, totalSteps, 0.99);
  emaUpdate(target, online, tau); // target ← tau·target + (1 − tau)·online, in place
  if (step % 10 === 0) {
    const gap = tf.tidy(
      () => tf.norm(tf.sub(online.parameters().get('weight')!, target.parameters().get('weight')!)).dataSync()[0],
    );
    console.log('step', step, 'tau', tau.toFixed(5), '|online − target|', gap);
  }
}
