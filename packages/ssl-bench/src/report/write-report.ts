import { join } from 'node:path';
import sharp from 'sharp';
import { writeFileAtomic } from '@selfsup/runtime/node';
import type { CellResult } from '../results-store';
import { analysisSections } from './analysis-sections';
import { isAnalysisProtocol } from '../config-analysis';
import { saliencyOverlapCells } from './report-saliency';
import { correlateProtocols, correlationMarkdown, type ReferenceSource } from './correlation';
import { heatmapFigures, scatterFigures, type Figure } from './figures';
import { renderHtml } from './html';
import { buildTable, toCsv, toMarkdown } from './table';
import { aboutMarkdown } from './about';
import { conclusionMarkdown } from './conclusion';
import type { ReportContext } from './context';
import { type SslVerdict, sslVerdicts, verdictMarkdown } from './verdict';

export interface ReportOptions {
  cells: CellResult[];
  reference: ReferenceSource;
  outDir: string;
  title?: string;
  /** Dataset sizes, encoder descriptions, config, backend, version, date (`RunSummary.context`). */
  context?: ReportContext;
}

export interface WrittenReport {
  files: string[];
  index: string;
  /** Whether each BYOL encoder beats random init (empty without a context holding the config). */
  verdicts: SslVerdict[];
}

async function writeFigure(dir: string, f: Figure, files: string[]): Promise<void> {
  const svgPath = join(dir, 'figures', `${f.name}.svg`);
  const pngPath = join(dir, 'figures', `${f.name}.png`);
  await writeFileAtomic(svgPath, f.svg);
  // librsvg (inside sharp) rasterises at 2x for legible text.
  await writeFileAtomic(pngPath, await sharp(Buffer.from(f.svg), { density: 144 }).png().toBuffer());
  files.push(svgPath, pngPath);
}

/** Write the tables (Markdown, CSV, JSON), the correlation analysis, the figures (SVG + PNG) and index.html. */
export async function writeReport(options: ReportOptions): Promise<WrittenReport> {
  const { cells, reference, outDir } = options;
  if (cells.length === 0) throw new Error('report: the results store holds no finished cell yet');
  const title = options.title ?? 'ssl-bench transfer report';
  // Derived measures (saliency overlap with a reference encoder) join the tables and correlations.
  const measured = [...cells, ...saliencyOverlapCells(cells)];
  // Accuracy tables, figures and the conclusion are about transfer; the analyses have their own sections.
  const transfer = cells.filter((c) => !isAnalysisProtocol(c.protocol));
  const table = buildTable(transfer, reference.dataset);
  const correlations = correlateProtocols(measured, reference);
  const transferCorrelations = correlations.filter((pc) => !isAnalysisProtocol(pc.protocol));
  const refLabel = `${reference.dataset} ${reference.protocol}`;
  const scatters = scatterFigures(transferCorrelations, refLabel);
  const heatmaps = heatmapFigures(transfer);
  const resultsMd = toMarkdown(table);
  const corrMd = correlationMarkdown(correlations, reference);
  const { context } = options;
  const aboutMd = aboutMarkdown(transfer, reference, context);
  const conclusionMd = conclusionMarkdown(transfer, transferCorrelations, reference, context?.randomInit);
  const encoders = context?.config?.encoders;
  const verdicts = encoders ? sslVerdicts(transfer, encoders) : [];
  const verdictMd = verdictMarkdown(verdicts);
  const files: string[] = [];
  const put = async (name: string, data: string) => {
    const path = join(outDir, name);
    await writeFileAtomic(path, data);
    files.push(path);
  };
  await put(
    'results.md',
    `# ${title}\n\n${verdictMd ? `${verdictMd}\n` : ''}${aboutMd}\n## Results\n\nAccuracy (%) per encoder and dataset, one table per protocol (± the 95% CI where the protocol has one).\n\n${resultsMd}\n## Conclusion\n\n${conclusionMd}`,
  );
  await put('results.csv', toCsv(cells));
  await put('results.json', `${JSON.stringify({ cells, context, verdicts }, null, 2)}\n`);
  await put('correlation.md', `# Correlation with the reference\n\n${corrMd}`);
  await put('correlation.json', `${JSON.stringify(correlations, null, 2)}\n`);
  for (const f of [...scatters, ...heatmaps]) await writeFigure(outDir, f, files);
  const sections = await analysisSections(cells);
  if (sections.length > 0) {
    await put(
      'analysis.md',
      `# What the features retain\n\n${sections.map((s) => `## ${s.heading}\n\n${s.markdown}`).join('\n')}`,
    );
    for (const f of sections.flatMap((s) => s.figures)) await writeFigure(outDir, f, files);
  }
  const summary =
    `${table.encoders.length} encoders × ${new Set(cells.map((c) => c.dataset)).size} datasets × ` +
    `${table.protocols.length} protocols; reference: ${refLabel}. ` +
    'Correlations follow Ericsson et al. (CVPR 2021): logit-transformed accuracies, Pearson and Spearman.';
  await put(
    'index.html',
    renderHtml({
      title,
      summary,
      aboutMarkdown: aboutMd,
      conclusionMarkdown: conclusionMd,
      config: context?.config,
      resultsMarkdown: `${verdictMd ? `${verdictMd}\n` : ''}${resultsMd}`,
      correlationMarkdown: corrMd,
      scatters,
      heatmaps,
      sections,
    }),
  );
  return { files, index: join(outDir, 'index.html'), verdicts };
}
