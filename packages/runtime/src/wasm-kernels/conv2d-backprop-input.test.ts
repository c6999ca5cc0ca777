import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { CONV_CASES, expectSameOnBothBackends, finiteDifferenceError, onCpuAndWasm, seeded } from './test-helpers';

describe('Conv2DBackpropInput on wasm', () => {
  it.each(CONV_CASES)(
    'x %j, kernel %i, outC %i, stride %i, pad %j: equals the cpu backend',
    async (xShape, k, outC, stride, pad) => {
      const result = await onCpuAndWasm(() => {
        const w = seeded([k, k, xShape[3], outC], 2) as tf.Tensor4D;
        const dyShape = tf.conv2d(tf.zeros(xShape) as tf.Tensor4D, w, stride, pad).shape;
        return tf.conv2dTranspose(seeded(dyShape, 3) as tf.Tensor4D, w, xShape, stride, pad);
      });
      expectSameOnBothBackends(result);
    },
  );

  // Winograd F(4x4, 3x3) (≥ 64 tiles of 4x4): full and partial tiles, 1024 channels (products in chunks).
  it.each([
    [[8, 16, 16, 4], 8, 'same'],
    [[8, 15, 13, 8], 4, 'valid'],
    [[80, 4, 4, 4], 1024, 'same'],
  ] as Array<[[number, number, number, number], number, 'same' | 'valid']>)(
    'x %j, 3x3 → %i channels, pad %j (F(4x4, 3x3)): equals the cpu backend',
    async (xShape, outC, pad) => {
      const result = await onCpuAndWasm(() => {
        const w = seeded([3, 3, xShape[3], outC], 2) as tf.Tensor4D;
        const dyShape = tf.conv2d(tf.zeros(xShape) as tf.Tensor4D, w, 1, pad).shape;
        return tf.conv2dTranspose(seeded(dyShape, 3) as tf.Tensor4D, w, xShape, 1, pad);
      });
      expectSameOnBothBackends(result);
    },
  );

  it('F(4x4, 3x3) on a ResNet-18 layer errs from float64 direct convolution by < 2e-5 relative', async () => {
    await initBackend('wasm');
    const [n, size, c] = [64, 8, 64];
    const dy = seeded([n, size, size, c], 1) as tf.Tensor4D;
    const w = seeded([3, 3, c, c], 2) as tf.Tensor4D;
    const dx = tf.conv2dTranspose(dy, w, [n, size, size, c], 1, 'same');
    const [dys, ws, dxs] = [dy.dataSync(), w.dataSync(), dx.dataSync()];
    let [diff, scale] = [0, 0];
    const exact = new Float64Array(c);
    // dx[p][k] = Σ over taps (i, j) and m of dy[p + (1 − i, 1 − j)][m] · w[i][j][k][m].
    for (let p = 0; p < n * size * size; p++) {
      const [img, r, col] = [Math.floor(p / (size * size)), Math.floor(p / size) % size, p % size];
      exact.fill(0);
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
          const [rr, cc] = [r + 1 - i, col + 1 - j];
          if (rr < 0 || rr >= size || cc < 0 || cc >= size) continue;
          const dyAt = ((img * size + rr) * size + cc) * c;
          for (let k = 0; k < c; k++) {
            const wAt = ((i * 3 + j) * c + k) * c;
            let sum = 0;
            for (let m = 0; m < c; m++) sum += dys[dyAt + m] * ws[wAt + m];
            exact[k] += sum;
          }
        }
      }
      for (let k = 0; k < c; k++) {
        diff = Math.max(diff, Math.abs(dxs[p * c + k] - exact[k]));
        scale = Math.max(scale, Math.abs(exact[k]));
      }
    }
    console.log(`F(4x4, 3x3) input gradient error vs float64 direct: ${(diff / scale).toExponential(2)} relative`);
    expect(diff / scale).toBeLessThan(2e-5);
    tf.dispose([dy, w, dx]);
  });

  it('matches finite differences of the forward convolution', async () => {
    await initBackend('wasm');
    const w = seeded([3, 3, 3, 5], 4) as tf.Tensor4D;
    const r = seeded([2, 4, 4, 5], 5);
    const loss = (x: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, w, 2, 'same'), r)) as tf.Scalar;
    expect(finiteDifferenceError(loss, seeded([2, 7, 7, 3], 6))).toBeLessThan(1e-3);
  });

  it('leaves no tensor behind', async () => {
    await initBackend('wasm');
    const dy = seeded([2, 4, 4, 5], 1) as tf.Tensor4D;
    const w = seeded([3, 3, 3, 5], 2) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    tf.conv2dTranspose(dy, w, [2, 8, 8, 3], 2, 'same').dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([dy, w]);
  });
});
