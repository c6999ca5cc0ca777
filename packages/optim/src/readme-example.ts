import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { LARS, scaleLearningRate, warmupCosineSchedule } from '@selfsup/optim';

await initBackend('wasm');

// BYOL's recipe: base lr 0.2 scaled by batch/256, linear warmup, cosine decay to 0.
const batchSize = 512;
const totalSteps = 100;
const learningRate = warmupCosineSchedule({ baseLr: scaleLearningRate(0.2, batchSize), warmupSteps: 10, totalSteps });
const optimizer = new LARS({ learningRate, weightDecay: 1.5e-6 }); // momentum 0.9, eta 1e-3, BYOL trust ratio

// A linear layer: the 2-D kernel is adapted by LARS, the 1-D bias gets plain SGD + momentum.
const kernel = tf.variable(tf.randomNormal([16, 4], 0, 1, 'float32', 1));
const bias = tf.variable(tf.zeros([4]));
const x = tf.randomNormal([batchSize, 16], 0, 1, 'float32', 2);
const y = tf.add(tf.matMul(x, tf.randomNormal([16, 4], 0, 1, 'float32', 3)), 2);
const mse = () => tf.losses.meanSquaredError(y, tf.add(tf.matMul(x, kernel), bias)) as tf.Scalar;

for (let step = 0; step < totalSteps; step++) {
  const loss = optimizer.minimize(mse, true, [kernel, bias])!;
  if (step % 20 === 0 || step === totalSteps - 1)
    console.log('step', step, 'lr', optimizer.lr, 'loss', loss.dataSync()[0]);
  loss.dispose();
}

// Checkpoint: the step count and momentum buffers, restorable into a new optimizer.
const state = await optimizer.getWeights();
const resumed = new LARS({ learningRate, weightDecay: 1.5e-6 });
await resumed.setWeights(state);
console.log('resumed at step', resumed.iterations, 'lr', resumed.lr);
