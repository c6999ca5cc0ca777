import { existsSync } from 'node:fs';
import { parseCliNumber } from '@selfsup/runtime/node';
import { saveOnnx, saveTfjsModel } from '@selfsup/backbones/node';
import { initBackend } from '@selfsup/runtime';
import { UsageError } from './cli-args';
import { parseCommandFlags } from './command-flags';
import { loadRunEncoder } from './run-encoder';

export const EXPORT_HELP = [
  'selfsup-byol export --run <dir> --format onnx|tfjs --out <path> [--image-size <int>] [--layout NCHW|NHWC]',
  '  onnx: one .onnx file, input `images` float32 [N, 3, H, W] in [0, 1] (NHWC with --layout NHWC),',
  '        output `features` [N, D]; runs in ONNX Runtime, PyTorch users feed it like torchvision models',
  '  tfjs: a folder with model.json + weights.bin (tf.loadLayersModel), input [N, H, W, 3] in [0, 1]',
  '  --image-size defaults to the size the run trained at.',
].join('\n');

/** `selfsup-byol export`: the trained encoder of a run as ONNX or a TF.js model; resolves to the exit code. */
export async function exportCommand(argv: string[], log: (line: string) => void): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${EXPORT_HELP}\n`);
    return 0;
  }
  const values = parseCommandFlags(
    argv,
    {
      run: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      'image-size': { type: 'string' },
      layout: { type: 'string' },
    },
    'selfsup-byol export --help',
  ).values as Record<string, string | undefined>;
  for (const flag of ['run', 'format', 'out'] as const) {
    if (!values[flag]) throw new UsageError(`export needs --${flag}\n${EXPORT_HELP}`);
  }
  const { run, format, out } = values as { run: string; format: string; out: string };
  if (format !== 'onnx' && format !== 'tfjs') throw new UsageError(`--format must be onnx or tfjs, got '${format}'`);
  const layout = values.layout ?? 'NCHW';
  if (layout !== 'NCHW' && layout !== 'NHWC') throw new UsageError(`--layout must be NCHW or NHWC, got '${layout}'`);
  if (values.layout && format !== 'onnx') throw new UsageError('--layout applies to --format onnx only');
  const size = values['image-size'] === undefined ? undefined : parseCliNumber(values['image-size'], 'int');
  if (values['image-size'] !== undefined && !(size !== undefined && size > 0)) {
    throw new UsageError(`--image-size must be a positive integer, got '${values['image-size']}'`);
  }
  if (!existsSync(run)) throw new UsageError(`--run ${run} does not exist`);
  await initBackend('auto');
  let loaded: Awaited<ReturnType<typeof loadRunEncoder>>;
  try {
    loaded = await loadRunEncoder(run);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { encoder, config } = loaded;
  const imageSize = size ?? config.imageSize;
  if (imageSize === undefined) {
    encoder.dispose();
    throw new UsageError(`${run}/config.json does not record the image size the run trained at; pass --image-size`);
  }
  try {
    if (format === 'onnx') {
      await saveOnnx(encoder, out, { imageSize, layout, metadata: { run, backbone: config.backbone } });
      const dims = layout === 'NCHW' ? `[N, 3, ${imageSize}, ${imageSize}]` : `[N, ${imageSize}, ${imageSize}, 3]`;
      log(`wrote ${out}: ONNX, input images ${dims} in [0, 1], output features [N, ${encoder.outputDim}]`);
    } else {
      await saveTfjsModel(encoder, out, { imageSize });
      log(
        `wrote ${out}/model.json: TF.js layers model, input [N, ${imageSize}, ${imageSize}, 3] in [0, 1], output [N, ${encoder.outputDim}]`,
      );
    }
  } finally {
    encoder.dispose();
  }
  return 0;
}
