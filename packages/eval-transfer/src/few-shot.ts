import { sampleEpisodes } from '@selfsup/datasets';
import { toFeatureMatrix, toLabels, type FeatureInput, type FeatureMatrix } from './feature-matrix';
import { PROTOCOL_DEFAULTS } from './protocol-defaults';

export interface FewShotOptions {
  features: FeatureInput;
  labels: ArrayLike<number>;
  /** Classes per episode (N). Default 5. */
  ways?: number;
  /** Support images per class (K), e.g. 5 or 20. */
  shots: number;
  /** Query images per class. Default 15. */
  queries?: number;
  /** Episodes. Default 600 (Ericsson et al., after Chen et al. 2019). */
  episodes?: number;
  seed: number;
}

export interface FewShotResult {
  /** Mean episode accuracy in [0, 1]. */
  accuracy: number;
  /** Half-width of the 95% confidence interval: 1.96 * std / sqrt(episodes). */
  ci95: number;
  /** Population standard deviation of the episode accuracies (np.std, as the paper's few_shot.py). */
  std: number;
  episodeAccuracies: Float64Array;
}

/** Mean of the rows `indices[from .. from + count)` of `X`, into `out`. */
function centroid(X: FeatureMatrix, indices: Int32Array, from: number, count: number, out: Float64Array): void {
  out.fill(0);
  for (let s = from; s < from + count; s++) {
    const row = indices[s] * X.dim;
    for (let j = 0; j < X.dim; j++) out[j] += X.data[row + j];
  }
  for (let j = 0; j < X.dim; j++) out[j] /= count;
}

/**
 * Prototypical-network N-way K-shot evaluation without training (Snell et al. 2017,
 * as in Ericsson et al. CVPR 2021): each class's prototype is the mean of its support
 * features; a query gets the class of the nearest prototype in squared Euclidean
 * distance. Episodes come from `sampleEpisodes` of @selfsup/datasets.
 */
export function fewShot(options: FewShotOptions): FewShotResult {
  const { fewShot: defaults } = PROTOCOL_DEFAULTS;
  const { ways = defaults.ways, shots, queries = defaults.queries, episodes = defaults.episodes, seed } = options;
  const X = toFeatureMatrix(options.features, 'fewShot: features');
  const labels = toLabels(options.labels, X.n, 'fewShot: labels');
  const sampled = sampleEpisodes(labels, { ways, shots, queries, episodes, seed });
  const prototypes = Array.from({ length: ways }, () => new Float64Array(X.dim));
  const episodeAccuracies = new Float64Array(sampled.length);
  sampled.forEach((episode, e) => {
    for (let w = 0; w < ways; w++) centroid(X, episode.support, w * shots, shots, prototypes[w]);
    let correct = 0;
    for (let q = 0; q < episode.query.length; q++) {
      const row = episode.query[q] * X.dim;
      let best = -1;
      let bestDistance = Infinity;
      for (let w = 0; w < ways; w++) {
        let d = 0;
        for (let j = 0; j < X.dim; j++) d += (X.data[row + j] - prototypes[w][j]) ** 2;
        if (d < bestDistance) [best, bestDistance] = [w, d];
      }
      if (best === episode.queryLabels[q]) correct++;
    }
    episodeAccuracies[e] = correct / episode.query.length;
  });
  const accuracy = episodeAccuracies.reduce((s, a) => s + a, 0) / episodes;
  const std = Math.sqrt(episodeAccuracies.reduce((s, a) => s + (a - accuracy) ** 2, 0) / episodes);
  return { accuracy, ci95: (1.96 * std) / Math.sqrt(episodes), std, episodeAccuracies };
}
