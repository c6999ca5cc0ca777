import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { decodeImage, IMAGE_EXTENSIONS } from '@selfsup/datasets/node';

/**
 * `[height, width]` of the first image file under `dir` in sorted order (depth first), or
 * undefined when there is none: a cheap look before loading a folder at its own size.
 */
export async function firstImageSize(dir: string): Promise<[number, number] | undefined> {
  const entries = (await readdir(dir, { withFileTypes: true }).catch(() => [])).filter((e) => !e.name.startsWith('.'));
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      const found = await firstImageSize(path);
      if (found) return found;
    } else if (IMAGE_EXTENSIONS.includes(extname(e.name).toLowerCase())) {
      const image = await decodeImage(path, { channels: 3 }).catch(() => undefined);
      if (image) return [image.height, image.width];
    }
  }
  return undefined;
}
