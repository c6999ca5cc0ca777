import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { convGeometry } from './conv-geometry';
import { expectSameOnBothBackends, seeded, type Pad } from './test-helpers';
import type { WasmBackend } from './wasm-ops';
import { winogradFilterGradient, winogradFilterGradientApplies, winogradTransforms } from './winograd';

describe('winogradFilterGradient', () => {
  it('sums several chunks of tiles (the last one part padding) to the cpu backend\'s filter gradient', async () => {
    const pad: Pad = [[0, 0], [1, 1], [1, 1], [0, 0]];
    const x = () => seeded([4, 7, 9, 128], 1);
    const dy = () => seeded([4, 7, 9, 8], 2);
    await initBackend('cpu');
    const cpu = tf.tidy(() =>
      (tf.engine().runKernel('Conv2DBackpropFilter', { x: x(), dy: dy() }, { strides: 1, pad, dataFormat: 'NHWC', filterShape: [3, 3, 128, 8] }) as tf.Tensor).dataSync(),
    ) as Float32Array;
    await initBackend('wasm');
    const g = convGeometry([4, 7, 9, 128], [3, 3, 128, 8], 1, 1, pad, undefined, false);
    expect(winogradFilterGradientApplies(g, 128, 8)).toBe(true);
    // 80 tiles in chunks of 12 (96 floats of dM per chunk / 8 channels): 7 chunks, 4 tiles of padding.
    const wasm = tf.tidy(() => {
      const info = winogradFilterGradient(tf.backend() as unknown as WasmBackend, x(), dy(), g, 96);
      return tf.engine().makeTensorFromTensorInfo(info).dataSync();
    }) as Float32Array;
    expectSameOnBothBackends({ cpu: [cpu], wasm: [wasm] });
  });
});

type Transforms = ReturnType<typeof winogradTransforms>;

/**
 * The transforms run on the tfjs backend's own memory, so they must write their
 * outputs and nothing else (no stack, no data of their own): run each on a memory
 * filled with a sentinel around its inputs and check that every byte outside the
 * output is as it was.
 */
describe('the Winograd transforms module', () => {
  const run = (outputStart: number, outputBytes: number, setUp: (heap: Float32Array) => void, call: (wasm: Transforms) => void) => {
    const memory = new WebAssembly.Memory({ initial: 4 });
    const heap = new Float32Array(memory.buffer);
    new Uint8Array(memory.buffer).fill(0x5a);
    setUp(heap);
    const before = new Uint8Array(memory.buffer).slice();
    call(winogradTransforms(memory));
    const stray = new Uint8Array(memory.buffer).findIndex((b, i) => b !== before[i] && (i < outputStart || i >= outputStart + outputBytes));
    return { stray, heap };
  };

  it('filter transform: writes only u, and u = G g Gᵀ', () => {
    // g [3][3][k=1][m=4] at 4096, u [16][1][4] at 8192; one output channel holds a single tap.
    const { stray, heap } = run(
      8192,
      16 * 4 * 4,
      (h) => {
        h.fill(0, 1024, 1024 + 36);
        h[1024 + 4 * 4] = 1; // tap (1, 1), output channel 0
      },
      (wasm) => wasm.winograd_filter(4096, 1, 4, 8192),
    );
    expect(stray).toBe(-1);
    // G·e₁·Gᵀ for the centre tap: outer product of G's middle column (0, ½, −½, 0).
    const col = [0, 0.5, -0.5, 0];
    for (let e = 0; e < 16; e++) expect(heap[2048 + 4 * e]).toBeCloseTo(col[e >> 2] * col[e & 3], 7);
  });

  it('input and output transforms: write only their outputs', () => {
    // x [1, 5, 5, 4] at 4096 (a 3x3 grid of tiles with 'same' padding), v [16][9][4] at 16384.
    const input = run(
      16384,
      16 * 9 * 4 * 4,
      (h) => h.set(Float32Array.from({ length: 100 }, (_, i) => i), 1024),
      (wasm) => wasm.winograd_input(4096, 1, 5, 5, 4, 1, 1, 3, 3, 16384),
    );
    expect(input.stray).toBe(-1);
    // planes: 16 addresses at 4096, m planes [9][4] from 8192; y [1, 5, 5, 4] at 32768.
    const output = run(
      32768,
      5 * 5 * 4 * 4,
      (h) => {
        new Int32Array(h.buffer, 4096, 16).set(Array.from({ length: 16 }, (_, e) => 8192 + e * 9 * 4 * 4));
        h.fill(1, 2048, 2048 + 16 * 36);
      },
      (wasm) => wasm.winograd_output(4096, 1, 5, 5, 4, 3, 3, 32768),
    );
    expect(output.stray).toBe(-1);
  });

  it('filter-gradient transforms: write only their outputs', () => {
    // x [1, 5, 5, 4] at 4096 → v [16][3 chunks][4][4 tiles] at 16384 (9 tiles, the rest padding),
    // scratch [16][4][4] right after v.
    const vBytes = 16 * 3 * 4 * 4 * 4;
    const input = run(
      16384,
      vBytes + 16 * 16 * 4,
      (h) => h.set(Float32Array.from({ length: 100 }, (_, i) => i), 1024),
      (wasm) => wasm.winograd_input_by_channel(4096, 1, 5, 5, 4, 1, 1, 3, 3, 4, 3, 16384, 16384 + vBytes),
    );
    expect(input.stray).toBe(-1);
    // dy [1, 5, 5, 4] at 4096 → dm [16][10 tiles][4] at 16384.
    const dm = run(
      16384,
      16 * 10 * 4 * 4,
      (h) => h.fill(1, 1024, 1124),
      (wasm) => wasm.winograd_output_gradient(4096, 1, 5, 5, 4, 3, 3, 10, 16384),
    );
    expect(dm.stray).toBe(-1);
    // 16 · 2 parts [1][4] at 8192.. (addresses at 4096) → dw [3][3][1][4] at 32768.
    const dw = run(
      32768,
      9 * 4 * 4,
      (h) => {
        new Int32Array(h.buffer, 4096, 32).set(Array.from({ length: 32 }, (_, i) => 8192 + i * 16));
        h.fill(1, 2048, 2048 + 32 * 4);
      },
      (wasm) => wasm.winograd_filter_gradient(4096, 2, 1, 4, 32768),
    );
    expect(dw.stray).toBe(-1);
  });
});
