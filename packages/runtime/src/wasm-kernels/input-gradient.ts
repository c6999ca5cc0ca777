/**
 * The input gradient of a strided convolution as forward convolutions.
 *
 * dx[i] = Σ dy[o]·w[k] over o·s + k·d − pad = i. Rows of dx with the same
 * phase r = i mod s are touched by the same subset of taps, so each phase is
 * one *unstrided* forward convolution of dy with that subset, flipped. This
 * does only the useful multiply-adds (inserting zeros between dy rows instead
 * wastes s² − 1 of every s² on stride 2) and runs on XNNPACK's fast forward
 * kernel; the phases are then interleaved into dx.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { mod, type ConvGeometry } from './conv-geometry';
import { heapF32, release, slice, type WasmBackend } from './wasm-ops';

/** One phase of one spatial axis: which taps reach it and how to convolve dy for it. */
export interface AxisPhase {
  phase: number;
  /** dx rows (or columns) in this phase. */
  count: number;
  /** Original filter taps in the order the phase filter uses them (flipped). */
  taps: number[];
  /** Dilation of the phase filter over dy. */
  dilation: number;
  /** dy rows dropped before / after (negative padding). */
  cropBefore: number;
  cropAfter: number;
  padBefore: number;
  padAfter: number;
}

/** The phases of one axis; phases no tap reaches (or with no rows) are left out, their dx rows are zero. */
export function axisPhases(
  inSize: number,
  outSize: number,
  filterSize: number,
  stride: number,
  dilation: number,
  pad: number,
): AxisPhase[] {
  const phases: AxisPhase[] = [];
  for (let r = 0; r < stride; r++) {
    const count = Math.ceil((inSize - r) / stride);
    const taps: number[] = [];
    for (let k = filterSize - 1; k >= 0; k--) if (mod(r + pad - k * dilation, stride) === 0) taps.push(k);
    if (count <= 0 || taps.length === 0) continue;
    // Tap taps[j] reads dy[q + first + j·step] for dx row q·stride + r.
    const first = (r + pad - taps[0] * dilation) / stride;
    const step = taps.length > 1 ? ((taps[0] - taps[1]) * dilation) / stride : 1;
    const before = -first;
    const after = count - outSize - before + (taps.length - 1) * step;
    const cropBefore = Math.max(0, -before);
    const cropAfter = Math.max(0, -after);
    if (outSize - cropBefore - cropAfter <= 0) continue;
    phases.push({
      phase: r,
      count,
      taps,
      dilation: step,
      cropBefore,
      cropAfter,
      padBefore: Math.max(0, before),
      padAfter: Math.max(0, after),
    });
  }
  return phases;
}

/** Convolve (already cropped) dy for one (row, column) phase; returns [N, rows.count, cols.count, C]. */
export type PhaseConvolution = (dy: TensorInfo, rows: AxisPhase, cols: AxisPhase) => TensorInfo;

/**
 * dx of shape [N, H, W, C] from per-phase convolutions of dy.
 * `convolve` owns the phase filter; this function owns cropping and interleaving.
 */
export function inputGradientByPhases(
  backend: WasmBackend,
  dy: TensorInfo,
  dxShape: [number, number, number, number],
  g: ConvGeometry,
  convolve: PhaseConvolution,
): TensorInfo {
  const [n, , , c] = dxShape;
  const rowPhases = axisPhases(g.inHeight, g.outHeight, g.filterHeight, g.strides[0], g.dilations[0], g.padTop);
  const colPhases = axisPhases(g.inWidth, g.outWidth, g.filterWidth, g.strides[1], g.dilations[1], g.padLeft);
  const parts: Array<{ rows: AxisPhase; cols: AxisPhase; out: TensorInfo }> = [];
  for (const rows of rowPhases) {
    for (const cols of colPhases) {
      const cropped = cropDy(backend, dy, rows, cols);
      parts.push({ rows, cols, out: convolve(cropped, rows, cols) });
      release(backend, [cropped], [dy]);
    }
  }
  // Unit stride: the single phase is dx itself.
  if (parts.length === 1 && parts[0].rows.count === g.inHeight && parts[0].cols.count === g.inWidth)
    return parts[0].out;

  const dx = backend.makeOutput([...dxShape], 'float32');
  const dxView = heapF32(backend, dx);
  const heap = new Float32Array(dxView.buffer);
  const dxBase = dxView.byteOffset >>> 2;
  const covered = parts.reduce((sum, p) => sum + p.rows.count * p.cols.count, 0);
  if (covered < g.inHeight * g.inWidth) dxView.fill(0);
  const [sh, sw] = g.strides;
  for (const { rows, cols, out } of parts) {
    const src = heapF32(backend, out).byteOffset >>> 2;
    for (let b = 0; b < n; b++) {
      for (let qh = 0; qh < rows.count; qh++) {
        const srcRow = src + (b * rows.count + qh) * cols.count * c;
        const dstRow = dxBase + ((b * g.inHeight + qh * sh + rows.phase) * g.inWidth + cols.phase) * c;
        for (let qw = 0; qw < cols.count; qw++) {
          const from = srcRow + qw * c;
          heap.copyWithin(dstRow + qw * sw * c, from, from + c);
        }
      }
    }
  }
  release(
    backend,
    parts.map((p) => p.out),
  );
  return dx;
}

function cropDy(backend: WasmBackend, dy: TensorInfo, rows: AxisPhase, cols: AxisPhase): TensorInfo {
  if (rows.cropBefore + rows.cropAfter + cols.cropBefore + cols.cropAfter === 0) return dy;
  const [n, h, w, c] = dy.shape;
  return slice(
    backend,
    dy,
    [0, rows.cropBefore, cols.cropBefore, 0],
    [n, h - rows.cropBefore - rows.cropAfter, w - cols.cropBefore - cols.cropAfter, c],
  );
}

/** The explicit padding of a phase convolution, in tfjs's `[[0,0],[t,b],[l,r],[0,0]]` form. */
export function phasePadding(
  rows: AxisPhase,
  cols: AxisPhase,
): [[number, number], [number, number], [number, number], [number, number]] {
  return [
    [0, 0],
    [rows.padBefore, rows.padAfter],
    [cols.padBefore, cols.padAfter],
    [0, 0],
  ];
}
