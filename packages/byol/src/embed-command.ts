import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { loadImages } from '@selfsup/datasets/node';
import { extractFeatures } from '@selfsup/eval-transfer';
import { initBackend } from '@selfsup/runtime';
import { BACKENDS, UsageError } from './cli-args';
import { parseCommandFlags } from './command-flags';
import { createCountProgress } from './count-progress';
import { positiveIntegerFlag } from './positive-integer-flag';
import { EMBEDDING_FORMATS, writeEmbeddings } from './embeddings-file';
import { loadRunEncoder, readRunConfig } from './run-encoder';

export const EMBED_HELP = `Usage: selfsup-byol embed --run <dir> --data <folder> --out <file.csv|file.npy|file.safetensors> [options]

Embeds every image under <folder> (sub-folders included; non-image files skipped)
with the trained encoder of a run folder: one row per image, the image path first.
Images are resized (shorter side) and centre-cropped to the run's --image-size.

  .csv           header path,f0,f1,...; one line per image
  .npy           records (path <U, features <f4 (D,)); numpy: a = np.load(f); a['path'], a['features']
  .safetensors   tensor 'features' [N, D]; metadata 'paths' = JSON list of the paths in row order

Options:
  --run <dir>          a selfsup-byol run folder (config.json, encoder.safetensors)
  --data <folder>      images to embed
  --out <file>         output file; the format follows the extension
  --batch-size <n>     images per forward pass (default 64)
  --skip-bad-images    leave out image files that cannot be decoded (each reported once)
  --backend <b>        auto|tensorflow|wasm|cpu (default auto)
  --threads <n>        wasm backend threads (default: all cores)`;

/** `selfsup-byol embed`: features of every image of a folder from a run's encoder, to .csv/.npy/.safetensors. */
export async function embedCommand(argv: string[], log: (line: string) => void): Promise<number> {
  const { values } = parseCommandFlags(
    argv,
    {
      run: { type: 'string' },
      data: { type: 'string' },
      out: { type: 'string' },
      'batch-size': { type: 'string' },
      'skip-bad-images': { type: 'boolean' },
      backend: { type: 'string' },
      threads: { type: 'string' },
    },
    'selfsup-byol embed --help',
  );
  if (values.help) {
    process.stdout.write(`${EMBED_HELP}\n`);
    return 0;
  }
  for (const flag of ['run', 'data', 'out'])
    if (!values[flag]) throw new UsageError(`--${flag} is required (see selfsup-byol embed --help)`);
  const run = String(values.run);
  const data = String(values.data);
  const out = String(values.out);
  const batchSize = positiveIntegerFlag('batch-size', values['batch-size'], 64);
  const threads = positiveIntegerFlag('threads', values.threads, undefined);
  const backend = (values.backend as string | undefined) ?? 'auto';
  if (!(BACKENDS as readonly string[]).includes(backend))
    throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}, got '${backend}'`);
  if (!(EMBEDDING_FORMATS as readonly string[]).includes(extname(out).toLowerCase()))
    throw new UsageError(`--out ${out}: the extension must be one of ${EMBEDDING_FORMATS.join(', ')}`);
  if (!existsSync(data)) throw new UsageError(`--data ${data} does not exist`);
  let imageSize: number;
  try {
    imageSize = readRunConfig(run).imageSize ?? 32;
  } catch (err) {
    throw new UsageError(`--run: ${(err as Error).message}`);
  }

  const started = await initBackend(backend as (typeof BACKENDS)[number], { wasmThreads: threads });
  log(`backend: ${started.name} on ${started.threads} thread${started.threads === 1 ? '' : 's'}`);
  const reading = createCountProgress(process.stderr, 'reading images');
  const images = await loadImages(data, {
    size: imageSize,
    channels: 3,
    onError: values['skip-bad-images'] ? 'skip' : 'throw',
    onProgress: (done, total, skipped) =>
      reading.update(done, total, skipped ? `${skipped} non-image files skipped` : undefined),
    log,
  }).catch((err: Error) => {
    reading.close();
    throw new UsageError(err.message.split('\n')[0]);
  });
  reading.close();
  const skipped = images.skippedFiles.length;
  log(
    `${images.shape[0]} images of ${imageSize}x${imageSize} from ${data}` +
      (skipped ? `; skipped ${skipped} non-image file${skipped === 1 ? '' : 's'}` : ''),
  );
  const { encoder } = await loadRunEncoder(run).catch((err: Error) => {
    throw new UsageError(`--run: ${err.message}`);
  });
  try {
    const progress = createCountProgress(process.stderr, 'embedding');
    const features = await extractFeatures(encoder, images, {
      batchSize,
      onProgress: (done, total) => progress.update(done, total),
    });
    progress.close();
    await writeEmbeddings(out, { paths: images.paths, data: features.data, dim: features.dim });
    log(`wrote ${features.n} embeddings of dimension ${features.dim} to ${out}`);
    return 0;
  } finally {
    encoder.dispose();
  }
}
