/**
 * Node-only entry (`@selfsup/backbones/node`): weights from and to safetensors files; export as ONNX and TF.js.
 * Every write goes through a temp file + rename (runtime's writeSafetensors).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { io as tfio } from '@tensorflow/tfjs-core';
import type { Encoder, Module, ParsedHeader } from '@selfsup/runtime';
import { readSafetensors, readSafetensorsHeader, writeFileAtomic, writeSafetensors } from '@selfsup/runtime/node';
import { encoderToOnnx, type EncoderToOnnxOptions } from './encoder-to-onnx';
import { loadState, planStateLoad, type LoadReport, type WeightLayout } from './state-dict';
import { toTorchLayout } from './torchvision-layout';

export type { LoadReport, WeightLayout } from './state-dict';

const FORMAT = 'selfsup';

// Names and shapes are checked against the header first, so a bad file costs no data reads.
async function loadFile(module: Module, path: string, header: ParsedHeader, layout: WeightLayout): Promise<LoadReport> {
  const source = `weights file ${path}`;
  const plan = planStateLoad(module, header.entries, layout, source);
  const { tensors } = await readSafetensors(path, { names: plan.loaded });
  loadState(module, tensors, layout, source);
  return plan;
}

/**
 * Load a torchvision-format checkpoint (a `state_dict` saved as safetensors: conv
 * weights `[out, in, kh, kw]`) into `module`. Keys the module lacks (`fc.*`,
 * `num_batches_tracked`) are ignored and listed in the report; missing or mis-shaped
 * keys are one error listing them all, and then nothing is changed.
 */
export async function loadTorchvisionWeights(module: Module, path: string): Promise<LoadReport> {
  const header = await readSafetensorsHeader(path);
  const { metadata } = header;
  if (metadata.format === FORMAT && metadata.layout !== 'torchvision') {
    throw new Error(
      `loadTorchvisionWeights: ${path} was written by saveWeights in ${metadata.layout} layout; read it with loadWeights`,
    );
  }
  return loadFile(module, path, header, 'torchvision');
}

/** Save `module.state()` in torchvision layout, loadable by `torch.nn.Module.load_state_dict` after reading it with safetensors. */
export async function saveTorchvisionWeights(
  module: Module,
  path: string,
  metadata: Record<string, string> = {},
): Promise<void> {
  const converted = new Map<string, tf.Tensor>();
  try {
    for (const [name, variable] of module.state()) converted.set(name, toTorchLayout(variable));
    await writeSafetensors(path, converted, { ...metadata, format: FORMAT, layout: 'torchvision' });
  } finally {
    for (const t of converted.values()) t.dispose();
  }
}

/** Save `module.state()` as safetensors in our own layout (names kept, tfjs `[kh, kw, in, out]`), with `format`/`layout` metadata. */
export async function saveWeights(module: Module, path: string, metadata: Record<string, string> = {}): Promise<void> {
  await writeSafetensors(path, module.state(), { ...metadata, format: FORMAT, layout: 'tfjs' });
}

/** Load a file written by `saveWeights` or `saveTorchvisionWeights` (the layout is read from its metadata). */
export async function loadWeights(module: Module, path: string): Promise<LoadReport> {
  const header = await readSafetensorsHeader(path);
  const { metadata } = header;
  const layout = metadata.layout as WeightLayout;
  if (metadata.format !== FORMAT || (layout !== 'tfjs' && layout !== 'torchvision')) {
    throw new Error(
      `loadWeights: ${path} has metadata ${JSON.stringify(metadata)}, expected format '${FORMAT}' with layout 'tfjs' or 'torchvision' ` +
        `(a PyTorch state_dict without it loads with loadTorchvisionWeights)`,
    );
  }
  return loadFile(module, path, header, layout);
}

/**
 * Write `encoder` as an ONNX model to `path` (temp file + rename); see `encoderToOnnx`
 * for the graph's input and output.
 */
export async function saveOnnx(encoder: Encoder, path: string, options: EncoderToOnnxOptions): Promise<void> {
  await writeFileAtomic(path, encoderToOnnx(encoder, options));
}
export { encoderToOnnx, ONNX_INPUT, ONNX_OUTPUT } from './encoder-to-onnx';
export type { EncoderToOnnxOptions } from './encoder-to-onnx';

/**
 * Write `encoder` as a TF.js layers model into the folder `dir`: `model.json` and
 * `weights.bin`, for `tf.loadLayersModel('.../model.json')` in a browser. Input
 * `[N, H, W, C]` images in [0, 1], output `[N, outputDim]` features. Each file is
 * written to a temp file and renamed, `model.json` last.
 */
export async function saveTfjsModel(
  encoder: Encoder,
  dir: string,
  options: { imageSize: number | [number, number] },
): Promise<void> {
  // tfjs-layers (an optional peer) is loaded only by this export.
  const { encoderToLayersModel } = await import('./encoder-to-layers-model');
  const model = encoderToLayersModel(encoder, options);
  try {
    await mkdir(dir, { recursive: true });
    await model.save(
      tfio.withSaveHandler(async (artifacts) => {
        const weights = artifacts.weightData ?? new ArrayBuffer(0);
        const bytes = new Uint8Array(Array.isArray(weights) ? tfio.concatenateArrayBuffers(weights) : weights);
        await writeFileAtomic(join(dir, 'weights.bin'), bytes);
        const json = {
          format: 'layers-model',
          generatedBy: artifacts.generatedBy,
          convertedBy: '@selfsup/backbones saveTfjsModel',
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
        };
        await writeFileAtomic(join(dir, 'model.json'), JSON.stringify(json));
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
  } finally {
    model.dispose();
  }
}
