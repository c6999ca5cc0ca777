import * as tf from '@tensorflow/tfjs-core';
import { cosineTau } from '@selfsup/ema';
import { warmupCosineSchedule } from '@selfsup/optim';
import { initBackend } from '@selfsup/runtime';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createByol, type Byol } from './byol';
import { snapshot, tinyNetworks } from './test-fixtures';

const SIZE = 16;

function batch(seed: number, n = 8): tf.Tensor4D {
  return tf.randomUniform([n, SIZE, SIZE, 3], 0, 1, 'float32', seed) as tf.Tensor4D;
}

describe('createByol', () => {
  let byol: Byol | undefined;
  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterEach(() => {
    byol?.dispose({ all: true });
    byol = undefined;
  });

  const make = (totalSteps: number) =>
    createByol({ ...tinyNetworks(1), imageSize: SIZE, batchSize: 8, totalSteps, seed: 5 });

  it('moves the online weights by gradient and the target only by EMA: target = τ·old + (1 − τ)·new online', () => {
    byol = make(10);
    const onlineBefore = snapshot(byol.encoder.parameters());
    const targetBefore = snapshot(byol.target.encoder.parameters());
    const projectorTargetBefore = snapshot(byol.target.projector.parameters());
    const x = batch(1);
    const { tau, loss } = byol.step(x);
    x.dispose();
    expect(loss).toBeGreaterThan(0);
    expect(tau).toBe(0.996);
    let moved = 0;
    for (const [name, online] of byol.encoder.parameters()) {
      const now = online.dataSync();
      if (now.some((v, i) => v !== onlineBefore.get(name)![i])) moved++;
      const target = byol.target.encoder.parameters().get(name)!.dataSync();
      const old = targetBefore.get(name)!;
      target.forEach((t, i) => expect(t).toBeCloseTo(tau * old[i] + (1 - tau) * now[i], 6));
    }
    expect(moved).toBe(byol.encoder.parameters().size);
    for (const [name, target] of byol.target.projector.parameters()) {
      const now = byol.online.projector.parameters().get(name)!.dataSync();
      const old = projectorTargetBefore.get(name)!;
      target.dataSync().forEach((t, i) => expect(t).toBeCloseTo(tau * old[i] + (1 - tau) * now[i], 6));
    }
  });

  it('follows the cosine τ schedule and the warm-up + cosine learning rate, scaled by batch size', () => {
    const total = 6;
    byol = createByol({
      ...tinyNetworks(2),
      imageSize: SIZE,
      batchSize: 8,
      totalSteps: total,
      warmupFraction: 0.34,
      seed: 1,
    });
    const lr = warmupCosineSchedule({ baseLr: (0.2 * 8) / 256, warmupSteps: 2, totalSteps: total });
    for (let k = 0; k < total; k++) {
      const x = batch(10 + k);
      const r = byol.step(x);
      x.dispose();
      expect(r.step).toBe(k + 1);
      expect(r.tau).toBeCloseTo(cosineTau(k, total, 0.996), 12);
      expect(r.lr).toBeCloseTo(lr(k), 12);
    }
    expect(() => byol!.step(batch(0))).toThrow('byol.step: all totalSteps = 6 steps are done');
  });

  it('leaks no tensor over 20 steps', () => {
    byol = make(20);
    const x = batch(3);
    byol.step(x);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 19; i++) byol.step(x);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('restores a snapshot exactly: the same next step as the trainer it came from', async () => {
    byol = make(4);
    const x = batch(4);
    byol.step(x);
    const state = await byol.getState();
    const twin = createByol({ ...tinyNetworks(9), imageSize: SIZE, batchSize: 8, totalSteps: 4, seed: 77 });
    await twin.setState(state.tensors, state.metadata);
    state.tensors.forEach((t) => t.dispose());
    expect(twin.steps).toBe(1);
    const a = byol.step(x);
    const b = twin.step(x);
    expect(b).toEqual(a);
    const wa = snapshot(byol.encoder.state());
    for (const [name, values] of snapshot(twin.encoder.state())) expect(values).toEqual(wa.get(name));
    twin.dispose({ all: true });
    x.dispose();
  });

  it('a bad state changes nothing and leaks nothing: every field is checked before the first assignment (issue #16)', async () => {
    byol = make(4);
    const source = createByol({ ...tinyNetworks(9), imageSize: SIZE, batchSize: 8, totalSteps: 4, seed: 77 });
    const state = await source.getState();
    const before = snapshot(byol.encoder.state());
    const tensorsBefore = tf.memory().numTensors;
    const [firstName, first] = [...state.tensors][0];
    const wrongShape = new Map(state.tensors);
    wrongShape.set(firstName, tf.zeros([...first.shape, 2]));
    for (const [tensors, metadata, message] of [
      [state.tensors, { ...state.metadata, rng: '{"s":[1,2]' }, /metadata\.rng is not JSON/],
      [state.tensors, { ...state.metadata, rng: '{"s":[1,2]}' }, /rng\.setState/],
      [state.tensors, { ...state.metadata, optimizer: '{"a":1}' }, /metadata\.optimizer must be a JSON list/],
      [state.tensors, { ...state.metadata, step: '-1' }, /metadata\.step must be a non-negative integer/],
      [wrongShape, state.metadata, /has shape/],
    ] as const) {
      await expect(byol.setState(tensors, metadata)).rejects.toThrow(message);
      for (const [name, values] of snapshot(byol.encoder.state())) expect(values).toEqual(before.get(name));
    }
    wrongShape.get(firstName)!.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    state.tensors.forEach((t) => t.dispose());
    source.dispose({ all: true });
  });

  it('names missing options', () => {
    const { encoder } = tinyNetworks(0);
    expect(() => createByol({ encoder, totalSteps: 0, seed: 0 })).toThrow(
      'createByol: totalSteps must be a positive integer, got 0',
    );
    expect(() => createByol({ encoder, totalSteps: 5, seed: 0 })).toThrow(/give batchSize/);
    expect(() => createByol({ encoder: {} as never, totalSteps: 5, seed: 0 })).toThrow(
      /options.encoder must be an Encoder/,
    );
    encoder.dispose();
  });
});
