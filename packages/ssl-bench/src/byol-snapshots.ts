import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { runPaths } from '@selfsup/byol/node';
import { writeFileAtomic } from '@selfsup/runtime/node';
import type { BenchConfig, EncoderSpec } from './config-schema';

type ByolSpec = Extract<EncoderSpec, { from: 'byol' }>;

/** What makes two BYOL encoders snapshots of one run: everything but their `epochs` (and name). */
function runKey(spec: ByolSpec): string {
  const { epochs: _epochs, ...pretrain } = spec.pretrain;
  return JSON.stringify({ backbone: spec.backbone, pretrain: { ...pretrain, scheduleEpochs: scheduleEpochs(spec) } });
}

/** Epochs the run's schedules are planned over. */
export function scheduleEpochs(spec: ByolSpec): number {
  return spec.pretrain.scheduleEpochs ?? spec.pretrain.epochs;
}

/**
 * The run folder of the longest shorter snapshot of `spec`'s run that has a checkpoint
 * (`<pretrainDir>/<name>`), if any: `spec` continues from it instead of starting over.
 */
export function shorterSnapshot(spec: ByolSpec, config: BenchConfig, pretrainDir: string): string | undefined {
  const key = runKey(spec);
  const shorter = config.encoders
    .filter((e): e is ByolSpec => e.from === 'byol' && e.name !== spec.name && e.pretrain.epochs < spec.pretrain.epochs)
    .filter((e) => runKey(e) === key && existsSync(runPaths(join(pretrainDir, e.name)).checkpoint))
    .sort((a, b) => b.pretrain.epochs - a.pretrain.epochs);
  return shorter.length ? join(pretrainDir, shorter[0].name) : undefined;
}

/**
 * Copy run folder `from` to `to` (which has no checkpoint) so that trainByol resumes it there. Each
 * file is written atomically and the checkpoint last, so a killed copy leaves nothing to resume.
 */
export async function continueRun(from: string, to: string, encoderName: string): Promise<void> {
  const src = runPaths(from);
  const dst = runPaths(to);
  mkdirSync(dst.dir, { recursive: true });
  const config = JSON.parse(readFileSync(src.config, 'utf8'));
  await writeFileAtomic(
    dst.config,
    `${JSON.stringify({ ...config, encoder: encoderName, continuedFrom: from }, null, 2)}\n`,
  );
  for (const file of [src.metrics, src.encoder, src.checkpoint]) {
    await writeFileAtomic(join(dst.dir, basename(file)), readFileSync(file));
  }
}
