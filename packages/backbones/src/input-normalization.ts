import * as tf from '@tensorflow/tfjs-core';
import type { Encoder } from '@selfsup/runtime';

/** Per-channel standardisation of [0, 1] images, `(x - mean[c]) / std[c]`, as torchvision's `Normalize`. */
export interface InputNormalization {
  mean: number[];
  std: number[];
}

/** Throw unless `norm` holds `channels` finite means and positive stds (one value stands for every channel). */
export function checkInputNormalization(norm: InputNormalization, channels: number, where: string): void {
  for (const [name, values, ok] of [
    ['mean', norm?.mean, (v: number) => Number.isFinite(v)],
    ['std', norm?.std, (v: number) => Number.isFinite(v) && v > 0],
  ] as const) {
    if (!Array.isArray(values) || (values.length !== channels && values.length !== 1) || !values.every(ok)) {
      throw new Error(
        `${where}: input ${name} must be 1 or ${channels} ${name === 'std' ? 'positive' : 'finite'} numbers, got ${JSON.stringify(values)}`,
      );
    }
  }
}

/**
 * An encoder that standardises its [0, 1] input images per channel before `inner` sees them.
 * It is the same module as `inner` (same variables, names and state), so trainers, EMA,
 * checkpoints and weight files treat it like `inner`; the exporters put the standardisation
 * into the exported graph, so exported models take [0, 1] images too.
 */
export class NormalizedEncoder implements Encoder {
  readonly outputDim: number;

  constructor(
    readonly inner: Encoder,
    readonly inputNormalization: InputNormalization,
  ) {
    this.outputDim = inner.outputDim;
  }

  apply(x: tf.Tensor4D, options?: { training?: boolean }): tf.Tensor2D {
    const channels = x.shape[3];
    checkInputNormalization(this.inputNormalization, channels, 'NormalizedEncoder.apply');
    return tf.tidy(() => {
      const { mean, std } = this.inputNormalization;
      const per = (v: number[]) => tf.tensor1d(v.length === 1 ? new Array(channels).fill(v[0]) : v);
      return this.inner.apply(tf.div(tf.sub(x, per(mean)), per(std)) as tf.Tensor4D, options);
    });
  }

  parameters(): Map<string, tf.Variable> {
    return this.inner.parameters();
  }

  state(): Map<string, tf.Variable> {
    return this.inner.state();
  }

  clone(): NormalizedEncoder {
    return new NormalizedEncoder(this.inner.clone(), this.inputNormalization);
  }

  dispose(): void {
    this.inner.dispose();
  }
}

/** `encoder` with its inputs standardised per channel; `null`/`undefined` returns `encoder` itself. */
export function withInputNormalization(
  encoder: Encoder,
  normalization: InputNormalization | null | undefined,
): Encoder {
  if (!normalization) return encoder;
  if (encoder.inputNormalization)
    throw new Error('withInputNormalization: the encoder already standardises its inputs (inputNormalization)');
  if (!Array.isArray(normalization.mean) || !Array.isArray(normalization.std)) {
    throw new Error(
      `withInputNormalization: normalization must be { mean: number[], std: number[] }, got ${JSON.stringify(normalization)}`,
    );
  }
  return new NormalizedEncoder(encoder, { mean: [...normalization.mean], std: [...normalization.std] });
}
