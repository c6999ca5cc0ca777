import { expect, it } from 'vitest';
import { runScript } from '../shared/run-script';

it('BYOL with crop + flip only and a fixed target (tau 1) trains on the bundled data', () => {
  // STEPS rounds to whole epochs for BYOL's trainer: at batch 128, one epoch of the 1,000 bundled images (7 steps).
  const { out, losses } = runScript(
    'augmentation-robustness/byol.mjs',
    ['--augment', 'crop-flip', '--base-tau', '1', '--batch-size', '128'],
    {
      STEPS: '2',
    },
  );
  expect(losses.length).toBeGreaterThanOrEqual(2);
  losses.forEach(([, loss]) => expect(loss).toBeGreaterThan(0));
  expect(out).toMatch(/byol-fixed-target: completed, \d+ steps/);
});
