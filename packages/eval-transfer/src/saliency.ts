import { checkNumber, type Encoder } from '@selfsup/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { type ExternalEncoder, isExternalEncoder } from './external-encoder';

/**
 * Gradient saliency (Simonyan et al., ICLR 2014 workshop, "Deep Inside Convolutional Networks"),
 * label-free: |∂ ½‖f(x)‖² / ∂x| maxed over colour channels, per image `[N, H, W]`: which pixels
 * move the frozen features most. The encoder runs in eval mode; the caller disposes the maps.
 */
export function saliencyMaps(encoder: Encoder | ExternalEncoder, images: tf.Tensor4D): tf.Tensor3D {
  if (isExternalEncoder(encoder))
    throw new Error(
      'saliencyMaps: encoder is an external (ONNX) model; saliency needs gradients through a tfjs encoder',
    );
  if (!(images instanceof tf.Tensor) || images.rank !== 4)
    throw new Error(`saliencyMaps: images must be a 4-D tensor [N, H, W, C], got ${images}`);
  return tf.tidy(() => {
    const energy = (x: tf.Tensor) =>
      tf.mul(tf.sum(tf.square(encoder.apply(x as tf.Tensor4D, { training: false }))), 0.5);
    const grad = tf.grad(energy)(images);
    return tf.max(tf.abs(grad), 3) as tf.Tensor3D;
  });
}

/** Indices of the k largest values of `values[from, from + size)`, ties to the lower index. */
function topK(values: ArrayLike<number>, from: number, size: number, k: number): Set<number> {
  const idx = Array.from({ length: size }, (_, i) => i);
  idx.sort((p, q) => values[from + q] - values[from + p] || p - q);
  return new Set(idx.slice(0, k));
}

/**
 * Overlap of two sets of saliency maps `[N, H, W]` (or `[N, H·W]` flat with `shape`): per image the
 * intersection over union of their top `topFraction` pixels (k = round(fraction · H·W), at least 1),
 * and the mean over images. 1 when both mark the same pixels; about `fraction / (2 − fraction)` by chance.
 */
export function saliencyOverlap(
  a: tf.Tensor3D | { data: ArrayLike<number>; shape: number[] },
  b: tf.Tensor3D | { data: ArrayLike<number>; shape: number[] },
  options: { topFraction?: number } = {},
): { iou: number; perImage: number[] } {
  const fn = 'saliencyOverlap';
  const fraction = checkNumber(fn, 'options.topFraction', options.topFraction ?? 0.1, {
    min: 0,
    max: 1,
    minExclusive: true,
  });
  const read = (m: typeof a, name: string) => {
    const v = m instanceof tf.Tensor ? { data: m.dataSync(), shape: m.shape } : m;
    if (
      !v?.data ||
      !Array.isArray(v.shape) ||
      v.shape.length !== 3 ||
      v.data.length !== v.shape[0] * v.shape[1] * v.shape[2]
    )
      throw new Error(`${fn}: ${name} must be saliency maps [N, H, W] (a tensor or { data, shape })`);
    return v;
  };
  const sa = read(a, 'a');
  const sb = read(b, 'b');
  if (sa.shape.join() !== sb.shape.join())
    throw new Error(`${fn}: a has shape [${sa.shape}] and b [${sb.shape}]; they must match`);
  const [n, h, w] = sa.shape;
  const size = h * w;
  const k = Math.max(1, Math.round(fraction * size));
  const perImage = Array.from({ length: n }, (_, i) => {
    const ta = topK(sa.data, i * size, size, k);
    const tb = topK(sb.data, i * size, size, k);
    let inter = 0;
    for (const p of ta) if (tb.has(p)) inter++;
    return inter / (2 * k - inter);
  });
  return { iou: perImage.reduce((s, v) => s + v, 0) / Math.max(1, n), perImage };
}

/**
 * How concentrated saliency maps `[N, H, W]` are: per image the share of the total saliency in its
 * top `topFraction` pixels, averaged over images (`topFraction` for a uniform map, 1 when a few
 * pixels hold it all).
 */
export function saliencyConcentration(maps: tf.Tensor3D, options: { topFraction?: number } = {}): number {
  const fn = 'saliencyConcentration';
  const fraction = checkNumber(fn, 'options.topFraction', options.topFraction ?? 0.1, {
    min: 0,
    max: 1,
    minExclusive: true,
  });
  if (!(maps instanceof tf.Tensor) || maps.rank !== 3)
    throw new Error(`${fn}: maps must be a 3-D tensor [N, H, W], got ${maps}`);
  const [n, h, w] = maps.shape;
  const data = maps.dataSync();
  const size = h * w;
  const k = Math.max(1, Math.round(fraction * size));
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const row = Array.from(data.subarray(i * size, (i + 1) * size)).sort((a, b) => b - a);
    const total = row.reduce((s, v) => s + v, 0);
    sum += total > 0 ? row.slice(0, k).reduce((s, v) => s + v, 0) / total : fraction;
  }
  return sum / Math.max(1, n);
}
