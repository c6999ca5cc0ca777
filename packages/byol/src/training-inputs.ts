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

const round = (values: number[]) => values.map((v) => Number(v.toFixed(4))).join(', ');

/** True when loading failed only because the images differ in size (a resize on load is needed). */
export function isMixedSizeError(err: unknown): boolean {
  return /pass options\.size/.test((err as Error)?.message ?? '');
}

/**
 * The image size and input standardisation of a run: the flags when given; else the
 * images' own size (`data` was loaded without resizing, or at the fallback size when they
 * differ) and the per-channel mean and std of the training images.
 */
export function resolveTrainingInputs(
  config: Pick<TrainCliConfig, 'imageSize' | 'normalize' | 'inputMean' | 'inputStd'>,
  data: ImageDataset,
  { mixedSizes = false } = {},
): TrainingInputs {
  const [, h, w] = data.shape;
  let imageSize: number;
  let imageSizeFrom: string;
  if (config.imageSize !== null) [imageSize, imageSizeFrom] = [config.imageSize, '--image-size'];
  else if (!mixedSizes && h === w) [imageSize, imageSizeFrom] = [h, `the images' own size, all ${h}x${w}`];
  else
    [imageSize, imageSizeFrom] = [
      FALLBACK_IMAGE_SIZE,
      `default for images of ${mixedSizes ? 'different sizes' : `${h}x${w} (not square)`}`,
    ];
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
