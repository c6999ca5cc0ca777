// The fuzz targets: every parser of the repository, each with valid seed files
// (from the project data where it is present, else built from the format specs).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { createByol } from '@selfsup/byol';
import { readCheckpoint, writeCheckpoint } from '@selfsup/byol/node';
import { extractTarGz, extractZip, loadCifar, loadIdx, loadImageFolder } from '@selfsup/datasets/node';
import { buildHeader, initBackend } from '@selfsup/runtime';
import { readSafetensors, readSafetensorsHeader } from '@selfsup/runtime/node';
import { DEMO_CONFIG, loadConfig } from '@selfsup/ssl-bench';
import sharp from 'sharp';
import { stringify as toYaml } from 'yaml';
import { tinyNetworks } from '../../packages/byol/src/test-fixtures';
import { idxOf, tarHeader, tarOf, zipOf } from '../../packages/datasets/test/hostile';
import { dataPath } from '@selfsup/testing';

export interface Seed {
  /** Which kind of file the bytes are (the target's own names, e.g. `images-gz`). */
  tag: string;
  bytes: Uint8Array;
}

/** Per-target folders: `in/` holds the input file(s), `out/` is the extraction target, `outside/` must stay empty. */
export interface Sandbox {
  dir: string;
  inDir: string;
  outDir: string;
  outside: string;
}

export interface Prepared {
  /** The path every error must name. */
  path: string;
  run: () => Promise<unknown>;
}

export interface Target {
  name: string;
  seeds(): Promise<Seed[]>;
  /** The inner layer mutations may work on (gunzipped bytes, header text), and how to put it back. */
  inner?: {
    decode(bytes: Uint8Array): Uint8Array | undefined;
    encode(inner: Uint8Array, outer: Uint8Array): Uint8Array;
  };
  prepare(bytes: Uint8Array, tag: string, box: Sandbox): Prepared;
  /** Called once before the run (backends, models). */
  setup?(): Promise<void>;
  /** Checked after every input: a problem, or undefined (e.g. tensors leaked). */
  after?(): string | undefined;
}

const has = (p: string) => existsSync(p);
const gz = {
  decode: (b: Uint8Array) => {
    try {
      return new Uint8Array(gunzipSync(b));
    } catch {
      return undefined;
    }
  },
  encode: (inner: Uint8Array) => new Uint8Array(gzipSync(inner)),
};

