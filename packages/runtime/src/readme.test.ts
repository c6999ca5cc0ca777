import { expect, it } from 'vitest';
import { runReadmeSection } from '@selfsup/testing';

// The README's first example, run as written.
it('the README example starts a backend, writes and reads back a safetensors file', async () => {
  const printed = await runReadmeSection(new URL('../README.md', import.meta.url), '## Example', (args) =>
    args.map(String).join(' '),
  );
  expect(printed[0]).toMatch(/^backend (wasm|tensorflow|cpu) \(\d+ thread\(s\)\): auto: /);
  expect(printed[1]).toBe('2,3 demo');
});
