// Byte-level and token-level mutations for the fuzz harness, driven by fast-check
// so every failing input comes with a seed that replays it and a shrunk form.
import fc from 'fast-check';

/** Values that break size and offset arithmetic (sign, 2^31, 2^32, 2^53 edges). */
export const INTERESTING_U32 = [0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 8, 2 ** 32 - 1];
const INTERESTING_TOKENS = [
  '0',
  '-1',
  '1',
  '255',
  '2147483648',
  '4294967296',
  '9007199254740993',
  '18446744073709551616',
  '1e308',
  '1e-400',
  '0.5',
  'null',
  'true',
  '[]',
  '{}',
  '[0,0]',
  '[1,0]',
  '[0,4294967296]',
  '"__proto__"',
  '"constructor"',
  '"toString"',
  '""',
  '"F32"',
  '"U8"',
  '"BOOL"',
  '"F16"',
  '"BF16"',
  '"I64"',
  '"\\ud800"',
  '"\\u0000"',
  '"../../x"',
  '"/etc/passwd"',
  '{"a":{"b":{"c":{"d":[[[[[[1]]]]]]}}}}',
];

export type Op =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'u32'; at: number; pick: number; bigEndian: boolean }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'token'; which: number; pick: number };

const position = fc.nat({ max: 2 ** 30 });
export const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: position, bit: fc.nat({ max: 7 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('byte' as const),
      at: position,
      value: fc.constantFrom(0, 1, 0x20, 0x2f, 0x30, 0x7f, 0x80, 0xff, 0x00),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('u32' as const),
      at: position,
      pick: fc.nat({ max: INTERESTING_U32.length - 1 }),
      bigEndian: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: position,
      bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      at: position,
      length: fc.integer({ min: 1, max: 600 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: position }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('duplicate' as const),
      at: position,
      length: fc.integer({ min: 1, max: 1024 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('token' as const),
      which: fc.nat({ max: 10_000 }),
      pick: fc.nat({ max: INTERESTING_TOKENS.length - 1 }),
    }),
  },
);

const TOKEN = /-?\d+(\.\d+)?([eE][+-]?\d+)?|"(?:[^"\\]|\\.)*"|\b(true|false|null)\b/g;

/** Apply one mutation; offsets wrap around the input so every op lands somewhere. */
export function applyOp(input: Uint8Array, op: Op): Uint8Array {
  const n = input.length;
  const at = n === 0 ? 0 : op.kind === 'token' ? 0 : op.at % n;
  switch (op.kind) {
    case 'flip': {
      if (n === 0) return input;
      const out = new Uint8Array(input);
      out[at] ^= 1 << op.bit;
      return out;
    }
    case 'byte': {
      if (n === 0) return input;
      const out = new Uint8Array(input);
      out[at] = op.value;
      return out;
    }
    case 'u32': {
      if (n < 4) return input;
      const out = new Uint8Array(input);
      const view = new DataView(out.buffer);
      view.setUint32(Math.min(at, n - 4), INTERESTING_U32[op.pick], !op.bigEndian);
      return out;
    }
    case 'insert':
      return concat(input.subarray(0, at), op.bytes, input.subarray(at));
    case 'delete':
      return concat(input.subarray(0, at), input.subarray(at + op.length));
    case 'truncate':
      return input.subarray(0, at);
    case 'duplicate':
      return concat(input.subarray(0, at + op.length), input.subarray(at));
    case 'token': {
      // Textual formats (JSON headers, configs): replace one token with a hostile one.
      const text = Buffer.from(input).toString('latin1');
      const tokens = [...text.matchAll(TOKEN)];
      if (tokens.length === 0) return input;
      const t = tokens[op.which % tokens.length];
      const replaced = text.slice(0, t.index) + INTERESTING_TOKENS[op.pick] + text.slice(t.index! + t[0].length);
      return new Uint8Array(Buffer.from(replaced, 'latin1'));
    }
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** One fuzz input: which seed, whether to mutate its inner layer (decompressed / header text), and the ops. */
export interface Mutation {
  seed: number;
  inner: boolean;
  ops: Op[];
}

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.record({
  seed: fc.nat(),
  inner: fc.boolean(),
  ops: fc.array(opArbitrary, { minLength: 1, maxLength: 6 }),
});
