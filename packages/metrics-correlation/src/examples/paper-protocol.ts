import { correlateWithReference, scatterPlot } from '../index';

// ILLUSTRATIVE numbers, not taken from Ericsson et al.: top-1 accuracy (%) of
// eight encoders on ImageNet and on four transfer tasks (linear probe).
const imagenet = { a: 59.5, b: 61.0, c: 67.5, d: 69.1, e: 71.1, f: 73.0, g: 74.3, h: 75.3 };
const tasks = {
  cifar10: { a: 80.3, b: 82.1, c: 84.9, d: 88.0, e: 89.1, f: 90.6, g: 91.9, h: 92.8 },
  pets: { a: 68.8, b: 70.2, c: 76.0, d: 79.5, e: 83.4, f: 82.0, g: 89.1, h: 87.6 },
  flowers: { a: 83.4, b: 84.9, c: 85.0, d: 90.9, e: 88.7, f: 91.3, g: 93.1, h: 94.6 },
  dtd: { a: 68.5, b: 65.0, c: 71.2, d: 72.8, e: 70.9, f: 73.4, g: 75.9 }, // h not evaluated
};

// The paper's protocol: logit-transform every accuracy, correlate each task
// (and the mean over tasks of the transformed accuracies) with ImageNet.
export const rows = correlateWithReference({
  reference: imagenet,
  tasks,
  transform: 'logit',
  percent: true,
  methods: ['pearson', 'spearman', 'kendall'],
  aggregate: 'mean',
});

for (const row of rows) {
  const { pearson, spearman, kendall } = row;
  console.log(
    `${row.task.padEnd(8)} n=${row.n}  r=${pearson?.coefficient.toFixed(3)} (p=${pearson?.pValue.toPrecision(2)})` +
      `  rho=${spearman?.coefficient.toFixed(3)} (p=${spearman?.pValue.toPrecision(2)})` +
      `  tau=${kendall?.coefficient.toFixed(3)} (p=${kendall?.pValue.toPrecision(2)}, ${kendall?.pMethod})` +
      `  missing: ${row.missing.join(', ') || '-'}`,
  );
}

// Figure 1 of the paper for the mean: one point per model, least-squares line, r and rho.
const mean = rows.find((row) => row.task === 'mean')!;
export const svg = scatterPlot({
  x: mean.x,
  y: mean.y,
  labels: mean.models,
  title: 'Mean transfer vs ImageNet',
  xLabel: 'logit(ImageNet top-1)',
  yLabel: 'mean logit(transfer top-1)',
});
