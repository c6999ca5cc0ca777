/**
 * Metric transforms applied before correlating, following Ericsson et al.
 * (CVPR 2021, Appendix A.7), who follow Kornblith et al. (CVPR 2019): metrics
 * bounded in [0, 1] (accuracy, AP, mIoU) are logit-transformed, because equal
 * steps near the ceiling are harder won than mid-range ones and the logit puts
 * them on a scale where a linear relation is plausible; errors where lower is
 * better are negated so that, for every metric, larger means better.
 */
export type MetricTransform = 'logit' | 'negate' | 'none';

export interface TransformOptions {
  /** Values are percentages (e.g. 76.1): divide by 100 before transforming. Default false. */
  percent?: boolean;
  /** Name of the metric in error messages (default 'values'). */
  name?: string;
}

const TRANSFORMS: readonly MetricTransform[] = ['logit', 'negate', 'none'];

/** log(p / (1 - p)) for p in (0, 1). */
export function logit(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`logit: p must be in (0, 1), got ${p}`);
  return Math.log(p / (1 - p));
}

function transformOne(value: unknown, transform: MetricTransform, percent: boolean, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`transformMetric: ${where} must be a finite number, got ${String(value)}`);
  }
  const scaled = percent ? value / 100 : value;
  switch (transform) {
    case 'logit':
      if (!(scaled > 0 && scaled < 1)) {
        const range = percent ? '(0, 100) as a percentage' : '(0, 1) (pass { percent: true } for percentages)';
        throw new Error(`transformMetric: ${where} is ${value}, but 'logit' needs a value in ${range}`);
      }
      return Math.log(scaled / (1 - scaled));
    case 'negate':
      return -scaled;
    case 'none':
      return scaled;
  }
}

function checkTransform(transform: unknown): asserts transform is MetricTransform {
  if (!TRANSFORMS.includes(transform as MetricTransform)) {
    throw new Error(
      `transformMetric: transform must be one of ${TRANSFORMS.map((t) => `'${t}'`).join(', ')}, got ${JSON.stringify(transform)}`,
    );
  }
}

/**
 * Apply the paper's transform to a metric: an array (errors name the index) or
 * a record keyed by model (errors name the model). Returns the same shape.
 */
export function transformMetric(
  values: readonly number[],
  transform: MetricTransform,
  options?: TransformOptions,
): number[];
export function transformMetric(
  values: Readonly<Record<string, number>>,
  transform: MetricTransform,
  options?: TransformOptions,
): Record<string, number>;
export function transformMetric(
  values: readonly number[] | Readonly<Record<string, number>>,
  transform: MetricTransform,
  options: TransformOptions = {},
): number[] | Record<string, number> {
  checkTransform(transform);
  const { percent = false, name = 'values' } = options;
  if (Array.isArray(values)) {
    return values.map((v, i) => transformOne(v, transform, percent, `${name}[${i}]`));
  }
  if (values === null || typeof values !== 'object') {
    throw new Error(
      `transformMetric: ${name} must be an array or a record of model -> value, got ${values === null ? 'null' : typeof values}`,
    );
  }
  const out: Record<string, number> = {};
  for (const [model, v] of Object.entries(values)) {
    out[model] = transformOne(v, transform, percent, `${name} of model '${model}'`);
  }
  return out;
}
