import * as tf from '@tensorflow/tfjs-core';
import {
  checkPositiveInteger,
  checkSeed,
  createRng,
  type Encoder,
  recompute,
  StoreModule,
  VariableStore,
} from '@selfsup/runtime';
import { BatchNorm } from './batch-norm';
import { checkImages } from './check-input';
import { Conv2d } from './conv2d';
import { EXPANSION, ResidualBlock, type BlockKind } from './resnet-blocks';

export type Stem = 'imagenet' | 'cifar';

export interface ResNetOptions {
  /** `imagenet`: 7x7 stride-2 conv + 3x3 stride-2 max-pool; `cifar`: one 3x3 stride-1 conv, no pool (for 32x32 images). */
  stem?: Stem;
  /** Scales every channel count (64, 128, 256, 512 at 1), rounded, at least 1. */
  widthMultiplier?: number;
  /** Seed of the initial weights: the same seed gives the same weights on every backend. */
  seed?: number;
  inputChannels?: number;
  /**
   * Keep only the input of the stem and of each residual block for backprop and
   * recompute the rest inside it (activation recomputation): a ResNet-50 step at
   * 224 px then fits batch 32 in wasm's 4 GiB heap (2.4 GiB; without: batch 12), for
   * one more forward pass (up to ~1/3 more compute per step). Same results as without.
   * Default false.
   */
  recompute?: boolean;
}

export interface ResNetConfig extends Required<ResNetOptions> {
  /** Used in the tfjs variable prefix and in errors, e.g. `resnet18`. */
  name: string;
  block: BlockKind;
  /** Blocks per stage (`layer1` .. `layer4`), e.g. [2, 2, 2, 2] for ResNet-18. */
  layers: [number, number, number, number];
}

/**
 * A torchvision-style ResNet up to global average pooling (no `fc`), on plain
 * tfjs-core ops. Names and `state()` order equal torchvision's `state_dict()`
 * without `fc.*` and `num_batches_tracked`.
 */
export class ResNet extends StoreModule implements Encoder {
  readonly outputDim: number;
  readonly config: Readonly<ResNetConfig>;
  private readonly conv1: Conv2d;
  private readonly bn1: BatchNorm;
  private readonly blocks: ResidualBlock[] = [];
  /** The variables each recomputed part reads: the stem's, then each block's. */
  private readonly partVariables: tf.Variable[][] = [];

  constructor(config: ResNetConfig, store?: VariableStore) {
    super(store ?? new VariableStore(config.name));
    this.config = Object.freeze({ ...config, layers: [...config.layers] as ResNetConfig['layers'] });
    const rng = createRng(config.seed);
    const widths = [64, 128, 256, 512].map((c) => scaledWidth(c, config.widthMultiplier));
    const stemSpec =
      config.stem === 'imagenet'
        ? { inChannels: config.inputChannels, outChannels: widths[0], kernel: 7, stride: 2 }
        : { inChannels: config.inputChannels, outChannels: widths[0], kernel: 3, stride: 1 };
    this.conv1 = new Conv2d(this.store, 'conv1', stemSpec, rng);
    this.bn1 = new BatchNorm(this.store, 'bn1', widths[0]);
    let channels = widths[0];
    const blockPrefixes: string[] = [];
    config.layers.forEach((count, stage) => {
      for (let i = 0; i < count; i++) {
        const stride = stage > 0 && i === 0 ? 2 : 1;
        const prefix = `layer${stage + 1}.${i}`;
        this.blocks.push(new ResidualBlock(this.store, prefix, config.block, channels, widths[stage], stride, rng));
        blockPrefixes.push(`${prefix}.`);
        channels = widths[stage] * EXPANSION[config.block];
      }
    });
    this.outputDim = channels;
    const parameters = [...this.store.parameters()];
    const under = (...prefixes: string[]) =>
      parameters.filter(([name]) => prefixes.some((p) => name.startsWith(p))).map(([, v]) => v);
    this.partVariables = [under('conv1.', 'bn1.'), ...blockPrefixes.map((p) => under(p))];
  }

  apply(x: tf.Tensor4D, { training = false }: { training?: boolean } = {}): tf.Tensor2D {
    checkImages(`${this.config.name}.apply`, x, this.config.inputChannels);
    return tf.tidy(() => {
      // Block outputs are never the differentiated value (the mean follows): their gradients can go early.
      const part = (f: (z: tf.Tensor4D) => tf.Tensor4D, z: tf.Tensor4D, i: number) =>
        this.config.recompute ? recompute(f, z, this.partVariables[i], { releaseOutputGradient: true }) : f(z);
      let y = part((z) => this.stem(z, training), x, 0);
      this.blocks.forEach((block, i) => {
        y = part((z) => block.apply(z, training), y, i + 1);
      });
      return tf.mean(y, [1, 2]) as tf.Tensor2D;
    });
  }

  private stem(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    return tf.tidy(() => {
      const y = this.bn1.apply(this.conv1.apply(x), { training, relu: true });
      // torch pads max-pool with -inf, so padding 1 never wins the max; tfjs does the same.
      return this.config.stem === 'imagenet' ? tf.maxPool(y, 3, 2, 1) : y;
    });
  }

  clone(): ResNet {
    return new ResNet(this.config, this.store.copy(this.config.name));
  }
}

function scaledWidth(channels: number, multiplier: number): number {
  return Math.max(1, Math.round(channels * multiplier));
}

function resolve(name: string, block: BlockKind, layers: ResNetConfig['layers'], options: ResNetOptions): ResNetConfig {
  const { stem = 'imagenet', widthMultiplier = 1, seed = 0, inputChannels = 3, recompute = false } = options ?? {};
  if (stem !== 'imagenet' && stem !== 'cifar') {
    throw new Error(`${name}: options.stem must be 'imagenet' or 'cifar', got ${JSON.stringify(stem)}`);
  }
  if (typeof widthMultiplier !== 'number' || !(widthMultiplier > 0) || !Number.isFinite(widthMultiplier)) {
    throw new Error(`${name}: options.widthMultiplier must be a positive number, got ${String(widthMultiplier)}`);
  }
  checkSeed(name, seed);
  checkPositiveInteger(name, 'options.inputChannels', inputChannels);
  if (typeof recompute !== 'boolean') {
    throw new Error(`${name}: options.recompute must be true or false, got ${JSON.stringify(recompute)}`);
  }
  return { name, block, layers, stem, widthMultiplier, seed, inputChannels, recompute };
}

/** ResNet-18 (BasicBlock, [2, 2, 2, 2]); 512 features at width 1. */
export function resnet18(options: ResNetOptions = {}): ResNet {
  return new ResNet(resolve('resnet18', 'basic', [2, 2, 2, 2], options));
}

/** ResNet-34 (BasicBlock, [3, 4, 6, 3]); 512 features at width 1. */
export function resnet34(options: ResNetOptions = {}): ResNet {
  return new ResNet(resolve('resnet34', 'basic', [3, 4, 6, 3], options));
}

/** ResNet-50 (Bottleneck v1.5, [3, 4, 6, 3]); 2048 features at width 1. */
export function resnet50(options: ResNetOptions = {}): ResNet {
  return new ResNet(resolve('resnet50', 'bottleneck', [3, 4, 6, 3], options));
}
