/**
 * A fast, browser-safe 64-bit content digest (two independently seeded
 * murmur3-style 32-bit lanes over 32-bit words). It names cache entries; the
 * full key is also stored and compared, so a collision can never return wrong features.
 */
export class ContentHash {
  private h1 = 0x9747b28c;
  private h2 = 0x2545f491;
  private length = 0;

  /** Feed the bytes of any typed array (its exact byte image). */
  update(view: ArrayBufferView | string): this {
    const bytes =
      typeof view === 'string'
        ? new TextEncoder().encode(view)
        : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    const words = bytes.length >>> 2;
    const aligned = bytes.byteOffset % 4 === 0;
    const data = aligned
      ? new Uint32Array(bytes.buffer, bytes.byteOffset, words)
      : new Uint32Array(bytes.slice(0, words * 4).buffer);
    for (let i = 0; i < words; i++) this.mix(data[i]);
    let tail = 0;
    for (let i = words * 4; i < bytes.length; i++) tail = (tail << 8) | bytes[i];
    if (bytes.length % 4) this.mix(tail);
    this.length += bytes.length;
    return this;
  }

  private mix(word: number): void {
    let k = Math.imul(word, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    this.h1 = Math.imul(((this.h1 ^ k) << 13) | ((this.h1 ^ k) >>> 19), 5) + 0xe6546b64;
    let j = Math.imul(word, 0x85ebca6b);
    j = Math.imul((j << 13) | (j >>> 19), 0xc2b2ae35);
    this.h2 = Math.imul(((this.h2 ^ j) << 17) | ((this.h2 ^ j) >>> 15), 9) + 0x52dce729;
  }

  /** 16 hex digits. */
  digest(): string {
    const finish = (h: number, salt: number): string => {
      h ^= this.length + salt;
      h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
      h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
      return ((h ^ (h >>> 16)) >>> 0).toString(16).padStart(8, '0');
    };
    return finish(this.h1, 0) + finish(this.h2, 0x6a09e667);
  }
}
