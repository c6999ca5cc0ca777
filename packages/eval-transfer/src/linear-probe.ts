import { checkNumber } from '@selfsup/runtime';
import { type CalibrationResult, calibrationFromConfidences } from './calibration';
import {
  concatRows,
  selectRows,
  toFeatureMatrix,
  toLabels,
  type FeatureInput,
  type FeatureMatrix,
} from './feature-matrix';
import { holdoutSplit } from './holdout-split';
import { encodeClasses, fitSoftmax, type LogisticRegressionModel } from './logistic-regression';
import { averagePrecision11, meanPerClassAccuracy, top1 } from './metrics';
import { createSoftmaxProblem, linearScores, type Precision } from './softmax-problem';

export type ProbeMetric = 'top1' | 'meanPerClass' | 'map11';

export interface LabeledFeatures {
  features: FeatureInput;
  /** Class labels (`top1`, `meanPerClass`) or, for `map11`, one 0/1 row per image (multi-label). */
  labels: ArrayLike<number> | ArrayLike<number>[];
}

export interface LinearProbeOptions {
  train: LabeledFeatures;
  /** The official validation split; without it a seeded stratified `valFraction` of train is held out. */
  val?: LabeledFeatures;
  test: LabeledFeatures;
  /** C values, swept in the given order with warm starts. Default `paperCGrid()` (large to small). */
  cGrid?: number[];
  metric?: ProbeMetric;
  /** Seed of the validation holdout. Default 0. */
  seed?: number;
  /** Share of train held out for validation when `val` is absent. Default 0.2 (linear.py). */
  valFraction?: number;
  /** L-BFGS iterations per fit. Default 100, scikit-learn's default used by the paper's linear.py. */
  maxIter?: number;
  /** Gradient tolerance per fit. Default 1e-4, scikit-learn's default used by the paper's linear.py. */
  tol?: number;
  precision?: Precision;
  /** Confidence bins of the test calibration (`testCalibration`). Default 15 (Guo et al. 2017). */
  calibrationBins?: number;
  /** Called after each C of the validation sweep. */
  onProgress?: (step: { index: number; total: number; C: number; valScore: number }) => void;
}

export interface LinearProbeResult {
  /** The C with the best validation score (the first, i.e. largest, on ties, as linear.py). */
  C: number;
  valCurve: { C: number; score: number }[];
  /** Score on test of the model refitted on train + val with the chosen C. */
  testScore: number;
  metric: ProbeMetric;
  /** The refitted model(s): one multinomial model, or one binary model per class for `map11`. */
  models: LogisticRegressionModel[];
  /** Expected calibration error of the refitted model on test, with its bins; absent for `map11`. */
  testCalibration?: CalibrationResult;
}

/** The test ECE of a multinomial model: confidence = max probability, correct when its class is the label. */
function testCalibrationOf(model: LogisticRegressionModel, X: FeatureMatrix, y: Int32Array, bins: number) {
  const K = model.classes.length;
  const probs = model.predictProba(X);
  const confidences = new Float64Array(X.n);
  const correct = new Uint8Array(X.n);
  for (let i = 0; i < X.n; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (probs[i * K + k] > probs[i * K + best]) best = k;
    confidences[i] = probs[i * K + best];
    correct[i] = model.classes[best] === y[i] ? 1 : 0;
  }
  return calibrationFromConfidences(confidences, correct, bins, 'linearProbe');
}

/** `num` values evenly spaced in log10 between 10^start and 10^stop (numpy.logspace). */
export function logspace(start: number, stop: number, num: number): number[] {
  if (!Number.isInteger(num) || num < 2) throw new Error(`logspace: num must be an integer >= 2, got ${num}`);
  return Array.from({ length: num }, (_, i) => 10 ** (start + ((stop - start) * i) / (num - 1)));
}

/**
 * The paper's grid: linear.py sweeps the weight decay wd over logspace(-6, 5, 45)
 * and fits with C = 1 / wd, so C runs from 1e6 down to 1e-5 in 45 steps.
 */
export function paperCGrid(): number[] {
  return logspace(-6, 5, 45).map((wd) => 1 / wd);
}

interface Split {
  features: FeatureMatrix;
  /** Single-label: [n]; multi-label: [n * numClasses] 0/1, row-major. */
  labels: Int32Array;
}

function toSplit(data: LabeledFeatures, name: string, multiLabel: boolean, numClasses?: number): Split {
  if (!data || typeof data !== 'object')
    throw new Error(`linearProbe: ${name} must be { features, labels }, got ${data}`);
  const features = toFeatureMatrix(data.features, `linearProbe: ${name}.features`);
  if (!multiLabel)
    return { features, labels: toLabels(data.labels as ArrayLike<number>, features.n, `linearProbe: ${name}.labels`) };
  const rows = data.labels as ArrayLike<number>[];
  if (
    rows.length !== features.n ||
    !rows.every((r) => r && typeof r === 'object' && r.length === (numClasses ?? rows[0].length))
  ) {
    throw new Error(
      `linearProbe: ${name}.labels must be ${features.n} multi-hot rows of equal length for metric 'map11'`,
    );
  }
  return {
    features,
    labels: toLabels(
      rows.flatMap((r) => Array.from(r)),
      rows.length * rows[0].length,
      `linearProbe: ${name}.labels`,
    ),
  };
}

function column(labels: Int32Array, numClasses: number, c: number): Int32Array {
  return Int32Array.from({ length: labels.length / numClasses }, (_, i) => labels[i * numClasses + c]);
}

