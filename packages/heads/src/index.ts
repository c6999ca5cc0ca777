export { mlpHead, MlpHead } from './mlp-head';
export type { MlpHeadOptions } from './mlp-head';
export { byolProjector, byolPredictor, BYOL_HIDDEN_DIM, BYOL_PROJECTION_DIM } from './byol-heads';
export { linearHead, LinearHead } from './linear-head';
export { Linear } from './linear';
export { checkFeatures } from './check-features';
