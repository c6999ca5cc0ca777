import type { Checker } from './config';
import type { AnalysisProtocolSpec, EncoderSpec } from './config-schema';

/** The analyses of what the features retain, listable in `protocols` beside the transfer protocols. */
export const ANALYSIS_KINDS = ['calibration', 'colour', 'inversion', 'saliency'] as const;

/**
 * Whether a cell's protocol id is an analysis (or one derived from it, like `saliency-overlap`)
 * rather than a transfer accuracy: the accuracy tables, heatmaps, scatters and conclusion leave them
 * to their own report sections; the correlation table takes both.
 */
export function isAnalysisProtocol(id: string): boolean {
  return ANALYSIS_KINDS.some((k) => id === k || id.startsWith(`${k}-`));
}

/** Analyses that differentiate through the encoder, which a frozen ONNX graph cannot. */
const NEEDS_GRADIENTS: readonly string[] = ['inversion', 'saliency'];

const positive = { min: 0, exclusiveMin: true };
const positiveInt = { min: 1, integer: true };

/** Validate one analysis protocol entry (its `kind` already checked). */
export function analysisProtocol(
  c: Checker,
  o: Record<string, unknown>,
  path: string,
  datasets: Set<string>,
  encoders: Set<string>,
): AnalysisProtocolSpec {
  const kind = o.kind as AnalysisProtocolSpec['kind'];
  const keys = {
    calibration: ['cGrid', 'bins'],
    colour: ['cGrid'],
    inversion: ['images', 'steps', 'learningRate', 'tvWeight'],
    saliency: ['reference', 'images', 'topFraction'],
  }[kind];
  c.unknownKeys(o, path, ['kind', 'datasets', ...keys]);
  c.optional(o, 'cGrid', path, (x, p) => c.numbers(x, p, positive));
  c.optional(o, 'bins', path, (x, p) => c.number(x, p, positiveInt));
  c.optional(o, 'images', path, (x, p) => c.number(x, p, positiveInt));
  c.optional(o, 'steps', path, (x, p) => c.number(x, p, positiveInt));
  c.optional(o, 'learningRate', path, (x, p) => c.number(x, p, positive));
  c.optional(o, 'tvWeight', path, (x, p) => c.number(x, p, { min: 0 }));
  c.optional(o, 'topFraction', path, (x, p) =>
    typeof x === 'number' && x > 0 && x <= 1 ? x : c.fail(p, 'a number in (0, 1]', x),
  );
  if (kind === 'saliency') {
    const ref = c.string(o.reference, `${path}.reference`);
    if (ref && !encoders.has(ref)) c.fail(`${path}.reference`, `an encoder name (${[...encoders].join(', ')})`, ref);
  }
  c.optional(o, 'datasets', path, (x, p) => {
    const list = c.array(x, p);
    list?.forEach((d, i) => {
      if (typeof d !== 'string' || !datasets.has(d))
        c.fail(`${p}[${i}]`, `a dataset name (${[...datasets].join(', ')})`, d);
    });
    return list;
  });
  return o as unknown as AnalysisProtocolSpec;
}

/** Problems of analyses that need gradients listed with ONNX encoders (frozen graphs). */
export function checkAnalysisEncoders(
  c: Checker,
  encoders: (EncoderSpec | undefined)[],
  kinds: (string | undefined)[],
) {
  kinds.forEach((kind, p) => {
    if (!kind || !NEEDS_GRADIENTS.includes(kind)) return;
    encoders.forEach((e, i) => {
      if (e?.from === 'onnx')
        c.problems.push(
          `encoders[${i}]: '${e.name}' is an ONNX model, which protocols[${p}] (${kind}) cannot differentiate; ` +
            'it needs a tfjs model (give the same weights as from: torchvision, or drop it)',
        );
    });
  });
}
