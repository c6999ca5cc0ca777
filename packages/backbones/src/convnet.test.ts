import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONVNET_DEFAULT_WIDTHS, convnet } from './convnet';

describe('convnet', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('maps images to [N, last width] features with named, trainable conv/BN stages', () => {
    const net = convnet({ widths: [8, 16], seed: 1 });
    expect(net.outputDim).toBe(16);
    expect([...net.state()].map(([n, v]) => [n, v.shape])).toEqual([
      ['stages.0.conv.weight', [3, 3, 3, 8]],
      ['stages.0.bn.weight', [8]],
      ['stages.0.bn.bias', [8]],
      ['stages.0.bn.running_mean', [8]],
      ['stages.0.bn.running_var', [8]],
      ['stages.1.conv.weight', [3, 3, 8, 16]],
      ['stages.1.bn.weight', [16]],
      ['stages.1.bn.bias', [16]],
      ['stages.1.bn.running_mean', [16]],
      ['stages.1.bn.running_var', [16]],
    ]);
    expect([...net.parameters().keys()]).toEqual([
      'stages.0.conv.weight',
      'stages.0.bn.weight',
      'stages.0.bn.bias',
      'stages.1.conv.weight',
      'stages.1.bn.weight',
      'stages.1.bn.bias',
    ]);
    const before = tf.memory().numTensors;
    for (const size of [28, 3]) {
      const y = tf.tidy(() => net.apply(tf.randomUniform([3, size, size, 3]), { training: true }));
      expect(y.shape).toEqual([3, 16]);
      y.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });

  it('trains: a few SGD steps on a fixed batch lower a regression loss; the clone keeps the old weights', () => {
    const net = convnet({ widths: [8, 8], seed: 2, inputChannels: 1 });
    const frozen = net.clone();
    const x = tf.randomUniform([8, 12, 12, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
    const target = tf.randomNormal([8, 8], 0, 1, 'float32', 6);
    const opt = tf.train.sgd(0.1);
    const loss = () => tf.losses.meanSquaredError(target, net.apply(x, { training: true })) as tf.Scalar;
    const first = opt.minimize(loss, true, [...net.parameters().values()])!;
    for (let i = 0; i < 10; i++) opt.minimize(loss, true, [...net.parameters().values()])!.dispose();
    const last = tf.tidy(loss);
    expect(last.dataSync()[0]).toBeLessThan(first.dataSync()[0]);
    const moved = tf.tidy(
      () =>
        tf
          .max(tf.abs(tf.sub(net.state().get('stages.0.conv.weight')!, frozen.state().get('stages.0.conv.weight')!)))
          .dataSync()[0],
    );
    expect(moved).toBeGreaterThan(0);
    tf.dispose([x, target, first, last]);
    opt.dispose();
    [net, frozen].forEach((m) => m.dispose());
  });

  it("pools between stages only, like byol_reference.py's ConvNet: the last stage's map goes whole to the average", () => {
    const net = convnet({ widths: [4, 6], seed: 3 });
    const x = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
    const state = net.state();
    // Eval-mode stage by hand: 3x3 conv (zero padding 1), BatchNorm with the running statistics (eps 1e-5), ReLU.
    const stage = (y: tf.Tensor4D, i: number) => {
      const z = tf.conv2d(y, state.get(`stages.${i}.conv.weight`) as tf.Tensor4D, 1, 'same');
      const bn = (name: string) => state.get(`stages.${i}.bn.${name}`)!;
      const normed = tf.div(tf.sub(z, bn('running_mean')), tf.sqrt(tf.add(bn('running_var'), 1e-5)));
      return tf.relu(tf.add(tf.mul(normed, bn('weight')), bn('bias'))) as tf.Tensor4D;
    };
    const [got, want] = tf.tidy(() => [
      net.apply(x),
      tf.mean(stage(tf.maxPool(stage(x, 0), 2, 2, 'valid'), 1), [1, 2]),
    ]);
    expect(got.shape).toEqual([2, 6]);
    const err = tf.tidy(() => tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]);
    expect(err).toBeLessThan(1e-5);
    tf.dispose([x, got, want]);
    net.dispose();
  });

  it('defaults to the reference widths 32-64-128-256', () => {
    const net = convnet();
    expect(net.options.widths).toEqual([...CONVNET_DEFAULT_WIDTHS]);
    expect(CONVNET_DEFAULT_WIDTHS).toEqual([32, 64, 128, 256]);
    expect(net.outputDim).toBe(256);
    net.dispose();
  });

  it('explains bad options', () => {
    expect(() => convnet({ widths: [] })).toThrow(
      /convnet: options.widths must be a non-empty array of positive integers, got \[\]/,
    );
    expect(() => convnet({ widths: [8, 0] })).toThrow(/got \[8,0\]/);
    expect(() => convnet({ seed: 'a' as never })).toThrow(/options.seed must be a finite number, got "a"/);
  });
});
