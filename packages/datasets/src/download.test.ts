import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { cifarRecords, makeTempDir, withServer } from '../test/fixtures';
import { DOWNLOADS, type DownloadSpec } from './catalog';
import { loadCifar } from './cifar';
import { download } from './download';
import { sha256File } from './fetch-file';
import { loadIdx } from './idx';
import { loadImageFolder } from './image-folder';

const IMAGES = 't10k-images-idx3-ubyte.gz';
const LABELS = 't10k-labels-idx1-ubyte.gz';

// Fixtures are real files: Fashion-MNIST test from ../shared/data, a CIFAR-10
// tar.gz and an EuroSAT-like zip built from real CIFAR-10 JPEGs by the system's tar and zip.
describeWithData('download from a local HTTP server (127.0.0.1)', () => {
  const temp = makeTempDir();
  const fixtures: Record<string, Buffer> = {};
  let fashionSpec: DownloadSpec;
  let cifarSpec: DownloadSpec;
  let zipSpec: DownloadSpec;
  const specFor = async (file: string, extract: 'tar.gz' | 'zip' | undefined, root: string): Promise<DownloadSpec> => {
    writeFileSync(join(temp.dir, 'fixtures', file), fixtures[file]);
    return {
      files: [
        { file, url: 'http://unused.invalid/', sha256: await sha256File(join(temp.dir, 'fixtures', file)), extract },
      ],
      root,
    };
  };

  beforeAll(async () => {
    mkdirSync(join(temp.dir, 'fixtures', 'build', 'cifar-10-batches-bin'), { recursive: true });
    for (const file of [IMAGES, LABELS]) fixtures[file] = readFileSync(dataPath('fashion-mnist', file));
    fashionSpec = {
      files: await Promise.all(
        [IMAGES, LABELS].map(async (file) => ({
          file,
          url: 'http://unused.invalid/',
          sha256: await sha256File(dataPath('fashion-mnist', file)),
        })),
      ),
      root: '',
    };

    const build = join(temp.dir, 'fixtures', 'build');
    const cifar = await loadImageFolder(dataPath('cifar10', 'test'));
    writeFileSync(
      join(build, 'cifar-10-batches-bin', 'test_batch.bin'),
      cifarRecords(cifar, 0, 1000, (l) => [l]),
    );
    writeFileSync(join(build, 'cifar-10-batches-bin', 'batches.meta.txt'), cifar.classes.join('\n'));
    execFileSync('tar', ['czf', '../cifar.tar.gz', 'cifar-10-batches-bin'], { cwd: build });
    fixtures['cifar.tar.gz'] = readFileSync(join(temp.dir, 'fixtures', 'cifar.tar.gz'));
    cifarSpec = await specFor('cifar.tar.gz', 'tar.gz', 'cifar-10-batches-bin');

    for (const cls of ['airplane', 'ship']) {
      mkdirSync(join(build, '2750', cls), { recursive: true });
      for (const name of readdirSync(dataPath('cifar10', 'test', cls)).slice(0, 5))
        copyFileSync(dataPath('cifar10', 'test', cls, name), join(build, '2750', cls, name));
    }
    execFileSync('zip', ['-qr', '../sat.zip', '2750'], { cwd: build });
    fixtures['sat.zip'] = readFileSync(join(temp.dir, 'fixtures', 'sat.zip'));
    zipSpec = await specFor('sat.zip', 'zip', '2750');
  });
  afterAll(() => temp.remove());

  it('resumes with an HTTP Range request after the connection is cut, and the files load', async () => {
    const dir = join(temp.dir, 'resume');
    const progress: number[] = [];
    await withServer(fixtures, { [IMAGES]: 1 << 20 }, async (server) => {
      const result = await download(fashionSpec, dir, {
        baseUrl: server.baseUrl,
        onProgress: (p) => p.file === IMAGES && progress.push(p.received),
      });
      const imageRequests = server.requests.filter((r) => r.path === IMAGES);
      expect(imageRequests).toHaveLength(2);
      expect(imageRequests[0].headers.range).toBeUndefined();
      expect(imageRequests[1].headers.range).toMatch(/^bytes=[1-9]\d*-$/);
      expect(readFileSync(join(dir, IMAGES)).equals(fixtures[IMAGES])).toBe(true);
      expect(progress.at(-1)).toBe(fixtures[IMAGES].length);
      const ds = await loadIdx(join(result.path, IMAGES), join(result.path, LABELS));
      expect(ds.shape).toEqual([10000, 28, 28, 1]);
      expect(readdirSync(dir).sort()).toEqual([LABELS, IMAGES].sort());
    });
  });

  it('keeps the .part when retries run out and resumes from it on the next call', async () => {
    const dir = join(temp.dir, 'later');
    await withServer(fixtures, { [IMAGES]: 300_000 }, async (server) => {
      await expect(download(fashionSpec, dir, { baseUrl: server.baseUrl, retries: 0 })).rejects.toThrow(
        /partial download kept in .*\.part for resuming/,
      );
      const partSize = statSync(join(dir, `${IMAGES}.part`)).size;
      expect(partSize).toBeGreaterThan(0);
      expect(existsSync(join(dir, IMAGES))).toBe(false);
      const before = server.requests.length;
      await download(fashionSpec, dir, { baseUrl: server.baseUrl });
      // The next call's first request for the file resumes at the kept .part's size.
      expect(server.requests.slice(before).find((r) => r.path === IMAGES)?.headers.range).toBe(`bytes=${partSize}-`);
      expect(await sha256File(join(dir, IMAGES))).toBe(fashionSpec.files[0].sha256);
      const requestsBefore = server.requests.length;
      await download(fashionSpec, dir, { baseUrl: server.baseUrl });
      expect(server.requests.length).toBe(requestsBefore);
    });
  });

  it('a stalled connection is aborted after stallTimeoutMs and resumed', async () => {
    const dir = join(temp.dir, 'stall');
    await withServer(fixtures, { [LABELS]: -2000 }, async (server) => {
      await download(fashionSpec, dir, { baseUrl: server.baseUrl, stallTimeoutMs: 300 });
      const labelRequests = server.requests.filter((r) => r.path === LABELS);
      expect(labelRequests.map((r) => r.headers.range)).toEqual([undefined, 'bytes=2000-']);
      expect(readFileSync(join(dir, LABELS)).equals(fixtures[LABELS])).toBe(true);
    });
  });

  it('a checksum mismatch is an error and leaves nothing in place (the Debian .gz are not byte-identical to the official ones)', async () => {
    const debian = Object.fromEntries(
      DOWNLOADS['fashion-mnist'].files.map((f) => [f.file, readFileSync(dataPath('fashion-mnist', f.file))]),
    );
    const dir = join(temp.dir, 'mismatch');
    await withServer(debian, {}, async (server) => {
      await expect(download('fashion-mnist', dir, { baseUrl: `${server.baseUrl}/` })).rejects.toThrow(
        /train-images-idx3-ubyte\.gz: SHA-256 mismatch, expected 08dc20ab.*, got [0-9a-f]{64}; the download was deleted/,
      );
      expect(readdirSync(dir)).toEqual([]);
    });
  });

  it('an HTTP error is not retried and leaves nothing', async () => {
    const dir = join(temp.dir, 'missing');
    await withServer({}, {}, async (server) => {
      await expect(download(fashionSpec, dir, { baseUrl: server.baseUrl })).rejects.toThrow(
        /HTTP 404 .*after 1 attempt\(s\); nothing saved/,
      );
      expect(readdirSync(dir)).toEqual([]);
      await expect(download('mnist' as 'cifar10', dir)).rejects.toThrow(
        /unknown dataset "mnist", expected one of cifar10, cifar100, fashion-mnist, eurosat/,
      );
    });
  });

  it('unpacks a CIFAR-10 tar.gz (made by GNU tar) once, ready for loadCifar', async () => {
    const dir = join(temp.dir, 'cifar');
    await withServer(fixtures, {}, async (server) => {
      const result = await download(cifarSpec, dir, { baseUrl: server.baseUrl });
      expect(result.path).toBe(join(dir, 'cifar-10-batches-bin'));
      const ds = await loadCifar(dir, { variant: 'cifar10', split: 'test' });
      expect(ds.shape).toEqual([1000, 32, 32, 3]);
      expect(ds.classes[9]).toBe('truck');
      expect(readdirSync(dir).filter((f) => f.startsWith('.extract-'))).toEqual([]);
      const requestsBefore = server.requests.length;
      await download(cifarSpec, dir, { baseUrl: server.baseUrl });
      expect(server.requests.length).toBe(requestsBefore);
    });
  });

  it('unpacks a zip (made by Info-ZIP, deflated) without a dependency, ready for loadImageFolder', async () => {
    const dir = join(temp.dir, 'sat');
    await withServer(fixtures, {}, async (server) => {
      const result = await download(zipSpec, dir, { baseUrl: server.baseUrl });
      const ds = await loadImageFolder(result.path);
      expect(ds.shape).toEqual([10, 32, 32, 3]);
      expect(ds.classes).toEqual(['airplane', 'ship']);
      const original = readdirSync(dataPath('cifar10', 'test', 'ship'))[0];
      expect(
        readFileSync(join(result.path, 'ship', original)).equals(
          readFileSync(dataPath('cifar10', 'test', 'ship', original)),
        ),
      ).toBe(true);
    });
  });
});
