import type { Interpolation } from './types';

// Keys' cubic convolution with A = -0.75, PyTorch's `upsample_bicubic2d` constant
// (PIL and OpenCV differ: -0.5); weights for the taps at floor(src) - 1 .. + 2.
const A = -0.75;
const nearTap = (x: number) => ((A + 2) * x - (A + 3)) * x * x + 1;
const farTap = (x: number) => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;

/** A window `[start, start + length)` of an axis of `inSize` pixels, resampled to `outSize`. */
export interface AxisWindow {
  start: number;
  length: number;
}

/**
 * Write the `[outSize, inSize]` resampling matrix of one axis into `dst` at
 * `offset`: row i holds the weights that `F.interpolate(mode, align_corners=False,
 * antialias=False)` gives input pixels for output pixel i, after cropping to the window.
 * Half-pixel centres: `src = (i + 0.5) * length / outSize - 0.5`; taps outside the
 * window are replicated from its edge, as PyTorch clamps indices to the crop.
 */
export function fillInterpolationMatrix(
  dst: Float32Array,
  offset: number,
  inSize: number,
  { start, length }: AxisWindow,
  outSize: number,
  interpolation: Interpolation,
): void {
  const scale = length / outSize;
  const last = length - 1;
  for (let i = 0; i < outSize; i++) {
    const row = offset + i * inSize + start;
    const src = (i + 0.5) * scale - 0.5;
    if (interpolation === 'bilinear') {
      // Bilinear clamps a negative source position to 0 (the bicubic path does not).
      const pos = Math.max(src, 0);
      const i0 = Math.min(Math.floor(pos), last);
      const i1 = i0 < last ? i0 + 1 : i0;
      const frac = pos - i0;
      dst[row + i0] += 1 - frac;
      dst[row + i1] += frac;
    } else {
      const i0 = Math.floor(src);
      const t = src - i0;
      const weights = [farTap(t + 1), nearTap(t), nearTap(1 - t), farTap(2 - t)];
      for (let k = 0; k < 4; k++) {
        const tap = Math.min(Math.max(i0 - 1 + k, 0), last);
        dst[row + tap] += weights[k];
      }
    }
  }
}
