// The two datasets of the experiment, as RGB ImageDatasets: pretraining images
// (labels unused by BYOL) and a labelled test split for the evaluation.
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { resize } from '@selfsup/augment';
import { imagesToTensor, loadIdx, loadImageFolder, subset, toRgb } from '@selfsup/datasets/node';

export const DATA_DIR = resolve(process.env.SELFSUP_DATA ?? new URL('../../../shared/data', import.meta.url).pathname);

// Downscale (bilinear, torchvision antialias=False) to `size` x `size`, back to bytes.
function resizeDataset(ds, size) {
  if (ds.shape[1] === size && ds.shape[2] === size) return ds;
  const bytes = tf.tidy(() =>
    tf.round(tf.mul(tf.clipByValue(resize(imagesToTensor(ds), [size, size]), 0, 1), 255)).dataSync(),
  );
  return { ...ds, images: Uint8Array.from(bytes), shape: [ds.shape[0], size, size, ds.shape[3]] };
}

const LOADERS = {
  // The shared CIFAR-10 subset: 500 train / 100 test images per class (JPEG ImageFolder).
  cifar10: async (size) => ({
    train: await loadImageFolder(join(DATA_DIR, 'cifar10', 'train'), { size }),
    test: await loadImageFolder(join(DATA_DIR, 'cifar10', 'test'), { size }),
  }),
  // Full Fashion-MNIST (IDX); a seeded class-balanced subset of the same size as the CIFAR-10 one.
  'fashion-mnist': async (size) => {
    const dir = join(DATA_DIR, 'fashion-mnist');
    const train = await loadIdx(join(dir, 'train-images-idx3-ubyte.gz'), join(dir, 'train-labels-idx1-ubyte.gz'));
    const test = await loadIdx(join(dir, 't10k-images-idx3-ubyte.gz'), join(dir, 't10k-labels-idx1-ubyte.gz'));
    return {
      train: resizeDataset(toRgb(subset(train, 500, 0)), size),
      test: resizeDataset(toRgb(subset(test, 100, 0)), size),
    };
  },
};

export async function loadExperimentData(name, size) {
  const load = LOADERS[name];
  if (!load) throw new Error(`--dataset must be one of ${Object.keys(LOADERS).join(', ')}, got '${name}'`);
  return load(size);
}
