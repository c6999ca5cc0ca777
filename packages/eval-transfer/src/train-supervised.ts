import { checkNumber } from '@selfsup/runtime';
import type { ImageDataset } from '@selfsup/datasets';
import { linearHead } from '@selfsup/heads';
import type { Encoder } from '@selfsup/runtime';
import type { ImageTransform } from './extract-features';
import { classifier, trainClassifier } from './train-classifier';

export interface TrainSupervisedOptions {
  /** Trained in place. */
  encoder: Encoder;
  /** Labelled images. */
  data: ImageDataset;
  epochs: number;
  batchSize: number;
  /** Peak learning rate of the cosine schedule. Default 0.1 × batchSize / 256 (Goyal et al. 2017 scaling). */
  learningRate?: number;
  /** Default 5e-4 (the CIFAR ResNet recipe of He et al. 2016). */
  weightDecay?: number;
  /** Random augmentation of training batches, e.g. `randomResizedCrop` + flip. Default none. */
  augment?: ImageTransform;
  seed?: number;
  onStep?: (step: number, steps: number, loss: () => Promise<number>) => Promise<void> | void;
}

/**
 * The supervised baseline: the encoder plus a fresh linear head trained with
 * cross-entropy on labelled data (the same SGD loop as fine-tuning); the head is
 * discarded and the encoder kept, to compare with self-supervised pretraining.
 */
export async function trainSupervised(options: TrainSupervisedOptions): Promise<{ steps: number }> {
  const { encoder, data, epochs, batchSize, augment, seed = 0, onStep } = options;
  if (!(epochs > 0)) throw new Error(`trainSupervised: epochs must be > 0, got ${epochs}`);
  checkNumber('trainSupervised', 'batchSize', batchSize, { min: 2, integer: true });
  const n = data.labels.length;
  const steps = Math.max(1, Math.round((epochs * n) / batchSize));
  const head = linearHead(encoder.outputDim, data.classes.length, { seed });
  // Dispose only the head: the encoder is the caller's and keeps its trained weights.
  const model = { ...classifier(encoder, head), dispose: () => head.dispose() };
  try {
    await trainClassifier({
      model,
      data,
      steps,
      batchSize: Math.min(batchSize, n),
      lr: options.learningRate ?? (0.1 * batchSize) / 256,
      weightDecay: options.weightDecay ?? 5e-4,
      numClasses: data.classes.length,
      augment,
      seed,
      onStep: onStep && ((step, loss) => onStep(step, steps, loss)),
    });
  } finally {
    model.dispose();
  }
  return { steps };
}
