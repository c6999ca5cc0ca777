import { readFileSync } from 'node:fs';

/** The references of scripts/make-analysis-fixtures.py (NumPy / scikit-learn), for the analysis tests. */
export interface AnalysisReference {
  calibration: {
    name: string;
    bins: number;
    probs: number[][];
    labels: number[];
    expected: { ece: number; bins: { lo: number; hi: number; count: number; accuracy: number; confidence: number }[] };
  }[];
  ridge: {
    name: string;
    alpha: number;
    trainX: number[][];
    trainY: number[][];
    testX: number[][];
    testY: number[][];
    coef: number[][];
    intercept: number[];
    predictions: number[][];
    r2: number;
    r2PerOutput: number[];
  }[];
  colour: { shape: number[]; a: number[]; b: number[]; meanColourA: number[]; colourError: number };
  saliency: {
    shape: number[];
    a: number[];
    b: number[];
    cases: { fraction: number; perImage: number[]; iou: number }[];
  };
}

export function loadAnalysisReference(): AnalysisReference {
  const file = new URL('../test/fixtures/analysis-reference.json', import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')) as AnalysisReference;
}
