/**
 * Browser-safe main entry (`@selfsup/datasets`; file formats and downloads are in `@selfsup/datasets/node`): the dataset type and
 * everything that works on datasets already in memory — sampling, splits,
 * tensors, batches, episodes. No file system, no sharp.
 */
export type { ImageDataset } from './image-dataset';
export { classCounts } from './image-dataset';
export { channelStatistics } from './channel-statistics';
export { MixedImageSizesError, isMixedImageSizesError } from './mixed-image-sizes-error';
export type { ChannelStatistics } from './channel-statistics';
export { select } from './select';
export { concat } from './concat';
export { subset } from './subset';
export { split } from './split';
export { toRgb } from './to-rgb';
export { imagesToTensor, labelsToTensor } from './to-tensor';
export { batches, epochOrder } from './batches';
export type { Batch, BatchOptions } from './batches';
export { sampleEpisodes, episodes } from './episodes';
export type { Episode, EpisodeIndices, EpisodeOptions } from './episodes';
