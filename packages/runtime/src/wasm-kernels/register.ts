/**
 * Registering the training kernels with tfjs for the 'wasm' backend. Kernels
 * the backend lacks are added; kernels it has but runs slowly are replaced,
 * keeping the original so ours can still call it for the untransposed case.
 */
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { batchMatMulConfig } from './batch-mat-mul';
import { batchNormTrainingConfig, batchNormTrainingGradConfig } from './batch-norm-training';
import { conv2DConfig } from './conv2d';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input';
import { depthwiseBackpropFilterConfig } from './depthwise-backprop-filter';
import { depthwiseBackpropInputConfig } from './depthwise-backprop-input';
import { castConfig } from './cast';
import { identityConfig } from './identity';
import { meanConfig, sumConfig } from './leading-axes-reduce';
import { maxPoolGradConfig } from './max-pool-grad';
import { oneHotConfig } from './one-hot';
import { tileConfig } from './tile';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum';
import { rememberOriginal } from './wasm-ops';

/** Every kernel this package provides for the wasm backend. */
export const wasmTrainingKernels: readonly KernelConfig[] = [
  conv2DConfig,
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  unsortedSegmentSumConfig,
  batchMatMulConfig,
  tileConfig,
  maxPoolGradConfig,
  sumConfig,
  meanConfig,
  oneHotConfig,
  identityConfig,
  castConfig,
  batchNormTrainingConfig,
  batchNormTrainingGradConfig,
];

/**
 * Register the wasm training kernels (idempotent). `initBackend('wasm')` calls
 * it; call it yourself only if you start the wasm backend without `initBackend`,
 * after importing `@tensorflow/tfjs-backend-wasm`.
 */
export function registerWasmTrainingKernels(): void {
  for (const config of wasmTrainingKernels) {
    const existing = getKernel(config.kernelName, 'wasm');
    if (existing?.kernelFunc === config.kernelFunc) continue;
    if (existing !== undefined) {
      rememberOriginal(config.kernelName, existing.kernelFunc as Parameters<typeof rememberOriginal>[1]);
      unregisterKernel(config.kernelName, 'wasm');
    }
    registerKernel(config);
  }
}
