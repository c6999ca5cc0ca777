import * as tf from '@tensorflow/tfjs-core';
import { batches, type ImageDataset } from '@selfsup/datasets';
import { createRng, type Encoder, type Head } from '@selfsup/runtime';
import { cosineSchedule } from '@selfsup/optim';
import type { ImageTransform } from './extract-features';

/** An encoder followed by a head, as one Encoder producing logits (so extractFeatures can score it). */
export function classifier(encoder: Encoder, head: Head): Encoder {
  return {
    outputDim: head.outputDim,
    apply: (x, options) => tf.tidy(() => head.apply(encoder.apply(x, options), options)),
    parameters: () =>
      new Map([...encoder.parameters(), ...[...head.parameters()].map(([k, v]) => [`head.${k}`, v] as const)]),
    state: () => new Map([...encoder.state(), ...[...head.state()].map(([k, v]) => [`head.${k}`, v] as const)]),
    clone: () => classifier(encoder.clone(), head.clone()),
    dispose: () => {
      encoder.dispose();
      head.dispose();
    },
  };
}

/** Learning rate at `step` of torch's CosineAnnealingLR(T_max = steps, eta_min = 0). */
export function cosineLearningRate(peak: number, step: number, steps: number): number {
  return cosineSchedule(step, steps, peak, 0);
}

export interface TrainClassifierOptions {
  /** Trained in place: an encoder + head from `classifier`, or any Encoder producing logits. */
  model: Encoder;
  data: ImageDataset;
  steps: number;
  batchSize: number;
  /** Peak learning rate of the cosine schedule. */
  lr: number;
  /** torch SGD weight_decay: every parameter's gradient gets + weightDecay · p. */
  weightDecay: number;
  numClasses: number;
  /** Random augmentation of each training batch. */
  augment?: ImageTransform;
  seed: number;
  onStep?: (step: number, loss: () => Promise<number>) => Promise<void> | void;
}

/**
 * Cross-entropy training by SGD with Nesterov momentum 0.9 and a cosine
 * learning rate over `steps` (finetune.py of Ericsson et al.): the loop behind
 * both fine-tuning and supervised pretraining.
 */
export async function trainClassifier(options: TrainClassifierOptions): Promise<void> {
  const { model, data, steps, batchSize, lr, weightDecay, numClasses, augment, seed, onStep } = options;
  const optimizer = tf.train.momentum(lr, 0.9, true);
  const variables = [...model.parameters().values()];
  const rng = createRng(seed);
  try {
    const n = data.labels.length;
    const dropLast = n >= batchSize; // full batches only, unless the set is smaller than one batch
    const perEpoch = dropLast ? Math.floor(n / batchSize) : 1;
    let step = 0;
    for await (const batch of batches(data, { batchSize, seed, dropLast, epochs: Math.ceil(steps / perEpoch) })) {
      optimizer.setLearningRate(cosineLearningRate(lr, step, steps));
      const loss = tf.tidy(() => {
        const images = augment ? augment(batch.images, rng) : batch.images;
        const { value, grads } = tf.variableGrads(
          () =>
            tf.losses.softmaxCrossEntropy(
              tf.oneHot(batch.labels, numClasses),
              model.apply(images, { training: true }),
            ) as tf.Scalar,
          variables,
        );
        const decayed = Object.fromEntries(
          variables.map((v) => [
            v.name,
            weightDecay > 0 ? tf.add(grads[v.name], tf.mul(v, weightDecay)) : grads[v.name],
          ]),
        );
        optimizer.applyGradients(decayed);
        return value;
      });
      tf.dispose([batch.images, batch.labels]);
      step++;
      await onStep?.(step, async () => (await loss.data())[0]);
      loss.dispose();
      if (step >= steps) break;
    }
  } finally {
    optimizer.dispose();
    // tfjs 4.22's MomentumOptimizer.dispose skips its parent's, which frees the learning-rate scalar.
    tf.SGDOptimizer.prototype.dispose.call(optimizer);
  }
}
