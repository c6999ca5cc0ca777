import { beforeAll, describe, expect, it } from 'vitest';
import { allowRelaxedSimd, convKernelsOn, type ConvKernels } from './conv-kernels';

/**
 * The kernels run on the tfjs backend's own memory, so they must write their
 * outputs and nothing else (no stack, no data of their own): run each on a memory
 * filled with a sentinel around its inputs and check that every byte outside the
 * output is as it was.
 */
// Both builds: with relaxed SIMD (where the engine takes it, as initBackend arranges) and without.
describe.each([
  ['relaxed SIMD', false],
  ['plain SIMD', true],
])('the conv kernels module (%s build)', (_, plain) => {
  beforeAll(allowRelaxedSimd);
  const run = (
    outputStart: number,
    outputBytes: number,
    setUp: (heap: Float32Array) => void,
    call: (wasm: ConvKernels) => void,
  ) => {
    const memory = new WebAssembly.Memory({ initial: 4 });
    const heap = new Float32Array(memory.buffer);
    new Uint8Array(memory.buffer).fill(0x5a);
    setUp(heap);
    const before = new Uint8Array(memory.buffer).slice();
    call(convKernelsOn(memory, { plain }));
    const stray = new Uint8Array(memory.buffer).findIndex(
      (b, i) => b !== before[i] && (i < outputStart || i >= outputStart + outputBytes),
    );
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
      (h) =>
        h.set(
          Float32Array.from({ length: 100 }, (_, i) => i),
          1024,
        ),
      (wasm) => wasm.winograd_input(4096, 1, 5, 5, 4, 1, 1, 3, 3, 16384, 0, 1),
    );
    expect(input.stray).toBe(-1);
    // v [16][9][4] at 4096, u [16][4][12] at 8192 → m [16][9][12] at 16384 (an 8- and a 4-wide panel).
    const products = run(
      16384,
      16 * 9 * 12 * 4,
      (h) => h.fill(1, 1024, 1024 + 16 * 9 * 4 + 16 * 4 * 12),
      (wasm) => wasm.winograd_products(4096, 8192, 9, 4, 12, 16384, 0, 16),
    );
    expect(products.stray).toBe(-1);
    expect(products.heap[4096]).toBe(4); // Σ over 4 input channels of 1 · 1
    // m [16][9][4] at 8192 → y [1, 5, 5, 4] at 32768.
    const output = run(
      32768,
      5 * 5 * 4 * 4,
      (h) => h.fill(1, 2048, 2048 + 16 * 36),
      (wasm) => wasm.winograd_output(8192, 1, 5, 5, 4, 3, 3, 32768, 0, 1),
    );
    expect(output.stray).toBe(-1);
  });

  it('filter-gradient functions: write only their outputs', () => {
    // dy [1, 5, 5, 4] at 4096 → dm [16][9 tiles][4] at 16384.
    const dm = run(
      16384,
      16 * 9 * 4 * 4,
      (h) => h.fill(1, 1024, 1124),
      (wasm) => wasm.winograd_output_gradient(4096, 1, 5, 5, 4, 3, 3, 16384, 0, 1),
    );
    expect(dm.stray).toBe(-1);
    // v [16][9][4] at 4096, dm [16][9][12] at 16384 → du [16][4][12] at 65536 (an 8- and a 4-wide block).
    const du = run(
      65536,
      16 * 4 * 12 * 4,
      (h) => h.fill(1, 1024, 1024 + 16 * 9 * 4 + 4096),
      (wasm) => wasm.winograd_filter_products(4096, 16384, 9, 4, 12, 65536, 0, 16),
    );
    expect(du.stray).toBe(-1);
    expect(du.heap[16384]).toBe(9); // Σ over 9 tiles of 1 · 1
    // du [16][1][4] at 8192 → dw [3][3][1][4] at 32768.
    const dw = run(
      32768,
      9 * 4 * 4,
      (h) => h.fill(1, 2048, 2048 + 64),
      (wasm) => wasm.winograd_filter_gradient(8192, 1, 4, 32768),
    );
    expect(dw.stray).toBe(-1);
  });

  it('direct filter gradient: writes only dW', () => {
    // x [1, 5, 5, 4] at 4096, dy [1, 3, 3, 12] at 8192 (3x3, stride 2, pad 1) → dW [3][3][4][12] at 16384.
    const dw = run(
      16384,
      9 * 4 * 12 * 4,
      (h) => h.fill(1, 1024, 1024 + 100 + 2048),
      (wasm) => wasm.conv_filter_gradient(4096, 1, 5, 5, 4, 8192, 3, 3, 12, 3, 3, 2, 2, 1, 1, 1, 1, 16384, 0, 4),
    );
    expect(dw.stray).toBe(-1);
  });

  it('max-pool gradient: adds only into dx', () => {
    // x [1, 4, 4, 4] at 4096 (all 1: every window's first pixel wins), dy [1, 2, 2, 4] at 8192 → dx at 16384 (zeros).
    const dx = run(
      16384,
      64 * 4,
      (h) => {
        h.fill(1, 1024, 1024 + 64);
        h.fill(2, 2048, 2048 + 16);
        h.fill(0, 4096, 4096 + 64);
      },
      (wasm) => wasm.max_pool_gradient(4096, 8192, 4, 4, 4, 2, 2, 2, 2, 2, 2, 1, 1, 0, 0, 16384, 0, 1),
    );
    expect(dx.stray).toBe(-1);
    expect(dx.heap[4096]).toBe(2); // pixel (0, 0), channel 0: its window's first maximum
    expect(dx.heap[4096 + 4]).toBe(0); // pixel (0, 1): a tie, not the first
  });

  it('column sums and batched products: write only their outputs', () => {
    // x [300 rows][37] of ones at 4096 → sums [37] at 65536.
    const sums = run(
      65536,
      37 * 4,
      (h) => h.fill(1, 1024, 1024 + 300 * 37),
      (wasm) => wasm.column_sums(4096, 300, 37, 65536, 0, 37),
    );
    expect(sums.stray).toBe(-1);
    expect([sums.heap[16384], sums.heap[16384 + 36]]).toEqual([300, 300]);
    // a [2][5][3] at 4096, w [2][3][12] at 8192 (ones) → out [2][5][12] at 16384.
    const products = run(
      16384,
      2 * 5 * 12 * 4,
      (h) => h.fill(1, 1024, 2048 + 72),
      (wasm) => wasm.batch_matmul(4096, 8192, 5, 3, 12, 15, 36, 16384, 0, 2),
    );
    expect(products.stray).toBe(-1);
    expect(products.heap[4096 + 119]).toBe(3); // Σ over k = 3 of 1 · 1
  });

  it('BatchNorm sums, group sums and apply: write only their outputs', () => {
    // x [300][12] at 4096 (row r: r + channel), sums float64 [2][12] at 65536 (channels 4..12).
    const sums = run(
      65536 + 4 * 8,
      20 * 8,
      (h) => {
        for (let i = 0; i < 300 * 12; i++) h[1024 + i] = Math.floor(i / 12) + (i % 12);
      },
      (wasm) => wasm.bn_sums(4096, 0, 4096, 4096, 300, 12, 65536, 4, 12),
    );
    expect(sums.stray).toBe(-1);
    const acc = new Float64Array(sums.heap.buffer, 65536, 24);
    expect(acc[4]).toBe((299 * 300) / 2 + 300 * 4); // Σ x = Σ (r + 4)
    const writes = run(
      32768 + 4 * 8,
      20 * 8,
      (h) => h.fill(1, 1024, 1024 + 300 * 12),
      (wasm) => wasm.bn_sums(4096, 4096, 4096, 4096, 300, 12, 32768, 4, 12),
    );
    expect(writes.stray).toBe(-1);
    // x [2 groups][3 rows][7] (threes) at 4096, centre [7] (ones) at 8192 → out [2][7] at 16384: Σ (3 − 1)² = 12.
    const groups = run(
      16384,
      2 * 7 * 4,
      (h) => {
        h.fill(3, 1024, 1024 + 42);
        h.fill(1, 2048, 2048 + 7);
      },
      (wasm) => wasm.bn_group_sums(4096, 8192, 3, 7, 16384, 0, 2),
    );
    expect(groups.stray).toBe(-1);
    expect([groups.heap[4096], groups.heap[4096 + 13]]).toEqual([12, 12]);
    // u [5][7] (twos) at 4096 masked by mask [5][7] (ones) at 8192, v = u, coef [5][7] (ones) at 12288 → out at 16384.
    const apply = run(
      16384,
      5 * 7 * 4,
      (h) => {
        h.fill(2, 1024, 1024 + 35);
        h.fill(1, 2048, 2048 + 35);
        h.fill(1, 3072, 3072 + 35);
      },
      (wasm) => wasm.bn_apply(4096, 8192, 4096, 7, 12288, 1, 16384, 0, 5),
    );
    expect(apply.stray).toBe(-1);
    expect([apply.heap[4096], apply.heap[4096 + 34]]).toEqual([4, 4]); // (2·1 + 1) + ((2 − 1)·1)·1
  });

  it('F(4x4, 3x3) functions: write only their outputs', () => {
    // g [3][3][1][4] at 4096 → u [36][1][4] at 8192.
    const u = run(
      8192,
      36 * 4 * 4,
      (h) => h.fill(1, 1024, 1024 + 36),
      (wasm) => wasm.winograd4_filter(4096, 1, 4, 8192, 0, 1),
    );
    expect(u.stray).toBe(-1);
    // x [1, 5, 5, 4] at 4096 (pad 1: 2x2 tiles) → v [36][4][4] at 16384.
    const v = run(
      16384,
      36 * 4 * 4 * 4,
      (h) => h.fill(1, 1024, 1124),
      (wasm) => wasm.winograd4_input(4096, 1, 5, 5, 4, 1, 1, 2, 2, 16384, 0, 1),
    );
    expect(v.stray).toBe(-1);
    // m [36][4][4] at 8192 → y [1, 5, 5, 4] at 32768.
    const y = run(
      32768,
      5 * 5 * 4 * 4,
      (h) => h.fill(1, 2048, 2048 + 36 * 16),
      (wasm) => wasm.winograd4_output(8192, 1, 5, 5, 4, 2, 2, 32768, 0, 1),
    );
    expect(y.stray).toBe(-1);
  });

  it('direct convolution: writes only y', () => {
    // x [1, 5, 5, 3] at 4096, f [3][3][3][12] at 8192 (3x3, stride 2, pad 1) → y [1, 3, 3, 12] at 16384.
    const y = run(
      16384,
      9 * 12 * 4,
      (h) => h.fill(1, 1024, 2048 + 9 * 3 * 12),
      (wasm) => wasm.conv_direct(4096, 5, 5, 3, 8192, 3, 3, 12, 2, 2, 1, 1, 1, 1, 16384, 3, 3, 0, 3),
    );
    expect(y.stray).toBe(-1);
    expect(y.heap[4096]).toBe(12); // corner pixel: 4 taps inside x, 3 channels of 1 · 1
  });

  it('transpose: writes only dst, transposed', () => {
    for (const [rows, cols] of [
      [8, 12],
      [3, 5],
    ]) {
      const t = run(
        8192,
        rows * cols * 4,
        (h) => {
          for (let i = 0; i < rows * cols; i++) h[1024 + i] = i;
        },
        (wasm) => wasm.transpose_matrix(4096, rows, cols, 8192),
      );
      expect(t.stray).toBe(-1);
      expect(t.heap[2048 + rows]).toBe(1); // dst[1][0] = src[0][1]
      expect(t.heap[2048 + 1]).toBe(cols); // dst[0][1] = src[1][0]
    }
  });

  it('F(4x4, 3x3) filter-gradient transforms: write only their outputs', () => {
    // dy [1, 5, 5, 4] at 4096 (2x2 tiles of 4x4) → dm [36][4][4] at 16384.
    const dm = run(
      16384,
      36 * 4 * 4 * 4,
      (h) => h.fill(1, 1024, 1124),
      (wasm) => wasm.winograd4_output_gradient(4096, 1, 5, 5, 4, 2, 2, 16384, 0, 1),
    );
    expect(dm.stray).toBe(-1);
    // du [36][1][4] at 8192 → dw [3][3][1][4] at 32768.
    const dw = run(
      32768,
      9 * 4 * 4,
      (h) => h.fill(1, 2048, 2048 + 36 * 4),
      (wasm) => wasm.winograd4_filter_gradient(8192, 1, 4, 32768),
    );
    expect(dw.stray).toBe(-1);
  });
});
