import * as tf from '@tensorflow/tfjs-core';
import { enableWasmThreads, registerWasmTrainingKernels } from './wasm-kernels';
import { allowRelaxedSimd, startConvKernelWorkers } from './wasm-kernels/conv-kernels';
import { guardWasmHeap } from './wasm-kernels/heap-guard';
import type { WasmBackend } from './wasm-kernels/wasm-ops';

/** What `initBackend` accepts: the one list of backend names (CLIs and configs offer it too). */
export const BACKEND_PREFERENCES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];

export interface BackendInfo {
  /** The tfjs backend name now active: `tensorflow`, `wasm` or `cpu`. */
  name: 'tensorflow' | 'wasm' | 'cpu';
  /** True for the native libtensorflow backend (tfjs-node / tfjs-node-gpu). */
  native: boolean;
  /** Threads the backend computes with (1 for the single-threaded wasm and cpu backends). */
  threads: number;
  /** The npm package that provides the backend. */
  package: string;
  /** Why this backend was picked, in words (useful for `auto`). */
  reason: string;
}

export interface InitBackendOptions {
  /**
   * Threads for the wasm backend in Node (default 1; see `enableWasmThreads`). Applies
   * when wasm is the backend picked and it has not been started before in this process;
   * results are bit-identical for every thread count. Other backends ignore it.
   */
  wasmThreads?: number;
}

/** A hook run after a backend starts (the wasm training kernels use it). */
export type BackendSetup = (name: BackendInfo['name']) => void | Promise<void>;
const setups: BackendSetup[] = [];

/** Run `fn` every time `initBackend` activates a backend (and now, if one is already active). */
export function onBackendReady(fn: BackendSetup): void {
  setups.push(fn);
}

const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

let current: BackendInfo | undefined;

// Gradients live in tfjs-core but are only registered by the tfjs/tfjs-layers
// bundles; without this `tf.grad` of a conv throws "gradient not found".
async function registerGradients(): Promise<void> {
  try {
    await import('@tensorflow/tfjs-layers');
  } catch (err) {
    throw new Error(
      `@selfsup/runtime: could not load @tensorflow/tfjs-layers, which registers tfjs gradients ` +
        `(npm i @tensorflow/tfjs-layers@^4.22.0): ${(err as Error).message}`,
    );
  }
}

// biome-ignore lint/suspicious/noExplicitAny: an optional package loaded by name has no static type
async function tryImport(pkg: string): Promise<{ ok: true; mod: any } | { ok: false; error: string }> {
  try {
    return { ok: true, mod: await import(/* @vite-ignore */ pkg) };
  } catch (err) {
    return { ok: false, error: (err as Error).message.split('\n')[0] };
  }
}

async function activate(name: BackendInfo['name']): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`@selfsup/runtime: tfjs could not initialise the '${name}' backend`);
  await tf.ready();
}

async function startNative(): Promise<BackendInfo | string> {
  const failures: string[] = [];
  for (const pkg of NATIVE_PACKAGES) {
    const res = await tryImport(pkg);
    if (!res.ok) {
      failures.push(`${pkg}: ${res.error}`);
      continue;
    }
    await activate('tensorflow');
    // libtensorflow's intra-op pool uses every core.
    const { availableParallelism } = await import('node:os');
    return {
      name: 'tensorflow',
      native: true,
      threads: availableParallelism(),
      package: pkg,
      reason: `${pkg} is installed`,
    };
  }
  return failures.join('; ');
}

async function startWasm(wasmThreads = 1): Promise<BackendInfo | string> {
  const res = await tryImport('@tensorflow/tfjs-backend-wasm');
  if (!res.ok) return `@tensorflow/tfjs-backend-wasm: ${res.error}`;
  if (wasmThreads > 1 && tf.engine().registry.wasm === undefined) await enableWasmThreads(wasmThreads);
  await allowRelaxedSimd();
  await activate('wasm');
  registerWasmTrainingKernels();
  guardWasmHeap(tf.backend() as unknown as WasmBackend);
  const threads = typeof res.mod.getThreadsCount === 'function' ? res.mod.getThreadsCount() : 1;
  await startConvKernelWorkers(tf.backend() as unknown as WasmBackend, threads);
  return { name: 'wasm', native: false, threads, package: '@tensorflow/tfjs-backend-wasm', reason: '' };
}

