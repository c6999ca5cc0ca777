import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test/fixtures';
import { extractTarGz } from './tar';
import { extractZip } from './zip';
import { tarHeader } from '../test/hostile';

describe('archive readers', () => {
  const temp = makeTempDir();
  afterAll(() => temp.remove());

  it('tar: long names (GNU and pax) and nested folders from the system tar', async () => {
    const src = join(temp.dir, 'src');
    const longName = `${'d'.repeat(120)}/${'f'.repeat(110)}.bin`;
    mkdirSync(join(src, 'top', 'd'.repeat(120)), { recursive: true });
    writeFileSync(join(src, 'top', longName), Buffer.from([1, 2, 3]));
    writeFileSync(join(src, 'top', 'small.txt'), 'hi');
    for (const format of ['gnu', 'pax']) {
      execFileSync('tar', [`--format=${format}`, '-czf', join(temp.dir, `${format}.tar.gz`), 'top'], { cwd: src });
      const out = join(temp.dir, `out-${format}`);
      const written = await extractTarGz(join(temp.dir, `${format}.tar.gz`), out);
      expect(written.sort()).toEqual([`top/${longName}`, 'top/small.txt'].sort());
      expect(readFileSync(join(out, 'top', longName))).toEqual(Buffer.from([1, 2, 3]));
    }
  });

  it('tar: refuses entries that escape the folder, corrupt headers and truncation', async () => {
    const escaping = join(temp.dir, 'escaping.tar.gz');
    writeFileSync(
      escaping,
      gzipSync(Buffer.concat([tarHeader('../evil.txt', 2), Buffer.alloc(512), Buffer.alloc(1024)])),
    );
    await expect(extractTarGz(escaping, join(temp.dir, 'x'))).rejects.toThrow(
      /entry '\.\.\/evil\.txt' would be written outside the destination folder/,
    );
    expect(existsSync(join(temp.dir, 'evil.txt'))).toBe(false);

    const bad = tarHeader('ok.txt', 2);
    bad[0] = 'p'.charCodeAt(0);
    writeFileSync(join(temp.dir, 'bad.tar.gz'), gzipSync(Buffer.concat([bad, Buffer.alloc(1536)])));
    await expect(extractTarGz(join(temp.dir, 'bad.tar.gz'), join(temp.dir, 'y'))).rejects.toThrow(
      /corrupt tar header after 0 entries \(checksum/,
    );

    writeFileSync(
      join(temp.dir, 'short.tar.gz'),
      gzipSync(Buffer.concat([tarHeader('big.bin', 5000), Buffer.alloc(512)])),
    );
    await expect(extractTarGz(join(temp.dir, 'short.tar.gz'), join(temp.dir, 'z'))).rejects.toThrow(
      /truncated tar archive inside entry 'big\.bin'/,
    );
  });

  it('zip: stored and deflated entries; a corrupt entry is named', async () => {
    const src = join(temp.dir, 'zsrc');
    mkdirSync(join(src, 'a'), { recursive: true });
    const text = 'compressible '.repeat(500);
    writeFileSync(join(src, 'a', 'text.txt'), text);
    writeFileSync(join(src, 'a', 'raw.bin'), Buffer.from([9, 8, 7]));
    execFileSync('zip', ['-qr', '../z.zip', 'a'], { cwd: src });
    execFileSync('zip', ['-qr0', '../z0.zip', 'a'], { cwd: src });
    for (const name of ['z.zip', 'z0.zip']) {
      const out = join(temp.dir, `out-${name}`);
      const written = await extractZip(join(temp.dir, name), out);
      expect(written.sort()).toEqual(['a/raw.bin', 'a/text.txt']);
      expect(readFileSync(join(out, 'a', 'text.txt'), 'utf8')).toBe(text);
    }
    const zip = readFileSync(join(temp.dir, 'z0.zip'));
    const at = zip.indexOf(Buffer.from('compressible'));
    zip[at] ^= 0xff;
    writeFileSync(join(temp.dir, 'corrupt.zip'), zip);
    await expect(extractZip(join(temp.dir, 'corrupt.zip'), join(temp.dir, 'c'))).rejects.toThrow(
      /corrupt\.zip: entry 'a\/text\.txt' is corrupt \(CRC-32 mismatch\)/,
    );
    writeFileSync(join(temp.dir, 'cut.zip'), readFileSync(join(temp.dir, 'z.zip')).subarray(0, 100));
    await expect(extractZip(join(temp.dir, 'cut.zip'), join(temp.dir, 'd'))).rejects.toThrow(
      /cut\.zip: not a zip file or truncated/,
    );
  });
});
