// LARS against the float64 PyTorch reference (../shared/reference/lars.json):
// both trust-ratio variants and the stress runs, on the wasm and cpu backends.
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeWithReference, loadReference, REFERENCE_DIR, type RefTensor, expectAllClose } from '@selfsup/testing';
import { LARS } from './lars';
import { larsDirection } from './lars-direction';

type Params = Record<string, RefTensor>;
interface LarsStep {
  lr: number;
  trust_ratio: Record<string, number>;
  update_direction: Params;
  momentum_buffer: Params;
  params: Params;
  delta: Params;
}
interface LarsRun {
  name: string;
  variant: 'byol' | 'solo_learn';
  hyper: { momentum: number; weight_decay: number; eta: number; eps: number | null; lr_per_step: number[] };
  steps: LarsStep[];
}
interface LarsReference {
  params_init: Params;
  grads: Params[];
  runs: LarsRun[];
}

// Read at collection time so every run becomes its own test; empty without the reference folder.
const REF: LarsReference | undefined = existsSync(REFERENCE_DIR)
  ? loadReference<LarsReference>('lars.json')
  : undefined;
const RUNS = (REF?.runs ?? []).map((r) => r.name);

const toTensor = (t: RefTensor) => tf.tensor(t.data, t.shape, 'float32');
const optionsOf = (run: LarsRun) => ({
  momentum: run.hyper.momentum,
  weightDecay: run.hyper.weight_decay,
  eta: run.hyper.eta,
  trustRatio: run.variant === 'byol' ? ('byol' as const) : ('solo-learn' as const),
  eps: run.hyper.eps ?? undefined,
});

describeWithReference('LARS matches the reference (lars.json)', () => {
  const ref = REF!;

  it('has runs of both trust-ratio variants', () => {
    expect(new Set(ref.runs.map((r) => r.variant))).toEqual(new Set(['byol', 'solo_learn']));
  });

  describe.each(['wasm', 'cpu'] as const)('on %s', (backend) => {
    beforeAll(async () => {
      await initBackend(backend);
    });

    it.each(RUNS)('%s: 3 steps of params, delta, momentum buffer and lr', async (runName) => {
      const run = ref.runs.find((r) => r.name === runName)!;
      const names = Object.keys(ref.params_init);
      const prefix = `${backend}/${runName}/`;
      const variables = names.map((n) => tf.variable(toTensor(ref.params_init[n]), true, prefix + n));
      const lars = new LARS({ ...optionsOf(run), learningRate: (step) => run.hyper.lr_per_step[step] });
      const before = tf.memory().numTensors;

      for (const [t, expected] of run.steps.entries()) {
        const old = variables.map((v) => v.dataSync().slice());
        const grads = Object.fromEntries(names.map((n) => [prefix + n, toTensor(ref.grads[t][n])]));
        lars.applyGradients(grads);
        tf.dispose(Object.values(grads));
        expect(lars.lr).toBe(expected.lr);

        const weights = await lars.getWeights();
        const momentum = new Map(weights.map((w) => [w.name, w.tensor]));
        names.forEach((n, i) => {
          const now = variables[i].dataSync();
          expectAllClose(`step ${t} ${n} params`, now, expected.params[n].data, { rtol: 1e-5, atol: 1e-7 });
          expectAllClose(
            `step ${t} ${n} delta`,
            now.map((x, j) => x - old[i][j]),
            expected.delta[n].data,
            { rtol: 1e-4, atol: 3e-7 },
          );
          const buffer = momentum.get(`${prefix}${n}/momentum`)!.dataSync();
          expectAllClose(`step ${t} ${n} momentum`, buffer, expected.momentum_buffer[n].data, {
            rtol: 1e-4,
            atol: 1e-9,
          });
        });
        weights[0].tensor.dispose(); // the iteration counter is a fresh tensor; the buffers are live state
      }
      // The first step creates one momentum buffer per variable; nothing else may stay behind.
      expect(tf.memory().numTensors).toBe(before + names.length);
      lars.dispose();
      tf.dispose(variables);
    });

    it.each(RUNS)('%s: trust ratio and update direction of the adapted weight', (runName) => {
      const run = ref.runs.find((r) => r.name === runName)!;
      run.steps.forEach((expected, t) => {
        const previous = t === 0 ? ref.params_init.weight : run.steps[t - 1].params.weight;
        const [param, grad] = [toTensor(previous), toTensor(ref.grads[t].weight)];
        const { direction, trustRatio } = larsDirection(param, grad, {
          variant: optionsOf(run).trustRatio,
          weightDecay: run.hyper.weight_decay,
          eta: run.hyper.eta,
          eps: run.hyper.eps ?? 0,
        });
        const q = trustRatio.dataSync()[0];
        expect(Math.abs(q - expected.trust_ratio.weight), `step ${t} trust ratio ${q}`).toBeLessThanOrEqual(
          1e-4 * expected.trust_ratio.weight,
        );
        expectAllClose(`step ${t} update direction`, direction.dataSync(), expected.update_direction.weight.data, {
          rtol: 1e-4,
          atol: 1e-9,
        });
        tf.dispose([param, grad, direction, trustRatio]);
      });
    });
  });
});
