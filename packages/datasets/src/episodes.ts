import * as tf from '@tensorflow/tfjs-core';
import { checkPositiveInteger, createRng, type Rng } from '@selfsup/runtime';
import { indicesByClass } from './class-indices';
import { assertDataset, type ImageDataset } from './image-dataset';
import { imagesToTensor } from './to-tensor';

export interface EpisodeOptions {
  /** Classes per episode (N); default 5 as in Ericsson et al. */
  ways?: number;
  /** Labelled support images per class (K), e.g. 5, 20 or 50. */
  shots: number;
  /** Query images per class; default 15 as in Ericsson et al. */
  queries?: number;
  /** How many episodes (Ericsson et al. use 600). */
  episodes: number;
  seed: number;
}

/** One episode as dataset indices. Episode labels are 0..ways-1 in the order of `classes`. */
export interface EpisodeIndices {
  /** The dataset labels drawn for this episode; episode label j means `classes[j]`. */
  classes: number[];
  /** `ways * shots` indices, class by class. */
  support: Int32Array;
  supportLabels: Int32Array;
  /** `ways * queries` indices, class by class, disjoint from the support. */
  query: Int32Array;
  queryLabels: Int32Array;
}

/** Move a uniform random k-subset of `pool` to its front (partial Fisher-Yates) and return it. */
function drawWithoutReplacement(pool: number[], k: number, rng: Rng): number[] {
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(pool.length - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, k);
}

/**
 * N-way K-shot episodes as in Ericsson et al. (CVPR 2021, few-shot protocol
 * after Chen et al. 2019): each episode draws `ways` distinct classes, then
 * `shots + queries` distinct images of each, the first `shots` as support.
 * Only classes present in `labels` take part; one with fewer than
 * `shots + queries` images is an error (never silently excluded), so results
 * are comparable with the paper's setting.
 */
export function sampleEpisodes(labels: Int32Array, options: EpisodeOptions): EpisodeIndices[] {
  if (!(labels instanceof Int32Array)) throw new Error('sampleEpisodes: labels must be an Int32Array');
  const ways = checkPositiveInteger('sampleEpisodes', 'ways', options.ways ?? 5);
  const shots = checkPositiveInteger('sampleEpisodes', 'shots', options.shots);
  const queries = checkPositiveInteger('sampleEpisodes', 'queries', options.queries ?? 15);
  const count = checkPositiveInteger('sampleEpisodes', 'episodes', options.episodes);
  const numClasses = labels.reduce((m, v) => Math.max(m, v + 1), 0);
  const byClass = indicesByClass(labels, numClasses);
  const present = byClass.flatMap((indices, label) => (indices.length > 0 ? [label] : []));
  const short = present.filter((label) => byClass[label].length < shots + queries);
  if (short.length > 0) {
    const detail = short.map((label) => `${label} (${byClass[label].length})`).join(', ');
    throw new Error(`sampleEpisodes: classes ${detail} have fewer than shots + queries = ${shots + queries} images`);
  }
  if (present.length < ways)
    throw new Error(`sampleEpisodes: ways = ${ways} but the labels hold only ${present.length} classes`);

  const rng = createRng(options.seed);
  return Array.from({ length: count }, () => {
    const classes = drawWithoutReplacement(present, ways, rng);
    const support = new Int32Array(ways * shots);
    const query = new Int32Array(ways * queries);
    classes.forEach((label, j) => {
      const drawn = drawWithoutReplacement(byClass[label], shots + queries, rng);
      support.set(drawn.slice(0, shots), j * shots);
      query.set(drawn.slice(shots), j * queries);
    });
    const episodeLabels = (per: number) => Int32Array.from({ length: ways * per }, (_, i) => Math.floor(i / per));
    return { classes, support, supportLabels: episodeLabels(shots), query, queryLabels: episodeLabels(queries) };
  });
}

export interface Episode {
  indices: EpisodeIndices;
  /** `[ways * shots, H, W, C]` float32 in [0, 1]; the consumer disposes it. */
  supportImages: tf.Tensor4D;
  /** Episode labels 0..ways-1 (int32). */
  supportLabels: tf.Tensor1D;
  queryImages: tf.Tensor4D;
  queryLabels: tf.Tensor1D;
}

/** `sampleEpisodes` on a dataset, yielding each episode's tensors lazily (one episode in memory at a time). */
export function* episodes(ds: ImageDataset, options: EpisodeOptions): Generator<Episode> {
  assertDataset(ds, 'episodes');
  for (const indices of sampleEpisodes(ds.labels, options)) {
    yield {
      indices,
      supportImages: imagesToTensor(ds, indices.support),
      supportLabels: tf.tensor1d(indices.supportLabels, 'int32'),
      queryImages: imagesToTensor(ds, indices.query),
      queryLabels: tf.tensor1d(indices.queryLabels, 'int32'),
    };
  }
}
