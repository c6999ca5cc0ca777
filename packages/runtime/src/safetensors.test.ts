import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { dataPath, describeWithData } from '@selfsup/testing';
import { initBackend } from './backend';
import { readSafetensors, readSafetensorsHeader, writeSafetensors } from './safetensors-file';
import { toTfTensor } from './safetensors-tf';

const dir = mkdtempSync(join(tmpdir(), 'selfsup-safetensors-'));

/** A file laid out by hand from the format's spec: u64 LE header length, JSON header, raw data. */
function handWritten(header: object, data: Uint8Array): string {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  const path = join(dir, `hand-${Math.random().toString(36).slice(2)}.safetensors`);
  writeFileSync(path, Buffer.concat([len, json, data]));
  return path;
}

beforeAll(async () => {
  await initBackend('cpu');
});

describe('safetensors', () => {
  it('reads a file written by another tool, every dtype decoded by the spec', async () => {
    const f16 = Buffer.alloc(6);
    [0x3c00, 0xc000, 0x3555].forEach((h, i) => f16.writeUInt16LE(h, 2 * i)); // 1, -2, ~1/3
    const bf16 = Buffer.alloc(4);
    [0x3f00, 0xc0a0].forEach((h, i) => bf16.writeUInt16LE(h, 2 * i)); // 0.5, -5
    const i64 = Buffer.alloc(16);
    i64.writeBigInt64LE(-3n, 0);
    i64.writeBigInt64LE(2147483647n, 8);
    const f32 = Buffer.alloc(8);
    f32.writeFloatLE(1.5, 0);
    f32.writeFloatLE(-0.25, 4);
    const u8 = Buffer.from([0, 7, 255]);
    const i32 = Buffer.alloc(4);
    i32.writeInt32LE(-123456, 0);
    const parts = [f16, bf16, i64, f32, u8, i32];
    const names = ['h', 'b', 'l', 'f', 'u', 'i'];
    const dtypes = ['F16', 'BF16', 'I64', 'F32', 'U8', 'I32'];
    const shapes = [[3], [2], [2, 1], [1, 2], [3], []];
    const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
    let off = 0;
    parts.forEach((p, k) => {
      header[names[k]] = { dtype: dtypes[k], shape: shapes[k], data_offsets: [off, off + p.length] };
      off += p.length;
    });
    const path = handWritten(header, Buffer.concat(parts));
    const { tensors, metadata } = await readSafetensors(path);
    expect(metadata).toEqual({ format: 'pt' });
    expect(Array.from(tensors.get('h')!.data as Float32Array)).toEqual([1, -2, Math.fround(0.333251953125)]);
    expect(Array.from(tensors.get('b')!.data as Float32Array)).toEqual([0.5, -5]);
    expect(Array.from(tensors.get('l')!.data as BigInt64Array)).toEqual([-3n, 2147483647n]);
    expect(tensors.get('l')!.shape).toEqual([2, 1]);
    expect(Array.from(tensors.get('f')!.data as Float32Array)).toEqual([1.5, -0.25]);
    expect(Array.from(tensors.get('u')!.data as Uint8Array)).toEqual([0, 7, 255]);
    expect(Array.from(tensors.get('i')!.data as Int32Array)).toEqual([-123456]);
    const t = toTfTensor(tensors.get('l')!, 'l');
    expect(t.dtype).toBe('int32');
    expect(Array.from(t.dataSync())).toEqual([-3, 2147483647]);
    t.dispose();
  });

  it('round-trips tfjs tensors and raw records, header 8-byte aligned, names and metadata preserved', async () => {
    const a = tf.randomNormal([3, 4, 5], 0, 1, 'float32', 1);
    const b = tf.tensor1d([1, -2, 3], 'int32');
    const c = tf.tensor1d([1, 0, 1], 'bool');
    const path = join(dir, 'roundtrip.safetensors');
    const raw = { dtype: 'F64' as const, shape: [2], data: new Float64Array([Math.PI, -Math.E]) };
    await writeSafetensors(path, { 'layer1.0.conv1.weight': a, 'bn1.num': b, mask: c, precise: raw }, { step: '12' });
    const bytes = readFileSync(path);
    expect(Number(bytes.readBigUInt64LE(0)) % 8).toBe(0);
    const { tensors, metadata } = await readSafetensors(path);
    expect([...tensors.keys()]).toEqual(['layer1.0.conv1.weight', 'bn1.num', 'mask', 'precise']);
    expect(metadata).toEqual({ step: '12' });
    expect(Array.from(tensors.get('layer1.0.conv1.weight')!.data as Float32Array)).toEqual(Array.from(a.dataSync()));
    expect(tensors.get('layer1.0.conv1.weight')!.shape).toEqual([3, 4, 5]);
    expect(Array.from(tensors.get('bn1.num')!.data as Int32Array)).toEqual([1, -2, 3]);
    expect(tensors.get('mask')!.dtype).toBe('BOOL');
    expect(Array.from(tensors.get('precise')!.data as Float64Array)).toEqual([Math.PI, -Math.E]);
    const partial = await readSafetensors(path, { names: ['bn1.num'] });
    expect([...partial.tensors.keys()]).toEqual(['bn1.num']);
    tf.dispose([a, b, c]);
  });

  it('streams a file of several hundred MB tensor by tensor', async () => {
    const path = join(dir, 'big.safetensors');
    const chunk = new Float32Array(16 * 2 ** 20); // 64 MiB each, 320 MiB in all
    chunk[0] = 1;
    chunk[chunk.length - 1] = 2;
    const big = Object.fromEntries(
      Array.from({ length: 5 }, (_, i) => [`w${i}`, { dtype: 'F32' as const, shape: [chunk.length], data: chunk }]),
    );
    await writeSafetensors(path, big);
    const header = await readSafetensorsHeader(path);
    expect(header.entries.get('w4')!.data_offsets).toEqual([4 * chunk.byteLength, 5 * chunk.byteLength]);
    const { tensors } = await readSafetensors(path, { names: ['w3'] });
    const w3 = tensors.get('w3')!.data as Float32Array;
    expect([w3[0], w3[w3.length - 1], w3.length]).toEqual([1, 2, chunk.length]);
  }, 60_000);

  it('names the file and the tensor in every error', async () => {
    const truncated = handWritten({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, new Uint8Array(8));
    await expect(readSafetensors(truncated)).rejects.toThrow(new RegExp(`${truncated}: tensor 'w'.*truncated`));

    const badDtype = handWritten({ w: { dtype: 'Q4', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1));
    await expect(readSafetensors(badDtype)).rejects.toThrow(/tensor 'w': unknown dtype "Q4"/);

    const badShape = handWritten({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8));
    await expect(readSafetensors(badShape)).rejects.toThrow(
      /tensor 'w': 8 data bytes for dtype F32 and shape \[3\], expected 12/,
    );

    const junk = join(dir, 'junk.safetensors');
    writeFileSync(junk, Buffer.concat([Buffer.from([5, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{oops')]));
    await expect(readSafetensors(junk)).rejects.toThrow(/junk.safetensors: malformed JSON header/);

    const short = join(dir, 'short.safetensors');
    writeFileSync(short, Buffer.from([1, 2, 3]));
    await expect(readSafetensors(short)).rejects.toThrow(/short.safetensors: file has 3 bytes/);

    const huge = join(dir, 'huge-header.safetensors');
    writeFileSync(huge, Buffer.from([255, 255, 0, 0, 0, 0, 0, 0, 123]));
    await expect(readSafetensors(huge)).rejects.toThrow(/header length 65535 does not fit/);

    await expect(readSafetensors(join(dir, 'missing.safetensors'))).rejects.toThrow(/missing.safetensors: cannot open/);
    const ok = handWritten({ w: { dtype: 'U8', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1));
    await expect(readSafetensors(ok, { names: ['nope'] })).rejects.toThrow(/no tensor named 'nope'/);
  });

  it('writes atomically: a failed write leaves neither a partial file nor a temp file', async () => {
    const sub = mkdtempSync(join(dir, 'atomic-'));
    const path = join(sub, 'model.safetensors');
    await writeSafetensors(path, { ok: { dtype: 'U8', shape: [1], data: new Uint8Array([1]) } });
    const before = readFileSync(path);
    const invalid = { wrong: { dtype: 'F32' as const, shape: [3], data: new Float32Array(2) } };
    await expect(writeSafetensors(path, invalid)).rejects.toThrow(/tensor 'wrong': .*2 values for shape \[3\]/);
    // A failure after the header and the first tensor are already in the temp file.
    let reads = 0;
    const flaky = {
      dtype: 'F32' as const,
      shape: [2],
      get data(): Float32Array {
        if (++reads > 1) throw new Error('device lost');
        return new Float32Array(2);
      },
    };
    const first = { dtype: 'U8' as const, shape: [1], data: new Uint8Array([2]) };
    await expect(writeSafetensors(path, { first, flaky })).rejects.toThrow(/tensor 'flaky': device lost/);
    expect(readFileSync(path)).toEqual(before);
    expect(readdirSync(sub)).toEqual(['model.safetensors']);
  });
});

describeWithData('safetensors on real data', () => {
  it('round-trips the Fashion-MNIST test images byte for byte', async () => {
    const idx = gunzipSync(readFileSync(dataPath('fashion-mnist', 't10k-images-idx3-ubyte.gz')));
    const images = new Uint8Array(idx.buffer, idx.byteOffset + 16, 10000 * 28 * 28);
    const path = join(dir, 'fashion.safetensors');
    await writeSafetensors(path, { images: { dtype: 'U8', shape: [10000, 28, 28, 1], data: images } });
    const { tensors } = await readSafetensors(path);
    const back = tensors.get('images')!;
    expect(back.shape).toEqual([10000, 28, 28, 1]);
    expect(Buffer.from(back.data as Uint8Array).equals(Buffer.from(images))).toBe(true);
    const t = toTfTensor(back, 'images');
    expect(t.dtype).toBe('int32');
    expect(tf.max(t).dataSync()[0]).toBe(255);
    tf.dispose(t);
  });
});
