import { mkdirSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { extname, join } from 'node:path';
import { IMAGE_EXTENSIONS } from '@selfsup/datasets/node';

/**
 * A train/test view of a folder that only has class folders (`<dir>/<class>/<image>`):
 * in `into`, `train/<class>/` and `test/<class>/` hold symbolic links to the images,
 * every `every`-th image of each class (in sorted order) going to test. Deterministic,
 * stratified, and nothing is copied. Returns the number of test images per class.
 */
export function holdoutFolder(dir: string, into: string, every = 5): Map<string, number> {
  const tests = new Map<string, number>();
  const classes = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  for (const cls of classes) {
    const images = readdirSync(join(dir, cls))
      .filter((f) => !f.startsWith('.') && IMAGE_EXTENSIONS.includes(extname(f).toLowerCase()))
      .filter((f) => statSync(join(dir, cls, f)).isFile())
      .sort();
    for (const split of ['train', 'test']) mkdirSync(join(into, split, cls), { recursive: true });
    images.forEach((f, i) => {
      const split = i % every === every - 1 ? 'test' : 'train';
      symlinkSync(join(dir, cls, f), join(into, split, cls, f));
    });
    tests.set(cls, Math.floor(images.length / every));
  }
  return tests;
}
