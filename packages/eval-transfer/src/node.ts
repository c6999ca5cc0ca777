/**
 * Node-only entry (`@selfsup/eval-transfer/node`): the on-disk feature cache, for
 * `extractFeatures(encoder, data, { cache: directoryFeatureStore(dir) })`, and ONNX encoders.
 */
export * from './index';
export { directoryFeatureStore } from './directory-feature-store';
export { onnxEncoder } from './onnx-encoder';
export type { OnnxEncoder, OnnxEncoderOptions } from './onnx-encoder';
