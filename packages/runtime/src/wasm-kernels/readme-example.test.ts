import { expect, it } from 'vitest';
import { describeReadmeExample } from '@selfsup/testing';

describeReadmeExample(
  new URL('../../README.md', import.meta.url),
  new URL('./readme-example.ts', import.meta.url),
  (log) => {
    it('runs one SGD step of a strided conv on 2 wasm threads and lowers the loss', async () => {
      await import('./readme-example');
      const [label, threads, , before, , after] = log.mock.calls[0];
      expect([label, threads]).toEqual(['threads', 2]);
      expect(after).toBeLessThan(before as number);
    });
  },
);
