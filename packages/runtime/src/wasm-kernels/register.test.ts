import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { registerWasmTrainingKernels, wasmTrainingKernels } from './index';

describe('registerWasmTrainingKernels', () => {
  it("is run by initBackend('wasm') and registers every kernel for wasm", async () => {
    await initBackend('wasm');
    for (const config of wasmTrainingKernels) {
      expect(tf.getKernel(config.kernelName, 'wasm')?.kernelFunc).toBe(config.kernelFunc);
    }
    expect(wasmTrainingKernels.map((k) => k.kernelName).sort()).toEqual([
      'BatchMatMul',
      'Cast',
      'Conv2D',
      'Conv2DBackpropFilter',
      'Conv2DBackpropInput',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
      'Identity',
      'MaxPoolGrad',
      'Mean',
      'OneHot',
      'SelfsupBatchNormTraining',
      'SelfsupBatchNormTrainingGrad',
      'Sum',
      'Tile',
      'UnsortedSegmentSum',
    ]);
  });

  it('is idempotent: registering again (or re-initialising wasm) keeps the replaced kernels working', async () => {
    registerWasmTrainingKernels();
    await initBackend('cpu');
    await initBackend('wasm');
    const product = tf.matMul(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
      tf.tensor2d([
        [5, 6],
        [7, 8],
      ]),
      true,
      false,
    );
    expect(product.arraySync()).toEqual([
      [26, 30],
      [38, 44],
    ]);
  });
});
