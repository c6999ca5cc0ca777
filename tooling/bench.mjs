// Shared by every package's bench/*.bench.mjs: time a function and print one
// JSON line with throughput and peak memory. Benchmarks compare against a
// baseline measured in the same process (a ratio), since machines are noisy.
import * as tf from '@tensorflow/tfjs-core';

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);
sampler.unref();

/**
 * Run `fn` `warmup` times untimed, then `iterations` times timed (awaiting it
 * each time) and return the seconds per iteration.
 */
export async function timeIt(fn, { warmup = 1, iterations = 3 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1e9 / iterations;
}

/** Print one benchmark result as a JSON line (adds backend, peak RSS and live tensors). */
export function report(fields) {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  // Pure-JS packages (metrics-correlation) never start a tfjs backend.
  const engine = tf.engine().backendName ? { backend: tf.getBackend(), tensors: tf.memory().numTensors } : {};
  const line = { ...fields, ...engine, peakRssMB: Math.round(peakRss / 2 ** 20) };
  console.log(JSON.stringify(line));
  return line;
}
