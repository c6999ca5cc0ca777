import { expect, it } from 'vitest';
import { runReadmeSection } from '@selfsup/testing';
import { kendall, pearson, spearman } from './index';

it('the README quick start runs as written and prints what the functions return', async () => {
  const printed = await runReadmeSection(new URL('../README.md', import.meta.url), '## Quick start');
  const x = [1.2, 2.4, 3.1, 4.8, 5.0, 6.3];
  const y = [1.0, 2.9, 2.7, 4.1, 5.5, 7.2];
  expect(printed.map((p) => JSON.parse(p))).toEqual(
    [pearson(x, y), spearman(x, y), kendall(x, y)].map((r) => JSON.parse(JSON.stringify(r))),
  );
  expect(JSON.parse(printed[2]).pMethod).toBe('exact');
});
