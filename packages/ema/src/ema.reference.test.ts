// cosineTau and the 3-step EMA trajectory against lars.json's `ema` section, on wasm and cpu.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeWithReference, loadReference, type RefTensor } from '@selfsup/testing';
import { cosineTau } from './cosine-tau';
import { emaUpdate } from './ema-update';
import { VariableModule } from './testing/variable-module';

type Params = Record<string, RefTensor>;
interface EmaReference {
  tau_base: number;
  K: number;
  tau_table: { K: number; tau_base: number; k: number[]; tau: number[] }[];
  target_init: Params;
  steps: { k: number; tau: number; online_params_used: Params; target_params: Params; target_delta: Params }[];
}

const moduleOf = (params: Params) =>
  VariableModule.fromValues(
    Object.fromEntries(Object.entries(params).map(([n, t]) => [n, tf.tensor(t.data, t.shape)])),
  );

/** Elementwise `|ours - ref| <= rtol |ref| + atol` (the README's form). */
function worstRatio(ours: ArrayLike<number>, ref: RefTensor, rtol: number, atol: number): number {
  return Math.max(...ref.data.map((r, i) => Math.abs(ours[i] - r) / (rtol * Math.abs(r) + atol)));
}

describeWithReference('EMA matches the reference (lars.json, ema)', () => {
  let ref: EmaReference;
  beforeAll(() => {
    ref = loadReference<{ ema: EmaReference }>('lars.json').ema;
  });

  it('cosineTau reproduces every tau_table entry (atol 1e-6)', () => {
    for (const table of ref.tau_table) {
      table.k.forEach((k, i) => {
        expect(
          Math.abs(cosineTau(k, table.K, table.tau_base) - table.tau[i]),
          `K=${table.K} k=${k}`,
        ).toBeLessThanOrEqual(1e-6);
      });
    }
  });

  describe.each(['wasm', 'cpu'] as const)('on %s', (backend) => {
    beforeAll(async () => {
      await initBackend(backend);
    });

    it('3-step target trajectory: params within 1e-5|ref| + 1e-7, delta within 1e-4|ref| + 3e-7', () => {
      const target = moduleOf(ref.target_init);
      const before = tf.memory().numTensors;
      for (const step of ref.steps) {
        const tau = cosineTau(step.k, ref.K, ref.tau_base);
        expect(Math.abs(tau - step.tau)).toBeLessThanOrEqual(1e-6);
        const online = moduleOf(step.online_params_used);
        const old = new Map([...target.parameters()].map(([n, v]) => [n, v.dataSync().slice()]));
        emaUpdate(target, online, tau);
        online.dispose();
        for (const [name, variable] of target.parameters()) {
          const now = variable.dataSync();
          expect(worstRatio(now, step.target_params[name], 1e-5, 1e-7), `k=${step.k} ${name}`).toBeLessThanOrEqual(1);
          const delta = now.map((x, i) => x - old.get(name)![i]);
          expect(
            worstRatio(delta, step.target_delta[name], 1e-4, 3e-7),
            `k=${step.k} ${name} delta`,
          ).toBeLessThanOrEqual(1);
        }
      }
      expect(tf.memory().numTensors, 'emaUpdate leaked tensors').toBe(before);
      target.dispose();
    });
  });
});
