import { existsSync, readFileSync } from 'node:fs';
import { createBackbone } from '@selfsup/backbones';
import { loadWeights } from '@selfsup/backbones/node';
import type { Encoder } from '@selfsup/runtime';
import type { TrainCliConfig } from './cli-args';
import { runPaths } from './run-dir';

/** What a run's encoder was trained as, from its `config.json`. */
export type RunEncoderConfig = Pick<TrainCliConfig, 'backbone' | 'stem' | 'width'> & {
  /** Recorded by the CLI; runs started from code (`trainByol`) may lack it. */
  imageSize?: number;
};

/**
 * The trained encoder of a `selfsup-byol train` run folder: the backbone named in
 * `config.json` with the weights of `encoder.safetensors`. Errors name the missing file.
 */
export async function loadRunEncoder(dir: string): Promise<{ encoder: Encoder; config: RunEncoderConfig }> {
  const paths = runPaths(dir);
  if (!existsSync(paths.config)) throw new Error(`${dir} is not a selfsup-byol run folder: ${paths.config} is missing`);
  let config: RunEncoderConfig;
  try {
    config = JSON.parse(readFileSync(paths.config, 'utf8'));
  } catch (err) {
    throw new Error(`${paths.config} is not valid JSON: ${(err as Error).message}`);
  }
  if (!config.backbone) throw new Error(`${paths.config} does not say which backbone the run trained`);
  if (!existsSync(paths.encoder)) {
    throw new Error(`${paths.encoder} is missing: the run has not finished (an encoder is written at the end)`);
  }
  const encoder = createBackbone({ arch: config.backbone, stem: config.stem, widthMultiplier: config.width });
  try {
    await loadWeights(encoder, paths.encoder);
  } catch (err) {
    encoder.dispose();
    throw err;
  }
  return { encoder, config };
}
