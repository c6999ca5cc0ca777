import * as tf from '@tensorflow/tfjs-core';
import { cosineTau } from '@selfsup/ema';
import { warmupCosineSchedule } from '@selfsup/optim';
import { initBackend } from '@selfsup/runtime';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createByol, type Byol, type CreateByolOptions } from './byol';
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

  const make = (totalSteps: number, extra: Partial<CreateByolOptions> = {}) =>
    createByol({ ...tinyNetworks(1), imageSize: SIZE, batchSize: 8, totalSteps, seed: 5, ...extra });

  it('moves the online weights by gradient and the target only by EMA: target = τ·old + (1 − τ)·new online', () => {
    byol = make(10, { warmupFraction: 0 }); // the first step moves the weights
    const onlineBefore = snapshot(byol.encoder.parameters());
    const targetBefore = snapshot(byol.target.encoder.parameters());
    const projectorTargetBefore = snapshot(byol.target.projector.parameters());
    const x = batch(1);
    const { tau, loss } = byol.step(x);
    x.dispose();
    expect(loss).toBeGreaterThan(0);
    expect(tau).toBe(0.99); // auto: 16 px images -> the small recipe
    expect(byol.recipe).toMatchObject({ name: 'small', requested: 'auto', baseTau: 0.99 });
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
      recipe: 'paper',
      imageSize: SIZE,
      batchSize: 8,
      totalSteps: total,
      warmupFraction: 0.34,
      seed: 1,
    });
    expect(byol.recipe).toMatchObject({ name: 'paper', overridden: ['warmupFraction'] });
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

  it('makes its heads and views from the resolved recipe; heads passed in are kept', () => {
    const { encoder } = tinyNetworks(3);
    byol = createByol({ encoder, imageSize: SIZE, batchSize: 8, totalSteps: 3, seed: 2, predictorHiddenDim: 24 });
    const shapes = (m: { parameters(): Map<string, tf.Variable> }) => [...m.parameters().values()].map((v) => v.shape);
    // small: projector enc -> 1024 -> 128, predictor 128 -> 24 (overridden) -> 128.
    expect(shapes(byol.online.projector)).toContainEqual([encoder.outputDim, 1024]);
    expect(byol.online.projector.outputDim).toBe(128);
    expect(shapes(byol.online.predictor)).toEqual(
      expect.arrayContaining([
        [128, 24],
        [24, 128],
      ]),
    );
    expect(byol.recipe).toMatchObject({ blur: false, minCropScale: 0.2, predictorHiddenDim: 24 });
    const x = batch(2);
    expect(byol.step(x).loss).toBeGreaterThan(0);
    x.dispose();
    byol.dispose({ all: true });
    // A custom projector keeps its sizes; the default predictor follows its output width.
    const tiny = tinyNetworks(4);
    byol = createByol({
      encoder: tiny.encoder,
      projector: tiny.projector,
      imageSize: SIZE,
      batchSize: 8,
      totalSteps: 3,
      seed: 2,
    });
    expect(byol.online.projector).toBe(tiny.projector);
    expect(shapes(byol.online.predictor)).toEqual(
      expect.arrayContaining([
        [8, 1024],
        [1024, 8],
      ]),
    );
    expect(() =>
      createByol({ encoder: tiny.encoder, recipe: 'big' as never, totalSteps: 3, seed: 0, batchSize: 8 }),
    ).toThrow("unknown recipe 'big' (expected one of paper, small, auto)");
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
