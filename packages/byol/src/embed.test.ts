import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { imagesToTensor } from '@selfsup/datasets';
import { loadImages } from '@selfsup/datasets/node';
import { readSafetensors } from '@selfsup/runtime/node';
import { beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { main } from './cli';
import { loadRunEncoder } from './run-encoder';

const root = mkdtempSync(join(tmpdir(), 'byol-embed-'));

async function run(argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await main(argv, (line) => lines.push(line));
  return { code, lines };
}

/** Read back the structured NPY written by `embed` (numpy.lib.format 1.0). */
function readNpy(file: string): { descr: string; paths: string[]; features: Float32Array[] } {
  const buf = readFileSync(file);
  expect(buf.subarray(0, 6).toString('latin1')).toBe('\x93NUMPY');
  const headerLength = buf.readUInt16LE(8);
  const header = buf.subarray(10, 10 + headerLength).toString('latin1');
  expect((10 + headerLength) % 64).toBe(0);
  const m = /'descr': (\[.*\]), 'fortran_order': False, 'shape': \((\d+),\)/.exec(header)!;
  const [, width, dim] = /<U(\d+)'\), \('features', '<f4', \((\d+),\)/.exec(m[1])!.map(Number);
  const n = Number(m[2]);
  const rec = 4 * width + 4 * dim;
  const body = buf.subarray(10 + headerLength);
  expect(body.length).toBe(n * rec);
  const paths: string[] = [];
  const features: Float32Array[] = [];
  for (let i = 0; i < n; i++) {
    const codes: number[] = [];
    for (let k = 0; k < width; k++) {
      const c = body.readUInt32LE(i * rec + 4 * k);
      if (c) codes.push(c);
    }
    paths.push(String.fromCodePoint(...codes));
    features.push(
      new Float32Array(body.buffer.slice(body.byteOffset + i * rec + 4 * width, body.byteOffset + (i + 1) * rec)),
    );
  }
  return { descr: m[1], paths, features };
}

describeWithData('selfsup-byol embed on a folder of real photos', () => {
  const photos = join(root, 'photos');
  const runDir = join(root, 'run');
  const dim = 32; // features of `--backbone convnet --width 0.125` (widths 4-8-16-32)
  let expected: Float32Array[];
  let paths: string[];

  beforeAll(async () => {
    mkdirSync(join(photos, 'more'), { recursive: true });
    const files = readdirSync(dataPath('cifar10', 'test', 'frog'))
      .sort()
      .slice(0, 6);
    files.forEach((f, i) => copyFileSync(dataPath('cifar10', 'test', 'frog', f), join(photos, i < 4 ? '' : 'more', f)));
    writeFileSync(join(photos, 'notes.txt'), 'not an image');
    const trained = await run([
      ...['train', '--data', photos, '--format', 'images', '--backbone', 'convnet', '--width', '0.125'],
      ...['--image-size', '8', '--epochs', '1', '--batch-size', '3', '--out', runDir, '--backend', 'wasm'],
    ]);
    expect(trained.code).toBe(0);
    // The reference: the run's encoder applied to the same images, directly.
    const { encoder } = await loadRunEncoder(runDir);
    const images = await loadImages(photos, { size: 8 });
    paths = images.paths;
    const x = imagesToTensor(images);
    const y = encoder.apply(x, { training: false }) as tf.Tensor2D;
    const rows = (await y.array()) as number[][];
    expected = rows.map((r) => Float32Array.from(r));
    tf.dispose([x, y]);
    encoder.dispose();
  }, 120_000);

  it('writes .csv, .npy and .safetensors: one row per image, path first, features equal to the encoder', async () => {
    for (const ext of ['csv', 'npy', 'safetensors']) {
      const out = join(root, `emb.${ext}`);
      const { code, lines } = await run([
        'embed',
        '--run',
        runDir,
        '--data',
        photos,
        '--out',
        out,
        '--batch-size',
        '4',
      ]);
      expect(code).toBe(0);
      expect(lines).toContain(`6 images of 8x8 from ${photos}; skipped 1 non-image file`);
      expect(lines.at(-1)).toBe(`wrote 6 embeddings of dimension ${dim} to ${out}`);
    }
    const close = (got: ArrayLike<number>, want: Float32Array) =>
      Array.from(want).forEach((v, j) => expect(Math.abs(got[j] - v)).toBeLessThanOrEqual(1e-5));

    const csv = readFileSync(join(root, 'emb.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(['path', ...Array.from({ length: dim }, (_, j) => `f${j}`)].join(','));
    expect(csv).toHaveLength(7);
    csv.slice(1).forEach((line, i) => {
      const [path, ...values] = line.split(',');
      expect(path).toBe(paths[i]);
      close(values.map(Number), expected[i]);
    });

    const npy = readNpy(join(root, 'emb.npy'));
    expect(npy.paths).toEqual(paths);
    npy.features.forEach((f, i) => close(f, expected[i]));

    const st = await readSafetensors(join(root, 'emb.safetensors'));
    expect(JSON.parse(st.metadata.paths)).toEqual(paths);
    const features = st.tensors.get('features')!;
    expect(features.shape).toEqual([6, dim]);
    expected.forEach((want, i) => close(features.data.subarray(i * dim, (i + 1) * dim) as Float32Array, want));
  });

  it('user mistakes are one line with exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['--run', runDir, '--data', photos, '--out', join(root, 'x.parquet')],
        /--out .*x\.parquet: the extension must be one of \.csv, \.npy, \.safetensors/,
      ],
      [
        ['--run', photos, '--data', photos, '--out', join(root, 'x.csv')],
        /--run: .*photos is not a selfsup-byol run folder: .*config\.json is missing/,
      ],
      [['--run', runDir, '--data', join(root, 'nope'), '--out', join(root, 'x.csv')], /--data .*nope does not exist/],
      [['--run', runDir, '--out', join(root, 'x.csv')], /--data is required/],
    ];
    for (const [argv, message] of cases) {
      const { code, lines } = await run(['embed', ...argv]);
      expect(code).toBe(2);
      expect(lines.at(-1)).toMatch(message);
    }
  });
});
