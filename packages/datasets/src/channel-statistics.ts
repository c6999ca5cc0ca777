import { assertDataset, type ImageDataset } from './image-dataset';

/** Per-channel mean and standard deviation of pixel values in [0, 1]. */
export interface ChannelStatistics {
  mean: number[];
  std: number[];
}

/**
 * Mean and standard deviation of each channel over every pixel of `ds`, in [0, 1] units
 * (the statistics torchvision users pass to `Normalize`). The std is the sample std
 * (as torch's `Tensor.std`), floored at `minStd` so a constant channel cannot divide by 0.
 */
export function channelStatistics(ds: ImageDataset, { minStd = 1e-3 } = {}): ChannelStatistics {
  assertDataset(ds, 'channelStatistics');
  const c = ds.shape[3];
  const count = ds.images.length / c;
  if (!(count > 1)) throw new Error(`channelStatistics: the dataset has ${count} pixel(s); need at least 2`);
  // Byte histograms per channel: exact sums in float64 whatever the dataset size.
  const hist = new Float64Array(256 * c);
  const px = ds.images;
  for (let i = 0; i < px.length; i += c) for (let ch = 0; ch < c; ch++) hist[ch * 256 + px[i + ch]] += 1;
  const mean: number[] = [];
  const std: number[] = [];
  for (let ch = 0; ch < c; ch++) {
    let sum = 0;
    for (let v = 0; v < 256; v++) sum += hist[ch * 256 + v] * v;
    const m = sum / count;
    let sq = 0;
    for (let v = 0; v < 256; v++) sq += hist[ch * 256 + v] * (v - m) ** 2;
    mean.push(m / 255);
    std.push(Math.max(Math.sqrt(sq / (count - 1)) / 255, minStd));
  }
  return { mean, std };
}
