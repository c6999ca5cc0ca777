import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { createBackbone, type BackboneOptions, withInputNormalization } from '@selfsup/backbones';
import { loadTorchvisionWeights } from '@selfsup/backbones/node';
import { loadRunEncoder, runPaths, trainByol } from '@selfsup/byol/node';
import { type ExternalEncoder, trainSupervised } from '@selfsup/eval-transfer';
import { onnxEncoder } from '@selfsup/eval-transfer/node';
import { channelStatistics, subset } from '@selfsup/datasets';
import type { Encoder } from '@selfsup/runtime';
import type { BackboneSpec, BenchConfig, EncoderSpec, PretrainSpec, RandomEncoderSpec } from './config-schema';
import { continueRun, scheduleEpochs, shorterSnapshot } from './byol-snapshots';
import type { BenchDataset } from './load-datasets';

export interface EncoderContext {
  config: BenchConfig;
  /** Folder for pretraining runs (`<run>/pretrain/<encoder>`), resumed when interrupted. */
  pretrainDir: string;
  dataset(name: string): Promise<BenchDataset>;
  log(line: string): void;
}

function backboneOptions(spec: BackboneSpec, seed: number): BackboneOptions {
  return { arch: spec.arch, stem: spec.stem ?? 'cifar', widthMultiplier: spec.width ?? 1, seed };
}

async function pretrainingData(p: PretrainSpec, ctx: EncoderContext) {
  const ds = (await ctx.dataset(p.dataset)).train;
  return p.limit ? subset(ds, Math.max(1, Math.floor(p.limit / ds.classes.length)), ctx.config.seed) : ds;
}

async function byolPretrained(spec: Extract<EncoderSpec, { from: 'byol' }>, ctx: EncoderContext): Promise<Encoder> {
  const out = join(ctx.pretrainDir, spec.name);
  // A snapshot of a longer run continues the longest shorter snapshot's run rather than starting over.
  const shorter = existsSync(runPaths(out).checkpoint) ? undefined : shorterSnapshot(spec, ctx.config, ctx.pretrainDir);
  if (shorter) {
    await continueRun(shorter, out, spec.name);
    ctx.log(`encoder '${spec.name}': continuing the BYOL run of ${shorter}`);
  }
  const encoder = createBackbone(backboneOptions(spec.backbone, ctx.config.seed));
  const data = await pretrainingData(spec.pretrain, ctx);
  const result = await trainByol({
    data,
    encoder,
    // As `selfsup-byol train` does by default: inputs standardised with the pretraining images' statistics.
    inputNormalization: channelStatistics(data),
    epochs: scheduleEpochs(spec),
    untilEpoch: spec.pretrain.epochs,
    batchSize: spec.pretrain.batchSize,
    learningRate: spec.pretrain.lr,
    imageSize: ctx.config.imageSize,
    seed: ctx.config.seed,
    out,
    resume: existsSync(runPaths(out).checkpoint),
    config: { encoder: spec.name, backbone: spec.backbone.arch, stem: spec.backbone.stem, width: spec.backbone.width },
    progress: false,
  });
  // `paused`: the snapshot reached its epochs before the end of its schedule, as asked.
  if (result.status !== 'completed' && result.status !== 'paused') {
    result.byol.dispose({ all: true });
    throw new Error(`encoder '${spec.name}': BYOL pretraining ${result.status}: ${result.message ?? ''}`);
  }
  const trained = result.byol.encoder.clone();
  result.byol.dispose({ all: true });
  return trained;
}

/** The seeded initialisation; with `normalize`, standardised as a BYOL encoder pretrained on that dataset is. */
async function randomInit(spec: RandomEncoderSpec, ctx: EncoderContext): Promise<Encoder> {
  const encoder = createBackbone(backboneOptions(spec.backbone, ctx.config.seed));
  if (spec.normalize)
    return withInputNormalization(encoder, channelStatistics((await ctx.dataset(spec.normalize)).train));
  return withInputNormalization(encoder, spec.mean && spec.std ? { mean: spec.mean, std: spec.std } : undefined);
}

async function supervised(spec: Extract<EncoderSpec, { from: 'supervised' }>, ctx: EncoderContext): Promise<Encoder> {
  const encoder = createBackbone(backboneOptions(spec.backbone, ctx.config.seed));
  await trainSupervised({
    encoder,
    data: await pretrainingData(spec.pretrain, ctx),
    epochs: spec.pretrain.epochs,
    batchSize: spec.pretrain.batchSize,
    learningRate: spec.pretrain.lr,
    seed: ctx.config.seed,
  });
  return encoder;
}

/** Build (and if needed pretrain) one configured encoder; an ONNX model is an ExternalEncoder (frozen). */
export async function buildEncoder(spec: EncoderSpec, ctx: EncoderContext): Promise<Encoder | ExternalEncoder> {
  const at = (p: string) => (isAbsolute(p) ? p : resolve(ctx.config.baseDir, p));
  const seed = ctx.config.seed;
  switch (spec.from) {
    case 'random':
      return randomInit(spec, ctx);
    case 'byol-run':
      // The run's backbone, weights and input standardisation, as `selfsup-byol embed` uses them.
      return (await loadRunEncoder(at(spec.path))).encoder;
    case 'torchvision': {
      const encoder = createBackbone(backboneOptions(spec.backbone, seed));
      const report = await loadTorchvisionWeights(encoder, at(spec.path));
      ctx.log(`encoder '${spec.name}': loaded ${report.loaded.length} tensors from ${spec.path}`);
      return encoder;
    }
    case 'onnx': {
      const encoder = await onnxEncoder(at(spec.path), { layout: spec.layout, mean: spec.mean, std: spec.std });
      ctx.log(
        `encoder '${spec.name}': ONNX model ${spec.path} (input ${encoder.inputName}, output ${encoder.outputName})`,
      );
      return encoder;
    }
    case 'byol':
      return byolPretrained(spec, ctx);
    case 'supervised':
      return supervised(spec, ctx);
  }
}
