import { fileURLToPath } from 'node:url';
import { validateConfig } from './config';
import type { BenchConfig } from './config-schema';

/** The bundled subsets (see demo-data/DATA.md), beside `src/` and `dist/` alike. */
export const DEMO_DATA_DIR = fileURLToPath(new URL('../demo-data/', import.meta.url));

// A half-width ConvNet (16-32-64-128 channels) keeps the demo within minutes on 2 cores. BYOL uses what a
// user gets by default (the `auto` recipe: `small` at 32 px; inputs standardised with the images'
// per-channel mean and std, as `selfsup-byol train` does) on all 1,000 CIFAR-10 images at
// batch 64 (15 steps an epoch); it needs hundreds of steps to leave its loss plateau (README).
// The three BYOL encoders are snapshots of one 40-epoch run (600 steps), not three runs (900 steps).
const convnet = { arch: 'convnet', width: 0.5 } as const;
const BYOL_EPOCHS = 40;
const byolPretrain = (epochs: number) => ({ dataset: 'cifar10', epochs, scheduleEpochs: BYOL_EPOCHS, batchSize: 64 });
const supervisedPretrain = { dataset: 'cifar10', epochs: 6, batchSize: 64, limit: 500 };

/**
 * The paper's question in miniature: encoders of different quality on CIFAR-10
 * (random, BYOL at three points of one run, supervised), their CIFAR-10 linear accuracy as
 * the reference, transfer to digits, clothing and textures.
 */
export const DEMO_CONFIG = {
  seed: 0,
  imageSize: 32,
  encoders: [
    // BYOL's own starting point: the same seeded weights, inputs standardised as BYOL's are.
    { name: 'random', from: 'random', backbone: convnet, normalize: 'cifar10' },
    { name: 'byol-5ep', from: 'byol', backbone: convnet, pretrain: byolPretrain(5) },
    { name: 'byol-15ep', from: 'byol', backbone: convnet, pretrain: byolPretrain(15) },
    { name: 'byol-40ep', from: 'byol', backbone: convnet, pretrain: byolPretrain(BYOL_EPOCHS) },
    { name: 'supervised', from: 'supervised', backbone: convnet, pretrain: supervisedPretrain },
  ],
  datasets: [
    { name: 'cifar10', format: 'imagefolder', train: 'cifar10/train', test: 'cifar10/test' },
    { name: 'mnist', format: 'imagefolder', train: 'mnist/train', test: 'mnist/test' },
    {
      name: 'fashion-mnist',
      format: 'idx',
      train: { images: 'fashion-mnist/train-images-idx3-ubyte.gz', labels: 'fashion-mnist/train-labels-idx1-ubyte.gz' },
      test: { images: 'fashion-mnist/t10k-images-idx3-ubyte.gz', labels: 'fashion-mnist/t10k-labels-idx1-ubyte.gz' },
    },
    { name: 'dtd10', format: 'imagefolder', train: 'dtd10/train', test: 'dtd10/test' },
  ],
  // Scaled down from the paper to fit minutes: a 9-point C grid (the paper sweeps 45), and
  // few-shot on the small test splits, 5-way 5- and 10-shot with 5 queries (the paper: 5/20-shot, 15 queries).
  protocols: [
    { kind: 'linear', cGrid: [1e4, 1e3, 100, 10, 1, 0.1, 0.01, 1e-3, 1e-4] },
    { kind: 'knn', k: 20 },
    { kind: 'fewshot', ways: 5, shots: [5, 10], queries: 5, episodes: 300 },
    // What the features retain (Ericsson et al. §5), cheap: the probes' calibration, and 4 CIFAR-10
    // test images reconstructed from each encoder's features in 100 steps.
    { kind: 'calibration', cGrid: [1e4, 1e3, 100, 10, 1, 0.1, 0.01, 1e-3, 1e-4] },
    { kind: 'inversion', datasets: ['cifar10'], images: 4, steps: 100 },
  ],
  reference: { dataset: 'cifar10', protocol: 'linear' },
};

export function demoConfig(): BenchConfig {
  return validateConfig(DEMO_CONFIG, 'demo config', DEMO_DATA_DIR);
}
