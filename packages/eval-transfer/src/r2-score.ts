/**
 * Coefficient of determination per output, R² = 1 − SS_res / SS_tot, of row-major `[n, outputs]`
 * values, and their plain mean (scikit-learn's `r2_score`, `multioutput='uniform_average'`). A
 * constant true output scores 1 when predicted exactly and 0 otherwise, as scikit-learn does.
 */
export function r2Score(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  outputs = 1,
): { r2: number; perOutput: number[] } {
  if (!Number.isInteger(outputs) || outputs < 1)
    throw new Error(`r2Score: outputs must be a positive integer, got ${outputs}`);
  if (yTrue.length !== yPred.length || yTrue.length % outputs !== 0 || yTrue.length === 0)
    throw new Error(
      `r2Score: yTrue (${yTrue.length}) and yPred (${yPred.length}) must have the same non-zero length, a multiple of outputs (${outputs})`,
    );
  const n = yTrue.length / outputs;
  const perOutput = Array.from({ length: outputs }, (_, c) => {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += yTrue[i * outputs + c] / n;
    let res = 0;
    let tot = 0;
    for (let i = 0; i < n; i++) {
      res += (yTrue[i * outputs + c] - yPred[i * outputs + c]) ** 2;
      tot += (yTrue[i * outputs + c] - mean) ** 2;
    }
    if (tot === 0) return res === 0 ? 1 : 0;
    return 1 - res / tot;
  });
  return { r2: perOutput.reduce((a, b) => a + b, 0) / outputs, perOutput };
}
