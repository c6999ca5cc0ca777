// Values and gradients of every loss against PyTorch float64 autograd
// (../shared/reference/losses.json), on the wasm and cpu backends.
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeWithReference, loadReference, REFERENCE_DIR, type RefTensor, maxAbsDiff } from '@selfsup/testing';
import {
  barlowTwinsTerms,
  byolLoss,
  negativeCosineSimilarity,
  ntXentLoss,
  symmetricByolLoss,
  symmetricSimSiamLoss,
  vicregTerms,
} from './index';

interface LossCase {
  name: string;
  params: Record<string, unknown>;
  inputs: Record<string, RefTensor>;
  loss: number;
  grad_wrt: string[];
  grads: Record<string, RefTensor>;
  components?: Record<string, number>;
}

type Inputs = Record<string, tf.Tensor2D>;
type Computed = { loss: tf.Scalar; components?: Record<string, tf.Scalar> };

const num = (c: LossCase, key: string) => c.params[key] as number | undefined;

// Reference case -> our call with the case's parameters, by the family its name starts with
// (the hidden holdout family reuses the names with other seeds, shapes and parameters).
const FAMILIES: [prefix: string, make: (c: LossCase) => (x: Inputs) => Computed][] = [
  ['byol_symmetric', () => (x) => ({ loss: symmetricByolLoss(x.p1, x.z2, x.p2, x.z1) })],
  ['byol', () => (x) => ({ loss: byolLoss(x.p, x.z) })],
  ['simsiam_single', () => (x) => ({ loss: negativeCosineSimilarity(x.p1, x.z2) })],
  ['simsiam_symmetric', () => (x) => ({ loss: symmetricSimSiamLoss(x.p1, x.z2, x.p2, x.z1) })],
  ['nt_xent', (c) => (x) => ({ loss: ntXentLoss(x.z1, x.z2, num(c, 'temperature')) })],
  [
    'barlow_twins',
    (c) => (x) => {
      const t = barlowTwinsTerms(x.z1, x.z2, { lambda: num(c, 'lambda'), bnEps: num(c, 'bn_eps') });
      return { loss: t.loss, components: { on_diag: t.onDiag, off_diag: t.offDiag } };
    },
  ],
  [
    'vicreg',
    (c) => (x) => {
      const t = vicregTerms(x.x, x.y, {
        sim: num(c, 'sim_coeff'),
        var: num(c, 'std_coeff'),
        cov: num(c, 'cov_coeff'),
        varEps: num(c, 'var_eps'),
      });
      return { loss: t.loss, components: { repr_loss: t.invariance, std_loss: t.variance, cov_loss: t.covariance } };
    },
  ],
];
const familyOf = (name: string) => FAMILIES.find(([prefix]) => name.startsWith(prefix));

// Read at collection time so every case becomes its own test; empty without the reference folder.
const CASES: LossCase[] = existsSync(REFERENCE_DIR) ? loadReference<{ cases: LossCase[] }>('losses.json').cases : [];

// README tolerances: loss |ours - ref| <= 1e-4 max(1, |ref|); gradients
// max|ours - ref| <= 1e-4 max(1e-3, max|ref|).
function expectLossClose(what: string, ours: number, ref: number): void {
  const tol = 1e-4 * Math.max(1, Math.abs(ref));
  expect(Math.abs(ours - ref), `${what}: ours ${ours}, reference ${ref}`).toBeLessThanOrEqual(tol);
}

function expectGradClose(what: string, ours: tf.Tensor, ref: RefTensor): void {
  expect(ours.shape, `${what} shape`).toEqual(ref.shape);
  const maxRef = Math.max(...ref.data.map(Math.abs));
  const maxErr = maxAbsDiff(ours, ref.data);
  expect(maxErr, `${what}: max abs error vs reference (max|ref| = ${maxRef})`).toBeLessThanOrEqual(
    1e-4 * Math.max(1e-3, maxRef),
  );
}

describeWithReference('losses match PyTorch (losses.json)', () => {
  it('knows every reference case', () => {
    expect(CASES.length).toBeGreaterThan(0);
    expect(CASES.filter((c) => !familyOf(c.name)).map((c) => c.name)).toEqual([]);
  });

  describe.each(['wasm', 'cpu'] as const)('on %s', (backend) => {
    beforeAll(async () => {
      await initBackend(backend);
    });

    it.each(CASES.map((c) => [c.name, c] as const))('%s: value, components and gradients', (name, c) => {
      const names = Object.keys(c.inputs);
      const inputs = Object.fromEntries(
        names.map((k) => [k, tf.tensor2d(c.inputs[k].data, c.inputs[k].shape as [number, number], 'float32')]),
      );
      const compute = familyOf(name)![1](c);
      const before = tf.memory().numTensors;

      const out = compute(inputs);
      expectLossClose(`${name} loss`, out.loss.dataSync()[0], c.loss);
      for (const [key, value] of Object.entries(c.components ?? {})) {
        expectLossClose(`${name} ${key}`, out.components![key].dataSync()[0], value);
      }
      tf.dispose(out as unknown as tf.TensorContainer);

      // Differentiate w.r.t. every input: stop-gradient inputs must get exactly zero.
      const grads = tf.grads((...xs: tf.Tensor[]) =>
        tf.tidy(() => {
          const result = compute(Object.fromEntries(names.map((k, i) => [k, xs[i] as tf.Tensor2D])));
          return result.loss;
        }),
      )(names.map((k) => inputs[k]));
      names.forEach((k, i) => {
        if (c.grad_wrt.includes(k)) expectGradClose(`${name} d/d${k}`, grads[i], c.grads[k]);
        else expect(Math.max(...Array.from(grads[i].dataSync(), Math.abs)), `${name} d/d${k} (stop-gradient)`).toBe(0);
      });
      tf.dispose(grads);
      expect(tf.memory().numTensors, 'tensors leaked').toBe(before);
      tf.dispose(Object.values(inputs));
    });
  });
});
