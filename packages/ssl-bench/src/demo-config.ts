import { fileURLToPath } from 'node:url';
import { validateConfig } from './config';
import type { BenchConfig } from './config-schema';

/** The bundled subsets (see demo-data/DATA.md), beside `src/` and `dist/` alike. */
export const DEMO_DATA_DIR = fileURLToPath(new URL('../demo-data/', import.meta.url));

// A half-width ConvNet (16-32-64 channels) pretrained on 500 CIFAR-10 images keeps the demo within minutes on 2 cores.
const convnet = { arch: 'convnet', width: 0.5 } as const;
const pretrain = (epochs: number) => ({ dataset: 'cifar10', epochs, batchSize: 64, limit: 500 });

/**
 * The paper's question in miniature: encoders of different quality on CIFAR-10
 * (random, BYOL at three budgets, supervised), their CIFAR-10 linear accuracy as
 * the reference, transfer to digits, clothing and textures.
 */
export const DEMO_CONFIG = {
  seed: 0,
  imageSize: 32,
  encoders: [
    { name: 'random', from: 'random', backbone: convnet },
    { name: 'byol-1ep', from: 'byol', backbone: convnet, pretrain: pretrain(1) },
    { name: 'byol-3ep', from: 'byol', backbone: convnet, pretrain: pretrain(3) },
    { name: 'byol-6ep', from: 'byol', backbone: convnet, pretrain: pretrain(6) },
    { name: 'supervised', from: 'supervised', backbone: convnet, pretrain: pretrain(6) },
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
  ],
  reference: { dataset: 'cifar10', protocol: 'linear' },
};

export function demoConfig(): BenchConfig {
  return validateConfig(DEMO_CONFIG, 'demo config', DEMO_DATA_DIR);
}
