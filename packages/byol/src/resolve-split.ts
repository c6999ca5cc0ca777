import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function subFolders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

/**
 * The folder of a split of a folder dataset: `<data>/<split>`. Without an explicit
 * split, `<data>/train` when it exists, else `<data>` itself (a flat folder of photos).
 * A named split that does not exist is an error listing the ones that do: a typo
 * must not silently train on the parent folder.
 */
export function splitFolder(data: string, split: string | null, flag = '--split'): string {
  if (split === null) return existsSync(join(data, 'train')) ? join(data, 'train') : data;
  const dir = join(data, split);
  if (existsSync(dir) && statSync(dir).isDirectory()) return dir;
  const found = subFolders(data);
  throw new Error(
    `${flag} ${split}: there is no folder ${dir}; ` +
      (found.length ? `the sub-folders of ${data} are: ${found.join(', ')}` : `${data} has no sub-folders`),
  );
}

/** The split names an IDX folder holds (`<prefix>-images-idx3-ubyte[.gz]`; `t10k` is called test). */
export function idxSplits(dir: string): string[] {
  return readdirSync(dir)
    .map((f) => /^(.+)-images-idx3-ubyte(\.gz)?$/.exec(f)?.[1])
    .filter((p): p is string => p !== undefined)
    .map((p) => (p === 't10k' ? 'test' : p))
    .sort();
}
