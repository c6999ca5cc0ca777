import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Encoder } from '@selfsup/runtime';
import { BN_EPS } from './batch-norm';
import { emitEncoder, exportableChannels, type GraphEmitter, imageSides } from './encoder-graph';

type Sym = tfl.SymbolicTensor;

/**
 * tfjs-layers nodes with copies of the encoder's weights. Padding is explicit
 * (ZeroPadding2D then 'valid'): TF's 'same' pads stride-2 layers on one side only.
 */
class LayersEmitter implements GraphEmitter<Sym> {
  constructor(private readonly state: Map<string, tf.Variable>) {}

  private weight(name: string): tf.Tensor {
    const v = this.state.get(name);
    if (!v) throw new Error(`encoderToLayersModel: the encoder has no state tensor '${name}'`);
    return v;
  }

  private pad(x: Sym, pad: number): Sym {
    return pad > 0 ? (tfl.layers.zeroPadding2d({ padding: pad }).apply(x) as Sym) : x;
  }

  convBn(x: Sym, conv: string, bn: string, stride: number): Sym {
    const kernel = this.weight(`${conv}.weight`);
    const [k, , , filters] = kernel.shape;
    const convLayer = tfl.layers.conv2d({
      name: conv,
      filters,
      kernelSize: k,
      strides: stride,
      padding: 'valid',
      useBias: false,
    });
    const y = convLayer.apply(this.pad(x, Math.floor(k / 2))) as Sym;
    convLayer.setWeights([kernel]);
    const bnLayer = tfl.layers.batchNormalization({ name: bn, epsilon: BN_EPS });
    const z = bnLayer.apply(y) as Sym;
    bnLayer.setWeights(['weight', 'bias', 'running_mean', 'running_var'].map((s) => this.weight(`${bn}.${s}`)));
    return z;
  }

  // A 1x1 depthwise conv with bias: x * (1 / std) + (-mean / std), per channel.
  normalize(x: Sym, mean: number[], std: number[]): Sym {
    const c = mean.length;
    const layer = tfl.layers.depthwiseConv2d({ name: 'input_normalization', kernelSize: 1, useBias: true });
    const y = layer.apply(x) as Sym;
    const [kernel, bias] = [
      tf.tensor4d(
        std.map((s) => 1 / s),
        [1, 1, c, 1],
      ),
      tf.tensor1d(mean.map((m, i) => -m / std[i])),
    ];
    layer.setWeights([kernel, bias]);
    tf.dispose([kernel, bias]);
    return y;
  }

  relu(x: Sym): Sym {
    return tfl.layers.reLU().apply(x) as Sym;
  }

  add(a: Sym, b: Sym): Sym {
    return tfl.layers.add().apply([a, b]) as Sym;
  }

  // Zero padding equals torch's -inf padding here: the inputs are ReLU outputs, >= 0.
  maxPool(x: Sym, size: number, stride: number, pad: number): Sym {
    return tfl.layers
      .maxPooling2d({ poolSize: size, strides: stride, padding: 'valid' })
      .apply(this.pad(x, pad)) as Sym;
  }

  globalAveragePool(x: Sym): Sym {
    return tfl.layers.globalAveragePooling2d({ name: 'features' }).apply(x) as Sym;
  }
}

/**
 * A `tf.LayersModel` that computes `encoder.apply` in eval mode for `[N, H, W, C]`
 * images in [0, 1] of the given size (a copy of the weights: dispose it when done).
 * `model.save(...)` then writes the TF.js `model.json` browsers load with `tf.loadLayersModel`.
 */
export function encoderToLayersModel(
  encoder: Encoder,
  options: { imageSize: number | [number, number] },
): tfl.LayersModel {
  const [h, w] = imageSides(options.imageSize, 'encoderToLayersModel');
  const channels = exportableChannels(encoder, 'encoderToLayersModel');
  const input = tfl.input({ shape: [h, w, channels], name: 'images' });
  const output = emitEncoder(encoder, new LayersEmitter(encoder.state()), input, [h, w]);
  return tfl.model({ inputs: input, outputs: output, name: 'encoder' });
}
