import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { stopGradient } from './stop-gradient';

describe('stopGradient', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('passes the value through and blocks only its own path', () => {
    const x = tf.tensor1d([1, -2, 3]);
    // f(x) = sum(x * stop(x)): d/dx = stop(x) = x (the stopped factor contributes nothing).
    const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(v, stopGradient(v))))(x);
    expect(Array.from(grad.dataSync())).toEqual([1, -2, 3]);
    const through = stopGradient(x);
    expect(Array.from(through.dataSync())).toEqual([1, -2, 3]);
    expect(through).not.toBe(x);
    tf.dispose([x, grad, through]);
  });

  it('keeps the shape type and leaks nothing', () => {
    const x = tf.zeros([2, 3]);
    const before = tf.memory().numTensors;
    tf.dispose(stopGradient(x));
    expect(tf.memory().numTensors).toBe(before);
    const g = tf.grad((v: tf.Tensor) => tf.sum(stopGradient(v)))(x);
    expect(g.shape).toEqual([2, 3]);
    expect(Array.from(g.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('rejects a non-tensor', () => {
    expect(() => stopGradient([1, 2] as unknown as tf.Tensor)).toThrow(
      'stopGradient: x must be a tf.Tensor, got object',
    );
  });
});
