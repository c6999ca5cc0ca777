import { concat, select, type ImageDataset } from '@selfsup/datasets';
import { linearHead } from '@selfsup/heads';
import type { Encoder, Head } from '@selfsup/runtime';
import { extractFeatures, type ImageTransform } from './extract-features';
import { holdoutSplit } from './holdout-split';
import { logspace } from './linear-probe';
import { argmaxRows } from './argmax-rows';
import { meanPerClassAccuracy, top1 } from './metrics';
import { classifier, trainClassifier } from './train-classifier';

export interface FineTuneOptions {
  /** The pretrained encoder; every trial trains its own clone, so it is never modified. */
  encoder: Encoder;
  /** Classification head template (cloned per trial). Default: `linearHead(encoder.outputDim, numClasses)` of @selfsup/heads. */
  head?: Head;
  train: ImageDataset;
  /** The official validation split; without it a seeded stratified `valFraction` of train is held out. */
  val?: ImageDataset;
  test: ImageDataset;
  /** SGD steps per trial. Default 5000 (finetune.py). */
  steps?: number;
  /** Default 64 (finetune.py). */
  batchSize?: number;
  /** Peak learning rates. Default logspace(-1, -4, 4) = 0.1 ... 1e-4 (finetune.py). */
  lrGrid?: number[];
  /**
   * Decay per step: a trial with learning rate lr uses weight decay wd / lr, as
   * finetune.py's grid (lr, wd / lr). Default [0, ...logspace(-6, -3, 4)].
   */
  wdGrid?: number[];
  /** Random augmentation of training batches (finetune.py: random resized crop + flip). Default: `transform`. */
  augment?: ImageTransform;
  /** Deterministic transform for val/test (and training without `augment`), e.g. `evalTransform`. Default: none. */
  transform?: ImageTransform;
  metric?: 'top1' | 'meanPerClass';
  numClasses?: number;
  valFraction?: number;
  seed?: number;
  onProgress?: (info: {
    trial: number;
    trials: number;
    step: number;
    steps: number;
    lr: number;
    wd: number;
    loss: number;
  }) => void;
  /** Steps between `onProgress` calls (each reads the loss back). Default 50. */
  progressEvery?: number;
}

export interface FineTuneResult {
  lr: number;
  /** The weight decay coefficient used (wdGrid value / lr). */
  weightDecay: number;
  valCurve: { lr: number; weightDecay: number; score: number }[];
  testScore: number;
}

interface TrialSettings {
  lr: number;
  weightDecay: number;
  trial: number;
  trials: number;
}

/**
 * Fine-tuning as in Ericsson et al. (CVPR 2021, finetune.py): encoder + linear
 * head trained end to end by SGD with Nesterov momentum 0.9, weight decay on
 * every parameter and a cosine learning-rate schedule, for a fixed number of
 * steps; (lr, weight decay) chosen on val, then retrained on train + val and
 * scored on test.
 */
export async function fineTune(options: FineTuneOptions): Promise<FineTuneResult> {
  const {
    encoder,
    steps = 5000,
    batchSize = 64,
    lrGrid = logspace(-1, -4, 4),
    wdGrid = [0, ...logspace(-6, -3, 4)],
    transform,
    metric = 'top1',
    valFraction = 0.2,
    seed = 0,
    onProgress,
    progressEvery = 50,
  } = options;
  const augment = options.augment ?? transform;
  for (const [name, value] of [
    ['steps', steps],
    ['batchSize', batchSize],
    ['progressEvery', progressEvery],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`fineTune: ${name} must be a positive integer, got ${value}`);
  }
  lrGrid.forEach((lr, i) => {
    if (!(lr > 0)) throw new Error(`fineTune: lrGrid[${i}] must be > 0, got ${lr}`);
  });
  wdGrid.forEach((wd, i) => {
    if (!(wd >= 0)) throw new Error(`fineTune: wdGrid[${i}] must be >= 0, got ${wd}`);
  });
  if (metric !== 'top1' && metric !== 'meanPerClass')
    throw new Error(`fineTune: metric must be 'top1' or 'meanPerClass', got ${JSON.stringify(metric)}`);
  const numClasses = options.numClasses ?? options.train.classes.length;
  const head = options.head ?? linearHead(encoder.outputDim, numClasses, { seed });
  if (head.inputDim !== encoder.outputDim) {
    throw new Error(`fineTune: head.inputDim is ${head.inputDim} but encoder.outputDim is ${encoder.outputDim}`);
  }
  let train = options.train;
  let val = options.val;
  if (!val) {
    const rows = holdoutSplit(train.labels, valFraction, seed);
    [train, val] = [select(options.train, rows.train), select(options.train, rows.val)];
  }

  const score = async (model: Encoder, ds: ImageDataset): Promise<number> => {
    const logits = await extractFeatures(model, ds, { transform, batchSize: Math.max(batchSize, 256) });
    const predictions = argmaxRows(logits.data, logits.dim);
    return metric === 'top1' ? top1(predictions, ds.labels) : meanPerClassAccuracy(predictions, ds.labels);
  };

  const trainAndScore = async (data: ImageDataset, evalOn: ImageDataset, settings: TrialSettings): Promise<number> => {
    const model = classifier(encoder.clone(), head.clone());
    try {
      await trainClassifier({
        model,
        data,
        steps,
        batchSize,
        lr: settings.lr,
        weightDecay: settings.weightDecay,
        numClasses,
        augment,
        seed: seed + settings.trial,
        onStep: async (step, loss) => {
          if (onProgress && (step % progressEvery === 0 || step === steps)) {
            onProgress({
              trial: settings.trial,
              trials: settings.trials,
              step,
              steps,
              lr: settings.lr,
              wd: settings.weightDecay,
              loss: await loss(),
            });
          }
        },
      });
      return await score(model, evalOn);
    } finally {
      model.dispose();
    }
  };

  const grid = lrGrid.flatMap((lr) => wdGrid.map((wd) => ({ lr, weightDecay: wd / lr })));
  const trials = grid.length + 1;
  const valCurve: FineTuneResult['valCurve'] = [];
  try {
    for (const [trial, { lr, weightDecay }] of grid.entries()) {
      valCurve.push({ lr, weightDecay, score: await trainAndScore(train, val, { lr, weightDecay, trial, trials }) });
    }
    // First best wins ties, as finetune.py's strict `>`.
    const best = valCurve.reduce((b, p) => (p.score > b.score ? p : b), valCurve[0]);
    const trainVal = options.val ? concat(options.train, options.val) : options.train;
    const testScore = await trainAndScore(trainVal, options.test, {
      lr: best.lr,
      weightDecay: best.weightDecay,
      trial: grid.length,
      trials,
    });
    return { lr: best.lr, weightDecay: best.weightDecay, valCurve, testScore };
  } finally {
    if (!options.head) head.dispose();
  }
}
