import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Files directly in `dir`, or below it with `recursive` (as torchvision walks a class
 * folder), sorted by code point, dotfiles and dot-folders skipped.
 */
export async function filesBelow(dir: string, recursive = true): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
  entries.sort((a, b) => byCodePoint(a.name, b.name));
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory() ? (recursive ? filesBelow(join(dir, e.name), true) : []) : [join(dir, e.name)],
    ),
  );
  return nested.flat();
}
