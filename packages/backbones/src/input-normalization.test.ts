import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { convnet } from './convnet';
import { NormalizedEncoder, withInputNormalization } from './input-normalization';

const norm = { mean: [0.2, 0.4, 0.6], std: [0.5, 0.25, 2] };

describe('withInputNormalization', () => {
  beforeAll(() => initBackend('cpu'));

  it('feeds the inner encoder (x - mean) / std and is the same module (variables, names, state)', () => {
    const inner = convnet({ widths: [4, 8], seed: 1 });
    const encoder = withInputNormalization(inner, norm);
    const x = tf.randomUniform([3, 8, 8, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
    // The standardisation written out by hand, channel by channel.
    const manual = tf.concat(
      tf.split(x, 3, 3).map((c, i) => tf.div(tf.sub(c, norm.mean[i]), norm.std[i])),
      3,
    ) as tf.Tensor4D;
    const diff = tf.max(tf.abs(tf.sub(encoder.apply(x), inner.apply(manual)))).dataSync()[0];
    expect(diff).toBeLessThan(1e-6);
    expect(encoder.inputNormalization).toEqual(norm);
    expect(encoder.outputDim).toBe(inner.outputDim);
    expect(encoder.parameters()).toEqual(inner.parameters());
    expect([...encoder.state().keys()]).toEqual([...inner.state().keys()]);
    // Training mode reaches the inner BN layers (running statistics move).
    const before = inner.state().get('stages.0.bn.running_mean')!.dataSync().slice();
    encoder.apply(x, { training: true });
    expect(inner.state().get('stages.0.bn.running_mean')!.dataSync()).not.toEqual(before);
    const copy = encoder.clone();
    expect(copy).toBeInstanceOf(NormalizedEncoder);
    expect(copy.inputNormalization).toEqual(norm);
    expect(tf.max(tf.abs(tf.sub(copy.apply(x), encoder.apply(x)))).dataSync()[0]).toBe(0);
    copy.dispose();
    expect(inner.state().get('stages.0.conv.weight')!.isDisposed).toBe(false);
  });

  it('returns the encoder itself without a normalisation, and names bad values', () => {
    const inner = convnet({ widths: [4], seed: 2 });
    expect(withInputNormalization(inner, null)).toBe(inner);
    const one = withInputNormalization(inner, { mean: [0.5], std: [0.5] });
    expect(one.apply(tf.ones([1, 4, 4, 3])).shape).toEqual([1, 4]);
    expect(() => withInputNormalization(one, norm)).toThrow(/already standardises its inputs/);
    const bad = withInputNormalization(inner, { mean: [0, 0], std: [1, 1] });
    expect(() => bad.apply(tf.ones([1, 4, 4, 3]))).toThrow(
      /NormalizedEncoder\.apply: input mean must be 1 or 3 finite numbers, got \[0,0\]/,
    );
    const zero = withInputNormalization(inner, { mean: [0], std: [0] });
    expect(() => zero.apply(tf.ones([1, 4, 4, 3]))).toThrow(/input std must be 1 or 3 positive numbers, got \[0\]/);
  });
});
