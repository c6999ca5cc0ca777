export { resnet18, resnet34, resnet50, ResNet } from './resnet';
export type { ResNetOptions, ResNetConfig, Stem } from './resnet';
export { CONVNET_DEFAULT_WIDTHS, convnet, ConvNet } from './convnet';
export type { ConvNetOptions } from './convnet';
export { fromLayersModel, LayersModelEncoder } from './from-layers-model';
export { BatchNorm, batchNorm, BN_EPS, BN_MOMENTUM } from './batch-norm';
export type { BatchNormOptions, BatchNormParams } from './batch-norm';
export { Conv2d } from './conv2d';
export type { Conv2dSpec } from './conv2d';
export { ResidualBlock } from './resnet-blocks';
export type { BlockKind } from './resnet-blocks';
export { kaimingNormal, kaimingUniform, constant } from './init';
// Module plumbing moved to runtime (beside the Module interface); re-exported so existing imports keep working.
export { VariableStore, uniqueScope, StoreModule } from '@selfsup/runtime';
export { checkImages, checkSeed, checkPositiveInteger } from './check-input';
export { loadState, planStateLoad } from './state-dict';
export type { LoadReport, WeightLayout } from './state-dict';
export { torchShape, toTorchLayout, fromTorchLayout } from './torchvision-layout';
export { createBackbone, BACKBONE_ARCHS } from './create-backbone';
export type { BackboneArch, BackboneOptions } from './create-backbone';
export {
  NormalizedEncoder,
  withInputNormalization,
  checkInputNormalization,
} from './input-normalization';
export type { InputNormalization } from './input-normalization';
