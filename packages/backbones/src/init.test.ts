import { createRng } from '@selfsup/runtime';
import { describe, expect, it } from 'vitest';
import { kaimingNormal, kaimingUniform } from './init';

describe('init', () => {
  it('kaimingNormal has std gain/sqrt(fan); kaimingUniform with a = sqrt(5) spans ±1/sqrt(fan) (torch nn.Linear)', () => {
    const normal = kaimingNormal(createRng(1), 200_000, 50);
    const std = Math.sqrt(normal.reduce((s, v) => s + v * v, 0) / normal.length);
    expect(std / Math.sqrt(2 / 50)).toBeCloseTo(1, 2);
    const uniform = kaimingUniform(createRng(2), 200_000, 25);
    const max = uniform.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(max).toBeLessThanOrEqual(0.2);
    expect(max).toBeGreaterThan(0.1999);
    expect(kaimingNormal(createRng(3), 5, 7)).toEqual(kaimingNormal(createRng(3), 5, 7));
    expect(() => kaimingNormal(createRng(3), 5, 0)).toThrow(/kaimingNormal: fan must be a positive integer, got 0/);
  });
});
