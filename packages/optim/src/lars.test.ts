import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LARS } from './lars';
import { larsDirection } from './lars-direction';
import { warmupCosineSchedule } from './warmup-cosine';

let nextId = 0;
const owned: tf.Tensor[] = [];
/** A fresh variable with a unique tfjs name (tfjs variable names are global). */
function variable(values: number[], shape: number[]): tf.Variable {
  const v = tf.variable(tf.tensor(values, shape), true, `lars-test/${nextId++}`);
  owned.push(v);
  return v;
}
const gradsFor = (pairs: [tf.Variable, number[]][]): tf.NamedTensorMap =>
  Object.fromEntries(pairs.map(([v, g]) => [v.name, tf.tensor(g, v.shape)]));
const values = (v: tf.Tensor) => Array.from(v.dataSync());

describe('LARS', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterEach(() => tf.dispose(owned.splice(0)));

  it('gives excluded (1-D) variables exactly the update of tf.train.momentum', () => {
    const [a, b] = [variable([1, -2, 3], [3]), variable([1, -2, 3], [3])];
    const lars = new LARS({ learningRate: 0.1, weightDecay: 0.5 });
    const momentum = tf.train.momentum(0.1, 0.9);
    for (const g of [
      [0.5, 1, -1],
      [0.25, -0.5, 2],
      [1, 1, 1],
    ]) {
      const [ga, gb] = [gradsFor([[a, g]]), gradsFor([[b, g]])];
      lars.applyGradients(ga);
      momentum.applyGradients(Object.entries(gb).map(([name, tensor]) => ({ name, tensor })));
      tf.dispose([...Object.values(ga), ...Object.values(gb)]);
      expect(values(a)).toEqual(values(b));
    }
    lars.dispose();
    momentum.dispose();
  });

  it('adapts a 2-D variable by its trust ratio, and a custom exclude predicate turns that off', () => {
    const [w1, w2] = [variable([3, 4], [1, 2]), variable([3, 4], [1, 2])];
    const adapted = new LARS({ learningRate: 1, momentum: 0, weightDecay: 0, eta: 0.1 });
    const plain = new LARS({ learningRate: 1, momentum: 0, weightDecay: 0, exclude: () => true });
    const [g1, g2] = [gradsFor([[w1, [0, 10]]]), gradsFor([[w2, [0, 10]]])];
    adapted.applyGradients(g1);
    plain.applyGradients(g2);
    // ‖p‖ = 5, ‖g‖ = 10: q = 0.1·5/10 = 0.05, so p − 1·0.05·g.
    expect(values(w1)).toEqual([3, 3.5]);
    expect(values(w2)).toEqual([3, -6]);
    tf.dispose([...Object.values(g1), ...Object.values(g2)]);
    adapted.dispose();
    plain.dispose();
  });

  it('evaluates a learning-rate function at each step and exposes it as lr', () => {
    const w = variable([1], [1]);
    const lars = new LARS({ learningRate: (step) => 0.5 * (step + 1), momentum: 0 });
    expect(lars.lr).toBe(0.5);
    for (const expected of [0.5, 1, 1.5]) {
      const g = gradsFor([[w, [1]]]);
      lars.applyGradients(g);
      tf.dispose(Object.values(g));
      expect(lars.lr).toBe(expected);
    }
    expect(values(w)).toEqual([1 - 0.5 - 1 - 1.5]);
    expect(lars.iterations).toBe(3);
    lars.dispose();
  });

  it('restores its momentum state and step count from getWeights (checkpoint resume)', async () => {
    const [w, b] = [variable([1, 2, 3, 4], [2, 2]), variable([0.5, -0.5], [2])];
    const schedule = warmupCosineSchedule({ baseLr: 1, warmupSteps: 1, totalSteps: 5 });
    const first = new LARS({ learningRate: schedule });
    const step = (opt: LARS, scale: number) => {
      const g = gradsFor([
        [w, [scale, 1, -1, 2]],
        [b, [scale, 2]],
      ]);
      opt.applyGradients(g);
      tf.dispose(Object.values(g));
    };
    step(first, 1);
    step(first, 2);
    const saved = (await first.getWeights()).map(({ name, tensor }) => ({ name, tensor: tf.clone(tensor) }));
    expect(saved.map((s) => s.name)).toEqual(['iter', `${w.name}/momentum`, `${b.name}/momentum`]);
    const snapshot = [tf.clone(w), tf.clone(b)];

    step(first, 3);
    const expected = [values(w), values(b)];
    w.assign(snapshot[0]);
    b.assign(snapshot[1]);
    const resumed = new LARS({ learningRate: schedule });
    await resumed.setWeights(saved);
    expect(resumed.iterations).toBe(2);
    step(resumed, 3);
    expect([values(w), values(b)]).toEqual(expected);
    expect(resumed.lr).toBe(first.lr);
    tf.dispose([...saved.map((s) => s.tensor), ...snapshot]);
    first.dispose();
    resumed.dispose();
  });

  it('round-trips through getConfig / fromConfig and is registered for tf.serialization', () => {
    const lars = new LARS({
      learningRate: warmupCosineSchedule({ baseLr: 0.4, warmupSteps: 2, totalSteps: 9, finalLr: 0.01 }),
      trustRatio: 'solo-learn',
      weightDecay: 1e-4,
    });
    const registered = tf.serialization.SerializationMap.getMap().classNameMap.LARS;
    expect(registered?.[0]).toBe(LARS);
    const copy = LARS.fromConfig(LARS, lars.getConfig()) as LARS;
    expect(copy.getConfig()).toEqual(lars.getConfig());
    expect(copy.trustRatio).toBe('solo-learn');
    expect([copy.lr, copy.weightDecay, copy.momentum, copy.eta]).toEqual([0, 1e-4, 0.9, 1e-3]);
    expect(() => new LARS({ learningRate: () => 1 }).getConfig()).toThrow(
      'the learningRate function cannot be serialised',
    );
    expect(() => new LARS({ learningRate: 1, exclude: () => false }).getConfig()).toThrow('custom exclude predicate');
  });

  it('larsDirection keeps only its two outputs, for both variants and zero norms', () => {
    const p = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const zero = tf.zerosLike(p);
    const before = tf.memory().numTensors;
    for (const variant of ['byol', 'solo-learn'] as const) {
      for (const [param, grad] of [
        [p, p],
        [zero, p],
        [p, zero],
      ]) {
        const { direction, trustRatio } = larsDirection(param, grad, {
          variant,
          weightDecay: 0.1,
          eta: 0.01,
          eps: 1e-8,
        });
        expect(tf.memory().numTensors).toBe(before + 2);
        if (param === zero) expect(trustRatio.dataSync()[0]).toBe(1);
        tf.dispose([direction, trustRatio]);
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([p, zero]);
  });

  it('names bad options and gradients', () => {
    expect(() => new LARS({ learningRate: -1 })).toThrow('LARS: learningRate must be a finite number >= 0, got -1');
    expect(() => new LARS({ learningRate: 1, momentum: 1.5 })).toThrow(
      'LARS: momentum must be a finite number in [0, 1], got 1.5',
    );
    // @ts-expect-error: checking the runtime guard
    expect(() => new LARS({ learningRate: 1, trustRatio: 'lamb' })).toThrow(
      `LARS: trustRatio must be 'byol' or 'solo-learn', got "lamb"`,
    );
    const lars = new LARS({ learningRate: () => Number.NaN });
    const w = variable([1, 2], [2]);
    const bad = { [w.name]: tf.ones([3]) };
    expect(() => lars.applyGradients({ 'no-such-variable': bad[w.name] })).toThrow(
      'no tfjs variable is registered under the name(s) no-such-variable',
    );
    expect(() => new LARS({ learningRate: 1 }).applyGradients(bad)).toThrow(
      `gradient for ${w.name} has shape [3], the variable has [2]`,
    );
    const good = { [w.name]: tf.ones([2]) };
    expect(() => lars.applyGradients(good)).toThrow('the learningRate function returned NaN at step 0');
    tf.dispose([...Object.values(bad), ...Object.values(good)]);
  });
});
