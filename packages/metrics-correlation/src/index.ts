export type { CorrelationMethod, CorrelationResult, Sample } from './types';
export { pearson, type PearsonOptions, type PearsonResult } from './pearson';
export { spearman } from './spearman';
export { kendall, type KendallOptions, type KendallPMethod, type KendallResult } from './kendall';
export { kendallExactPValue } from './kendall-exact';
export { averageRanks } from './ranks';
export { bootstrapCI, type BootstrapInterval, type BootstrapOptions } from './bootstrap';
export { logit, transformMetric, type MetricTransform, type TransformOptions } from './transform';
export {
  correlateWithReference,
  type CorrelateWithReferenceOptions,
  type CorrelationRow,
  type ModelScores,
} from './correlate-with-reference';
export { scatterPlot, type ScatterPlotOptions } from './scatter-plot';
export { heatmap, type HeatmapOptions } from './heatmap';
export { linePlot, type LinePlotOptions, type LineSeries } from './line-plot';
export { reliabilityDiagram, type ReliabilityBin, type ReliabilityDiagramOptions } from './reliability-diagram';
export { erf, erfc } from './erfc';
export { normalCdf, normalQuantile, normalSf } from './normal';
export { regularizedIncompleteBeta } from './incomplete-beta';
export { studentTTwoSidedP } from './student-t';
