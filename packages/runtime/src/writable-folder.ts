import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// Permission bits say nothing for root or read-only mounts: try a real write and remove it.
function writable(dir: string): boolean {
  const probe = join(dir, `.selfsup-probe-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why `path` cannot be used as an output folder (it is a file, or neither it
 * nor its nearest existing ancestor is a writable folder), or null when it can.
 * Creates nothing: a command checks its outputs before hours of work, not after.
 * `label` names the path in the message, e.g. `--out results`.
 */
export function outputFolderProblem(path: string, label: string): string | null {
  const dir = resolve(path);
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) return `${label} exists and is not a folder`;
    return writable(dir) ? null : `${label} is not writable`;
  }
  let parent = dirname(dir);
  while (!existsSync(parent)) parent = dirname(parent);
  if (!statSync(parent).isDirectory() || !writable(parent)) {
    return `${label} cannot be created: ${parent} is not a writable folder`;
  }
  return null;
}
