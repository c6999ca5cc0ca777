import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadWeights, saveWeights } from '@selfsup/backbones/node';
import { type ExternalEncoder, isExternalEncoder } from '@selfsup/eval-transfer';
import type { Encoder } from '@selfsup/runtime';
import { writeFileAtomic } from '@selfsup/runtime/node';
import type { EncoderSpec } from '../config-schema';
import { buildEncoder, type EncoderContext } from '../encoders';
import { SCHEMA } from './migrations';
import type { Queryable } from './pg-store';

/** Encoders ssl-bench trains itself (BYOL, supervised); the others are loaded or drawn from a seed alike everywhere. */
export function isTrained(spec: EncoderSpec): spec is Extract<EncoderSpec, { pretrain: unknown }> {
  return 'pretrain' in spec;
}

/** A trained encoder is a tfjs model (only ONNX encoders are external, and they are never trained here). */
function tfjsModel(encoder: Encoder | ExternalEncoder, name: string): Encoder {
  if (isExternalEncoder(encoder))
    throw new Error(`encoder '${name}': expected a tfjs model to train or load weights into`);
  return encoder;
}

async function storedWeights(db: Queryable, key: string): Promise<Buffer | undefined> {
  const { rows } = await db.query<{ weights: Buffer }>(`SELECT weights FROM ${SCHEMA}.encoders WHERE key = $1`, [key]);
  return rows[0]?.weights;
}

/** The configured architecture, drawn from the config's seed, with the given weights loaded over it. */
async function withWeights(
  spec: Extract<EncoderSpec, { pretrain: unknown }>,
  weights: Buffer,
  file: string,
  ctx: EncoderContext,
): Promise<Encoder> {
  await writeFileAtomic(file, weights);
  const encoder = tfjsModel(
    await buildEncoder({ name: spec.name, from: 'random', backbone: spec.backbone }, ctx),
    spec.name,
  );
  try {
    await loadWeights(encoder, file);
  } catch (err) {
    encoder.dispose();
    throw err;
  }
  return encoder;
}

/**
 * A trained encoder, trained once for every worker: the first worker to finish pretraining
 * stores its weights under `key` (the encoder's queue, a hash of its spec); every other worker
 * loads them, so all the cells of an encoder measure the same weights whichever machine (or
 * backend) computed them. Two workers that pretrained at once keep the first stored weights.
 */
export async function sharedEncoder(
  db: Queryable,
  key: string,
  spec: Extract<EncoderSpec, { pretrain: unknown }>,
  ctx: EncoderContext,
  weightsDir: string,
  worker: string,
): Promise<Encoder> {
  const file = join(weightsDir, `${key}.safetensors`);
  const stored = await storedWeights(db, key);
  if (stored) {
    ctx.log(`encoder '${spec.name}': weights pretrained by another worker, loaded from the store`);
    return withWeights(spec, stored, file, ctx);
  }
  const began = performance.now();
  const encoder = tfjsModel(await buildEncoder(spec, ctx), spec.name);
  try {
    await saveWeights(encoder, file, { encoder: spec.name });
    const weights = await readFile(file);
    const { rowCount } = await db.query(
      `INSERT INTO ${SCHEMA}.encoders (key, name, weights, worker, seconds) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (key) DO NOTHING`,
      [key, spec.name, weights, worker, (performance.now() - began) / 1000],
    );
    if (rowCount === 1) return encoder;
  } catch (err) {
    encoder.dispose();
    throw err;
  }
  encoder.dispose();
  ctx.log(`encoder '${spec.name}': another worker stored its pretraining first; using those weights`);
  return withWeights(spec, (await storedWeights(db, key))!, file, ctx);
}
