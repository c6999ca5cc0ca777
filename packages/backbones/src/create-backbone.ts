import type { Encoder } from '@selfsup/runtime';
import { CONVNET_DEFAULT_WIDTHS, convnet } from './convnet';
import { resnet18, resnet34, resnet50, type Stem } from './resnet';

export const BACKBONE_ARCHS = ['convnet', 'resnet18', 'resnet34', 'resnet50'] as const;
export type BackboneArch = (typeof BACKBONE_ARCHS)[number];

export interface BackboneOptions {
  arch: BackboneArch;
  /** ResNet stem (ignored by the ConvNet). */
  stem?: Stem;
  /** Scales every channel count; for the ConvNet its default widths [32, 64, 128, 256]. */
  widthMultiplier?: number;
  seed?: number;
  inputChannels?: number;
  /** ResNets: recompute activations in backprop instead of keeping them (less memory, up to ~1/3 more compute; ignored by the ConvNet). */
  recompute?: boolean;
}

/** Any backbone by name: what CLIs and configs (`--backbone resnet18 --width 0.5`) build from. */
export function createBackbone({
  arch,
  stem,
  widthMultiplier = 1,
  seed,
  inputChannels,
  recompute,
}: BackboneOptions): Encoder {
  switch (arch) {
    case 'resnet18':
      return resnet18({ stem, widthMultiplier, seed, inputChannels, recompute });
    case 'resnet34':
      return resnet34({ stem, widthMultiplier, seed, inputChannels, recompute });
    case 'resnet50':
      return resnet50({ stem, widthMultiplier, seed, inputChannels, recompute });
    case 'convnet':
      return convnet({
        widths: CONVNET_DEFAULT_WIDTHS.map((w) => Math.max(1, Math.round(w * widthMultiplier))),
        seed,
        inputChannels,
      });
    default:
      throw new Error(`createBackbone: arch must be one of ${BACKBONE_ARCHS.join(', ')}, got ${JSON.stringify(arch)}`);
  }
}
