// Regression tests for issue #16 (hostile archives): each case aborted the process,
// used memory proportional to the expanded size, escaped the folder, leaked a
// descriptor or threw an error without the archive's name before the fix.
import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test/fixtures';
import { peakArrayBufferGrowth, tarHeader, tarOf, zipOf } from '../test/hostile';
import { extractTarGz } from './tar';
import { extractZip } from './zip';

const MiB = 2 ** 20;

describe('archive extraction of hostile files (issue #16)', () => {
  const temp = makeTempDir();
  afterAll(() => temp.remove());
  const file = temp.write;

  it('a small zip whose central directory claims a 2 GiB entry is refused, not an abort', async () => {
    const archive = file(
      'claims-2gib.zip',
      zipOf([{ name: 'big.bin', content: Buffer.from('x'), compressedSize: 2 ** 31 }]),
    );
    await expect(extractZip(archive, join(temp.dir, 'z1'))).rejects.toThrow(
      /claims-2gib\.zip: .*'big\.bin'.*2147483648/,
    );
  });

  it('archive members are streamed to disk: a 64 MiB entry never sits in memory whole', async () => {
    const content = Buffer.alloc(64 * MiB);
    const tgz = file('zeros.tar.gz', gzipSync(tarOf([['zeros.bin', content]])));
    const zip = file('zeros.zip', zipOf([{ name: 'zeros.bin', content, deflate: true }]));
    for (const [archive, extract] of [
      [tgz, extractTarGz],
      [zip, extractZip],
    ] as const) {
      const out = join(temp.dir, `out-${extract.name}`);
      const { peak, error } = await peakArrayBufferGrowth(() => extract(archive, out));
      expect(error).toBeUndefined();
      expect(peak).toBeLessThan(24 * MiB);
      expect(readdirSync(out)).toEqual(['zeros.bin']);
    }
  });

  it('decompression has a ceiling: maxBytes stops an archive that expands past it', async () => {
    const tgz = file('bomb.tar.gz', gzipSync(tarOf([['a.bin', Buffer.alloc(2 * MiB)]])));
    await expect(extractTarGz(tgz, join(temp.dir, 'b1'), { maxBytes: MiB })).rejects.toThrow(
      /bomb\.tar\.gz: entry 'a\.bin' takes the extracted size past the limit of 1048576 bytes/,
    );
    const zip = file('bomb.zip', zipOf([{ name: 'a.bin', content: Buffer.alloc(2 * MiB), deflate: true }]));
    await expect(extractZip(zip, join(temp.dir, 'b2'), { maxBytes: MiB })).rejects.toThrow(/bomb\.zip: .*limit/);
    // A zip entry that inflates past its declared size is cut off there.
    const liar = file(
      'liar.zip',
      zipOf([{ name: 'a.bin', content: Buffer.alloc(MiB), deflate: true, uncompressedSize: 10 }]),
    );
    await expect(extractZip(liar, join(temp.dir, 'b3'))).rejects.toThrow(
      /liar\.zip: entry 'a\.bin' is corrupt \(expands past/,
    );
  });

  it('a symlink already in the target cannot carry an entry outside it', async () => {
    for (const kind of ['tar', 'zip']) {
      const dest = join(temp.dir, `dest-${kind}`);
      const outside = join(temp.dir, `outside-${kind}`);
      mkdirSync(dest, { recursive: true });
      mkdirSync(outside, { recursive: true });
      symlinkSync(`../outside-${kind}`, join(dest, 'sub'));
      const entry = { name: 'sub/planted.txt', content: Buffer.from('planted') };
      const archive =
        kind === 'tar'
          ? file('planted.tar.gz', gzipSync(tarOf([[entry.name, entry.content]])))
          : file('planted.zip', zipOf([entry]));
      const extract = kind === 'tar' ? extractTarGz : extractZip;
      await expect(extract(archive, dest)).rejects.toThrow(/entry 'sub\/planted\.txt' would be written outside/);
      expect(existsSync(join(outside, 'planted.txt'))).toBe(false);
    }
  });

  it('tar: no descriptor leaks when the end-of-archive blocks come before the end of the gzip stream', async () => {
    // 256 KiB of zero blocks after the end marker: more than the stream has read when the marker is seen.
    const archive = file(
      'early-end.tar.gz',
      gzipSync(Buffer.concat([tarOf([['a.txt', Buffer.from('a')]]), Buffer.alloc(256 * 1024)])),
    );
    const fds = () => readdirSync('/proc/self/fd').length;
    await extractTarGz(archive, join(temp.dir, 'e0'));
    const before = fds();
    for (let i = 0; i < 20; i++) await extractTarGz(archive, join(temp.dir, `e${i}`));
    await new Promise((r) => setTimeout(r, 50));
    expect(fds()).toBeLessThanOrEqual(before);
  });

  it('errors name the archive: corrupt gzip, NUL and empty names, a file and a folder of one name', async () => {
    const gz = gzipSync(tarOf([['a.txt', Buffer.from('hello '.repeat(100))]]));
    gz[gz.length - 12] ^= 0xff; // inside the deflate data / CRC
    await expect(extractTarGz(file('bad-gzip.tar.gz', gz), join(temp.dir, 'g'))).rejects.toThrow(
      /bad-gzip\.tar\.gz: (corrupt gzip data|truncated tar)/,
    );
    await expect(
      extractZip(file('nul.zip', zipOf([{ name: 'a\0b', content: Buffer.from('x') }])), join(temp.dir, 'n')),
    ).rejects.toThrow(/nul\.zip: entry name "a\\u0000b" is empty or holds a NUL byte/);
    await expect(
      extractZip(file('empty.zip', zipOf([{ name: '', content: Buffer.from('x') }])), join(temp.dir, 'm')),
    ).rejects.toThrow(/empty\.zip: entry name "" is empty/);
    const clash = file(
      'clash.tar.gz',
      gzipSync(
        tarOf([
          ['a', Buffer.from('file')],
          ['a/b', Buffer.from('under a file')],
        ]),
      ),
    );
    await expect(extractTarGz(clash, join(temp.dir, 'c'))).rejects.toThrow(
      /clash\.tar\.gz: cannot write entry 'a\/b': a file and a folder of the same name/,
    );
    const clashZip = file(
      'clash.zip',
      zipOf([
        { name: 'a', content: Buffer.from('f') },
        { name: 'a/', content: Buffer.alloc(0) },
      ]),
    );
    await expect(extractZip(clashZip, join(temp.dir, 'c2'))).rejects.toThrow(/clash\.zip: cannot write entry 'a\/'/);
    // A directory offset past the end of the file.
    const zip = zipOf([{ name: 'x', content: Buffer.from('x') }]);
    zip.writeUInt32LE(0xfffffff0, zip.length - 6);
    await expect(extractZip(file('offset.zip', zip), join(temp.dir, 'o'))).rejects.toThrow(
      /offset\.zip: corrupt zip: central directory/,
    );
    expect(tarHeader('x', 0)).toHaveLength(512);
  });
});
