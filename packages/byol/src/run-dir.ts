import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The files of a training run folder. */
export interface RunPaths {
  dir: string;
  config: string;
  metrics: string;
  checkpoint: string;
  encoder: string;
}

export function runPaths(out: string): RunPaths {
  const dir = resolve(out);
  return {
    dir,
    config: join(dir, 'config.json'),
    metrics: join(dir, 'metrics.jsonl'),
    checkpoint: join(dir, 'checkpoint.safetensors'),
    encoder: join(dir, 'encoder.safetensors'),
  };
}

/**
 * Check, without creating anything, that `out` can hold a run: it is a writable
 * folder or can be created under a writable one, and it holds no previous run
 * unless `resume` asks to continue it. Returns the reason it cannot, or null.
 */
export function checkRunDir(out: string, resume: boolean): string | null {
  const paths = runPaths(out);
  if (existsSync(paths.dir)) {
    if (!statSync(paths.dir).isDirectory()) return `--out ${out} exists and is not a folder`;
    if (!writable(paths.dir)) return `--out ${out} is not writable`;
    const hasCheckpoint = existsSync(paths.checkpoint);
    if (resume && !hasCheckpoint) return `--resume given but ${paths.checkpoint} does not exist`;
    // A run killed before its first checkpoint has nothing to continue: the same command starts it again.
    if (!resume && hasCheckpoint) {
      return `--out ${out} already holds a run; continue it with: selfsup-byol resume ${out} (or choose another folder)`;
    }
    return null;
  }
  if (resume) return `--resume given but --out ${out} does not exist`;
  let parent = dirname(paths.dir);
  while (!existsSync(parent)) parent = dirname(parent);
  if (!statSync(parent).isDirectory() || !writable(parent)) {
    return `--out ${out} cannot be created: ${parent} is not a writable folder`;
  }
  return null;
}

// Permission bits say nothing for root or read-only mounts: try a real write and remove it.
function writable(dir: string): boolean {
  const probe = join(dir, `.selfsup-byol-probe-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe);
    return true;
  } catch {
    return false;
  }
}

// atomicWriteStream's temp files: `.<name>.<pid>.<hex>.tmp`.
const TEMP_FILE = /^\..+\.(\d+)\.[0-9a-f]+\.tmp$/;

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Remove the temp files a killed run left half-written in its folder (not those of a live process); returns their names. */
export function removeStaleTempFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const stale = readdirSync(dir).filter((name) => {
    const m = TEMP_FILE.exec(name);
    return m !== null && !alive(Number(m[1]));
  });
  for (const name of stale) rmSync(join(dir, name), { force: true });
  return stale;
}
