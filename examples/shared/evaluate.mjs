// Frozen-feature scores of an encoder: the linear probe of Ericsson et al. (2021) and a
// weighted kNN, fitted on the training images' labels and scored on the test split.
import { extractFeatures, knnClassify, linearProbe, paperCGrid, top1 } from '@selfsup/eval-transfer';

// Every 4th C of the paper's 45-value grid (1e6 .. 1e-5): 12 fits instead of 45 on a 2-core machine.
const C_GRID = paperCGrid().filter((_, i) => i % 4 === 0);

export async function evaluate(encoder, { train, test }) {
  const trainFeatures = await extractFeatures(encoder, train);
  const testFeatures = await extractFeatures(encoder, test);
  const probe = linearProbe({
    train: { features: trainFeatures, labels: train.labels },
    test: { features: testFeatures, labels: test.labels },
    cGrid: C_GRID,
  });
  const knn = knnClassify({
    trainFeatures,
    trainLabels: train.labels,
    testFeatures,
    k: 20,
    numClasses: train.classes.length,
  });
  return { linearProbeTop1: probe.testScore, linearProbeC: probe.C, knnTop1: top1(knn.predictions, test.labels) };
}
