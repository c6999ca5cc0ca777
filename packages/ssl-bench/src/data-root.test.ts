import { describe, expect, it } from 'vitest';
import { validateConfig } from './config';
import { mapDataPaths, parseDataRoot } from './data-root';

const submitted = validateConfig(
  {
    encoders: [
      { name: 'r', from: 'random', backbone: { arch: 'convnet' } },
      { name: 'mine', from: 'byol-run', path: '/home/alice/runs/byol' },
    ],
    datasets: [
      { name: 'rel', format: 'imagefolder', train: 'data/train', test: 'data/test' },
      {
        name: 'abs',
        format: 'idx',
        train: { images: '/home/alice/fm/train-images.gz', labels: '/home/alice/fm/train-labels.gz' },
        test: { images: '/srv/other/t10k-images.gz', labels: '/home/alice/fm/t10k-labels.gz' },
      },
    ],
    protocols: [{ kind: 'knn' }],
    reference: { dataset: 'rel', protocol: 'knn' },
  },
  'bench.yaml',
  '/home/alice/bench',
);

describe('--data-root', () => {
  it('rewrites absolute paths and the config folder by prefix, on path boundaries only', () => {
    const local = mapDataPaths(submitted, parseDataRoot(['/home/alice=/mnt/data']));
    expect(local.baseDir).toBe('/mnt/data/bench');
    expect(local.encoders[1]).toMatchObject({ path: '/mnt/data/runs/byol' });
    expect(local.datasets[0]).toMatchObject({ train: 'data/train', test: 'data/test' });
    expect(local.datasets[1].train).toEqual({
      images: '/mnt/data/fm/train-images.gz',
      labels: '/mnt/data/fm/train-labels.gz',
    });
    expect(local.datasets[1].test).toEqual({
      images: '/srv/other/t10k-images.gz',
      labels: '/mnt/data/fm/t10k-labels.gz',
    });
    expect(mapDataPaths(submitted, parseDataRoot(['/home/al=/x'])).baseDir).toBe('/home/alice/bench');
  });

  it('a folder replaces the config folder and leaves absolute paths alone', () => {
    const local = mapDataPaths(submitted, parseDataRoot(['/data/bench']));
    expect(local.baseDir).toBe('/data/bench');
    expect(local.encoders[1]).toMatchObject({ path: '/home/alice/runs/byol' });
    expect(local.datasets[1].train).toEqual(submitted.datasets[1].train);
  });

  it('rejects what it cannot use', () => {
    expect(() => parseDataRoot(['relative/prefix=/x'])).toThrow(
      /--data-root 'relative\/prefix=\/x': expected <absolute/,
    );
    expect(() => parseDataRoot(['/a', '/b'])).toThrow(/two folders given/);
    expect(() => parseDataRoot(['/a='])).toThrow(/expected <absolute submitted prefix>=<local prefix>/);
  });
});