/**
 * Many-shot linear evaluation of Ericsson et al. (CVPR 2021, linear.py): an
 * L2-regularised multinomial logistic regression on frozen features; C is
 * swept (warm-starting each fit from the previous one) and chosen on the
 * validation split, then the model is refitted on train + val with that C and
 * scored on test. Features are used as given (linear.py does not standardise them).
 * For `map11` (multi-label) one binary model per class is fitted, as linear.py does.
 */
export function linearProbe(options: LinearProbeOptions): LinearProbeResult {
  const {
    cGrid = paperCGrid(),
    metric = 'top1',
    seed = 0,
    valFraction = 0.2,
    maxIter = 100,
    tol = 1e-4,
    precision,
    calibrationBins = 15,
    onProgress,
  } = options;
  if (!['top1', 'meanPerClass', 'map11'].includes(metric)) {
    throw new Error(`linearProbe: metric must be 'top1', 'meanPerClass' or 'map11', got ${JSON.stringify(metric)}`);
  }
  if (!Array.isArray(cGrid) || cGrid.length === 0)
    throw new Error(`linearProbe: cGrid must be a non-empty array of C values, got ${cGrid}`);
  cGrid.forEach((C, i) => checkNumber('linearProbe', `cGrid[${i}]`, C, { min: 0, minExclusive: true }));
  const multiLabel = metric === 'map11';
  const trainAll = toSplit(options.train, 'train', multiLabel);
  const numLabels = multiLabel ? trainAll.labels.length / trainAll.features.n : 1;
  const test = toSplit(options.test, 'test', multiLabel, numLabels);
  let train = trainAll;
  let val: Split;
  if (options.val) {
    val = toSplit(options.val, 'val', multiLabel, numLabels);
  } else {
    const strata = multiLabel ? new Int32Array(trainAll.features.n) : trainAll.labels;
    const rows = holdoutSplit(strata, valFraction, seed);
    const pick = (idx: Int32Array): Split => ({
      features: selectRows(trainAll.features, idx),
      labels: Int32Array.from(
        Array.from(idx).flatMap((i) => Array.from(trainAll.labels.subarray(i * numLabels, (i + 1) * numLabels))),
      ),
    });
    [train, val] = [pick(rows.train), pick(rows.val)];
  }
  for (const split of [val, test]) {
    if (split.features.dim !== train.features.dim) {
      throw new Error(
        `linearProbe: features have dim ${train.features.dim} in train but ${split.features.dim} elsewhere; they must match`,
      );
    }
  }
  const fitOptions = { maxIter, tol, precision };
  // Each task: one multinomial problem, or one binary problem per class (map11).
  const tasks = multiLabel
    ? Array.from({ length: numLabels }, (_, c) => ({
        train: column(train.labels, numLabels, c),
        val: column(val.labels, numLabels, c),
        test: column(test.labels, numLabels, c),
      }))
    : [{ train: train.labels, val: val.labels, test: test.labels }];

  const scoreTask = (model: LogisticRegressionModel, X: FeatureMatrix, y: Int32Array): number => {
    const scores = linearScores(X, model.coef, model.intercept);
    if (multiLabel) {
      // Rank by logit(positive) - logit(negative), sklearn's decision_function for two classes.
      const positive = model.classes.indexOf(1);
      return averagePrecision11(
        Float64Array.from({ length: X.n }, (_, i) => scores[2 * i + positive] - scores[2 * i + 1 - positive]),
        y,
      );
    }
    const predictions = model.predict(X);
    return metric === 'top1' ? top1(predictions, y) : meanPerClassAccuracy(predictions, y);
  };

  const valScores = new Float64Array(cGrid.length);
  const fitsPerTask: LogisticRegressionModel[][] = tasks.map(() => []);
  tasks.forEach((task, t) => {
    const { classes, indices } = encodeClasses(task.train);
    if (classes.length < 2) {
      const what = multiLabel
        ? `class ${t} has only ${classes[0] ? 'positive' : 'negative'} examples`
        : `only class ${classes[0]} occurs`;
      throw new Error(`linearProbe: in the training split ${what}; a classifier needs at least two classes`);
    }
    const problem = createSoftmaxProblem(train.features, indices, classes.length, precision);
    try {
      let previous: LogisticRegressionModel | undefined;
      cGrid.forEach((C, i) => {
        previous = fitSoftmax(problem, classes, { C, ...fitOptions, warmStart: previous });
        fitsPerTask[t][i] = previous;
        valScores[i] += scoreTask(previous, val.features, task.val) / tasks.length;
        if (t === tasks.length - 1) onProgress?.({ index: i, total: cGrid.length, C, valScore: valScores[i] });
      });
    } finally {
      problem.dispose();
    }
  });
  let best = 0;
  valScores.forEach((s, i) => {
    if (s > valScores[best]) best = i;
  });

  const trainVal = concatRows(train.features, val.features, 'linearProbe: train + val');
  let testScore = 0;
  const models = tasks.map((task, t) => {
    const { classes, indices } = encodeClasses(Int32Array.from([...task.train, ...task.val]));
    const problem = createSoftmaxProblem(trainVal, indices, classes.length, precision);
    try {
      const warm = fitsPerTask[t][best];
      const model = fitSoftmax(problem, classes, {
        C: cGrid[best],
        ...fitOptions,
        warmStart: warm.classes.join() === classes.join() ? warm : undefined,
      });
      testScore += scoreTask(model, test.features, task.test) / tasks.length;
      return model;
    } finally {
      problem.dispose();
    }
  });
  const testCalibration = multiLabel
    ? undefined
    : testCalibrationOf(models[0], test.features, tasks[0].test, calibrationBins);
  return {
    C: cGrid[best],
    valCurve: cGrid.map((C, i) => ({ C, score: valScores[i] })),
    testScore,
    metric,
    models,
    testCalibration,
  };
}
