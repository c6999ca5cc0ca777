export { LARS, excludeOneDimensional } from './lars';
export type { LarsOptions, LearningRate, ExcludePredicate, NamedTensor } from './lars';
export { larsDirection } from './lars-direction';
export type { LarsDirection, LarsDirectionOptions, TrustRatioVariant } from './lars-direction';
export { cosineSchedule } from './cosine-schedule';
export { warmupCosineSchedule } from './warmup-cosine';
export type { WarmupCosineOptions, WarmupCosineSchedule } from './warmup-cosine';
export { scaleLearningRate } from './scale-learning-rate';
