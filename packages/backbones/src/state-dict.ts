import * as tf from '@tensorflow/tfjs-core';
import { toTfTensor, type Module, type RawTensor } from '@selfsup/runtime';
import { fromTorchLayout, torchShape } from './torchvision-layout';

/** How weights are laid out in a file: ours (`[kh, kw, in, out]`) or PyTorch's (`[out, in, kh, kw]`). */
export type WeightLayout = 'tfjs' | 'torchvision';

export interface LoadReport {
  /** Names of the module's state that were set from the file. */
  loaded: string[];
  /** Names in the file the module has no use for (e.g. `fc.*`, `num_batches_tracked`). */
  ignored: string[];
}

/**
 * Check that `available` (name -> shape, as a file header gives them) holds every
 * entry of `module.state()` with the right shape in `layout`; throw one error listing
 * every missing or mis-shaped name, else return which names load and which are ignored.
 */
export function planStateLoad(
  module: Module,
  available: Map<string, { shape: number[] }>,
  layout: WeightLayout,
  source = 'weights',
): LoadReport {
  if (layout !== 'tfjs' && layout !== 'torchvision') {
    throw new Error(`planStateLoad: layout must be 'tfjs' or 'torchvision', got ${JSON.stringify(layout)}`);
  }
  const state = module.state();
  const missing: string[] = [];
  const misShaped: string[] = [];
  for (const [name, variable] of state) {
    const entry = available.get(name);
    const expected = layout === 'torchvision' ? torchShape(variable.shape) : [...variable.shape];
    if (!entry) missing.push(name);
    else if (!tf.util.arraysEqual(entry.shape, expected)) {
      misShaped.push(`${name} (file [${entry.shape}], expected [${expected}])`);
    }
  }
  if (missing.length || misShaped.length) {
    const parts = [];
    if (missing.length) parts.push(`${missing.length} missing: ${missing.join(', ')}`);
    if (misShaped.length) parts.push(`${misShaped.length} with the wrong shape: ${misShaped.join(', ')}`);
    throw new Error(`${source} does not fit the module (${layout} layout): ${parts.join('; ')}`);
  }
  return { loaded: [...state.keys()], ignored: [...available.keys()].filter((name) => !state.has(name)) };
}

/**
 * Set `module.state()` from decoded tensors (e.g. `readSafetensors(path).tensors`, or a
 * browser `fetch` of the same bytes), converting from `layout`. Nothing is assigned
 * unless every name fits.
 */
export function loadState(
  module: Module,
  tensors: Map<string, RawTensor>,
  layout: WeightLayout,
  source = 'weights',
): LoadReport {
  const report = planStateLoad(module, tensors, layout, source);
  const state = module.state();
  tf.tidy(() => {
    for (const name of report.loaded) {
      const stored = tf.cast(toTfTensor(tensors.get(name)!, name), 'float32');
      state.get(name)!.assign(layout === 'torchvision' ? fromTorchLayout(stored) : stored);
    }
  });
  return report;
}
