import type { AnalysisSection } from './analysis-section';
import type { Figure } from './figures';

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Minimal Markdown tables/headings/paragraphs to HTML: enough for the report's own Markdown. */
export function markdownToHtml(md: string): string {
  const out: string[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('|')) {
      const rows: string[][] = [];
      while (i < lines.length && lines[i].startsWith('|')) {
        rows.push(
          lines[i]
            .slice(1, -1)
            .split('|')
            .map((c) => c.trim()),
        );
        i++;
      }
      i--;
      const [head, , ...body] = rows;
      const cell = (tag: string, c: string) =>
        `<${tag}>${escapeHtml(c).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')}</${tag}>`;
      out.push(
        `<table><thead><tr>${head.map((c) => cell('th', c)).join('')}</tr></thead><tbody>${body
          .map((r) => `<tr>${r.map((c) => cell('td', c)).join('')}</tr>`)
          .join('')}</tbody></table>`,
      );
    } else if (line.startsWith('### ')) {
      out.push(`<h3>${escapeHtml(line.slice(4))}</h3>`);
    } else if (line.trim()) {
      out.push(`<p>${escapeHtml(line).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')}</p>`);
    }
  }
  return out.join('\n');
}

export interface ReportPage {
  title: string;
  summary: string;
  resultsMarkdown: string;
  correlationMarkdown: string;
  scatters: Figure[];
  heatmaps: Figure[];
  /** What was measured, what the reference stands for, sizes, encoders, run facts. */
  aboutMarkdown?: string;
  /** The plain-language conclusion. */
  conclusionMarkdown?: string;
  /** The config as run, shown folded. */
  config?: unknown;
  /** What the features retain (calibration, colour, inversion), one section each. */
  sections?: AnalysisSection[];
}

/** One self-contained page: inline SVG figures, no scripts, no external resources. */
export function renderHtml(page: ReportPage): string {
  const figures = (list: Figure[]) =>
    list
      .map((f) => `<figure id="${escapeHtml(f.name)}">${f.svg}<figcaption>${escapeHtml(f.title)}</figcaption></figure>`)
      .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
figure { display: inline-block; margin: 0.5rem; vertical-align: top; }
figcaption { text-align: center; color: #555; font-size: 13px; }
</style>
</head>
<body>
<h1>${escapeHtml(page.title)}</h1>
<p>${escapeHtml(page.summary)}</p>
${page.aboutMarkdown ? `<h2>What was measured</h2>\n${markdownToHtml(page.aboutMarkdown)}` : ''}
${page.config ? `<details><summary>Configuration</summary><pre>${escapeHtml(JSON.stringify(page.config, null, 2))}</pre></details>` : ''}
${page.conclusionMarkdown ? `<h2>Conclusion</h2>\n${markdownToHtml(page.conclusionMarkdown)}` : ''}
<h2>Results</h2>
${markdownToHtml(page.resultsMarkdown)}
<h2>Does the reference accuracy predict transfer?</h2>
${figures(page.scatters)}
${markdownToHtml(page.correlationMarkdown)}
<h2>Encoders × datasets</h2>
${figures(page.heatmaps)}
${(page.sections ?? []).map((s) => `<h2>${escapeHtml(s.heading)}</h2>\n${markdownToHtml(s.markdown)}\n${figures(s.figures)}`).join('\n')}
</body>
</html>
`;
}
