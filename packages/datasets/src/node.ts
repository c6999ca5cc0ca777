// Node entry (`@selfsup/datasets/node`): the file formats, loaders and downloads,
// plus everything of the browser-safe main entry.
export * from './index';
export { loadIdx, parseIdx } from './idx';
export type { IdxArray, LoadIdxOptions } from './idx';
export { loadCifar } from './cifar';
export type { CifarVariant, LoadCifarOptions } from './cifar';
export { loadImageFolder } from './image-folder';
export type { LoadImageFolderOptions } from './image-folder';
export { loadImages, IMAGE_EXTENSIONS, UNLABELLED } from './images';
export type { LoadImagesOptions, LoadedImages } from './images';
export { decodeImage } from './decode-image';
export type { DecodeOptions, DecodedImage, ResizeSpec } from './decode-image';
export { download } from './download';
export type { DownloadOptions, DownloadResult } from './download';
export { DOWNLOADS, FASHION_MNIST_CLASSES } from './catalog';
export type { DownloadName, DownloadSpec, RemoteFile } from './catalog';
export { fetchFile, sha256File } from './fetch-file';
export type { DownloadProgress, FetchFileOptions } from './fetch-file';
export { extractTarGz } from './tar';
export { extractZip } from './zip';
export { DATASET_FORMATS, detectCifarVariant, loadDataset } from './load-dataset';
export type { DatasetFormat, DatasetSpec, LoadDatasetOptions } from './load-dataset';
