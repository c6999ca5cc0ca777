import { checkNumber } from '@selfsup/runtime';
import { concatRows, type FeatureInput, selectRows, toFeatureMatrix } from './feature-matrix';
import { holdoutSplit } from './holdout-split';
import { logspace } from './linear-probe';
import { r2Score } from './r2-score';
import { ridgeRegression, type TargetInput, toTargets } from './ridge-regression';

export interface RegressionSplit {
  features: FeatureInput;
  /** Targets `[n, outputs]`, e.g. `meanColour(images)`. */
  targets: TargetInput;
}

export interface ColourProbeResult {
  /** Test R² averaged over the outputs (scikit-learn's uniform average). */
  r2: number;
  perOutput: number[];
  /** The chosen relative strength; the ridge used alpha · trace(XcᵀXc) / dim. */
  alpha: number;
  valCurve: { alpha: number; r2: number }[];
}

function traceScale(X: { data: Float32Array; n: number; dim: number }): number {
  const { data, n, dim } = X;
  let total = 0;
  for (let j = 0; j < dim; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += data[i * dim + j] / n;
    for (let i = 0; i < n; i++) total += (data[i * dim + j] - mean) ** 2;
  }
  return total / dim || 1;
}

/**
 * Linear regression probe from frozen features to per-image targets (the mean colour, for
 * "does the encoder keep colour?"): ridge regression whose strength, relative to the features'
 * scale (alpha · trace(XcᵀXc) / dim, so encoders with different feature scales are treated alike),
 * is chosen on `val` (or a seeded `valFraction` of train) by R², refitted on train + val and
 * scored on test by R².
 */
export function colourProbe(options: {
  train: RegressionSplit;
  val?: RegressionSplit;
  test: RegressionSplit;
  /** Relative ridge strengths; default logspace(-4, 2, 7). */
  alphaGrid?: number[];
  seed?: number;
  valFraction?: number;
}): ColourProbeResult {
  const fn = 'colourProbe';
  const { alphaGrid = logspace(-4, 2, 7), seed = 0, valFraction = 0.2 } = options;
  if (!Array.isArray(alphaGrid) || alphaGrid.length === 0)
    throw new Error(`${fn}: alphaGrid must be a non-empty array, got ${alphaGrid}`);
  alphaGrid.forEach((a, i) => checkNumber(fn, `alphaGrid[${i}]`, a, { min: 0, minExclusive: true }));
  const load = (s: RegressionSplit, name: string) => {
    const X = toFeatureMatrix(s?.features, `${fn}: ${name}.features`);
    const Y = toTargets(s.targets, X.n, fn, `${name}.targets`);
    return { X, Y: { data: Y.data, n: X.n, dim: Y.dim } };
  };
  const all = load(options.train, 'train');
  const test = load(options.test, 'test');
  let train = all;
  let val: typeof all;
  if (options.val) val = load(options.val, 'val');
  else {
    const rows = holdoutSplit(new Int32Array(all.X.n), valFraction, seed);
    const pick = (idx: Int32Array) => ({
      X: selectRows(all.X, idx),
      Y: {
        data: Float64Array.from(
          Array.from(idx).flatMap((i) => Array.from(all.Y.data.subarray(i * all.Y.dim, (i + 1) * all.Y.dim))),
        ),
        n: idx.length,
        dim: all.Y.dim,
      },
    });
    [train, val] = [pick(rows.train), pick(rows.val)];
  }
  for (const [name, s] of [
    ['val', val],
    ['test', test],
  ] as const) {
    if (s.X.dim !== train.X.dim || s.Y.dim !== train.Y.dim)
      throw new Error(
        `${fn}: ${name} has ${s.X.dim} features / ${s.Y.dim} targets, train ${train.X.dim} / ${train.Y.dim}; they must match`,
      );
  }
  const scale = traceScale(train.X);
  const valCurve = alphaGrid.map((alpha) => {
    const model = ridgeRegression(train.X, train.Y, { alpha: alpha * scale });
    return { alpha, r2: r2Score(val.Y.data, model.predict(val.X), val.Y.dim).r2 };
  });
  let best = 0;
  valCurve.forEach((v, i) => {
    if (v.r2 > valCurve[best].r2) best = i;
  });
  const X = concatRows(train.X, val.X, `${fn}: train + val`);
  const Y = { data: Float64Array.from([...train.Y.data, ...val.Y.data]), n: X.n, dim: train.Y.dim };
  const model = ridgeRegression(X, Y, { alpha: alphaGrid[best] * traceScale(X) });
  const { r2, perOutput } = r2Score(test.Y.data, model.predict(test.X), test.Y.dim);
  return { r2, perOutput, alpha: alphaGrid[best], valCurve };
}
