import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { ExternalEncoder } from './external-encoder';

type Ort = typeof import('onnxruntime-node');
type Session = import('onnxruntime-node').InferenceSession;

export interface OnnxEncoderOptions {
  /** The model's input layout: `'NCHW'` (default; torchvision, timm, `torch.onnx.export`) or `'NHWC'`. */
  layout?: 'NCHW' | 'NHWC';
  /** Per-channel mean subtracted from the [0, 1] images, e.g. ImageNet's [0.485, 0.456, 0.406]; default none. */
  mean?: number[];
  /** Per-channel standard deviation the images are divided by (after `mean`); default none. */
  std?: number[];
  /** The input fed with the images; default the model's only input. */
  inputName?: string;
  /** The output read as features (`[N, D]`, or `[N, D, 1, 1]`); default the model's first output. */
  outputName?: string;
  /** ONNX Runtime execution providers in order of preference, e.g. `['cuda', 'cpu']`; default `['cpu']`. */
  executionProviders?: string[];
  /** Threads of one forward pass; default every core (`os.availableParallelism()`). */
  threads?: number;
}

/** An ONNX model as an `ExternalEncoder`, with what it was made from. */
export interface OnnxEncoder extends ExternalEncoder {
  readonly path: string;
  readonly inputName: string;
  readonly outputName: string;
}

const INSTALL =
  'onnxEncoder needs the optional package onnxruntime-node: `npm install onnxruntime-node` ' +
  '(its CPU binaries ship in the package; ONNXRUNTIME_NODE_INSTALL=skip skips the optional GPU download)';

async function loadOrt(): Promise<Ort> {
  try {
    const ort = (await import('onnxruntime-node')) as Ort & { default?: Ort };
    return ort.InferenceSession ? ort : ort.default!;
  } catch (err) {
    throw new Error(`${INSTALL}; loading it failed: ${(err as Error).message}`);
  }
}

function checkChannelVector(name: string, v: number[] | undefined, path: string): void {
  if (v === undefined) return;
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new Error(`onnxEncoder(${path}): options.${name} must be a list of numbers, got ${JSON.stringify(v)}`);
  }
  if (name === 'std' && v.some((x) => x === 0)) {
    throw new Error(`onnxEncoder(${path}): options.std must not contain 0, got ${JSON.stringify(v)}`);
  }
}

/**
 * NHWC [0, 1] pixels → the model's input: optional per-channel `(x - mean) / std`,
 * then NCHW unless the model takes NHWC.
 */
function toModelInput(pixels: Float32Array, [n, h, w, c]: number[], o: OnnxEncoderOptions): Float32Array {
  const { mean, std } = o;
  for (const [name, v] of [
    ['mean', mean],
    ['std', std],
  ] as const) {
    if (v && v.length !== c && v.length !== 1) {
      throw new Error(`onnxEncoder: options.${name} has ${v.length} values, the images have ${c} channels`);
    }
  }
  const m = (ch: number) => (mean ? mean[mean.length === 1 ? 0 : ch] : 0);
  const s = (ch: number) => (std ? std[std.length === 1 ? 0 : ch] : 1);
  const out = new Float32Array(pixels.length);
  const plane = h * w;
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < plane; p++) {
      for (let ch = 0; ch < c; ch++) {
        const src = (i * plane + p) * c + ch;
        const dst = o.layout === 'NHWC' ? src : (i * c + ch) * plane + p;
        out[dst] = (pixels[src] - m(ch)) / s(ch);
      }
    }
  }
  return out;
}

/**
 * A frozen encoder from an ONNX file, run by ONNX Runtime (`onnxruntime-node`, an
 * optional peer dependency loaded only here). Pass it to `extractFeatures` like a
 * tfjs encoder: it takes the same [0, 1] images after the same transform; `mean`/`std`
 * apply the model's own normalisation. The feature cache keys it by the file's SHA-256
 * and the preprocessing.
 */
export async function onnxEncoder(path: string, options: OnnxEncoderOptions = {}): Promise<OnnxEncoder> {
  const { layout = 'NCHW', mean, std, executionProviders = ['cpu'], threads = availableParallelism() } = options;
  if (layout !== 'NCHW' && layout !== 'NHWC') {
    throw new Error(`onnxEncoder(${path}): options.layout must be 'NCHW' or 'NHWC', got ${JSON.stringify(layout)}`);
  }
  checkChannelVector('mean', mean, path);
  checkChannelVector('std', std, path);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new Error(`onnxEncoder(${path}): options.threads must be a positive integer, got ${threads}`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new Error(`onnxEncoder: cannot read the model ${path}: ${(err as Error).message}`);
  }
  const ort = await loadOrt();
  let session: Session;
  try {
    session = await ort.InferenceSession.create(bytes, { executionProviders, intraOpNumThreads: threads });
  } catch (err) {
    throw new Error(`onnxEncoder: ${path} is not a model ONNX Runtime can load: ${(err as Error).message}`);
  }
  const pick = (kind: 'input' | 'output', wanted: string | undefined, names: readonly string[]) => {
    if (wanted !== undefined && !names.includes(wanted)) {
      throw new Error(
        `onnxEncoder(${path}): options.${kind}Name '${wanted}' is not one of the model's ${kind}s (${names.join(', ')})`,
      );
    }
    if (wanted === undefined && kind === 'input' && names.length !== 1) {
      throw new Error(
        `onnxEncoder(${path}): the model has inputs ${names.join(', ')}; say which takes the images with options.inputName`,
      );
    }
    return wanted ?? names[0];
  };
  const inputName = pick('input', options.inputName, session.inputNames);
  const outputName = pick('output', options.outputName, session.outputNames);
  const digest = createHash('sha256').update(bytes).digest('hex').slice(0, 32);
  const prep = { layout, mean: mean ?? null, std: std ?? null, inputName, outputName };
  const prepOptions = { ...options, layout };
  return {
    path,
    inputName,
    outputName,
    cacheId: `onnx:${digest}:${JSON.stringify(prep)}`,
    async encode(images, shape) {
      const [n, h, w, c] = shape;
      const dims = layout === 'NCHW' ? [n, c, h, w] : [n, h, w, c];
      const input = new ort.Tensor('float32', toModelInput(images, shape, prepOptions), dims);
      let result: Record<string, import('onnxruntime-node').Tensor>;
      try {
        result = await session.run({ [inputName]: input }, [outputName]);
      } catch (err) {
        throw new Error(
          `onnxEncoder(${path}): running the model on a batch of shape [${dims}] (${layout}) failed: ${(err as Error).message}`,
        );
      }
      const out = result[outputName];
      const data = out.data as Float32Array;
      if (out.type !== 'float32' || out.dims[0] !== n || out.dims.slice(2).some((d) => d !== 1)) {
        throw new Error(
          `onnxEncoder(${path}): output '${outputName}' is ${out.type} [${out.dims}], expected float32 [${n}, D] (or [${n}, D, 1, 1])`,
        );
      }
      return { data, dim: out.dims[1] ?? 1 };
    },
    dispose: () => session.release(),
  };
}
