import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { expectSameOnBothBackends, onCpuAndWasm, seeded } from './test-helpers';
import { enableWasmThreads } from './threads';

describe('enableWasmThreads', () => {
  it('rejects a thread count that is not a positive integer', async () => {
    await expect(enableWasmThreads(0)).rejects.toThrow(/threads must be a positive integer, got 0/);
    await expect(enableWasmThreads(1.5)).rejects.toThrow(/got 1.5/);
  });

  it('starts wasm on 2 threads, and the training kernels give the cpu backend\'s results there', async () => {
    await enableWasmThreads(2);
    const info = await initBackend('wasm');
    expect(info.threads).toBe(2);
    await expect(enableWasmThreads(2)).rejects.toThrow(/already running/);
    const result = await onCpuAndWasm(() => {
      const x = seeded([4, 16, 16, 8], 1) as tf.Tensor4D;
      const w = seeded([3, 3, 8, 16], 2) as tf.Tensor4D;
      const dy = seeded([4, 8, 8, 16], 3) as tf.Tensor4D;
      return [
        tf.conv2d(x, w, 2, 'same'),
        tf.conv2dTranspose(dy, w, [4, 16, 16, 8], 2, 'same'),
        tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 8, 16] }) as tf.Tensor,
      ];
    });
    expectSameOnBothBackends(result);
  });
});
