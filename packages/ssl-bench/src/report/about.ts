import type { CellResult } from '../results-store';
import type { ReferenceSource } from './correlation';
import type { ReportContext } from './context';
import { protocolOrder } from './table';

const PROTOCOL_WORDS: Record<string, string> = {
  linear: 'a linear classifier (multinomial logistic regression, C chosen on held-out data) on frozen features',
  knn: 'k-nearest-neighbour voting on frozen features',
  fewshot: 'N-way K-shot prototype classification on frozen features (mean of many episodes ± 95% CI)',
  finetune: 'fine-tuning the whole encoder with a linear head',
};

/** The report's header as Markdown: what was measured, what the reference stands for, sizes, encoders, run facts. */
export function aboutMarkdown(cells: CellResult[], ref: ReferenceSource, context?: ReportContext): string {
  const protocols = protocolOrder(cells);
  const kinds = [...new Set(protocols.map((p) => p.split('-')[0]))];
  const lines = [
    `Each encoder was frozen and its features evaluated on every dataset with ${kinds.map((k) => `${k} (${PROTOCOL_WORDS[k] ?? k})`).join('; ')}. ` +
      'Every number is top-1 accuracy on the test split, in percent.',
    '',
    `The reference column — each encoder's ${ref.protocol} accuracy on ${ref.dataset}` +
      (Object.keys(ref.explicit).length
        ? ` (or the value given in the config for ${Object.keys(ref.explicit).join(', ')})`
        : '') +
      ' — stands in for the ImageNet accuracy of Ericsson, Gouk and Hospedales, "How Well Do Self-Supervised Models Transfer?" (CVPR 2021). ' +
      'The question is theirs: does an encoder that is better on its source task also transfer better to the other datasets?',
    '',
  ];
  if (context) {
    const datasets = Object.entries(context.datasets);
    if (datasets.length) {
      lines.push(
        '| dataset | classes | train images | val images | test images |',
        '| --- | --- | --- | --- | --- |',
        ...datasets.map(([name, d]) => `| ${name} | ${d.classes} | ${d.train} | ${d.val ?? '–'} | ${d.test} |`),
        '',
      );
    }
    lines.push(
      '| encoder | what it is |',
      '| --- | --- |',
      ...Object.entries(context.encoders).map(([name, text]) => `| ${name} | ${text} |`),
      '',
      `Backend ${context.backend}, @selfsup/ssl-bench ${context.version}, results of ${context.date.slice(0, 10)} ` +
        `(seed ${context.config.seed}, images at ${context.config.imageSize}px).`,
      '',
    );
  }
  return lines.join('\n');
}
