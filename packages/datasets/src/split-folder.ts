import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function subFolders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort(byCodePoint);
}

/**
 * The folder of a split of a folder dataset: `<path>/<split>`, or `path` itself
 * when no split is named. A named split that does not exist is an error listing
 * the ones that do: a typo must not silently load the parent folder.
 */
export function splitFolder(fn: string, path: string, split: string | undefined): string {
  if (split === undefined) return path;
  const dir = join(path, split);
  if (existsSync(dir) && statSync(dir).isDirectory()) return dir;
  const found = subFolders(path);
  throw new Error(
    `${fn}: split '${split}': there is no folder ${dir}; ` +
      (found.length ? `the sub-folders of ${path} are: ${found.join(', ')}` : `${path} has no sub-folders`),
  );
}

/** The split names an IDX folder holds (`<prefix>-images-idx3-ubyte[.gz]`; `t10k` is called test). */
export function idxSplits(dir: string): string[] {
  return readdirSync(dir)
    .map((f) => /^(.+)-images-idx3-ubyte(\.gz)?$/.exec(f)?.[1])
    .filter((p): p is string => p !== undefined)
    .map((p) => (p === 't10k' ? 'test' : p))
    .sort(byCodePoint);
}
