export { initBackend, backendInfo, onBackendReady } from './backend';
export type { BackendInfo, BackendPreference, BackendSetup } from './backend';
export { createRng } from './rng';
export type { Rng, RngState } from './rng';
export { buildHeader, decodeTensor, parseHeader, tensorBytes, DTYPE_BYTES } from './safetensors';
export type { RawTensor, SafetensorsDtype, HeaderEntry, ParsedHeader } from './safetensors';
export { toRawTensor, toTfTensor } from './safetensors-tf';
export type { Module, Encoder, Head } from './module';
export { enableWasmThreads, registerWasmTrainingKernels, wasmTrainingKernels } from './wasm-kernels';
