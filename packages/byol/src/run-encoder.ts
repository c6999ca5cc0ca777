import { existsSync, readFileSync, statSync } from 'node:fs';
import { createBackbone, type InputNormalization, withInputNormalization } from '@selfsup/backbones';
import { loadWeights } from '@selfsup/backbones/node';
import type { Encoder } from '@selfsup/runtime';
import type { TrainCliConfig } from './cli-args';
import { runPaths } from './run-dir';

/** What a run folder's config.json records: the flags and the run identity. */
export type StoredRunConfig = Partial<TrainCliConfig> & {
  backbone: TrainCliConfig['backbone'];
  /** The side the run trained at (resolved: runs record it even when --image-size was not given). */
  imageSize?: number;
  images?: number;
  totalSteps?: number;
};

/** What a run's encoder was trained as, from its `config.json`. */
export type RunEncoderConfig = Pick<TrainCliConfig, 'backbone'> &
  Partial<Pick<TrainCliConfig, 'stem' | 'width'>> & {
    /** Recorded by the CLI; runs started from code (`trainByol`) may lack it. */
    imageSize?: number;
  };

/** Read `<run>/config.json`; errors say what is missing, in words a user can act on. */
export function readRunConfig(run: string): StoredRunConfig {
  const paths = runPaths(run);
  if (!existsSync(paths.dir) || !statSync(paths.dir).isDirectory()) throw new Error(`run folder ${run} does not exist`);
  if (!existsSync(paths.config)) throw new Error(`${run} is not a selfsup-byol run folder: ${paths.config} is missing`);
  let config: StoredRunConfig;
  try {
    config = JSON.parse(readFileSync(paths.config, 'utf8')) as StoredRunConfig;
  } catch (err) {
    throw new Error(`${paths.config} is not valid JSON: ${(err as Error).message}`);
  }
  if (!config || typeof config.backbone !== 'string')
    throw new Error(`${paths.config} does not say which backbone the run trained`);
  return config;
}

/** The input standardisation a run trained with (`inputMean`/`inputStd` of config.json), or null. */
export function runInputNormalization(config: StoredRunConfig): InputNormalization | null {
  const { inputMean, inputStd } = config;
  return Array.isArray(inputMean) && Array.isArray(inputStd) ? { mean: inputMean, std: inputStd } : null;
}

/**
 * The trained encoder of a `selfsup-byol train` run folder: the backbone named in
 * `config.json` with the weights of `encoder.safetensors` and the run's input standardisation,
 * so it takes [0, 1] images as training did. Errors name the missing file.
 */
export async function loadRunEncoder(dir: string): Promise<{ encoder: Encoder; config: StoredRunConfig }> {
  const config = readRunConfig(dir);
  const paths = runPaths(dir);
  if (!existsSync(paths.encoder)) {
    throw new Error(
      `${paths.encoder} is missing: the run has not written its encoder yet (it is written at every checkpoint)`,
    );
  }
  const encoder = createBackbone({ arch: config.backbone, stem: config.stem, widthMultiplier: config.width ?? 1 });
  try {
    await loadWeights(encoder, paths.encoder);
  } catch (err) {
    encoder.dispose();
    throw err;
  }
  return { encoder: withInputNormalization(encoder, runInputNormalization(config)), config };
}
