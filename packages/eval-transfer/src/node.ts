/**
 * Node-only entry (`@selfsup/eval-transfer/node`): the on-disk feature cache.
 */
import type { ImageDataset } from '@selfsup/datasets';
import type { Encoder } from '@selfsup/runtime';
import { directoryFeatureStore } from './directory-feature-store';
import { extractFeatures as extractWithStore, type ExtractFeaturesOptions } from './extract-features';
import type { FeatureMatrix } from './feature-matrix';

export { directoryFeatureStore } from './directory-feature-store';

/** `extractFeatures` with `cacheDir`: features are cached as safetensors files in that folder. */
export function extractFeatures(
  encoder: Encoder,
  dataset: ImageDataset,
  options: ExtractFeaturesOptions & { cacheDir?: string } = {},
): Promise<FeatureMatrix> {
  const { cacheDir, ...rest } = options;
  return extractWithStore(encoder, dataset, cacheDir ? { ...rest, cache: directoryFeatureStore(cacheDir) } : rest);
}
