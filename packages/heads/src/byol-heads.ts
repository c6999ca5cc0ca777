import { mlpHead, type MlpHead, type MlpHeadOptions } from './mlp-head';

// BYOL (Grill et al. 2020, section 3.3): projector and predictor are MLPs with
// a 4096-wide hidden layer, batch norm, ReLU, and a 256-dimensional output.
export const BYOL_HIDDEN_DIM = 4096;
export const BYOL_PROJECTION_DIM = 256;

/** BYOL's projector g: encoder features (`inputDim`, 2048 for ResNet-50) -> 256. */
export function byolProjector(inputDim: number, options: Omit<MlpHeadOptions, 'inputDim'> = {}): MlpHead {
  return mlpHead({ hiddenDim: BYOL_HIDDEN_DIM, outputDim: BYOL_PROJECTION_DIM, ...options, inputDim });
}

/** BYOL's predictor q: projection (256 by default) -> 256, same MLP shape as the projector. */
export function byolPredictor(options: Partial<MlpHeadOptions> = {}): MlpHead {
  return mlpHead({
    inputDim: BYOL_PROJECTION_DIM,
    hiddenDim: BYOL_HIDDEN_DIM,
    outputDim: BYOL_PROJECTION_DIM,
    ...options,
  });
}
