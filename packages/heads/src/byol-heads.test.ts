import { initBackend } from '@selfsup/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { byolPredictor, byolProjector } from './byol-heads';

describe('BYOL heads', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it("have the paper's sizes by default (4096 hidden, 256 out, BatchNorm) and accept overrides", () => {
    const projector = byolProjector(2048);
    expect([projector.inputDim, projector.options.hiddenDim, projector.outputDim, projector.options.batchNorm]).toEqual(
      [2048, 4096, 256, true],
    );
    const predictor = byolPredictor();
    expect([predictor.inputDim, predictor.options.hiddenDim, predictor.outputDim]).toEqual([256, 4096, 256]);
    const small = byolPredictor({ inputDim: 32, hiddenDim: 64, outputDim: 32, seed: 4 });
    expect([small.inputDim, small.options.hiddenDim, small.outputDim, small.options.seed]).toEqual([32, 64, 32, 4]);
    expect(() => byolProjector(0)).toThrow(/options.inputDim must be a positive integer, got 0/);
    [projector, predictor, small].forEach((m) => m.dispose());
  });
});
