/**
 * A frozen encoder that runs outside tfjs (ONNX Runtime, a web service, ...):
 * `extractFeatures` accepts it wherever it accepts a tfjs `Encoder`, with the same
 * batches, transform, progress and cache. It cannot be trained or fine-tuned.
 */
export interface ExternalEncoder {
  /** Names the model (its weights and preprocessing) in the feature cache key, e.g. `onnx:<digest of the file>`. */
  readonly cacheId: string;
  /**
   * Features of one batch of images `[rows, H, W, C]` (NHWC, row-major, in [0, 1], after
   * the transform): `rows * dim` values, row-major.
   */
  encode(images: Float32Array, shape: [number, number, number, number]): Promise<{ data: Float32Array; dim: number }>;
  /** Frees the runtime's resources. */
  dispose(): void | Promise<void>;
}

/** Whether `encoder` is an ExternalEncoder (has `encode` and `cacheId`) rather than a tfjs Encoder. */
export function isExternalEncoder(encoder: unknown): encoder is ExternalEncoder {
  const e = encoder as ExternalEncoder | undefined;
  return typeof e?.encode === 'function' && typeof e.cacheId === 'string';
}
