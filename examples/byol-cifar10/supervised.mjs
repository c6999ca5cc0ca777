// The supervised baseline: the same encoder plus a linear classifier, trained with
// cross-entropy on the same images (with their labels) for the same wall-clock time as BYOL.
import * as tf from '@tensorflow/tfjs-core';
import { compose, randomHorizontalFlip, randomResizedCrop } from '@selfsup/augment';
import { batches } from '@selfsup/datasets';
import { linearHead } from '@selfsup/heads';
import { cosineSchedule } from '@selfsup/optim';
import { createRng } from '@selfsup/runtime';

export async function trainSupervised({ encoder, data, seconds, batchSize, lr, imageSize, seed, log }) {
  const head = linearHead(encoder.outputDim, data.classes.length, { seed });
  const variables = [...encoder.parameters().values(), ...head.parameters().values()];
  // Standard supervised CIFAR augmentation (crop + flip), milder than BYOL's views.
  const augment = compose([randomResizedCrop({ size: imageSize, scale: [0.35, 1] }), randomHorizontalFlip(0.5)]);
  const optimizer = tf.train.momentum(lr, 0.9);
  const rng = createRng(seed);
  const start = performance.now();
  const elapsed = () => (performance.now() - start) / 1000;
  let steps = 0;
  let lastLoss = NaN;
  for (let epoch = 1; elapsed() < seconds; epoch++) {
    // The one data order of @selfsup/datasets: epoch e is shuffled with seed + e.
    for await (const batch of batches(data, { batchSize, seed, dropLast: true, startEpoch: epoch - 1 })) {
      if (elapsed() >= seconds) {
        tf.dispose([batch.images, batch.labels]);
        break;
      }
      // Cosine decay over the time budget, so the run ends at a low rate like BYOL's.
      optimizer.setLearningRate(cosineSchedule(Math.min(elapsed(), seconds), seconds, lr, 0));
      const loss = tf.tidy(() => {
        const { images } = batch;
        const labels = tf.oneHot(batch.labels, data.classes.length);
        const views = augment(images, rng);
        return optimizer.minimize(
          () => tf.losses.softmaxCrossEntropy(labels, head.apply(encoder.apply(views, { training: true }))),
          true,
          variables,
        );
      });
      tf.dispose([batch.images, batch.labels]);
      lastLoss = loss.dataSync()[0];
      loss.dispose();
      steps++;
    }
    log(`supervised epoch ${epoch}: loss ${lastLoss.toFixed(4)}, ${steps} steps, ${elapsed().toFixed(0)} s`);
  }
  optimizer.dispose();
  head.dispose();
  return { steps, seconds: elapsed(), finalLoss: lastLoss };
}
