import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readSafetensors, writeSafetensors } from '@selfsup/runtime/node';
import type { FeatureStore } from './extract-features';

/**
 * A FeatureStore of safetensors files in `dir`, one per key, named by the key's
 * SHA-256. The full key is stored in the file's metadata and compared on read, so
 * an entry is never used for a different key; writes are atomic (temp file + rename).
 */
export function directoryFeatureStore(dir: string): FeatureStore {
  const pathFor = (key: string) =>
    join(dir, `features-${createHash('sha256').update(key).digest('hex').slice(0, 32)}.safetensors`);
  return {
    async get(key) {
      const path = pathFor(key);
      if (!existsSync(path)) return undefined;
      const { tensors, metadata } = await readSafetensors(path);
      const stored = tensors.get('features');
      if (metadata.key !== key || !stored || stored.dtype !== 'F32' || stored.shape.length !== 2) return undefined;
      return { data: stored.data as Float32Array, n: stored.shape[0], dim: stored.shape[1] };
    },
    async set(key, { data, n, dim }) {
      await writeSafetensors(pathFor(key), { features: { dtype: 'F32', shape: [n, dim], data } }, { key });
    },
  };
}
