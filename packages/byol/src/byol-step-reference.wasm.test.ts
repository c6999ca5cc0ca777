import { initBackend } from '@selfsup/runtime';
import { describeByolStepReference } from './byol-step-reference';

describeByolStepReference('wasm, one thread', () => initBackend('wasm', { wasmThreads: 1 }));
