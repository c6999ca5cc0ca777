// The one test toolkit of the repository (private, never published): real data and
// references, closeness checks, README examples.
export { DATA_DIR, REFERENCE_DIR, dataPath, describeWithData, describeWithReference, loadReference } from './test-data';
export type { RefTensor } from './test-data';
export { expectAllClose, maxAbsDiff } from './close';
export type { Tolerance, Values } from './close';
export { describeReadmeExample, runReadmeSection } from './readme-example';
export { runReadmeExamples } from './readme-runner';
