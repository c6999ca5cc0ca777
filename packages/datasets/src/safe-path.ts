import { isAbsolute, join, normalize, sep } from 'node:path';

/** `dest/<entry>` for an archive entry name, refusing absolute names and `..` that would escape `dest` ("zip slip"). */
export function entryPath(dest: string, entry: string, archive: string): string {
  const clean = normalize(entry.replace(/\\/g, '/'));
  if (isAbsolute(clean) || clean === '..' || clean.startsWith(`..${sep}`) || clean.split(sep).includes('..')) {
    throw new Error(`${archive}: entry '${entry}' would be written outside the destination folder`);
  }
  return join(dest, clean);
}
