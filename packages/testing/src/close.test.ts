import { describe, expect, it } from 'vitest';
import { expectAllClose, maxAbsDiff } from './close';
import { loadReference, type RefTensor, describeWithReference } from './test-data';

describe('expectAllClose / maxAbsDiff', () => {
  it('accept within atol + rtol·|expected|, reject beyond, naming the worst element', () => {
    expectAllClose('ok', [1, 2.0005, -3], [1, 2, -3], { atol: 1e-6, rtol: 3e-4 });
    expect(() => expectAllClose('off', [1, 2.01, -3], [1, 2, -3], { atol: 1e-6, rtol: 3e-4 })).toThrow(
      /off: worst .* at \[1\]: 2.01 vs 2/,
    );
    expect(() => expectAllClose('nan', [Number.NaN], [0], { atol: 1 })).toThrow(/at \[0\]: NaN vs 0/);
    expect(maxAbsDiff(Float32Array.of(1, 5), { dataSync: () => [1.5, 4] })).toBe(1);
  });
});

// On a real reference file: a tensor matches itself, and a perturbed copy is caught.
describeWithReference('expectAllClose on ../shared/reference values', () => {
  it('compares the LARS reference with itself and catches a 1e-3 change', () => {
    const runs = loadReference<{ runs: { steps: { params: Record<string, RefTensor> }[] }[] }>('lars.json').runs;
    const first = Object.values(runs[0].steps[0].params)[0];
    expectAllClose('same', first.data, first.data, { atol: 0 });
    const moved = first.data.map((v, i) => (i === 0 ? v + 1e-3 : v));
    expect(() => expectAllClose('moved', moved, first.data, { atol: 1e-6, rtol: 1e-6 })).toThrow(/at \[0\]/);
  });
});
