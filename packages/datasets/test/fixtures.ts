// Test-only helpers: temp folders, files in the official CIFAR binary layout
// (written independently of the loader, from https://www.cs.toronto.edu/~kriz/cifar.html),
// and a local HTTP server for the download tests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataPath } from '@selfsup/testing';
import { loadIdx } from '../src/idx';
import type { ImageDataset } from '../src/image-dataset';

export function makeTempDir(): { dir: string; remove: () => void; write: (name: string, bytes: Buffer) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'selfsup-datasets-'));
  return {
    dir,
    remove: () => rmSync(dir, { recursive: true, force: true }),
    /** Write `bytes` to `name` in the folder; returns its path. */
    write: (name, bytes) => {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      return path;
    },
  };
}

/** Records `<label bytes><R plane><G plane><B plane>` for 32x32 RGB images `from..to` of `ds`. */
export function cifarRecords(
  ds: ImageDataset,
  from: number,
  to: number,
  labelBytes: (label: number, index: number) => number[],
): Buffer {
  const plane = 32 * 32;
  const parts: Buffer[] = [];
  for (let i = from; i < to; i++) {
    const head = labelBytes(ds.labels[i], i);
    const record = Buffer.alloc(head.length + 3 * plane);
    record.set(head, 0);
    for (let p = 0; p < plane; p++) {
      for (let ch = 0; ch < 3; ch++) record[head.length + ch * plane + p] = ds.images[(i * plane + p) * 3 + ch];
    }
    parts.push(record);
  }
  return Buffer.concat(parts);
}

export interface ServedRequest {
  path: string;
  headers: IncomingHttpHeaders;
}

/**
 * Serve `files` on 127.0.0.1 with HTTP Range support. `cutAfter[name] = n`
 * makes the first GET of that file send n bytes, then destroy the socket
 * (n > 0) or go silent with the socket open (n < 0).
 */
export async function serveFiles(files: Record<string, Buffer>, cutAfter: Record<string, number> = {}) {
  const requests: ServedRequest[] = [];
  const cut = new Set(Object.keys(cutAfter));
  const server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1));
    requests.push({ path: name, headers: req.headers });
    const body = files[name];
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    if (start >= body.length && range) {
      res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
      return;
    }
    const headers = { 'content-length': String(body.length - start), 'accept-ranges': 'bytes' };
    if (range) res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` });
    else res.writeHead(200, headers);
    if (cut.delete(name)) {
      // Negative: send that many bytes, then stall with the connection open.
      const n = cutAfter[name];
      res.write(body.subarray(start, start + Math.abs(n)), () => n > 0 && res.destroy());
      return;
    }
    res.end(body.subarray(start));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close,
  };
}

/** Fashion-MNIST test (10,000 real 28x28 images) from ../shared/data, the small real set most tests share. */
export function loadFashionMnistTest(): Promise<ImageDataset> {
  return loadIdx(
    dataPath('fashion-mnist', 't10k-images-idx3-ubyte.gz'),
    dataPath('fashion-mnist', 't10k-labels-idx1-ubyte.gz'),
  );
}

/** Run `fn` against a fresh `serveFiles` server and always close it. */
export async function withServer<T>(
  files: Record<string, Buffer>,
  cutAfter: Record<string, number>,
  fn: (server: Awaited<ReturnType<typeof serveFiles>>) => Promise<T>,
): Promise<T> {
  const server = await serveFiles(files, cutAfter);
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}