function writeIn(box: Sandbox, name: string, bytes: Uint8Array): string {
  const path = join(box.inDir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}

// ---- IDX (MNIST family) --------------------------------------------------------------

const IDX_N = 12;
let idxCache: Seed[] | undefined;
function idxSeeds(): Seed[] {
  idxCache ??= makeIdxSeeds();
  return idxCache;
}
function makeIdxSeeds(): Seed[] {
  const images = join(dataPath('fashion-mnist'), 't10k-images-idx3-ubyte.gz');
  const labels = join(dataPath('fashion-mnist'), 't10k-labels-idx1-ubyte.gz');
  let img: Uint8Array;
  let lab: Uint8Array;
  if (has(images) && has(labels)) {
    // The first images and labels of the real Fashion-MNIST test split.
    img = new Uint8Array(gunzipSync(readFileSync(images)).subarray(16, 16 + IDX_N * 784));
    lab = new Uint8Array(gunzipSync(readFileSync(labels)).subarray(8, 8 + IDX_N));
  } else {
    img = new Uint8Array(IDX_N * 784).map((_, i) => (i * 37) % 256);
    lab = new Uint8Array(IDX_N).map((_, i) => i % 10);
  }
  const imageFile = idxOf([IDX_N, 28, 28], img);
  const labelFile = idxOf([IDX_N], lab);
  return [
    { tag: 'images-gz', bytes: gzipSync(imageFile) },
    { tag: 'images-raw', bytes: imageFile },
    { tag: 'labels-gz', bytes: gzipSync(labelFile) },
    { tag: 'labels-raw', bytes: labelFile },
  ];
}

const idx: Target = {
  name: 'idx',
  seeds: async () => idxSeeds(),
  inner: gz,
  prepare(bytes, tag, box) {
    const valid = Object.fromEntries(idxSeeds().map((s) => [s.tag, s.bytes]));
    const fuzzed = writeIn(box, tag.startsWith('images') ? 'images.idx' : 'labels.idx', bytes);
    const other = tag.startsWith('images')
      ? writeIn(box, 'labels.idx', valid['labels-gz'])
      : writeIn(box, 'images.idx', valid['images-raw']);
    const [imagesPath, labelsPath] = tag.startsWith('images') ? [fuzzed, other] : [other, fuzzed];
    return { path: fuzzed, run: () => loadIdx(imagesPath, labelsPath) };
  },
};

// ---- CIFAR binary ----------------------------------------------------------------------

function cifarSeeds(): Seed[] {
  const records = (labelBytes: number) =>
    Buffer.concat(
      Array.from({ length: 4 }, (_, r) => {
        const rec = Buffer.alloc(labelBytes + 3072);
        for (let i = 0; i < labelBytes; i++) rec[i] = (r * 3 + i) % 10;
        for (let i = labelBytes; i < rec.length; i++) rec[i] = (i * 7 + r) % 256;
        return rec;
      }),
    );
  return [
    { tag: 'cifar10', bytes: records(1) },
    { tag: 'cifar100', bytes: records(2) },
  ];
}

const cifar: Target = {
  name: 'cifar',
  seeds: async () => cifarSeeds(),
  prepare(bytes, tag, box) {
    const variant = tag as 'cifar10' | 'cifar100';
    const path = writeIn(box, variant === 'cifar10' ? 'test_batch.bin' : 'test.bin', bytes);
    return { path, run: () => loadCifar(box.inDir, { variant, split: 'test' }) };
  },
};

// ---- ImageFolder (JPEG/PNG/WebP through sharp) -----------------------------------------------

async function imageSeeds(): Promise<Seed[]> {
  const png = dataPath('mnist', 'test', '0');
  const jpgDir = dataPath('dtd10', 'test', 'banded');
  const seeds: Seed[] = [];
  const { readdirSync } = await import('node:fs');
  if (has(png)) seeds.push({ tag: 'png', bytes: readFileSync(join(png, readdirSync(png)[0])) });
  if (has(jpgDir)) {
    // A real DTD photo, shrunk so each decode is quick.
    const jpg = await sharp(join(jpgDir, readdirSync(jpgDir)[0]))
      .resize(24, 24)
      .jpeg({ quality: 80 })
      .toBuffer();
    seeds.push({ tag: 'jpg', bytes: jpg });
  }
  const raw = { raw: { width: 8, height: 6, channels: 3 as const } };
  const pixels = Buffer.from(Array.from({ length: 8 * 6 * 3 }, (_, i) => (i * 11) % 256));
  if (!seeds.some((s) => s.tag === 'png')) seeds.push({ tag: 'png', bytes: await sharp(pixels, raw).png().toBuffer() });
  if (!seeds.some((s) => s.tag === 'jpg'))
    seeds.push({ tag: 'jpg', bytes: await sharp(pixels, raw).jpeg().toBuffer() });
  seeds.push({ tag: 'webp', bytes: await sharp(pixels, raw).webp().toBuffer() });
  return seeds;
}

const imageFolder: Target = {
  name: 'imagefolder',
  seeds: imageSeeds,
  prepare(bytes, tag, box) {
    const path = writeIn(box, join('cls', `image.${tag}`), bytes);
    return { path, run: () => loadImageFolder(box.inDir, { size: 16, concurrency: 1 }) };
  },
};

// ---- safetensors ---------------------------------------------------------------------------

function safetensorsFile(): Uint8Array {
  const f32 = new Float32Array([1.5, -2, 0.25, 3, 4, 5]);
  const f16 = new Uint16Array([0x3c00, 0xc000]);
  const i64 = new BigInt64Array([-3n, 7n]);
  const u8 = new Uint8Array([1, 2, 3]);
  const tensors: Array<[string, { dtype: 'F32' | 'F16' | 'I64' | 'U8'; shape: number[]; byteLength: number }]> = [
    ['w', { dtype: 'F32', shape: [2, 3], byteLength: 24 }],
    ['h', { dtype: 'F16', shape: [2], byteLength: 4 }],
    ['l', { dtype: 'I64', shape: [2, 1], byteLength: 16 }],
    ['u', { dtype: 'U8', shape: [3], byteLength: 3 }],
  ];
  const header = buildHeader(tensors, { format: 'pt', note: 'fuzz seed' });
  return new Uint8Array(
    Buffer.concat([header, Buffer.from(f32.buffer), Buffer.from(f16.buffer), Buffer.from(i64.buffer), u8]),
  );
}

/** The inner layer of a safetensors file: its JSON header text (the length prefix is rewritten to fit). */
const headerText = {
  decode(bytes: Uint8Array) {
    if (bytes.length < 8) return undefined;
    const n = Number(Buffer.from(bytes).readBigUInt64LE(0));
    return n + 8 <= bytes.length ? bytes.subarray(8, 8 + n) : undefined;
  },
  encode(inner: Uint8Array, outer: Uint8Array) {
    const n = Number(Buffer.from(outer).readBigUInt64LE(0));
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(inner.length));
    return new Uint8Array(Buffer.concat([len, inner, outer.subarray(8 + n)]));
  },
};

const safetensorsHeader: Target = {
  name: 'safetensors-header',
  seeds: async () => [{ tag: 'st', bytes: safetensorsFile() }],
  inner: headerText,
  prepare(bytes, _tag, box) {
    const path = writeIn(box, 'model.safetensors', bytes);
    return { path, run: () => readSafetensorsHeader(path) };
  },
};

