import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend';

describe('the wasm heap guard', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('a tensor the heap cannot hold is an Error naming the problem, and the backend still works after it', () => {
    const before = tf.memory().numTensors;
    const heap = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
    const heapBefore = heap();
    // 4 GiB less 16 bytes: more than a 4 GiB heap can hold besides its static data, so malloc
    // gives address 0 at once (nothing written), which tfjs used as the tensor's address.
    expect(() => tf.fill([2 ** 30 - 4], 1)).toThrow(
      /wasm backend: out of memory: cannot allocate 4096\.0 MiB for a tensor; the heap holds \d+ MiB and cannot grow past 4 GiB/,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(heap()).toBe(heapBefore);
    const y = tf.tidy(() => tf.add(tf.range(0, 1000), 1));
    expect(y.dataSync()[999]).toBe(1000);
    y.dispose();
  });
});
