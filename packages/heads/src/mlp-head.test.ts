import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { mlpHead } from './mlp-head';

/** Float64 eval-mode forward of the head from its own variables: the hand computation tfjs is checked against. */
function referenceForward(
  head: ReturnType<typeof mlpHead>,
  x: number[][],
  override?: { name: string; index: number; delta: number },
) {
  const v = (name: string) => {
    const values = Float64Array.from(head.state().get(name)!.dataSync());
    if (override?.name === name) values[override.index] += override.delta;
    return values;
  };
  const { inputDim: i, outputDim: o } = head;
  const h = head.options.hiddenDim;
  const [w0, b0, g, beta, rm, rv, w3, b3] = [
    '0.weight',
    '0.bias',
    '1.weight',
    '1.bias',
    '1.running_mean',
    '1.running_var',
    '3.weight',
    '3.bias',
  ].map(v);
  return x.map((row) => {
    const hidden = Array.from({ length: h }, (_, k) => {
      let s = b0[k];
      for (let j = 0; j < i; j++) s += row[j] * w0[j * h + k];
      return Math.max(0, ((s - rm[k]) / Math.sqrt(rv[k] + 1e-5)) * g[k] + beta[k]);
    });
    return Array.from({ length: o }, (_, k) => hidden.reduce((s, a, j) => s + a * w3[j * o + k], b3[k]));
  });
}

