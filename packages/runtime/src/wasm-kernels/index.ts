export { registerWasmTrainingKernels, wasmTrainingKernels } from './register';
