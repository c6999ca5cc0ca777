import { kendall, type KendallResult } from './kendall';
import { pearson, type PearsonResult } from './pearson';
import { spearman } from './spearman';
import { CORRELATION_METHODS } from './coefficient';
import { transformMetric, type MetricTransform } from './transform';
import type { CorrelationMethod, CorrelationResult } from './types';
import { checkPairedSamples } from './validate';

/** model -> metric value. */
export type ModelScores = Readonly<Record<string, number>>;

export interface CorrelateWithReferenceOptions {
  /** model -> reference metric (e.g. ImageNet top-1). */
  reference: ModelScores;
  /** task -> (model -> metric). */
  tasks: Readonly<Record<string, ModelScores>>;
  /** Transform for the reference and every task (the paper: 'logit' for accuracies). */
  transform: MetricTransform;
  /** Per-task override, e.g. { normals: 'negate' } for an error metric. */
  taskTransforms?: Readonly<Record<string, MetricTransform>>;
  /** Override for the reference column. */
  referenceTransform?: MetricTransform;
  /** Values are percentages (divided by 100 before the transform). Default false. */
  percent?: boolean;
  /** Default ['pearson', 'spearman']. */
  methods?: readonly CorrelationMethod[];
  /**
   * Extra rows from the mean of transformed task values: 'mean' averages every
   * task (the paper's Figure 1); a record names groups, e.g.
   * { 'many-shot mean': ['cifar10', 'pets'], 'few-shot mean': [...] }.
   */
  aggregate?: 'mean' | Readonly<Record<string, readonly string[]>>;
}

export interface CorrelationRow {
  /** Task name, or the aggregate's name ('mean'). */
  task: string;
  kind: 'task' | 'aggregate';
  n: number;
  /** Models used, in reference order. */
  models: string[];
  /** Transformed reference values of `models` (the x of a scatter plot). */
  x: number[];
  /** Transformed task (or averaged) values of `models` (the y). */
  y: number[];
  /** Reference models left out because the task lacks them. */
  missing: string[];
  /** Task models left out because the reference lacks them. */
  notInReference: string[];
  pearson?: PearsonResult;
  spearman?: CorrelationResult;
  kendall?: KendallResult;
}

const FN = 'correlateWithReference';

function checkRecord(
  value: unknown,
  name: string,
  expected = 'a record of model -> value',
): asserts value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(
      `${FN}: ${name} must be ${expected}, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`,
    );
  }
}

function correlateRow(
  task: string,
  kind: CorrelationRow['kind'],
  reference: Record<string, number>,
  scores: Record<string, number>,
  methods: readonly CorrelationMethod[],
): CorrelationRow {
  const models = Object.keys(reference).filter((m) => m in scores);
  const x = models.map((m) => reference[m]);
  const y = models.map((m) => scores[m]);
  if (models.length < 3) {
    throw new Error(
      `${FN}: ${kind} '${task}' shares ${models.length} model(s) with the reference (${models.join(', ') || 'none'}); need at least 3`,
    );
  }
  checkPairedSamples(FN, x, y, { xName: 'reference', yName: `${kind} '${task}'`, labels: models });
  const row: CorrelationRow = {
    task,
    kind,
    n: models.length,
    models,
    x,
    y,
    missing: Object.keys(reference).filter((m) => !(m in scores)),
    notInReference: Object.keys(scores).filter((m) => !(m in reference)),
  };
  for (const method of methods) {
    if (method === 'pearson') row.pearson = pearson(x, y);
    if (method === 'spearman') row.spearman = spearman(x, y);
    if (method === 'kendall') row.kendall = kendall(x, y);
  }
  return row;
}

/** Mean over the member tasks, for the models that every member task has. */
function meanOverTasks(
  name: string,
  members: readonly string[],
  transformed: Record<string, Record<string, number>>,
): Record<string, number> {
  if (!Array.isArray(members) || members.length === 0) {
    throw new Error(`${FN}: aggregate '${name}' must list at least one task, got ${JSON.stringify(members)}`);
  }
  for (const task of members) {
    if (!(task in transformed))
      throw new Error(`${FN}: aggregate '${name}' names task '${task}', which is not in tasks`);
  }
  const models = Object.keys(transformed[members[0]]).filter((m) => members.every((t) => m in transformed[t]));
  const mean: Record<string, number> = {};
  for (const m of models) mean[m] = members.reduce((sum, t) => sum + transformed[t][m], 0) / members.length;
  return mean;
}

/**
 * The correlation analysis of Ericsson et al. (CVPR 2021, Appendix A.7):
 * transform every metric, then correlate the reference column with each task
 * (and with the mean over tasks) across the models both have.
 */
export function correlateWithReference(options: CorrelateWithReferenceOptions): CorrelationRow[] {
  const { reference, tasks, transform, taskTransforms = {}, referenceTransform = transform, percent = false } = options;
  const { methods = ['pearson', 'spearman'], aggregate } = options;
  checkRecord(reference, 'reference');
  checkRecord(tasks, 'tasks');
  for (const method of methods) {
    if (!CORRELATION_METHODS.includes(method)) {
      throw new Error(
        `${FN}: methods must contain only ${CORRELATION_METHODS.join(', ')}, got ${JSON.stringify(method)}`,
      );
    }
  }
  for (const task of Object.keys(taskTransforms)) {
    if (!(task in tasks)) throw new Error(`${FN}: taskTransforms names task '${task}', which is not in tasks`);
  }
  const x = transformMetric(reference, referenceTransform, { percent, name: 'reference' });
  const transformed: Record<string, Record<string, number>> = {};
  for (const [task, scores] of Object.entries(tasks)) {
    checkRecord(scores, `tasks['${task}']`);
    transformed[task] = transformMetric(scores, taskTransforms[task] ?? transform, { percent, name: `task '${task}'` });
  }
  const rows = Object.keys(transformed).map((task) => correlateRow(task, 'task', x, transformed[task], methods));
  if (aggregate !== undefined && aggregate !== 'mean') {
    checkRecord(aggregate, 'aggregate', "'mean' or a record of name -> task names");
  }
  const groups = aggregate === 'mean' ? { mean: Object.keys(transformed) } : (aggregate ?? {});
  for (const [name, members] of Object.entries(groups)) {
    rows.push(correlateRow(name, 'aggregate', x, meanOverTasks(name, members, transformed), methods));
  }
  return rows;
}
