import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend';
import type { Module } from './module';
import { createRng } from './rng';
import { StoreModule } from './store-module';
import { captureState, restoreState, TRAINER_STATE_FORMAT } from './trainer-state';
import { VariableStore } from './variable-store';

// The smallest trainable module: one weight matrix and a non-trainable running value.
class Tiny extends StoreModule implements Module {
  readonly weight: tf.Variable;
  constructor(seed: number) {
    super(new VariableStore('tiny'));
    const rng = createRng(seed);
    this.weight = this.store.variable('weight', [3, 2], () => Float32Array.from({ length: 6 }, () => rng.normal()));
    this.store.variable('running', [2], () => new Float32Array(2), false);
  }
  apply(x: tf.Tensor): tf.Tensor {
    return tf.matMul(x as tf.Tensor2D, this.weight as tf.Tensor2D);
  }
  clone(): Tiny {
    return new Tiny(0);
  }
}

function trainer(seed: number) {
  const net = new Tiny(seed);
  const optimizer = tf.train.momentum(0.1, 0.9);
  const rng = createRng(seed);
  const step = () => {
    const loss = optimizer.minimize(() => tf.sum(tf.square(net.apply(tf.ones([1, 3])))) as tf.Scalar, true, [
      net.weight,
    ]);
    if (loss) loss.dispose();
  };
  return { parts: { modules: { net }, optimizer, rng }, net, step };
}

describe('trainer state (any method)', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('restores modules, optimizer slots and RNG so training continues exactly; the format tag is checked', async () => {
    const a = trainer(1);
    a.step();
    a.step();
    const state = await captureState(a.parts, 2, 'my-method/1');
    expect(state.metadata.format).toBe('my-method/1');
    const b = trainer(2);
    b.step(); // creates b's momentum slot, overwritten by the restore
    await expect(restoreState(b.parts, state.tensors, state.metadata)).rejects.toThrow(
      `metadata.format is "my-method/1", expected '${TRAINER_STATE_FORMAT}'`,
    );
    expect(await restoreState(b.parts, state.tensors, state.metadata, 'my-method/1')).toBe(2);
    expect(b.parts.rng.uniform()).toBe(a.parts.rng.uniform());
    a.step();
    b.step();
    expect(b.net.weight.dataSync()).toEqual(a.net.weight.dataSync());
    state.tensors.forEach((t) => t.dispose());
  });
});
