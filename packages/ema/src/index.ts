export { emaUpdate } from './ema-update';
export type { BufferPolicy, EmaUpdateOptions } from './ema-update';
export { cosineTau } from './cosine-tau';
