import * as tf from '@tensorflow/tfjs-core';
import type { Encoder } from '@selfsup/runtime';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * A user's `tf.LayersModel` as an `Encoder`: `apply` runs the model and average-pools
 * an image-shaped output (`[N, H, W, C]`) or flattens any other to `[N, D]`;
 * parameters are named by the layer weight names (`dense_Dense1/kernel`).
 * A clone is rebuilt from the model's config and keeps the original's names,
 * though tfjs gives its variables new (suffixed) global names.
 */
export class LayersModelEncoder implements Encoder {
  readonly outputDim: number;
  private readonly names: string[];

  constructor(
    readonly model: LayersModel,
    names?: string[],
  ) {
    this.names = names ?? model.weights.map((w) => w.name);
    const outShape = model.outputs[0].shape.slice(1);
    const dims = outShape.length === 3 ? [outShape[2]] : outShape;
    if (dims.some((d) => d == null)) {
      throw new Error(
        `fromLayersModel: the model's output shape [${model.outputs[0].shape}] has unknown feature dimensions; give the model a fixed inputShape`,
      );
    }
    this.outputDim = (dims as number[]).reduce((a, b) => a * b, 1);
  }

  apply(x: tf.Tensor4D, { training = false }: { training?: boolean } = {}): tf.Tensor2D {
    return tf.tidy(() => {
      const out = this.model.apply(x, { training });
      if (Array.isArray(out) || !(out instanceof tf.Tensor)) {
        throw new Error(
          `fromLayersModel: the model must have one tensor output, got ${Array.isArray(out) ? `${out.length} outputs` : 'a symbolic tensor'}`,
        );
      }
      if (out.rank === 4) return tf.mean(out, [1, 2]) as tf.Tensor2D;
      return tf.reshape(out, [out.shape[0], -1]) as tf.Tensor2D;
    });
  }

  parameters(): Map<string, tf.Variable> {
    return this.collect(true);
  }

  state(): Map<string, tf.Variable> {
    return this.collect(false);
  }

  clone(): LayersModelEncoder {
    // Every LayersModel subclass (Sequential, functional LayersModel) has a static fromConfig.
    const cls = this.model.constructor as unknown as {
      fromConfig(cls: unknown, config: ReturnType<LayersModel['getConfig']>): LayersModel;
    };
    const copy = cls.fromConfig(cls, this.model.getConfig());
    copy.setWeights(this.model.getWeights());
    return new LayersModelEncoder(copy, this.names);
  }

  dispose(): void {
    this.model.dispose();
  }

  private collect(trainableOnly: boolean): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    this.model.weights.forEach((w, i) => {
      if (w.trainable || !trainableOnly) out.set(this.names[i], w.read() as tf.Variable);
    });
    return out;
  }
}

/** Wrap a `tf.LayersModel` (Sequential or functional) as an `Encoder`. */
export function fromLayersModel(model: LayersModel): LayersModelEncoder {
  if (
    model == null ||
    typeof (model as LayersModel).apply !== 'function' ||
    !Array.isArray((model as LayersModel).weights)
  ) {
    throw new Error(`fromLayersModel: model must be a tf.LayersModel, got ${String(model)}`);
  }
  return new LayersModelEncoder(model);
}
