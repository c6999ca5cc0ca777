import { initBackend } from '@selfsup/runtime';
import { describeByolStepReference } from './byol-step-reference';

describeByolStepReference('wasm, two threads', () => initBackend('wasm', { wasmThreads: 2 }));
