/**
 * The input of a convolution rearranged so that every filter tap reads it with
 * stride 1: split by stride phase, zero-padded, channels-first and cut into
 * chunks.
 *
 * Output row oh reads input row oh·s + k − pad for tap k. Writing k − pad as
 * s·q + r (0 ≤ r < s), that is row oh + q of phase r, the rows x[s·m + r]. So
 * each phase is laid out once as a zero-padded grid of gridHeight × gridWidth
 * cells per image, rows = outHeight + (max q − min q) (columns likewise), and a
 * tap reads its phase's grid shifted by (q − min q) rows and columns: over the
 * flattened cells, one contiguous window (the extra cells meet zeros of a
 * padded dy).
 *
 * The cells are cut into chunks of `chunkCells`, stored chunk after chunk, each
 * as [channels][rowLength]: a chunk's row holds its cells plus the `halo` cells
 * after them (copies of the next chunk's first ones), so a tap shifted by
 * `offset` ≤ halo reads, for every channel, the same `rowLength` floats from
 * `offset` on: rows `rowLength` apart, a plain [channels, rowLength] matrix
 * inside the buffer. A row's last `offset` floats run into the next channel's
 * row (or the buffer's `halo` tail); they meet dy's zero halo rows.
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
  chunkCells: number;
  chunks: number;
  /** chunkCells + halo, the largest tap offset. */
  rowLength: number;
  /** One per filter tap, row-major over (kh, kw). */
  taps: GridTap[];
  /** The phase grids, for the caller to release. */
  phases: TensorInfo[];
}

/** Phase and shift of each tap along one axis, shifts counted from the smallest. */
function axisTaps(filterSize: number, stride: number, pad: number): { phase: number[]; shift: number[]; first: number; span: number } {
  const t = Array.from({ length: filterSize }, (_, k) => k - pad);
  const q = t.map((v) => Math.floor(v / stride));
  const first = Math.min(...q);
  return { phase: t.map((v) => mod(v, stride)), shift: q.map((v) => v - first), first, span: Math.max(...q) - first };
}

/** The grid's cells per image: the output size plus the spread of the taps' shifts. */
export function gridSize(g: ConvGeometry): { gridHeight: number; gridWidth: number } {
  return {
    gridHeight: g.outHeight + axisTaps(g.filterHeight, g.strides[0], g.padTop).span,
    gridWidth: g.outWidth + axisTaps(g.filterWidth, g.strides[1], g.padLeft).span,
  };
}

/** The phase grids of x ([N, H, W, C] on the wasm heap) for the taps of `g` (dilation 1), in chunks of `chunkCells`. */
export function buildPhaseGrid(backend: WasmBackend, x: TensorInfo, g: ConvGeometry, chunkCells: number): PhaseGrid {
  const [n, h, w, c] = x.shape;
  const [sh, sw] = g.strides;
  const rows = axisTaps(g.filterHeight, sh, g.padTop);
  const cols = axisTaps(g.filterWidth, sw, g.padLeft);
  const { gridHeight, gridWidth } = gridSize(g);
  const halo = rows.span * gridWidth + cols.span;
  const rowLength = chunkCells + halo;
  const chunks = Math.ceil((n * gridHeight * gridWidth) / chunkCells);
  const chunkStride = c * rowLength;
  const floats = chunks * chunkStride + halo;

  const byPhase = new Map<number, TensorInfo>();
  const tapPhases = rows.phase.flatMap((pr) => cols.phase.map((pc) => pr * sw + pc));
  for (const key of tapPhases) if (!byPhase.has(key)) byPhase.set(key, backend.makeOutput([floats], 'float32'));

  // Views only after the last allocation: growing the wasm heap detaches them.
  const heap = new Float32Array(heapF32(backend, x).buffer);
  const xAt = heapF32(backend, x).byteOffset >>> 2;
  const writeCell = (base: number, cell: number, src: number) => {
    const chunk = Math.floor(cell / chunkCells);
    const at = cell - chunk * chunkCells;
    for (let ch = 0, dst = base + chunk * chunkStride + at; ch < c; ch++, dst += rowLength) heap[dst] = heap[src + ch];
    // The previous chunk's halo holds this cell too.
    if (at < halo && chunk > 0) {
      for (let ch = 0, dst = base + (chunk - 1) * chunkStride + chunkCells + at; ch < c; ch++, dst += rowLength) heap[dst] = heap[src + ch];
    }
  };
  for (const [key, phase] of byPhase) {
    const base = heapF32(backend, phase).byteOffset >>> 2;
    heap.fill(0, base, base + floats);
    const [pr, pc] = [Math.floor(key / sw), key % sw];
    // Grid cell (a, b) of this phase holds input (s·(a + first) + phase).
    const firstB = Math.max(0, Math.ceil((-pc) / sw) - cols.first);
    const endB = Math.min(gridWidth, Math.ceil((w - pc) / sw) - cols.first);
    for (let img = 0; img < n; img++) {
      for (let a = 0; a < gridHeight; a++) {
        const ih = sh * (a + rows.first) + pr;
        if (ih < 0 || ih >= h) continue;
        for (let b = firstB; b < endB; b++) {
          writeCell(base, (img * gridHeight + a) * gridWidth + b, xAt + ((img * h + ih) * w + sw * (b + cols.first) + pc) * c);
        }
      }
    }
  }
  const taps = rows.phase.flatMap((pr, i) =>
    cols.phase.map((pc, j) => ({ phase: byPhase.get(pr * sw + pc) as TensorInfo, offset: rows.shift[i] * gridWidth + cols.shift[j] })),
  );
  return { gridHeight, gridWidth, chunkCells, chunks, rowLength, taps, phases: [...byPhase.values()] };
}
