import { initBackend } from '@selfsup/runtime';
import { it } from 'vitest';
import { describeWithReference } from '@selfsup/testing';
import { expectCloseToReference, runByolStepReference } from './byol-step-reference';

describeWithReference('three BYOL steps against PyTorch (byol_step reference) on wasm, two threads', () => {
  it('losses, online and target weights and BN statistics', { timeout: 900_000 }, async () => {
    await initBackend('wasm', { wasmThreads: 2 });
    expectCloseToReference(await runByolStepReference(), 'wasm, two threads');
  });
});
