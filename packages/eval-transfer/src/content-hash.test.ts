import { describe, expect, it } from 'vitest';
import { ContentHash } from './content-hash';

describe('ContentHash', () => {
  it('depends on every byte, the length and the order, not on alignment', () => {
    const bytes = Uint8Array.from({ length: 1001 }, (_, i) => (i * 37) % 256);
    const base = new ContentHash().update(bytes).digest();
    expect(base).toMatch(/^[0-9a-f]{16}$/);
    expect(new ContentHash().update(bytes.slice()).digest()).toBe(base);
    const unaligned = new Uint8Array(1002);
    unaligned.set(bytes, 1);
    expect(new ContentHash().update(unaligned.subarray(1)).digest()).toBe(base);
    const digests = new Set([base]);
    for (const i of [0, 500, 1000]) {
      const changed = bytes.slice();
      changed[i] ^= 1;
      digests.add(new ContentHash().update(changed).digest());
    }
    digests.add(new ContentHash().update(bytes.subarray(0, 1000)).digest());
    digests.add(new ContentHash().update(bytes.subarray(1)).update(bytes.subarray(0, 1)).digest());
    expect(digests.size).toBe(6);
  });

  it('hashes float arrays by their bit patterns and strings by UTF-8', () => {
    expect(new ContentHash().update(Float32Array.of(0)).digest()).not.toBe(
      new ContentHash().update(Float32Array.of(-0)).digest(),
    );
    expect(new ContentHash().update('é').digest()).toBe(new ContentHash().update(Uint8Array.of(0xc3, 0xa9)).digest());
  });
});