async function startCpu(): Promise<BackendInfo | string> {
  const res = await tryImport('@tensorflow/tfjs-backend-cpu');
  if (!res.ok) return `@tensorflow/tfjs-backend-cpu: ${res.error}`;
  await activate('cpu');
  return { name: 'cpu', native: false, threads: 1, package: '@tensorflow/tfjs-backend-cpu', reason: '' };
}

const INSTALL_HINT: Record<Exclude<BackendPreference, 'auto'>, string> = {
  tensorflow:
    'install the native backend: `npm i @tensorflow/tfjs-node@4.22.0` (CPU) or `npm i @tensorflow/tfjs-node-gpu@4.22.0` ' +
    '(CUDA GPU); their install step downloads libtensorflow, so it needs internet access',
  wasm: 'install it: `npm i @tensorflow/tfjs-backend-wasm@4.22.0`',
  cpu: 'install it: `npm i @tensorflow/tfjs-backend-cpu@4.22.0`',
};

/**
 * Start a tfjs backend and register gradients; call it once before creating any tensor.
 *
 * `auto` (the default) prefers the native backend (tfjs-node-gpu, then tfjs-node),
 * then `wasm`, then the pure-JS `cpu`, and says in `reason` why it picked one.
 * Naming a backend that cannot load is an error, never a silent fallback.
 */
export async function initBackend(
  preference: BackendPreference = 'auto',
  options: InitBackendOptions = {},
): Promise<BackendInfo> {
  if (!BACKEND_PREFERENCES.includes(preference)) {
    throw new Error(
      `initBackend: preference must be one of ${BACKEND_PREFERENCES.map((p) => `'${p}'`).join(', ')}, got ${JSON.stringify(preference)}`,
    );
  }
  const { wasmThreads = 1 } = options;
  if (!Number.isInteger(wasmThreads) || wasmThreads < 1) {
    throw new Error(`initBackend: options.wasmThreads must be a positive integer, got ${wasmThreads}`);
  }
  await registerGradients();
  let info: BackendInfo;
  if (preference === 'auto') {
    info = await pickAuto(wasmThreads);
  } else {
    const start = { tensorflow: startNative, wasm: () => startWasm(wasmThreads), cpu: startCpu }[preference];
    const res = await start();
    if (typeof res === 'string') {
      throw new Error(
        `initBackend('${preference}'): the backend cannot be loaded (${res}); ${INSTALL_HINT[preference]}`,
      );
    }
    info = { ...res, reason: res.reason || `requested explicitly` };
  }
  for (const setup of setups) await setup(info.name);
  current = info;
  return info;
}

async function pickAuto(wasmThreads: number): Promise<BackendInfo> {
  const reasons: string[] = [];
  const native = await startNative();
  if (typeof native !== 'string') return { ...native, reason: `auto: ${native.reason}` };
  reasons.push(`no native backend (${native})`);
  const wasm = await startWasm(wasmThreads);
  if (typeof wasm !== 'string') return { ...wasm, reason: `auto: ${reasons.join('; ')}; using wasm` };
  reasons.push(`no wasm backend (${wasm})`);
  const cpu = await startCpu();
  if (typeof cpu !== 'string') return { ...cpu, reason: `auto: ${reasons.join('; ')}; using the pure-JS cpu backend` };
  throw new Error(`initBackend('auto'): no tfjs backend could be loaded: ${reasons.join('; ')}; ${cpu}`);
}

/** The backend started by the last `initBackend` call, if any. */
export function backendInfo(): BackendInfo | undefined {
  return current;
}
