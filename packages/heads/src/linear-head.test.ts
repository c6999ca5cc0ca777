import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { linearHead } from './linear-head';

describe('linearHead', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('computes logits x W + b with torch nn.Linear names and init', () => {
    const head = linearHead(3, 2, { seed: 4 });
    expect([...head.state()].map(([n, v]) => [n, v.shape])).toEqual([
      ['weight', [3, 2]],
      ['bias', [2]],
    ]);
    expect([...head.parameters().keys()]).toEqual(['weight', 'bias']);
    const w = head.state().get('weight')!.dataSync();
    const b = head.state().get('bias')!.dataSync();
    for (const v of [...w, ...b]) expect(Math.abs(v)).toBeLessThanOrEqual(1 / Math.sqrt(3));
    const x = tf.tensor2d([
      [1, 2, 3],
      [-1, 0, 0.5],
    ]);
    const before = tf.memory().numTensors;
    const y = head.apply(x);
    expect(tf.memory().numTensors).toBe(before + 1);
    const rows = [
      [1, 2, 3],
      [-1, 0, 0.5],
    ];
    const expected = rows.flatMap((r) => [0, 1].map((k) => r.reduce((s, xi, j) => s + xi * w[j * 2 + k], b[k])));
    y.dataSync().forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));

    const copy = head.clone();
    tf.tidy(() =>
      copy
        .state()
        .get('bias')!
        .assign(tf.zeros([2])),
    );
    expect(head.state().get('bias')!.dataSync()).toEqual(b);
    tf.dispose([x, y]);
    copy.dispose();
    head.dispose();
  });

  it('explains bad arguments', () => {
    expect(() => linearHead(0, 10)).toThrow(/linearHead: inputDim must be a positive integer, got 0/);
    expect(() => linearHead(4, -1)).toThrow(/linearHead: classes must be a positive integer, got -1/);
    expect(() => linearHead(4, 2, { seed: Infinity })).toThrow(/options.seed must be a finite number/);
    const head = linearHead(4, 2);
    tf.tidy(() => {
      expect(() => head.apply(tf.zeros([2, 4, 1]) as unknown as tf.Tensor2D)).toThrow(
        /linearHead.apply: x must have shape \[N, 4\], got \[2,4,1\]/,
      );
    });
    head.dispose();
  });
});
