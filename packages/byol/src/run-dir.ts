import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { outputFolderProblem } from '@selfsup/runtime/node';

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
    const problem = outputFolderProblem(paths.dir, `--out ${out}`);
    if (problem) return problem;
    const hasCheckpoint = existsSync(paths.checkpoint);
    if (resume && !hasCheckpoint) return `--resume given but ${paths.checkpoint} does not exist`;
    // A run killed before its first checkpoint has nothing to continue: the same command starts it again.
    if (!resume && hasCheckpoint) {
      return `--out ${out} already holds a run; continue it with: selfsup-byol resume ${out} (or choose another folder)`;
    }
    return null;
  }
  if (resume) return `--resume given but --out ${out} does not exist`;
  return outputFolderProblem(paths.dir, `--out ${out}`);
}
