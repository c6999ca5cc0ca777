export { registerWasmTrainingKernels, wasmTrainingKernels } from './register';
export { enableWasmThreads } from './threads';
