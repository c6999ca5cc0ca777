import * as tf from '@tensorflow/tfjs-core';
import type { RawTensor } from './safetensors';

/** A tfjs tensor as a safetensors record (F32, I32 or BOOL); reads the values synchronously. */
export function toRawTensor(t: tf.Tensor): RawTensor {
  const values = t.dataSync();
  switch (t.dtype) {
    case 'float32':
      return { dtype: 'F32', shape: [...t.shape], data: Float32Array.from(values as Float32Array) };
    case 'int32':
      return { dtype: 'I32', shape: [...t.shape], data: Int32Array.from(values as Int32Array) };
    case 'bool':
      return { dtype: 'BOOL', shape: [...t.shape], data: Uint8Array.from(values as Uint8Array) };
    default:
      throw new Error(`safetensors: cannot store a tfjs ${t.dtype} tensor (float32, int32 and bool are supported)`);
  }
}

/**
 * A stored tensor as a tfjs tensor: floats become float32, integers int32
 * (I64 values outside the int32 range are an error, never wrapped), BOOL bool.
 */
export function toTfTensor(raw: RawTensor, name = 'tensor'): tf.Tensor {
  const { dtype, shape, data } = raw;
  switch (dtype) {
    case 'F32':
    case 'F16':
    case 'BF16':
      return tf.tensor(data as Float32Array, shape, 'float32');
    case 'F64':
      return tf.tensor(Float32Array.from(data as Float64Array), shape, 'float32');
    case 'I64': {
      const src = data as BigInt64Array;
      const out = new Int32Array(src.length);
      for (let i = 0; i < src.length; i++) {
        const v = src[i];
        if (v > 2147483647n || v < -2147483648n) {
          throw new Error(`safetensors: tensor '${name}' has I64 value ${v} at index ${i}, outside tfjs's int32 range`);
        }
        out[i] = Number(v);
      }
      return tf.tensor(out, shape, 'int32');
    }
    case 'I32':
    case 'I16':
    case 'I8':
    case 'U8':
      return tf.tensor(Int32Array.from(data as ArrayLike<number>), shape, 'int32');
    case 'BOOL':
      return tf.tensor(data as Uint8Array, shape, 'bool');
  }
}
