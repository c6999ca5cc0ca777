import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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

  it('rejects a bad initBackend wasmThreads option', async () => {
    await expect(initBackend('wasm', { wasmThreads: 0 })).rejects.toThrow(
      /wasmThreads must be a positive integer, got 0/,
    );
  });

  it('trains bit-identically on 1 and 2 threads (one process each, from the built package)', () => {
    const script = fileURLToPath(new URL('../../test/train-checksum.mjs', import.meta.url));
    const run = (threads: number) =>
      JSON.parse(execFileSync(process.execPath, [script, String(threads)], { encoding: 'utf8' }));
    const [one, two] = [run(1), run(2)];
    expect([one.threads, two.threads]).toEqual([1, 2]);
    expect(two.checksum).toBe(one.checksum);
  });

  it("starts wasm on 2 threads (initBackend wasmThreads), and the training kernels give the cpu backend's results there", async () => {
    const info = await initBackend('wasm', { wasmThreads: 2 });
    expect(info.threads).toBe(2);
    await expect(enableWasmThreads(2)).rejects.toThrow(/already running/);
    const result = await onCpuAndWasm(() => {
      const x = seeded([4, 16, 16, 8], 1) as tf.Tensor4D;
      const w = seeded([3, 3, 8, 16], 2) as tf.Tensor4D;
      const dy = seeded([4, 8, 8, 16], 3) as tf.Tensor4D;
      return [
        tf.conv2d(x, w, 2, 'same'),
        tf.conv2dTranspose(dy, w, [4, 16, 16, 8], 2, 'same'),
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x, dy },
            { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 8, 16] },
          ) as tf.Tensor,
      ];
    });
    expectSameOnBothBackends(result);
  });
});
