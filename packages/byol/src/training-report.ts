import { linePlot, type LineSeries } from '@selfsup/metrics-correlation';
import { COLLAPSE_WARNING_RATIO } from './collapse';

/** A metrics.jsonl row as the training loop writes it. */
type Row = { step: number } & Record<string, unknown>;

export interface TrainingReportInput {
  /** The run folder, shown in the header. */
  run: string;
  /** config.json. */
  config: Record<string, unknown>;
  /** metrics.jsonl rows (`readMetrics`). */
  rows: Row[];
  /** Shown as the page's date (default now). */
  date?: Date;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const num = (v: unknown): v is number => typeof v === 'number';

function series(rows: Row[], key: string, name = key): LineSeries {
  const kept = rows.filter((r) => num(r[key]));
  return { name, x: kept.map((r) => r.step), y: kept.map((r) => r[key] as number) };
}

/** Each monitor metric as a series in percent (accuracies are stored as fractions). */
function monitorSeries(rows: Row[]): LineSeries[] {
  const monitored = rows.filter((r) => r.monitor && typeof r.monitor === 'object');
  const names = [...new Set(monitored.flatMap((r) => Object.keys(r.monitor as object)))];
  return names.map((name) => {
    const kept = monitored.filter((r) => num((r.monitor as Record<string, unknown>)[name]));
    return {
      name,
      x: kept.map((r) => r.step),
      y: kept.map((r) => 100 * ((r.monitor as Record<string, number>)[name] as number)),
    };
  });
}

interface Chart {
  id: string;
  title: string;
  svg: string;
  note: string;
}

/**
 * The training curves of a run as one self-contained HTML page (inline SVG, no
 * scripts): loss, learning rate, target EMA rate τ, collapse ratio and monitor
 * accuracy against the step, with resume-time changes (extension, overrides) marked.
 */
export function trainingReportHtml(input: TrainingReportInput): string {
  const { run, config, rows } = input;
  const steps = rows.filter((r) => num(r.loss));
  const events = rows.filter((r) => typeof r.event === 'string');
  const markers = events.map((e) => ({ x: e.step, label: String(e.event) }));
  const plot = (
    id: string,
    title: string,
    yLabel: string,
    s: LineSeries[],
    note: string,
    yFormat?: (v: number) => string,
  ): Chart[] =>
    s.some((x) => x.x.length > 0)
      ? [{ id, title, note, svg: linePlot({ series: s, title, xLabel: 'step', yLabel, markers, yFormat }) }]
      : [];
  const collapse = series(steps, 'collapseRatio', 'collapse ratio');
  const charts: Chart[] = [
    ...plot(
      'loss',
      'BYOL loss',
      'loss',
      [series(steps, 'loss')],
      'Regression loss of the online prediction on the target projection (both views); falls as the views agree.',
    ),
    ...plot(
      'lr',
      'Learning rate',
      'learning rate',
      [series(steps, 'lr')],
      'Linear warm-up, then cosine decay (LARS).',
      (v) => v.toExponential(1),
    ),
    ...plot(
      'tau',
      'Target EMA rate τ',
      'τ',
      [series(steps, 'tau')],
      'τ rises from the base rate to 1 on a cosine: the target network changes ever more slowly.',
    ),
    ...plot(
      'collapse',
      'Collapse ratio',
      'std × √d',
      [
        collapse,
        {
          name: `warning below ${COLLAPSE_WARNING_RATIO}`,
          x: collapse.x.length ? [collapse.x[0], collapse.x.at(-1)!] : [],
          y: collapse.x.length ? [COLLAPSE_WARNING_RATIO, COLLAPSE_WARNING_RATIO] : [],
          color: '#999999',
        },
      ],
      'Std of the L2-normalised projections times √d: about 1 is healthy, near 0 means every image maps to the same point.',
    ),
    ...plot(
      'monitor',
      'Monitor accuracy',
      'accuracy (%)',
      monitorSeries(rows),
      'kNN top-1 on the labelled monitor split, measured every --monitor-every epochs.',
    ),
  ];
  const last = steps.at(-1);
  const total = num(config.totalSteps) ? config.totalSteps : undefined;
  const facts: [string, string][] = [
    ['run folder', run],
    ['encoder', `${config.backbone ?? '?'}${config.stem ? `, ${config.stem} stem` : ''}, width ${config.width ?? 1}`],
    [
      'data',
      `${config.images ?? '?'} images from ${config.data ?? '?'}${config.split ? ` (${config.split})` : ''}, ${config.imageSize ?? '?'}px`,
    ],
    [
      'progress',
      `step ${last?.step ?? 0}${total ? ` of ${total}` : ''}, epoch ${last?.epoch ?? 0} of ${config.epochs ?? '?'}`,
    ],
    ['last loss', last && num(last.loss) ? last.loss.toFixed(4) : '–'],
    ['backend', String(config.backend ?? '?')],
  ];
  const configRows = Object.entries(config)
    .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(JSON.stringify(v))}</td></tr>`)
    .join('');
  const eventList = events.length
    ? `<h2>Changes during the run</h2><ul>${events.map((e) => `<li>step ${e.step}: ${escapeHtml(String(e.event))} ${escapeHtml(JSON.stringify(Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'step' && k !== 'event'))))}</li>`).join('')}</ul>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>BYOL training: ${escapeHtml(run)}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.6rem; text-align: left; font-variant-numeric: tabular-nums; }
figure { display: inline-block; margin: 0.5rem; vertical-align: top; max-width: 560px; }
figcaption { color: #555; font-size: 13px; }
</style>
</head>
<body>
<h1>BYOL training curves</h1>
<table class="facts">${facts.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>
${charts.map((c) => `<figure id="${c.id}">${c.svg}<figcaption>${escapeHtml(c.note)}</figcaption></figure>`).join('\n')}
${eventList}
<h2>Configuration</h2>
<table class="config">${configRows}</table>
<p>Written ${escapeHtml((input.date ?? new Date()).toISOString())} by selfsup-byol from ${escapeHtml(run)}/metrics.jsonl.</p>
</body>
</html>
`;
}
