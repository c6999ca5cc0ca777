import { lstat, mkdir, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';

/** `dest/<entry>` for an archive entry name, refusing empty names, NUL bytes, absolute names and `..` that would escape `dest` ("zip slip"). */
export function entryPath(dest: string, entry: string, archive: string): string {
  if (entry === '' || entry.includes('\0')) {
    throw new Error(`${archive}: entry name ${JSON.stringify(entry)} is empty or holds a NUL byte`);
  }
  const clean = normalize(entry.replace(/\\/g, '/'));
  if (isAbsolute(clean) || clean === '..' || clean.startsWith(`..${sep}`) || clean.split(sep).includes('..')) {
    throw new Error(`${archive}: entry '${entry}' would be written outside the destination folder`);
  }
  return join(dest, clean);
}

/** `path`, or its deepest ancestor that exists, resolved through symlinks. */
async function realAncestor(path: string): Promise<string> {
  for (let p = path; ; p = dirname(p)) {
    try {
      await lstat(p);
      return await realpath(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // A dangling symlink exists for lstat but not for realpath: refuse it rather than follow it later.
      if (
        code === 'ENOENT' &&
        (await lstat(p).then(
          () => true,
          () => false,
        ))
      )
        return '\0dangling';
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(p) === p) throw err;
    }
  }
}

/**
 * Extraction into one folder: `target(name)` is where an entry goes, checked
 * lexically (entryPath) and through the file system, so a symlink already in
 * the folder (`dest/sub -> ../outside`) cannot carry an entry outside it, as
 * Python's tarfile `data` filter refuses.
 */
export async function extractionRoot(dest: string, archive: string) {
  await mkdir(dest, { recursive: true });
  const root = await realpath(dest);
  return async (entry: string): Promise<string> => {
    const target = entryPath(dest, entry, archive);
    const real = await realAncestor(target);
    const rel = relative(root, real);
    if (real.startsWith('\0') || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
      throw new Error(
        `${archive}: entry '${entry}' would be written outside the destination folder (through a symlink)`,
      );
    }
    return target;
  };
}
