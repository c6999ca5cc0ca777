/**
 * Node-only entry (`@selfsup/byol/node`): the training loop with its run folder,
 * checkpoints and signal handling, dataset loading as the CLI does it, and the CLI itself.
 */
export { trainByol } from './train';
export type { TrainByolOptions, TrainByolResult, TrainMonitor } from './train';
export { readCheckpoint, writeCheckpoint } from './checkpoint';
export { runPaths, checkRunDir } from './run-dir';
export type { RunPaths } from './run-dir';
export { loadData } from './load-data';
export type { LoadDataOptions } from './load-data';
export { knnMonitor } from './knn-monitor';
export { main } from './cli';
export { helpText, parseTrainArgs, UsageError } from './cli-args';
export type { TrainCliConfig } from './cli-args';
export { positiveIntegerFlag } from './positive-integer-flag';
export { parseCommandFlags } from './command-flags';
export type { CommandFlags, ParsedCommandFlags } from './command-flags';
export { loadRunEncoder, readRunConfig, runInputNormalization } from './run-encoder';
export type { StoredRunConfig } from './run-encoder';
export { writeEmbeddings, EMBEDDING_FORMATS } from './embeddings-file';
export type { Embeddings } from './embeddings-file';
