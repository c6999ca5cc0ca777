/**
 * The scores Ericsson et al. (CVPR 2021) report, as fractions in [0, 1]
 * (the paper prints them x 100): top-1 accuracy, mean per-class accuracy
 * (Aircraft, Caltech101, Flowers, Pets) and 11-point mAP (VOC2007).
 */

function checkSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, names: string): void {
  if (a.length !== b.length)
    throw new Error(`${names}: ${a.length} predictions but ${b.length} labels; they must match`);
  if (a.length === 0) throw new Error(`${names}: no predictions to score`);
}

/** Fraction of predictions equal to the label. */
export function top1(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkSameLength(predictions, labels, 'top1');
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predictions[i] === labels[i]) correct++;
  return correct / labels.length;
}

/**
 * Recall of each class present in `labels`, averaged (the diagonal of the
 * row-normalised confusion matrix, as in the paper's linear.py), so small classes count as much as large ones.
 */
export function meanPerClassAccuracy(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkSameLength(predictions, labels, 'meanPerClassAccuracy');
  const total = new Map<number, number>();
  const correct = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) {
    total.set(labels[i], (total.get(labels[i]) ?? 0) + 1);
    if (predictions[i] === labels[i]) correct.set(labels[i], (correct.get(labels[i]) ?? 0) + 1);
  }
  let sum = 0;
  for (const [label, count] of total) sum += (correct.get(label) ?? 0) / count;
  return sum / total.size;
}

/**
 * PASCAL VOC 2007 11-point interpolated average precision of one class:
 * the mean over recall levels t = 0, 0.1, ..., 1 of the best precision at
 * recall >= t. The precision-recall curve is scikit-learn's
 * `precision_recall_curve` (one point per distinct score, plus its final
 * point precision 1 / recall 0), which is what the paper's `voc_eval_cls` uses.
 */
export function averagePrecision11(scores: ArrayLike<number>, relevant: ArrayLike<number | boolean>): number {
  checkSameLength(scores, relevant, 'averagePrecision11');
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let positives = 0;
  for (let i = 0; i < relevant.length; i++) if (relevant[i]) positives++;
  if (positives === 0) throw new Error('averagePrecision11: relevant has no positive example; AP is undefined');
  const recall: number[] = [0];
  const precision: number[] = [1];
  let tp = 0;
  for (let r = 0; r < order.length; r++) {
    if (relevant[order[r]]) tp++;
    // One curve point per distinct threshold: only after the last of a run of tied scores.
    if (r + 1 < order.length && scores[order[r + 1]] === scores[order[r]]) continue;
    recall.push(tp / positives);
    precision.push(tp / (r + 1));
  }
  let ap = 0;
  for (let step = 0; step <= 10; step++) {
    const t = step / 10;
    let best = 0;
    for (let i = 0; i < recall.length; i++) if (recall[i] >= t) best = Math.max(best, precision[i]);
    ap += best / 11;
  }
  return ap;
}

/**
 * Mean of `averagePrecision11` over classes, for multi-label data: `scores[i][c]`
 * and `targets[i][c]` (0/1) for image i and class c.
 */
export function map11(scores: ArrayLike<number>[], targets: ArrayLike<number | boolean>[]): number {
  checkSameLength(scores, targets, 'map11');
  const numClasses = targets[0].length;
  let sum = 0;
  for (let c = 0; c < numClasses; c++) {
    const column = (rows: ArrayLike<number | boolean>[]) =>
      rows.map((row, i) => {
        if (row.length !== numClasses)
          throw new Error(`map11: row ${i} has ${row.length} classes, expected ${numClasses}`);
        return Number(row[c]);
      });
    sum += averagePrecision11(column(scores), column(targets));
  }
  return sum / numClasses;
}
