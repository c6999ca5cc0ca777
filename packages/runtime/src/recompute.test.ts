import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend';
import { isRecomputing, recompute } from './recompute';

const flat = (t: tf.Tensor) => Array.from(t.dataSync());

for (const backend of ['cpu', 'wasm'] as const)
  describe(`recompute on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend(backend);
    });

    it("gives f's own value and gradients (in x and the variables), running f once more only in backprop", () => {
      const w = tf.variable(tf.randomNormal([3, 3, 2, 4], 0, 0.5, 'float32', 1));
      const b = tf.variable(tf.randomNormal([4], 0, 0.5, 'float32', 2));
      const x = tf.variable(tf.randomUniform([2, 6, 6, 2], -1, 1, 'float32', 3));
      const calls: boolean[] = [];
      const f = (z: tf.Tensor4D) => {
        calls.push(isRecomputing());
        return tf.tidy(() => tf.relu(tf.add(tf.conv2d(z, w as tf.Tensor4D, 1, 'same'), b)) as tf.Tensor4D);
      };
      // Ops before and after the wrapped part, and the part used twice (as BYOL's two views).
      const loss = (wrap: boolean) => () =>
        tf.tidy(() => {
          const part = (z: tf.Tensor4D) => (wrap ? recompute(f, z, [w, b]) : f(z));
          const y1 = part(tf.mul(x, 2) as tf.Tensor4D);
          const y2 = part(tf.sin(x) as tf.Tensor4D);
          return tf.sum(tf.mul(tf.square(y1), tf.sigmoid(y2))) as tf.Scalar;
        });

      const plain = tf.variableGrads(loss(false), [w, b, x]);
      expect(calls).toEqual([false, false]);
      calls.length = 0;
      const before = tf.memory().numTensors;
      const ours = tf.variableGrads(loss(true), [w, b, x]);
      expect(calls).toEqual([false, false, true, true]);
      expect(tf.engine().state.activeTape).toBeNull();
      expect(ours.value.dataSync()[0]).toBeCloseTo(plain.value.dataSync()[0], 5);
      for (const v of [w, b, x]) {
        const [p, o] = [plain.grads[v.name], ours.grads[v.name]];
        const scale = tf.tidy(() => tf.max(tf.abs(p)).dataSync()[0]);
        const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(p, o))).dataSync()[0]);
        expect(scale, v.name).toBeGreaterThan(0);
        expect(diff / scale, v.name).toBeLessThan(1e-6);
      }
      tf.dispose([ours.value, ...Object.values(ours.grads)]);
      expect(tf.memory().numTensors).toBe(before);
      // Without a tape it is plain f: nothing kept, nothing recomputed.
      calls.length = 0;
      const y = recompute(f, x as tf.Tensor as tf.Tensor4D, [w, b]);
      const direct = f(x as tf.Tensor as tf.Tensor4D);
      expect(flat(y)).toEqual(flat(direct));
      expect(calls).toEqual([false, false]);
      tf.dispose([y, direct, plain.value, ...Object.values(plain.grads), w, b, x]);
    });

    it('a later gradient after a recomputed one works as usual (the engine tape is restored)', () => {
      const v = tf.variable(tf.tensor1d([1, 2, 3]));
      const f = (z: tf.Tensor1D) => tf.mul(z, v) as tf.Tensor1D;
      const first = tf.variableGrads(() => tf.sum(tf.square(recompute(f, tf.exp(v) as tf.Tensor1D, [v]))), [v]);
      const second = tf.variableGrads(() => tf.sum(tf.square(v)), [v]);
      expect(flat(second.grads[v.name])).toEqual([2, 4, 6]);
      // d/dv sum((e^v v)^2) = 2 (e^v v)^2 (1 + 1/v)
      const expected = [1, 2, 3].map((a) => 2 * (Math.exp(a) * a) ** 2 * (1 + 1 / a));
      flat(first.grads[v.name]).forEach((g, i) => expect(g / expected[i]).toBeCloseTo(1, 5));
      tf.dispose([first.value, second.value, ...Object.values(first.grads), ...Object.values(second.grads), v]);
    });
  });
