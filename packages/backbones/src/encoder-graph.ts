import type { Encoder } from '@selfsup/runtime';
import { ConvNet, poolsBeforeStage } from './convnet';
import { NormalizedEncoder } from './input-normalization';
import { ResNet } from './resnet';

/**
 * The operations an eval-mode ResNet or ConvNet is made of, for exporters to other
 * formats (ONNX, TF.js layers): each builds its own node and returns its handle.
 */
export interface GraphEmitter<T> {
  /** `(x - mean[c]) / std[c]` per channel (an encoder's input standardisation); one value per channel. */
  normalize(x: T, mean: number[], std: number[]): T;
  /** torch's Conv2d(bias=False, padding=k // 2) on the weight `<conv>.weight`, then BatchNorm `<bn>.*` in eval mode. */
  convBn(x: T, conv: string, bn: string, stride: number): T;
  relu(x: T): T;
  add(a: T, b: T): T;
  /** Max-pool with torch's padding `pad` on each side (inputs are >= 0, after a ReLU). */
  maxPool(x: T, size: number, stride: number, pad: number): T;
  /** Global average pooling to `[N, C]`. */
  globalAveragePool(x: T): T;
}

function resnet<T>(net: ResNet, e: GraphEmitter<T>, x: T): T {
  const { stem, block, layers } = net.config;
  let y = e.relu(e.convBn(x, 'conv1', 'bn1', stem === 'imagenet' ? 2 : 1));
  if (stem === 'imagenet') y = e.maxPool(y, 3, 2, 1);
  const convs = block === 'basic' ? 2 : 3;
  const strided = block === 'basic' ? 1 : 2; // ResNet v1.5: the stride is on the 3x3 conv
  const names = net.state();
  layers.forEach((count, stage) => {
    for (let i = 0; i < count; i++) {
      const stride = stage > 0 && i === 0 ? 2 : 1;
      const prefix = `layer${stage + 1}.${i}`;
      let z = y;
      for (let c = 1; c <= convs; c++) {
        z = e.convBn(z, `${prefix}.conv${c}`, `${prefix}.bn${c}`, c === strided ? stride : 1);
        if (c < convs) z = e.relu(z);
      }
      const identity = names.has(`${prefix}.downsample.0.weight`)
        ? e.convBn(y, `${prefix}.downsample.0`, `${prefix}.downsample.1`, stride)
        : y;
      y = e.relu(e.add(z, identity));
    }
  });
  return e.globalAveragePool(y);
}

function convnet<T>(net: ConvNet, e: GraphEmitter<T>, x: T, [h, w]: [number, number]): T {
  let y = x;
  net.options.widths.forEach((_, i) => {
    // ConvNet.apply's rule, so the graph depends on the size.
    if (poolsBeforeStage(i, h, w)) {
      y = e.maxPool(y, 2, 2, 0);
      [h, w] = [Math.floor(h / 2), Math.floor(w / 2)];
    }
    y = e.relu(e.convBn(y, `stages.${i}.conv`, `stages.${i}.bn`, 1));
  });
  return e.globalAveragePool(y);
}

/** Input channels of an exportable encoder; throws for any other encoder. */
export function exportableChannels(encoder: Encoder, caller: string): number {
  if (encoder instanceof NormalizedEncoder) return exportableChannels(encoder.inner, caller);
  if (encoder instanceof ResNet) return encoder.config.inputChannels;
  if (encoder instanceof ConvNet) return encoder.options.inputChannels;
  throw new Error(
    `${caller}: only the ResNet and ConvNet encoders of @selfsup/backbones can be exported, got ${encoder?.constructor?.name}`,
  );
}

/** Emit `encoder`'s eval-mode forward pass for input `x` of spatial size `[h, w]`; returns the `[N, D]` features. */
export function emitEncoder<T>(encoder: Encoder, emitter: GraphEmitter<T>, x: T, size: [number, number]): T {
  if (encoder instanceof NormalizedEncoder) {
    const channels = exportableChannels(encoder.inner, 'emitEncoder');
    const { mean, std } = encoder.inputNormalization;
    const all = (v: number[]) => (v.length === 1 ? new Array<number>(channels).fill(v[0]) : v);
    return emitEncoder(encoder.inner, emitter, emitter.normalize(x, all(mean), all(std)), size);
  }
  if (encoder instanceof ResNet) return resnet(encoder, emitter, x);
  if (encoder instanceof ConvNet) return convnet(encoder, emitter, x, size);
  throw new Error(`emitEncoder: cannot export ${encoder?.constructor?.name}`);
}

/** `imageSize` as `[h, w]`, checked. */
export function imageSides(imageSize: number | [number, number], caller: string): [number, number] {
  const [h, w] = typeof imageSize === 'number' ? [imageSize, imageSize] : (imageSize ?? []);
  if (![h, w].every((s) => Number.isInteger(s) && s > 0)) {
    throw new Error(`${caller}: options.imageSize must be a positive integer or [h, w], got ${imageSize}`);
  }
  return [h, w];
}
