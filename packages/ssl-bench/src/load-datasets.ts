import { isAbsolute, resolve } from 'node:path';
import { loadCifar, loadIdx, loadImageFolder, subset, toRgb, type ImageDataset } from '@selfsup/datasets/node';
import type { BenchConfig, DatasetSpec, SplitSource } from './config-schema';

export interface BenchDataset {
  name: string;
  train: ImageDataset;
  /** The official validation split, when the config names one. */
  val?: ImageDataset;
  test: ImageDataset;
}

type SplitName = 'train' | 'val' | 'test';

async function loadSplit(
  spec: DatasetSpec,
  which: SplitName,
  source: SplitSource,
  config: BenchConfig,
): Promise<ImageDataset> {
  const at = (p: string) => (isAbsolute(p) ? p : resolve(config.baseDir, p));
  const where = `dataset '${spec.name}' ${which}`;
  try {
    switch (spec.format) {
      case 'idx': {
        const { images, labels } = source as { images: string; labels: string };
        return await loadIdx(at(images), at(labels));
      }
      case 'cifar':
        return await loadCifar(at(source as string), {
          variant: 'cifar10',
          split: which === 'test' ? 'test' : 'train',
        });
      case 'imagefolder':
        return await loadImageFolder(at(source as string), { size: spec.size ?? config.imageSize, channels: 3 });
    }
  } catch (err) {
    throw new Error(`${where}: ${(err as Error).message}`);
  }
}

/** Load one configured dataset: every split as RGB, class-balanced subsets where asked. */
export async function loadBenchDataset(spec: DatasetSpec, config: BenchConfig): Promise<BenchDataset> {
  const load = async (which: SplitName, source: SplitSource, seedOffset: number) => {
    let ds = toRgb(await loadSplit(spec, which, source, config));
    const perClass = spec.perClass?.[which];
    if (perClass) ds = subset(ds, perClass, config.seed + seedOffset);
    return ds;
  };
  return {
    name: spec.name,
    train: await load('train', spec.train, 0),
    val: spec.val ? await load('val', spec.val, 1) : undefined,
    test: await load('test', spec.test, 2),
  };
}
