/**
 * Node-only entry (`@selfsup/augment/node`): the parts that touch files. Everything
 * else in `@selfsup/augment` is browser-safe.
 */
export { viewsGrid } from './views-grid';
export type { ViewsGridOptions, ViewsGridResult } from './views-grid';