const safetensorsData: Target = {
  name: 'safetensors-data',
  seeds: async () => [{ tag: 'st', bytes: safetensorsFile() }],
  inner: headerText,
  prepare(bytes, _tag, box) {
    const path = writeIn(box, 'model.safetensors', bytes);
    return { path, run: () => readSafetensors(path) };
  },
};

// ---- archives ----------------------------------------------------------------------------

const tarGz: Target = {
  name: 'tar-gz',
  seeds: async () => {
    const longName = `${'d'.repeat(120)}/file.txt`;
    const gnuLong = Buffer.concat([
      tarHeader('././@LongLink', longName.length + 1, 'L'),
      Buffer.from(`${longName}\0`.padEnd(512, '\0')),
    ]);
    const record = ` path=${longName}\n`;
    let length = record.length + 1;
    while (String(length).length + record.length !== length) length++;
    const pax = Buffer.from(`${length}${record}`);
    const paxEntry = Buffer.concat([tarHeader('PaxHeaders/x', pax.length, 'x'), pax, Buffer.alloc(512 - pax.length)]);
    const body = Buffer.from('hello fuzz\n');
    const withLong = (meta: Buffer) =>
      Buffer.concat([meta, tarHeader('short', body.length), body, Buffer.alloc(512 - body.length), Buffer.alloc(1024)]);
    return [
      {
        tag: 'tgz',
        bytes: gzipSync(
          tarOf([
            ['top', null],
            ['top/a.txt', Buffer.from('a\n')],
            ['top/b.bin', Buffer.alloc(700, 7)],
          ]),
        ),
      },
      { tag: 'tgz', bytes: gzipSync(withLong(gnuLong)) },
      { tag: 'tgz', bytes: gzipSync(withLong(paxEntry)) },
    ];
  },
  inner: gz,
  prepare(bytes, _tag, box) {
    const path = writeIn(box, 'archive.tar.gz', bytes);
    return { path, run: () => extractTarGz(path, box.outDir, { maxBytes: 16 * 2 ** 20 }) };
  },
};

const zip: Target = {
  name: 'zip',
  seeds: async () => [
    {
      tag: 'zip',
      bytes: zipOf([
        { name: 'top/', content: Buffer.alloc(0) },
        { name: 'top/a.txt', content: Buffer.from('compressible '.repeat(40)), deflate: true },
        { name: 'top/b.bin', content: Buffer.from([1, 2, 3]) },
      ]),
    },
  ],
  prepare(bytes, _tag, box) {
    const path = writeIn(box, 'archive.zip', bytes);
    return { path, run: () => extractZip(path, box.outDir, { maxBytes: 16 * 2 ** 20 }) };
  },
};

// ---- ssl-bench config (YAML / JSON) -----------------------------------------------------------

const config: Target = {
  name: 'config',
  seeds: async () => [
    { tag: 'json', bytes: Buffer.from(JSON.stringify(DEMO_CONFIG, null, 2)) },
    { tag: 'yaml', bytes: Buffer.from(toYaml(DEMO_CONFIG)) },
  ],
  prepare(bytes, tag, box) {
    const path = writeIn(box, `bench.${tag}`, bytes);
    return { path, run: async () => loadConfig(path) };
  },
};

// ---- BYOL checkpoint (safetensors + trainer-state metadata) ----------------------------------------

let trainer: ReturnType<typeof createByol> | undefined;
let seedCheckpoint: Uint8Array | undefined;
let tensorsBefore = 0;

const checkpoint: Target = {
  name: 'checkpoint',
  async setup() {
    await initBackend('cpu');
    trainer ??= createByol({ ...tinyNetworks(1), imageSize: 8, batchSize: 4, totalSteps: 10, seed: 3 });
    if (!seedCheckpoint) {
      const { mkdtempSync, rmSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const dir = mkdtempSync(join(tmpdir(), 'selfsup-fuzz-ckpt-'));
      await writeCheckpoint(join(dir, 'c.safetensors'), trainer, { run: { id: 'fuzz' } });
      seedCheckpoint = new Uint8Array(readFileSync(join(dir, 'c.safetensors')));
      rmSync(dir, { recursive: true, force: true });
    }
    tensorsBefore = tf.memory().numTensors;
  },
  seeds: async () => {
    if (!seedCheckpoint) await checkpoint.setup!();
    return [{ tag: 'ckpt', bytes: seedCheckpoint! }];
  },
  inner: headerText,
  prepare(bytes, _tag, box) {
    const path = writeIn(box, 'checkpoint.safetensors', bytes);
    return { path, run: () => readCheckpoint(path, trainer!) };
  },
  after() {
    const now = tf.memory().numTensors;
    if (now === tensorsBefore) return undefined;
    const leaked = now - tensorsBefore;
    tensorsBefore = now;
    return `${leaked} tensors leaked`;
  },
};

export const TARGETS: Target[] = [
  idx,
  cifar,
  imageFolder,
  safetensorsHeader,
  safetensorsData,
  tarGz,
  zip,
  config,
  checkpoint,
];
