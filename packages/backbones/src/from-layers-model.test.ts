import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '@selfsup/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromLayersModel } from './from-layers-model';

describe('fromLayersModel', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  function smallCnn(): tfl.Sequential {
    return tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, name: 'c1' }),
        tfl.layers.batchNormalization({ name: 'bn' }),
        tfl.layers.reLU({ name: 'act' }),
      ],
    });
  }

  it('average-pools an image output, names parameters by layer weight names, and trains', () => {
    const model = smallCnn();
    const encoder = fromLayersModel(model);
    expect(encoder.outputDim).toBe(4);
    expect([...encoder.parameters().keys()]).toEqual(['c1/kernel', 'c1/bias', 'bn/gamma', 'bn/beta']);
    expect([...encoder.state().keys()]).toEqual([
      'c1/kernel',
      'c1/bias',
      'bn/gamma',
      'bn/beta',
      'bn/moving_mean',
      'bn/moving_variance',
    ]);
    const x = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const y = encoder.apply(x);
    const pooled = tf.tidy(() => tf.mean(model.predict(x) as tf.Tensor, [1, 2]));
    expect(y.shape).toEqual([2, 4]);
    expect(y.dataSync()).toEqual(pooled.dataSync());

    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(
      () => tf.sum(encoder.apply(x, { training: true })) as tf.Scalar,
      [...encoder.parameters().values()],
    );
    expect(Object.keys(grads)).toHaveLength(4);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y, pooled]);
    encoder.dispose();
  });

  it('flattens a non-image output and clones deeply under the same names', () => {
    const model = tfl.sequential({
      layers: [tfl.layers.flatten({ inputShape: [4, 4, 2] }), tfl.layers.dense({ units: 5, name: 'fc' })],
    });
    const encoder = fromLayersModel(model);
    expect(encoder.outputDim).toBe(5);
    const copy = encoder.clone();
    expect([...copy.state().keys()]).toEqual(['fc/kernel', 'fc/bias']);
    expect(copy.state().get('fc/kernel')!.name).not.toBe(encoder.state().get('fc/kernel')!.name);
    const x = tf.randomUniform([3, 4, 4, 2], 0, 1, 'float32', 2) as tf.Tensor4D;
    const [a, b] = [encoder.apply(x), copy.apply(x)];
    expect(b.dataSync()).toEqual(a.dataSync());
    tf.tidy(() =>
      copy
        .state()
        .get('fc/bias')!
        .assign(tf.onesLike(copy.state().get('fc/bias')!)),
    );
    expect(
      encoder
        .state()
        .get('fc/bias')!
        .dataSync()
        .every((v) => v === 0),
    ).toBe(true);
    tf.dispose([x, a, b]);
    copy.dispose();
    encoder.dispose();
  });

  it('rejects what is not a LayersModel', () => {
    expect(() => fromLayersModel({} as never)).toThrow(
      /fromLayersModel: model must be a tf.LayersModel, got \[object Object\]/,
    );
  });
});
