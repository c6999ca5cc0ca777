import type { InputNormalization } from '@selfsup/backbones';
import { channelStatistics, type ImageDataset } from '@selfsup/datasets';
import { FALLBACK_IMAGE_SIZE, type TrainCliConfig } from './cli-args';

/** What the CLI decided about its inputs, and why (printed, and stored in config.json). */
export interface TrainingInputs {
  imageSize: number;
  /** Where the size comes from, e.g. `the images' own size`. */
  imageSizeFrom: string;
  /** null: the encoder takes [0, 1] images as they are. */
  inputNormalization: InputNormalization | null;
  inputNormalizationFrom: string;
}

/** The largest side the CLI trains at without --image-size (the `small` recipe's range). */
export const NATIVE_SIZE_LIMIT = 64;

const round = (values: number[]) => values.map((v) => Number(v.toFixed(4))).join(', ');

/**
 * Why a folder whose first image is `[h, w]` is not loaded at its own size, or undefined:
 * large or non-square images are resized on load (training at photo size on a CPU is not
 * what a default should do, and decoding them whole would cost their full memory).
 */
export function nativeSizeProblem([h, w]: [number, number]): string | undefined {
  if (h !== w) return `images of ${h}x${w} (not square)`;
  if (h > NATIVE_SIZE_LIMIT) return `images larger than ${NATIVE_SIZE_LIMIT} px (${h}x${w})`;
  return undefined;
}

/**
 * The image size and input standardisation of a run: the flags when given; else the
 * images' own size (`data` was loaded without resizing, or at the fallback size when they
 * differ) and the per-channel mean and std of the training images.
 */
export function resolveTrainingInputs(
  config: Pick<TrainCliConfig, 'imageSize' | 'normalize' | 'inputMean' | 'inputStd'>,
  data: ImageDataset,
  /** Why `data` was loaded at the fallback size instead of its own (undefined: it was not). */
  { fallbackReason }: { fallbackReason?: string } = {},
): TrainingInputs {
  const [, h, w] = data.shape;
  let imageSize: number;
  let imageSizeFrom: string;
  if (config.imageSize !== null) [imageSize, imageSizeFrom] = [config.imageSize, '--image-size'];
  else if (fallbackReason) [imageSize, imageSizeFrom] = [FALLBACK_IMAGE_SIZE, `default for ${fallbackReason}`];
  else [imageSize, imageSizeFrom] = [h, `the images' own size, all ${h}x${w}`];
  if (config.inputMean && config.inputStd) {
    return {
      imageSize,
      imageSizeFrom,
      inputNormalization: { mean: config.inputMean, std: config.inputStd },
      inputNormalizationFrom: '--input-mean / --input-std',
    };
  }
  if (config.normalize === 'none')
    return { imageSize, imageSizeFrom, inputNormalization: null, inputNormalizationFrom: '--normalize none' };
  return {
    imageSize,
    imageSizeFrom,
    inputNormalization: channelStatistics(data),
    inputNormalizationFrom: `the ${data.shape[0]} training images`,
  };
}

/** One progress line: `inputs: 28x28 (the images' own size), standardised with mean [...] std [...] of ...`. */
export function describeTrainingInputs(inputs: TrainingInputs): string {
  const norm = inputs.inputNormalization
    ? `standardised per channel with mean [${round(inputs.inputNormalization.mean)}], std [${round(inputs.inputNormalization.std)}] (${inputs.inputNormalizationFrom})`
    : `not standardised (${inputs.inputNormalizationFrom})`;
  return `inputs: ${inputs.imageSize}x${inputs.imageSize} px (${inputs.imageSizeFrom}), ${norm}`;
}
