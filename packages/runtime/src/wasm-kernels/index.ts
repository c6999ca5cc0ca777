export { registerWasmTrainingKernels, wasmTrainingKernels } from './register';
export { enableWasmThreads } from './threads';
export { wasmKernelsUseFma } from './conv-kernels';
