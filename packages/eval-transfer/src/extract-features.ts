import * as tf from '@tensorflow/tfjs-core';
import type { ImageDataset } from '@selfsup/datasets';
import { checkPositiveInteger, createRng, type Encoder, type Rng } from '@selfsup/runtime';
import { ContentHash } from './content-hash';
import { type ExternalEncoder, isExternalEncoder } from './external-encoder';
import type { FeatureMatrix } from './feature-matrix';

/** Where extracted features are cached: in memory, on disk (`directoryFeatureStore` in `@selfsup/eval-transfer/node`), ... */
export interface FeatureStore {
  /** The features stored under exactly `key`, or undefined (a store must never return another key's entry). */
  get(key: string): Promise<FeatureMatrix | undefined>;
  set(key: string, features: FeatureMatrix): Promise<void>;
}

/** A deterministic image transform (`(images, rng) => images`), e.g. `evalTransform()` of @selfsup/augment. */
export type ImageTransform = (images: tf.Tensor4D, rng: Rng) => tf.Tensor4D;

export interface ExtractFeaturesOptions {
  /** Applied to each batch of [0, 1] images before the encoder. Must be deterministic. */
  transform?: ImageTransform;
  /** Names the transform and its settings in the cache key, e.g. 'evalTransform(crop=32)'. Required with `cache` and `transform`. */
  transformId?: string;
  /** Images per forward pass. Default 256. */
  batchSize?: number;
  cache?: FeatureStore;
  /** Called after each batch with (images done, total). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * The cache key: a digest of every state tensor of the encoder (parameters and
 * BN statistics, with names and shapes), of the dataset (shape and pixels)
 * and the transform id, and the encoder's input standardisation. Any change in weights, data,
 * transform or standardisation changes it.
 * An ExternalEncoder's `cacheId` stands for its weights.
 */
export function featureCacheKey(
  encoder: Encoder | ExternalEncoder,
  dataset: ImageDataset,
  transformId: string,
): string {
  const data = new ContentHash().update(dataset.images);
  const rest = `data=${dataset.shape.join('x')}:${data.digest()};transform=${transformId}`;
  if (isExternalEncoder(encoder)) return `encoder=${encoder.cacheId};${rest}`;
  const weights = new ContentHash();
  for (const [name, variable] of encoder.state()) {
    weights.update(`${name}:${variable.shape.join('x')};`).update(variable.dataSync() as Float32Array);
  }
  const input = encoder.inputNormalization ? `/input=${JSON.stringify(encoder.inputNormalization)}` : '';
  return `encoder=${weights.digest()}/dim=${encoder.outputDim}${input};${rest}`;
}

/** One batch through a tfjs encoder in eval mode. */
async function tfjsBatch(encoder: Encoder, images: tf.Tensor4D): Promise<Float32Array> {
  const features = tf.tidy(() => encoder.apply(images, { training: false }));
  const [rows, dim] = [images.shape[0], encoder.outputDim];
  try {
    if (features.shape[0] !== rows || features.shape[1] !== dim) {
      throw new Error(`extractFeatures: the encoder returned shape [${features.shape}], expected [${rows}, ${dim}]`);
    }
    return (await features.data()) as Float32Array;
  } finally {
    features.dispose();
  }
}

/** One batch through an external encoder; its feature size must stay the same over batches. */
async function externalBatch(encoder: ExternalEncoder, images: tf.Tensor4D, dim: number | undefined) {
  const pixels = (await images.data()) as Float32Array;
  const out = await encoder.encode(pixels, images.shape);
  const rows = images.shape[0];
  if (out.data.length !== rows * out.dim || (dim !== undefined && out.dim !== dim)) {
    throw new Error(
      `extractFeatures: the external encoder returned ${out.data.length} values of dim ${out.dim} for ${rows} images` +
        (dim === undefined ? '' : `, expected dim ${dim}`),
    );
  }
  return out;
}

/**
 * Features of every image of `dataset` from a frozen encoder in eval mode
 * (BatchNorm uses its running statistics), batched, optionally cached. The
 * encoder is a tfjs `Encoder` or an `ExternalEncoder` (e.g. `onnxEncoder` of
 * `@selfsup/eval-transfer/node`).
 */
export async function extractFeatures(
  encoder: Encoder | ExternalEncoder,
  dataset: ImageDataset,
  options: ExtractFeaturesOptions = {},
): Promise<FeatureMatrix> {
  const { transform, transformId, batchSize = 256, cache, onProgress } = options;
  const external = isExternalEncoder(encoder);
  if (!external && (!encoder || typeof encoder.apply !== 'function' || !Number.isInteger(encoder.outputDim))) {
    throw new Error(
      `extractFeatures: encoder must be an Encoder (apply, state, outputDim) or an ExternalEncoder (encode, cacheId), got ${encoder}`,
    );
  }
  if (
    !dataset ||
    !(dataset.images instanceof Uint8Array) ||
    !Array.isArray(dataset.shape) ||
    dataset.shape.length !== 4
  ) {
    throw new Error(
      'extractFeatures: dataset must be an ImageDataset { images: Uint8Array, labels, shape: [N, H, W, C] }',
    );
  }
  checkPositiveInteger('extractFeatures', 'batchSize', batchSize);
  if (cache && transform && !transformId) {
    throw new Error(
      'extractFeatures: options.transformId is required with a cache and a transform (a function cannot be hashed)',
    );
  }
  const key = cache ? featureCacheKey(encoder, dataset, transform ? transformId! : 'none') : '';
  const cached = cache ? await cache.get(key) : undefined;
  if (cached) return cached;

  const [n, h, w, c] = dataset.shape;
  const size = h * w * c;
  // An external encoder's feature size is known after its first batch.
  let dim = external ? undefined : encoder.outputDim;
  let data = dim === undefined ? undefined : new Float32Array(n * dim);
  const rng = createRng(0); // unused by deterministic transforms; required by the Transform signature
  for (let start = 0; start < n; start += batchSize) {
    const rows = Math.min(batchSize, n - start);
    const images = tf.tidy(() => {
      const pixels = Float32Array.from(dataset.images.subarray(start * size, (start + rows) * size), (v) => v / 255);
      const batch = tf.tensor4d(pixels, [rows, h, w, c]);
      return transform ? transform(batch, rng) : batch;
    });
    try {
      if (external) {
        const out = await externalBatch(encoder, images, dim);
        dim ??= out.dim;
        data ??= new Float32Array(n * dim);
        data.set(out.data, start * dim);
      } else {
        data!.set(await tfjsBatch(encoder, images), start * dim!);
      }
    } finally {
      images.dispose();
    }
    onProgress?.(start + rows, n);
  }
  dim ??= 0;
  data ??= new Float32Array(0);
  const result = { data, n, dim };
  if (cache) await cache.set(key, result);
  return result;
}

/** An in-memory FeatureStore (for a browser session, or tests). */
export function memoryFeatureStore(): FeatureStore {
  const entries = new Map<string, FeatureMatrix>();
  return {
    get: async (key) => entries.get(key),
    set: async (key, features) => void entries.set(key, features),
  };
}
