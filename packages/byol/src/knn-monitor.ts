import { checkPositiveInteger } from '@selfsup/runtime';
import { split, type ImageDataset } from '@selfsup/datasets';
import { extractFeatures, knnClassify, top1 } from '@selfsup/eval-transfer';
import type { Byol } from './byol';
import type { TrainMonitor } from './train';

export interface KnnMonitorOptions {
  /** Epochs between runs (default 1). */
  everyEpochs?: number;
  /** Neighbours that vote (default 20, capped by the bank size). */
  k?: number;
  /** Seed of the bank/query split. */
  seed?: number;
}

/**
 * Online kNN monitor (the SSL practice of InstDisc, solo-learn, lightly): a labelled
 * dataset is split once, stratified, into a bank and queries; each run extracts
 * frozen features of both with the current online encoder and reports the kNN top-1
 * of the queries, so a user sees representation quality rise while the loss falls.
 */
export function knnMonitor(data: ImageDataset, options: KnnMonitorOptions = {}): TrainMonitor {
  const { everyEpochs = 1, k = 20, seed = 0 } = options;
  checkPositiveInteger('knnMonitor', 'everyEpochs', everyEpochs);
  const { train: bank, val: queries } = split(data, 0.5, seed);
  return {
    everyEpochs,
    async run(byol: Byol) {
      const [bankFeatures, queryFeatures] = [
        await extractFeatures(byol.encoder, bank),
        await extractFeatures(byol.encoder, queries),
      ];
      const { predictions } = knnClassify({
        trainFeatures: bankFeatures,
        trainLabels: bank.labels,
        testFeatures: queryFeatures,
        k: Math.min(k, bank.shape[0]),
        numClasses: data.classes.length,
      });
      return { knnTop1: top1(predictions, queries.labels) };
    },
  };
}
