// The checkpoint file format is generic (any trainer state): it lives in @selfsup/runtime/node.
export { readCheckpoint, writeCheckpoint } from '@selfsup/runtime/node';
