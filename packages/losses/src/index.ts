export { stopGradient } from './stop-gradient';
export { byolLoss, symmetricByolLoss } from './byol';
export { negativeCosineSimilarity, symmetricSimSiamLoss } from './simsiam';
export { ntXentLoss } from './nt-xent';
export { barlowTwinsLoss, barlowTwinsTerms } from './barlow-twins';
export type { BarlowTwinsOptions, BarlowTwinsTerms } from './barlow-twins';
export { vicregLoss, vicregTerms } from './vicreg';
export type { VicregOptions, VicregTerms } from './vicreg';
