// Regression tests for issue #16: hostile safetensors files aborted the process,
// allocated what the header claimed, or were accepted though the reference loader rejects them.
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFully, readSafetensors, readSafetensorsHeader } from './safetensors-file';

const dir = mkdtempSync(join(tmpdir(), 'selfsup-safetensors-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let count = 0;
/** A file from raw header text (or an object) and data bytes. */
function file(header: string | object, data: Uint8Array = new Uint8Array(0), name = `f${count++}`): string {
  const json = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  const path = join(dir, `${name}.safetensors`);
  writeFileSync(path, Buffer.concat([len, json, data]));
  return path;
}

/** A sparse file: `length` bytes of which only the first `head` are written (cheap however large). */
function sparse(name: string, head: Uint8Array, length: number): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  writeSync(fd, head, 0, head.length, 0);
  writeSync(fd, new Uint8Array(1), 0, 1, length - 1);
  closeSync(fd);
  return path;
}

const t = (dtype: string, shape: number[], begin: number, end: number) => ({
  dtype,
  shape,
  data_offsets: [begin, end],
});

describe('safetensors on hostile files (issue #16)', () => {
  it('a header length of 2^31 + 8 in a sparse file is refused by the limit, not an abort', async () => {
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(2n ** 31n + 8n);
    const path = sparse('huge-header.safetensors', len, 2 ** 31 + 4096);
    await expect(readSafetensorsHeader(path)).rejects.toThrow(
      /huge-header\.safetensors: header length 2147483656 is over the limit of 100000000 bytes/,
    );
  });

  it('a header length of 1e9 names the limit (and allocates nothing)', async () => {
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(1_000_000_000n);
    const path = sparse('1e9.safetensors', len, 1_000_000_100);
    const before = process.memoryUsage().arrayBuffers;
    await expect(readSafetensorsHeader(path)).rejects.toThrow(/header length 1000000000 is over the limit/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(10 * 2 ** 20);
  });

  it('one U8 tensor of 2^31 elements: the header reads, and the data is read in chunks below 2^31 bytes', async () => {
    const json = Buffer.from(JSON.stringify({ big: t('U8', [2 ** 31], 0, 2 ** 31) }));
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(json.length));
    const path = sparse('big-u8.safetensors', Buffer.concat([len, json]), 8 + json.length + 2 ** 31);
    const header = await readSafetensorsHeader(path);
    expect(header.entries.get('big')?.shape).toEqual([2 ** 31]);
    // The chunked reader (run here with a 1 KiB chunk on a 10 KiB span; the full 2 GiB read is the same loop).
    const fh = await open(path, 'r');
    try {
      const into = new Uint8Array(10 * 1024);
      await readFully(fh, into, 0, 'x', 1024);
      expect(Buffer.from(into.subarray(0, 8)).equals(len)).toBe(true);
    } finally {
      await fh.close();
    }
  });

  it('rejects what the reference loader rejects: overlaps, identical offsets, gaps, trailing bytes', async () => {
    const data = new Uint8Array(8);
    const cases: Array<[object, Uint8Array, RegExp]> = [
      [
        { a: t('U8', [4], 0, 4), b: t('U8', [4], 2, 6) },
        data.subarray(0, 6),
        /tensor 'b' starts at data byte 2, expected 4 \(it overlaps/,
      ],
      [
        { a: t('U8', [4], 0, 4), b: t('U8', [4], 0, 4) },
        data.subarray(0, 4),
        /starts at data byte 0, expected 4 \(it overlaps/,
      ],
      [
        { a: t('U8', [2], 0, 2), b: t('U8', [2], 4, 6) },
        data.subarray(0, 6),
        /tensor 'b' starts at data byte 4, expected 2 \(a gap/,
      ],
      [{ a: t('U8', [4], 0, 4) }, data, /4 bytes after the last tensor's data/],
      [
        { __metadata__: { n: 1 }, a: t('U8', [1], 0, 1) },
        data.subarray(0, 1),
        /__metadata__ 'n' must be a string, got 1/,
      ],
      [{ __metadata__: 'x', a: t('U8', [1], 0, 1) }, data.subarray(0, 1), /__metadata__ must be an object of strings/],
      [{ a: t('__proto__', [1], 0, 1) }, data.subarray(0, 1), /tensor 'a': unknown dtype "__proto__"/],
      [{ a: t('constructor', [1], 0, 1) }, data.subarray(0, 1), /unknown dtype "constructor"/],
    ];
    for (const [header, bytes, message] of cases) {
      const path = file(header, bytes);
      await expect(readSafetensors(path), JSON.stringify(header)).rejects.toThrow(message);
      await expect(readSafetensors(path)).rejects.toThrow(path);
    }
  });

  it('rejects a name that is not valid UTF-8', async () => {
    const json = Buffer.concat([
      Buffer.from('{"a'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}'),
    ]);
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(json.length));
    const path = join(dir, 'bad-utf8.safetensors');
    writeFileSync(path, Buffer.concat([len, json, Buffer.from([1])]));
    await expect(readSafetensorsHeader(path)).rejects.toThrow(/bad-utf8\.safetensors: header is not valid UTF-8/);
  });

  it('still reads zero-size tensors and a header padded with spaces', async () => {
    const path = file(
      `${JSON.stringify({ e: t('F32', [0, 3], 0, 0), a: t('U8', [2], 0, 2) })}      `,
      new Uint8Array([5, 6]),
    );
    const { tensors } = await readSafetensors(path);
    expect(Array.from(tensors.get('a')!.data as Uint8Array)).toEqual([5, 6]);
    expect(tensors.get('e')!.shape).toEqual([0, 3]);
  });
});
