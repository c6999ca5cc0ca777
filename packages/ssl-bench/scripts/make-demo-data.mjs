// Builds demo-data/ (bundled with the package for `ssl-bench demo`) from the
// project's shared datasets: small, seeded, class-balanced subsets.
//   node scripts/make-demo-data.mjs [SELFSUP_DATA]
// CIFAR-10 and MNIST files are copied byte for byte; DTD textures are
// downscaled to 64x64 (shorter side, centre crop) to keep the bundle small;
// Fashion-MNIST subsets are written back as gzipped IDX files.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { createRng } from '@selfsup/runtime';

const here = dirname(fileURLToPath(import.meta.url));
const data = process.argv[2] ?? process.env.SELFSUP_DATA ?? join(here, '../../../../shared/data');
const out = join(here, '..', 'demo-data');
const PER_CLASS = {
  cifar10: { train: 100, test: 50 },
  mnist: { train: 30, test: 30 },
  dtd10: { train: 30, test: 20 },
  'fashion-mnist': { train: 30, test: 30 },
};

function pick(files, n, seed) {
  return createRng(seed)
    .shuffle([...files].sort())
    .slice(0, n)
    .sort();
}

async function imageFolder(name, transform) {
  for (const split of ['train', 'test']) {
    const root = join(data, name, split);
    for (const [c, cls] of readdirSync(root).sort().entries()) {
      const dest = join(out, name, split, cls);
      mkdirSync(dest, { recursive: true });
      for (const f of pick(readdirSync(join(root, cls)), PER_CLASS[name][split], 1000 * c + (split === 'test'))) {
        if (transform) await transform(join(root, cls, f), join(dest, f));
        else copyFileSync(join(root, cls, f), join(dest, f));
      }
    }
  }
}

function idxSubset(split) {
  const prefix = split === 'train' ? 'train' : 't10k';
  const images = gunzipSync(readFileSync(join(data, 'fashion-mnist', `${prefix}-images-idx3-ubyte.gz`)));
  const labels = gunzipSync(readFileSync(join(data, 'fashion-mnist', `${prefix}-labels-idx1-ubyte.gz`)));
  const byClass = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < labels.length - 8; i++) byClass[labels[8 + i]].push(i);
  const chosen = byClass.flatMap((idx, c) =>
    pick(idx, PER_CLASS['fashion-mnist'][split], 7 * c + (split === 'test')).map(Number),
  );
  chosen.sort((a, b) => a - b);
  const img = Buffer.alloc(16 + chosen.length * 784);
  images.copy(img, 0, 0, 16);
  img.writeUInt32BE(chosen.length, 4);
  const lab = Buffer.alloc(8 + chosen.length);
  labels.copy(lab, 0, 0, 8);
  lab.writeUInt32BE(chosen.length, 4);
  chosen.forEach((i, k) => {
    images.copy(img, 16 + k * 784, 16 + i * 784, 16 + (i + 1) * 784);
    lab[8 + k] = labels[8 + i];
  });
  mkdirSync(join(out, 'fashion-mnist'), { recursive: true });
  writeFileSync(join(out, 'fashion-mnist', `${prefix}-images-idx3-ubyte.gz`), gzipSync(img, { level: 9 }));
  writeFileSync(join(out, 'fashion-mnist', `${prefix}-labels-idx1-ubyte.gz`), gzipSync(lab, { level: 9 }));
}

rmSync(out, { recursive: true, force: true });
await imageFolder('cifar10');
await imageFolder('mnist');
await imageFolder('dtd10', (src, dest) =>
  sharp(src).resize(64, 64, { fit: 'cover' }).jpeg({ quality: 90 }).toFile(dest),
);
idxSubset('train');
idxSubset('test');
console.log(`wrote ${out}`);