describe('mlpHead', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('is named like torch nn.Sequential(Linear, BatchNorm1d, ReLU, Linear), kernels [in, out]', () => {
    const head = mlpHead({ inputDim: 6, hiddenDim: 5, outputDim: 4 });
    expect([...head.state()].map(([n, v]) => [n, v.shape])).toEqual([
      ['0.weight', [6, 5]],
      ['0.bias', [5]],
      ['1.weight', [5]],
      ['1.bias', [5]],
      ['1.running_mean', [5]],
      ['1.running_var', [5]],
      ['3.weight', [5, 4]],
      ['3.bias', [4]],
    ]);
    expect([...head.parameters().keys()]).toEqual(['0.weight', '0.bias', '1.weight', '1.bias', '3.weight', '3.bias']);
    head.dispose();
    const plain = mlpHead({ inputDim: 6, hiddenDim: 5, outputDim: 4, batchNorm: false });
    expect([...plain.state().keys()]).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    plain.dispose();
  });

  it("initialises Linear layers as torch's nn.Linear: U(-1/sqrt(in), 1/sqrt(in)), seeded", () => {
    const head = mlpHead({ inputDim: 64, hiddenDim: 256, outputDim: 32, seed: 9 });
    for (const [name, fanIn] of [
      ['0.weight', 64],
      ['0.bias', 64],
      ['3.weight', 256],
      ['3.bias', 256],
    ] as const) {
      const values = head.state().get(name)!.dataSync();
      const bound = 1 / Math.sqrt(fanIn);
      const max = Array.from(values).reduce((m, x) => Math.max(m, Math.abs(x)), 0);
      expect(max, name).toBeLessThanOrEqual(bound);
      if (values.length > 1000) expect(max, name).toBeGreaterThan(0.99 * bound);
    }
    const again = mlpHead({ inputDim: 64, hiddenDim: 256, outputDim: 32, seed: 9 });
    expect(again.state().get('3.weight')!.dataSync()).toEqual(head.state().get('3.weight')!.dataSync());
    [head, again].forEach((m) => m.dispose());
  });

  it('computes Linear -> BN -> ReLU -> Linear (checked by hand in eval mode) and matches finite-difference gradients', () => {
    const head = mlpHead({ inputDim: 3, hiddenDim: 4, outputDim: 2, seed: 1 });
    tf.tidy(() => {
      head
        .state()
        .get('1.running_mean')!
        .assign(tf.tensor1d([0.1, -0.2, 0.05, 0]));
      head
        .state()
        .get('1.running_var')!
        .assign(tf.tensor1d([0.5, 1.5, 2, 0.8]));
    });
    const rows = [
      [0.5, -1, 2],
      [1.5, 0.25, -0.5],
    ];
    const x = tf.tensor2d(rows);
    const y = head.apply(x);
    expect(y.shape).toEqual([2, 2]);
    const ref = referenceForward(head, rows).flat();
    y.dataSync().forEach((v, i) => expect(v).toBeCloseTo(ref[i], 5));

    const loss = (d?: { name: string; index: number; delta: number }) =>
      referenceForward(head, rows, d)
        .flat()
        .reduce((s, v) => s + v * v, 0);
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tf.square(head.apply(x))) as tf.Scalar,
      [...head.parameters().values()],
    );
    expect(value.dataSync()[0]).toBeCloseTo(loss(), 4);
    for (const [name, variable] of head.parameters()) {
      const g = grads[variable.name].dataSync();
      for (let index = 0; index < g.length; index++) {
        const h = 1e-5;
        const fd = (loss({ name, index, delta: h }) - loss({ name, index, delta: -h })) / (2 * h);
        expect(Math.abs(g[index] - fd), `${name}[${index}]`).toBeLessThan(1e-3 * (1 + Math.abs(fd)));
      }
    }
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    head.dispose();
  });

  it('uses batch statistics in training mode and updates the running ones; clone is deep', () => {
    const head = mlpHead({ inputDim: 8, hiddenDim: 16, outputDim: 4 });
    const x = tf.randomNormal([6, 8], 0, 1, 'float32', 4) as tf.Tensor2D;
    const copy = head.clone();
    expect(copy.scope).not.toBe(head.scope);
    const evalOut = head.apply(x);
    const trainOut = head.apply(x, { training: true });
    // A batch normalised by its own statistics has zero mean per hidden unit, so outputs differ from eval.
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(evalOut, trainOut))).dataSync()[0]);
    expect(diff).toBeGreaterThan(1e-4);
    expect(
      head
        .state()
        .get('1.running_mean')!
        .dataSync()
        .some((v) => v !== 0),
    ).toBe(true);
    expect(
      copy
        .state()
        .get('1.running_mean')!
        .dataSync()
        .every((v) => v === 0),
    ).toBe(true);
    const copyOut = copy.apply(x);
    expect(copyOut.dataSync()).toEqual(evalOut.dataSync());
    tf.dispose([x, evalOut, trainOut, copyOut]);
    copy.dispose();
    head.dispose();
  });

  it('with layers: 3 and outputBatchNorm stacks hidden blocks as torch would name them (SimSiam, Barlow Twins, VICReg)', () => {
    const head = mlpHead({ inputDim: 3, hiddenDim: 4, outputDim: 2, layers: 3, outputBatchNorm: true, seed: 2 });
    expect([...head.state()].map(([n, v]) => [n, v.shape])).toEqual([
      ['0.weight', [3, 4]],
      ['0.bias', [4]],
      ['1.weight', [4]],
      ['1.bias', [4]],
      ['1.running_mean', [4]],
      ['1.running_var', [4]],
      ['3.weight', [4, 4]],
      ['3.bias', [4]],
      ['4.weight', [4]],
      ['4.bias', [4]],
      ['4.running_mean', [4]],
      ['4.running_var', [4]],
      ['6.weight', [4, 2]],
      ['6.bias', [2]],
      ['7.weight', [2]],
      ['7.bias', [2]],
      ['7.running_mean', [2]],
      ['7.running_var', [2]],
    ]);
    // Eval mode with fresh running statistics (mean 0, var 1), checked by hand in float64.
    const v = (name: string) => Float64Array.from(head.state().get(name)!.dataSync());
    const bn = (x: number) => x / Math.sqrt(1 + 1e-5);
    const linear = (row: number[], name: string, out: number) =>
      Array.from({ length: out }, (_, k) =>
        row.reduce((s, a, j) => s + a * v(`${name}.weight`)[j * out + k], v(`${name}.bias`)[k]),
      );
    const rows = [
      [0.5, -1, 2],
      [1.5, 0.25, -0.5],
    ];
    const ref = rows.flatMap((row) => {
      const h1 = linear(row, '0', 4).map((a) => Math.max(0, bn(a)));
      const h2 = linear(h1, '3', 4).map((a) => Math.max(0, bn(a)));
      return linear(h2, '6', 2).map(bn);
    });
    const x = tf.tensor2d(rows);
    const y = head.apply(x);
    y.dataSync().forEach((value, i) => expect(value).toBeCloseTo(ref[i], 5));
    // The first layer is drawn first whatever the depth (same seed, same weights).
    const two = mlpHead({ inputDim: 3, hiddenDim: 4, outputDim: 2, seed: 2 });
    expect(two.state().get('0.weight')!.dataSync()).toEqual(head.state().get('0.weight')!.dataSync());
    expect([...mlpHead({ inputDim: 3, hiddenDim: 4, layers: 3, batchNorm: false }).state().keys()]).toEqual([
      '0.weight',
      '0.bias',
      '2.weight',
      '2.bias',
      '4.weight',
      '4.bias',
    ]);
    tf.dispose([x, y]);
    [head, two].forEach((m) => m.dispose());
  });

  it('explains bad options and inputs', () => {
    expect(() => mlpHead({ inputDim: 0 })).toThrow(/mlpHead: options.inputDim must be a positive integer, got 0/);
    expect(() => mlpHead({ inputDim: 4, hiddenDim: 2.5 })).toThrow(
      /options.hiddenDim must be a positive integer, got 2.5/,
    );
    expect(() => mlpHead({ inputDim: 4, batchNorm: 'yes' as never })).toThrow(
      /options.batchNorm must be a boolean, got yes/,
    );
    expect(() => mlpHead(undefined as never)).toThrow(/options must be an object/);
    expect(() => mlpHead({ inputDim: 4, layers: 1 })).toThrow(/options.layers must be at least 2/);
    expect(() => mlpHead({ inputDim: 4, outputBatchNorm: 1 as never })).toThrow(
      /options.outputBatchNorm must be a boolean, got 1/,
    );
    const head = mlpHead({ inputDim: 4, hiddenDim: 8, outputDim: 2 });
    tf.tidy(() => {
      expect(() => head.apply(tf.zeros([2, 5]) as tf.Tensor2D)).toThrow(
        /mlpHead.apply: x must have shape \[N, 4\], got \[2,5\]/,
      );
      expect(() => head.apply(tf.zeros([1, 4]) as tf.Tensor2D, { training: true })).toThrow(
        /more than one value per channel/,
      );
    });
    head.dispose();
  });
});
