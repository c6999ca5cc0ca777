import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkPositiveInteger, checkSeed, createRng } from '@selfsup/runtime';
import { assertDataset, type ImageDataset } from './image-dataset';
import { imagesToFloat32 } from './to-tensor';

export interface BatchOptions {
  batchSize: number;
  /** Epoch e is shuffled with the seed `seed + e`; default 0. */
  seed?: number;
  /** Shuffle each epoch (default true); false keeps dataset order. */
  shuffle?: boolean;
  /** Drop a last batch smaller than batchSize (default false). */
  dropLast?: boolean;
  /** Prepare the next batch's float32 pixels while the current one is used (default true). */
  prefetch?: boolean;
  /** How many epochs to iterate (default 1). */
  epochs?: number;
  /** Number of the first epoch, to resume at the same shuffles (default 0). */
  startEpoch?: number;
  /** Batches of the first epoch to skip, to resume in the middle of an epoch (default 0). */
  startBatch?: number;
}

export interface Batch {
  /** `[b, H, W, C]` float32 in [0, 1]; the consumer disposes it. */
  images: tf.Tensor4D;
  /** `[b]` int32; the consumer disposes it. */
  labels: tf.Tensor1D;
  /** Dataset indices of the batch's images. */
  indices: Int32Array;
  epoch: number;
}

/** The order in which an epoch visits the dataset: a seeded permutation of 0..n-1, or identity. */
export function epochOrder(n: number, seed: number, epoch: number, shuffle = true): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  return shuffle ? (createRng(seed + epoch).shuffle(order) as Int32Array) : order;
}

interface PreparedBatch {
  indices: Int32Array;
  epoch: number;
  pixels: Float32Array;
  labels: Int32Array;
}

// A macrotask runs once the consumer yields to the event loop (awaiting a GPU
// read-back, file I/O, a timer), so that is where the next batch gets ready.
const later: (fn: () => void) => void = globalThis.setImmediate ?? ((fn) => setTimeout(fn, 0));

function* batchPlan(
  n: number,
  opts: Required<Omit<BatchOptions, 'prefetch'>>,
): Generator<{ indices: Int32Array; epoch: number }> {
  for (let epoch = opts.startEpoch; epoch < opts.startEpoch + opts.epochs; epoch++) {
    const order = epochOrder(n, opts.seed, epoch, opts.shuffle);
    const skip = epoch === opts.startEpoch ? opts.startBatch * opts.batchSize : 0;
    for (let start = skip; start < n; start += opts.batchSize) {
      const indices = order.subarray(start, Math.min(n, start + opts.batchSize));
      if (opts.dropLast && indices.length < opts.batchSize) break;
      yield { indices, epoch };
    }
  }
}

/**
 * Iterate a dataset in shuffled mini-batches as tensors. Tensors are created
 * only when a batch is handed out (never in the background), so they belong to
 * whatever tfjs scope the consumer is in.
 */
export async function* batches(ds: ImageDataset, options: BatchOptions): AsyncGenerator<Batch> {
  assertDataset(ds, 'batches');
  const {
    batchSize,
    seed = 0,
    shuffle = true,
    dropLast = false,
    prefetch = true,
    epochs = 1,
    startEpoch = 0,
    startBatch = 0,
  } = options ?? ({} as BatchOptions);
  checkPositiveInteger('batches', 'batchSize', batchSize);
  checkNumber('batches', 'epochs', epochs, { min: 0, integer: true });
  checkNumber('batches', 'startEpoch', startEpoch, { min: 0, integer: true });
  checkNumber('batches', 'startBatch', startBatch, { min: 0, integer: true });
  checkSeed('batches', seed);

  const [, h, w, c] = ds.shape;
  const prepare = (plan: { indices: Int32Array; epoch: number }): PreparedBatch => ({
    ...plan,
    pixels: imagesToFloat32(ds, plan.indices),
    labels: Int32Array.from(plan.indices, (i) => ds.labels[i]),
  });
  const prepareLater = (plan: { indices: Int32Array; epoch: number }) =>
    new Promise<PreparedBatch>((resolve, reject) =>
      later(() => {
        try {
          resolve(prepare(plan));
        } catch (err) {
          reject(err);
        }
      }),
    );

  const plans = batchPlan(ds.shape[0], { batchSize, seed, shuffle, dropLast, epochs, startEpoch, startBatch });
  let upcoming = plans.next();
  let ready: Promise<PreparedBatch> | PreparedBatch | undefined = upcoming.done ? undefined : prepare(upcoming.value);
  while (ready) {
    const batch = await ready;
    upcoming = plans.next();
    ready = upcoming.done ? undefined : prefetch ? prepareLater(upcoming.value) : undefined;
    const pending = upcoming.done ? undefined : upcoming.value;
    yield {
      images: tf.tensor4d(batch.pixels, [batch.indices.length, h, w, c], 'float32'),
      labels: tf.tensor1d(batch.labels, 'int32'),
      indices: batch.indices.slice(),
      epoch: batch.epoch,
    };
    if (!ready && pending) ready = prepare(pending);
  }
}
