import { isAbsolute, resolve } from 'node:path';
import { type ImageDataset, loadDataset } from '@selfsup/datasets/node';
import type { BenchConfig, DatasetSpec, SplitSource } from './config-schema';

export interface BenchDataset {
  name: string;
  train: ImageDataset;
  /** The official validation split, when the config names one. */
  val?: ImageDataset;
  test: ImageDataset;
}

type SplitName = 'train' | 'val' | 'test';

/** Load one configured dataset: every split as RGB, class-balanced subsets where asked. */
export async function loadBenchDataset(spec: DatasetSpec, config: BenchConfig): Promise<BenchDataset> {
  const at = (p: string) => (isAbsolute(p) ? p : resolve(config.baseDir, p));
  const load = async (which: SplitName, source: SplitSource, seedOffset: number) => {
    const files =
      typeof source === 'string' ? { path: at(source) } : { images: at(source.images), labels: at(source.labels) };
    try {
      return await loadDataset({
        format: spec.format,
        ...files,
        // CIFAR has no official validation split: a configured val folder is read as train.
        split: spec.format === 'cifar' ? (which === 'test' ? 'test' : 'train') : undefined,
        size: spec.size ?? config.imageSize,
        perClass: spec.perClass?.[which] || undefined,
        seed: config.seed + seedOffset,
      });
    } catch (err) {
      throw new Error(`dataset '${spec.name}' ${which}: ${(err as Error).message}`);
    }
  };
  return {
    name: spec.name,
    train: await load('train', spec.train, 0),
    val: spec.val ? await load('val', spec.val, 1) : undefined,
    test: await load('test', spec.test, 2),
  };
}
