// Summarise the runs of measure.sh: measurements.jsonl (every run), the markdown tables of the
// READMEs (stdout) and chart.svg (linear-probe top-1 per setting, mean over seeds, min-max bar).
//   node examples/augmentation-robustness/report.mjs [results folder]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@selfsup/runtime/node';

const here = new URL('.', import.meta.url).pathname;
const dir = join(here, process.argv[2] ?? 'results');
const runs = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
await writeFileAtomic(join(here, 'measurements.jsonl'), runs.map((r) => `${JSON.stringify(r)}\n`).join(''));

const pct = (x) => (100 * x).toFixed(1);
const stats = (xs) => ({ mean: xs.reduce((a, b) => a + b, 0) / xs.length, min: Math.min(...xs), max: Math.max(...xs) });
const group = (method, augment) => runs.filter((r) => r.method === method && r.augment === augment);
const cell = (rs, key) => {
  const { mean, min, max } = stats(rs.map((r) => r[key]));
  return rs.length > 1 ? `${pct(mean)} (${pct(min)}–${pct(max)})` : pct(mean);
};

// The robustness settings, in chart order.
const SETTINGS = [
  ['random init', 'method', 'random init'],
  ['byol', 'method', 'BYOL, full'],
  ['byol', 'crop-flip', 'BYOL, crop+flip'],
  ['simclr', 'method', 'SimCLR, full'],
  ['simclr', 'crop-flip', 'SimCLR, crop+flip'],
  ['byol-fixed-target', 'method', 'BYOL τ=1, full'],
];
console.log('| setting | seeds | linear probe top-1 % | kNN top-1 % | final loss | train s |');
console.log('| --- | --- | --- | --- | --- | --- |');
const bars = [];
for (const [method, augment, label] of SETTINGS) {
  const rs = group(method, augment);
  if (rs.length === 0) continue;
  const loss = rs.every((r) => r.finalLoss != null) ? stats(rs.map((r) => r.finalLoss)).mean.toFixed(3) : '–';
  const secs = stats(rs.map((r) => r.seconds)).mean.toFixed(0);
  console.log(
    `| ${label} | ${rs.map((r) => r.seed).join(', ')} | ${cell(rs, 'linearProbeTop1')} | ${cell(rs, 'knnTop1')} | ${loss} | ${secs} |`,
  );
  bars.push({ label, ...stats(rs.map((r) => r.linearProbeTop1)), knn: stats(rs.map((r) => r.knnTop1)) });
}
for (const method of ['byol', 'simclr']) {
  const full = group(method, 'method');
  const crop = group(method, 'crop-flip');
  if (!full.length || !crop.length) continue;
  const drop = (key) => pct(stats(full.map((r) => r[key])).mean - stats(crop.map((r) => r[key])).mean);
  console.log(
    `\n${method}: removing colour/blur/solarize costs ${drop('linearProbeTop1')} points of linear probe, ${drop('knnTop1')} of kNN`,
  );
}

console.log(
  '\n| method (seed 0) | linear probe top-1 % | kNN top-1 % | final loss | train s |\n| --- | --- | --- | --- | --- |',
);
for (const method of ['random init', 'byol', 'simclr', 'simsiam', 'barlow-twins', 'vicreg']) {
  const r = runs.find((x) => x.method === method && x.augment === 'method' && x.seed === 0);
  if (r)
    console.log(
      `| ${method} | ${pct(r.linearProbeTop1)} | ${pct(r.knnTop1)} | ${r.finalLoss?.toFixed(3) ?? '–'} | ${r.seconds.toFixed(0)} |`,
    );
}

// Grouped bars: linear probe and kNN per setting, mean over seeds, a line from min to max.
const W = 640;
const H = 310;
const left = 50;
const bottom = 250;
const top = 30;
const scale = (v) => bottom - ((Math.min(Math.max(v, 0.2), 0.5) - 0.2) / 0.3) * (bottom - top); // axis 20%..50%
const slot = (W - left - 10) / bars.length;
const svg = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
  '<title>BYOL vs SimCLR with full and crop + flip augmentations, and BYOL with a fixed random target</title>',
  `<text x="${W / 2}" y="16" text-anchor="middle" font-size="13">CIFAR-10 subset, ${runs[0]?.steps ?? '?'} steps: top-1 of frozen features (mean over seeds, min–max)</text>`,
];
for (const v of [0.2, 0.3, 0.4, 0.5]) {
  svg.push(`<line x1="${left}" x2="${W - 10}" y1="${scale(v)}" y2="${scale(v)}" stroke="#ddd"/>`);
  svg.push(`<text x="${left - 6}" y="${scale(v) + 4}" text-anchor="end">${pct(v)}%</text>`);
}
bars.forEach((b, i) => {
  const x0 = left + i * slot + slot * 0.15;
  const w = slot * 0.33;
  [
    [b, '#4477aa', 0],
    [b.knn, '#ee9944', w + 2],
  ].forEach(([s, colour, dx]) => {
    const x = x0 + dx;
    svg.push(
      `<rect x="${x.toFixed(1)}" y="${scale(s.mean).toFixed(1)}" width="${w.toFixed(1)}" height="${(bottom - scale(s.mean)).toFixed(1)}" fill="${colour}"/>`,
    );
    svg.push(
      `<line x1="${(x + w / 2).toFixed(1)}" x2="${(x + w / 2).toFixed(1)}" y1="${scale(s.min).toFixed(1)}" y2="${scale(s.max).toFixed(1)}" stroke="#000"/>`,
    );
  });
  // Two lines (method, views) so that the labels fit their slot.
  const cx = (left + (i + 0.5) * slot).toFixed(1);
  b.label.split(', ').forEach((line, j) => {
    svg.push(`<text x="${cx}" y="${bottom + 16 + 13 * j}" text-anchor="middle">${line}</text>`);
  });
});
svg.push(
  `<rect x="${left + 10}" y="${H - 16}" width="10" height="10" fill="#4477aa"/><text x="${left + 24}" y="${H - 7}">linear probe</text>`,
);
svg.push(
  `<rect x="${left + 110}" y="${H - 16}" width="10" height="10" fill="#ee9944"/><text x="${left + 124}" y="${H - 7}">kNN (k = 20)</text>`,
);
svg.push('</svg>');
await writeFileAtomic(join(here, 'chart.svg'), `${svg.join('\n')}\n`);
