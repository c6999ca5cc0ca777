import { checkPositiveInteger, type Rng } from '@selfsup/runtime';

/**
 * Kaiming/He normal init: N(0, (gain / sqrt(fan))^2). torchvision's ResNet uses
 * it for convolutions with mode 'fan_out' and gain sqrt(2) (ReLU).
 */
export function kaimingNormal(rng: Rng, size: number, fan: number, gain = Math.SQRT2): Float32Array {
  checkPositiveInteger('kaimingNormal', 'fan', fan);
  return rng.fillNormal(new Float32Array(size), 0, gain / Math.sqrt(fan));
}

/**
 * Kaiming/He uniform init with leaky-ReLU slope `a`: U(-b, b), b = gain * sqrt(3 / fan),
 * gain = sqrt(2 / (1 + a^2)). torch's nn.Linear uses a = sqrt(5) on fan_in,
 * which gives b = 1 / sqrt(fan_in).
 */
export function kaimingUniform(rng: Rng, size: number, fan: number, a = Math.sqrt(5)): Float32Array {
  checkPositiveInteger('kaimingUniform', 'fan', fan);
  const bound = Math.sqrt(2 / (1 + a * a)) * Math.sqrt(3 / fan);
  return rng.fillUniform(new Float32Array(size), -bound, bound);
}

/** `size` copies of `value` (BN weight 1, bias and running mean 0, running var 1). */
export function constant(size: number, value: number): Float32Array {
  return new Float32Array(size).fill(value);
}
