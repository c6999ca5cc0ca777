/**
 * Node-only entry (`@selfsup/eval-transfer/node`): the on-disk feature cache, ONNX encoders.
 */
import type { ImageDataset } from '@selfsup/datasets';
import type { Encoder } from '@selfsup/runtime';
import { directoryFeatureStore } from './directory-feature-store';
import type { ExternalEncoder } from './external-encoder';
import { extractFeatures as extractWithStore, type ExtractFeaturesOptions } from './extract-features';
import type { FeatureMatrix } from './feature-matrix';

export { directoryFeatureStore } from './directory-feature-store';
export { onnxEncoder } from './onnx-encoder';
export type { OnnxEncoder, OnnxEncoderOptions } from './onnx-encoder';

/** `extractFeatures` with `cacheDir`: features are cached as safetensors files in that folder. */
export function extractFeatures(
  encoder: Encoder | ExternalEncoder,
  dataset: ImageDataset,
  options: ExtractFeaturesOptions & { cacheDir?: string } = {},
): Promise<FeatureMatrix> {
  const { cacheDir, ...rest } = options;
  return extractWithStore(encoder, dataset, cacheDir ? { ...rest, cache: directoryFeatureStore(cacheDir) } : rest);
}
