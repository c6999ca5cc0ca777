/**
 * The input of a convolution rearranged so that every filter tap reads it with
 * stride 1: split by stride phase, zero-padded and channels-first.
 *
 * Output row oh reads input row oh·s + k − pad for tap k. Writing k − pad as
 * s·q + r (0 ≤ r < s), that is row oh + q of phase r, the rows x[s·m + r]. So
 * each phase is stored once as a zero-padded grid, [channels][batch · rows ·
 * cols], with rows = outHeight + (max q − min q) (columns likewise), and
 * a tap reads its phase's grid shifted by (q − min q) rows and columns: per
 * image and output row a run of outWidth values.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { mod, type ConvGeometry } from './conv-geometry';
import { heapF32, type WasmBackend } from './wasm-ops';

export interface GridTap {
  /** The phase grid the tap reads. */
  phase: TensorInfo;
  /** The tap's shift in grid cells: row shift · gridWidth + column shift. */
  offset: number;
}

export interface PhaseGrid {
  gridHeight: number;
  gridWidth: number;
  /** Floats from one channel to the next in a phase grid. */
  channelStride: number;
  /** One per filter tap, row-major over (kh, kw). */
  taps: GridTap[];
  /** The phase grids, for the caller to release. */
  phases: TensorInfo[];
}

/** Phase and shift of each tap along one axis, shifts counted from the smallest. */
function axisTaps(
  filterSize: number,
  stride: number,
  pad: number,
): { phase: number[]; shift: number[]; first: number; span: number } {
  const t = Array.from({ length: filterSize }, (_, k) => k - pad);
  const q = t.map((v) => Math.floor(v / stride));
  const first = Math.min(...q);
  return { phase: t.map((v) => mod(v, stride)), shift: q.map((v) => v - first), first, span: Math.max(...q) - first };
}

/** The phase grids of x ([N, H, W, C] on the wasm heap) for the taps of `g` (dilation 1). */
export function buildPhaseGrid(backend: WasmBackend, x: TensorInfo, g: ConvGeometry): PhaseGrid {
  const [n, h, w, c] = x.shape;
  const [sh, sw] = g.strides;
  const rows = axisTaps(g.filterHeight, sh, g.padTop);
  const cols = axisTaps(g.filterWidth, sw, g.padLeft);
  // Per image: the output size plus the spread of the taps' shifts.
  const gridHeight = g.outHeight + rows.span;
  const gridWidth = g.outWidth + cols.span;
  const channelStride = n * gridHeight * gridWidth;

  const byPhase = new Map<number, TensorInfo>();
  const tapPhases = rows.phase.flatMap((pr) => cols.phase.map((pc) => pr * sw + pc));
  for (const key of tapPhases)
    if (!byPhase.has(key)) byPhase.set(key, backend.makeOutput([c, channelStride], 'float32'));

  // Views only after the last allocation: growing the wasm heap detaches them.
  const heap = new Float32Array(heapF32(backend, x).buffer);
  const xAt = heapF32(backend, x).byteOffset >>> 2;
  for (const [key, phase] of byPhase) {
    const base = heapF32(backend, phase).byteOffset >>> 2;
    heap.fill(0, base, base + c * channelStride);
    const [pr, pc] = [Math.floor(key / sw), key % sw];
    // Grid cell (a, b) of this phase holds input (s·(a + first) + phase).
    const firstB = Math.max(0, Math.ceil(-pc / sw) - cols.first);
    const endB = Math.min(gridWidth, Math.ceil((w - pc) / sw) - cols.first);
    for (let img = 0; img < n; img++) {
      for (let a = 0; a < gridHeight; a++) {
        const ih = sh * (a + rows.first) + pr;
        if (ih < 0 || ih >= h) continue;
        for (let b = firstB; b < endB; b++) {
          const src = xAt + ((img * h + ih) * w + sw * (b + cols.first) + pc) * c;
          let dst = base + (img * gridHeight + a) * gridWidth + b;
          for (let ch = 0; ch < c; ch++, dst += channelStride) heap[dst] = heap[src + ch];
        }
      }
    }
  }
  const taps = rows.phase.flatMap((pr, i) =>
    cols.phase.map((pc, j) => ({
      phase: byPhase.get(pr * sw + pc) as TensorInfo,
      offset: rows.shift[i] * gridWidth + cols.shift[j],
    })),
  );
  return { gridHeight, gridWidth, channelStride, taps, phases: [...byPhase.values()] };
}
