/**
 * Node-only entry (`@selfsup/runtime/node`): file I/O. Everything here writes
 * through a temp file + rename, so a crash never leaves a half-written file.
 */
export { writeFileAtomic, atomicWriteStream, removeStaleTempFiles } from './atomic-write';
export { processAlive } from './process-alive';
export { stopOnSignals } from './stop-on-signals';
export type { SignalStop } from './stop-on-signals';
export { outputFolderProblem } from './writable-folder';
export { inlineNegativeValues, parseCliNumber } from './cli-values';
export { readSafetensors, writeSafetensors, readSafetensorsHeader } from './safetensors-file';
export type { SafetensorsContents, TensorsToWrite } from './safetensors-file';
export { readCheckpoint, writeCheckpoint } from './checkpoint';
export type { LoadsState, SavesState } from './checkpoint';
