import type * as tf from '@tensorflow/tfjs-core';
import { convnet } from '@selfsup/backbones';
import { mlpHead } from '@selfsup/heads';
import type { CreateByolOptions } from './byol';

/**
 * A BYOL network small enough for unit tests: a two-stage ConvNet and narrow
 * heads (the real recipe's sizes are the defaults; tests only need the wiring).
 */
export function tinyNetworks(seed: number): Pick<CreateByolOptions, 'encoder' | 'projector' | 'predictor'> {
  const encoder = convnet({ widths: [4, 8], seed });
  return {
    encoder,
    projector: mlpHead({ inputDim: encoder.outputDim, hiddenDim: 16, outputDim: 8, seed: seed + 1 }),
    predictor: mlpHead({ inputDim: 8, hiddenDim: 16, outputDim: 8, seed: seed + 2 }),
  };
}

/** Values of every variable of a module's state, by name. */
export function snapshot(state: Map<string, tf.Variable>): Map<string, Float32Array> {
  return new Map([...state].map(([name, v]) => [name, v.dataSync().slice() as Float32Array]));
}
