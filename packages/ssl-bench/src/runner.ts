import { join } from 'node:path';
import { evalTransform, rgbToGrayscale } from '@selfsup/augment';
import type { ImageDataset } from '@selfsup/datasets';
import { type ExternalEncoder, extractFeatures, fineTune, isExternalEncoder } from '@selfsup/eval-transfer';
import { directoryFeatureStore } from '@selfsup/eval-transfer/node';
import { initBackend, type Encoder } from '@selfsup/runtime';
import { computeAnalysisCell } from './analysis-cells';
import type { BenchConfig, EncoderSpec, FineTuneProtocol } from './config-schema';
import { buildEncoder } from './encoders';
import { loadBenchDataset, type BenchDataset } from './load-datasets';
import { createBenchProgress, type BenchProgress } from './progress';
import {
  protocolVariants,
  runFeatureProtocol,
  type FeatureSplit,
  type ProtocolOutcome,
  type ProtocolVariant,
  type SplitFeatures,
} from './protocols';
import type { ReferenceSource } from './report/correlation';
import { ResultsStore, type CellResult } from './results-store';
import { specHash } from './spec-hash';
import { formatCell } from './report/table';
import { buildContext, datasetSizes, type ReportContext } from './report/context';

const scoreText = (c: CellResult | undefined) => (c ? `${formatCell(c)}%` : undefined);

export interface RunOptions {
  config: BenchConfig;
  /** Run folder: `results.sqlite`, `features/` (cache), `pretrain/` (resumable pretraining runs). */
  out: string;
  /** Progress display; default a bar (terminal) or log lines on stderr. */
  progress?: BenchProgress;
  /** Stop after the cell in progress finishes (finished cells are kept). */
  signal?: AbortSignal;
  /** Run only encoders i with i % count === index: one of `count` processes sharing the results store. */
  shard?: { index: number; count: number };
  /** Threads of the wasm backend (default 1); results are the same for every count. */
  wasmThreads?: number;
}

export interface RunSummary {
  cells: CellResult[];
  computed: number;
  reused: number;
  interrupted: boolean;
  storePath: string;
  /** Where each encoder's reference value comes from, for the report. */
  reference: ReferenceSource;
  /** What the report says about the run: dataset sizes, encoder descriptions, config, backend, version, date. */
  context: ReportContext;
}

/** One cell of the matrix with the hash of everything its result depends on. */
export interface Cell {
  encoder: EncoderSpec;
  dataset: string;
  variant: ProtocolVariant;
  hash: string;
}

/** Every cell of the config's matrix, in encoder, dataset, protocol order. */
export function planCells(config: BenchConfig): Cell[] {
  const datasets = new Map(config.datasets.map((d) => [d.name, d]));
  return config.encoders.flatMap((encoder) =>
    config.datasets.flatMap((d) =>
      // An analysis listing `datasets` runs on those only.
      config.protocols
        .filter((p) => !('datasets' in p) || !p.datasets || p.datasets.includes(d.name))
        .flatMap(protocolVariants)
        .map((variant) => ({
          encoder,
          dataset: d.name,
          variant,
          hash: specHash({
            encoder,
            dataset: datasets.get(d.name),
            // A pretrained encoder's result also depends on its pretraining data.
            pretrainData: 'pretrain' in encoder ? datasets.get(encoder.pretrain.dataset) : undefined,
            protocol: variant,
            seed: config.seed,
            imageSize: config.imageSize,
          }),
        })),
    ),
  );
}

async function featuresOf(
  encoder: Encoder | ExternalEncoder,
  ds: ImageDataset,
  config: BenchConfig,
  cacheDir: string,
  gray = false,
): Promise<FeatureSplit> {
  const size = config.imageSize;
  const base = evalTransform({ resize: size, crop: size });
  // The colour analysis also probes the images with colour removed (luma in all three channels).
  const transform: typeof base = gray
    ? (x, rng) => {
        const y = base(x, rng);
        const g = rgbToGrayscale(y, 3);
        y.dispose();
        return g;
      }
    : base;
  const features = await extractFeatures(encoder, ds, {
    transform,
    transformId: `evalTransform(resize=${size},crop=${size})${gray ? '+grayscale' : ''}`,
    batchSize: 128,
    cache: directoryFeatureStore(cacheDir),
  });
  return { features, labels: ds.labels };
}

async function fineTuneCell(
  encoder: Encoder,
  spec: FineTuneProtocol,
  data: BenchDataset,
  config: BenchConfig,
): Promise<ProtocolOutcome> {
  const res = await fineTune({
    encoder,
    train: data.train,
    val: data.val,
    test: data.test,
    steps: spec.steps,
    batchSize: spec.batchSize,
    lrGrid: spec.lrGrid,
    wdGrid: spec.wdGrid,
    seed: config.seed,
  });
  return { metric: 'top1', value: res.testScore, ci95: null, details: { lr: res.lr, weightDecay: res.weightDecay } };
}

/**
 * Compute one cell of an encoder on a loaded dataset. Frozen features are extracted once per
 * encoder × dataset: the caller passes the same `features` holder for the cells they share.
 */
export async function computeCell(
  encoder: Encoder | ExternalEncoder,
  cell: Cell,
  data: BenchDataset,
  config: BenchConfig,
  cacheDir: string,
  features: { current?: SplitFeatures; gray?: SplitFeatures },
): Promise<ProtocolOutcome> {
  if (cell.variant.spec.kind === 'finetune') {
    // validateConfig rejects this combination; a config built by hand gets the same answer.
    if (isExternalEncoder(encoder)) {
      throw new Error(
        `encoder '${cell.encoder.name}' (from: ${cell.encoder.from}) is frozen: fine-tuning needs a tfjs model`,
      );
    }
    return fineTuneCell(encoder, cell.variant.spec, data, config);
  }
  const splitFeatures = async (gray: boolean): Promise<SplitFeatures> => ({
    train: await featuresOf(encoder, data.train, config, cacheDir, gray),
    val: data.val && (await featuresOf(encoder, data.val, config, cacheDir, gray)),
    test: await featuresOf(encoder, data.test, config, cacheDir, gray),
  });
  const { spec } = cell.variant;
  if (spec.kind === 'colour' || spec.kind === 'inversion' || spec.kind === 'saliency') {
    return computeAnalysisCell(encoder, spec, data, config, async (kind) => {
      if (kind === 'gray') return (features.gray ??= await splitFeatures(true));
      return (features.current ??= await splitFeatures(false));
    });
  }
  features.current ??= await splitFeatures(false);
  return runFeatureProtocol(cell.variant, features.current, config.seed);
}

/**
 * Run the matrix encoders × datasets × protocols. Each finished cell is stored
 * at once; cells already in the store with the same spec are not recomputed, and
 * an encoder whose cells are all stored is not even built (nor pretrained).
 */
export async function runBenchmark(options: RunOptions): Promise<RunSummary> {
  const { config, out } = options;
  const storePath = join(out, 'results.sqlite');
  const store = ResultsStore.open(storePath);
  const reference: ReferenceSource = { ...config.reference, explicit: explicitReferences(config.encoders) };
  store.setMeta('reference', reference);
  const { index, count } = options.shard ?? { index: 0, count: 1 };
  const encoders = config.encoders.filter((_, i) => i % count === index);
  const cells = planCells(config).filter((c) => encoders.includes(c.encoder));
  const progress = options.progress ?? createBenchProgress(cells.length);
  const loaded = new Map<string, Promise<BenchDataset>>();
  // Sizes of what was loaded, for the report; datasets not loaded this time keep their stored sizes.
  const sizes: ReportContext['datasets'] = { ...store.getMeta<ReportContext>('context')?.datasets };
  const dataset = (name: string) => {
    if (!loaded.has(name)) {
      const load = loadBenchDataset(config.datasets.find((d) => d.name === name)!, config);
      loaded.set(
        name,
        load.then((d) => {
          sizes[name] = datasetSizes(d);
          return d;
        }),
      );
    }
    return loaded.get(name)!;
  };
  let computed = 0;
  let reused = 0;
  let interrupted = false;
  try {
    const backend = await initBackend(config.backend, { wasmThreads: options.wasmThreads });
    for (const spec of encoders) {
      const mine = cells.filter((c) => c.encoder === spec);
      const todo = mine.filter((c) => !store.get(spec.name, c.dataset, c.variant.id, c.hash));
      for (const c of mine.filter((m) => !todo.includes(m))) {
        const stored = store.get(spec.name, c.dataset, c.variant.id, c.hash);
        progress.done(`${spec.name} × ${c.dataset} × ${c.variant.id}`, 0, true, scoreText(stored));
        reused++;
      }
      if (todo.length === 0) continue;
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
      progress.start(`building encoder ${spec.name} (${spec.from})`);
      const encoder = await buildEncoder(spec, {
        config,
        pretrainDir: join(out, 'pretrain'),
        dataset,
        log: (l) => progress.message(l),
      });
      try {
        for (const datasetName of [...new Set(todo.map((c) => c.dataset))]) {
          const data = await dataset(datasetName);
          let feats: SplitFeatures | undefined;
          for (const cell of todo.filter((c) => c.dataset === datasetName)) {
            if (options.signal?.aborted) {
              interrupted = true;
              break;
            }
            const label = `${spec.name} × ${datasetName} × ${cell.variant.id}`;
            progress.start(label);
            const began = performance.now();
            const features = { current: feats };
            const outcome = await computeCell(encoder, cell, data, config, join(out, 'features'), features);
            feats = features.current;
            const seconds = (performance.now() - began) / 1000;
            const result: CellResult = {
              encoder: spec.name,
              dataset: datasetName,
              protocol: cell.variant.id,
              ...outcome,
              specHash: cell.hash,
              seconds,
              finishedAt: new Date().toISOString(),
            };
            store.put(result);
            computed++;
            progress.done(label, seconds, false, scoreText(result));
          }
          if (interrupted) break;
        }
      } finally {
        await encoder.dispose();
      }
      if (interrupted) break;
    }
    const current = new Set(cells.map((c) => `${c.encoder.name}|${c.dataset}|${c.variant.id}|${c.hash}`));
    const results = store.all().filter((r) => current.has(`${r.encoder}|${r.dataset}|${r.protocol}|${r.specHash}`));
    const context = buildContext(config, sizes, backend.name);
    store.setMeta('context', context);
    return { cells: results, computed, reused, interrupted, storePath, reference, context };
  } finally {
    progress.close();
    store.close();
  }
}

/** The `reference` values encoders give themselves, by encoder name. */
export function explicitReferences(encoders: EncoderSpec[]): Record<string, number> {
  return Object.fromEntries(encoders.flatMap((e) => (e.reference === undefined ? [] : [[e.name, e.reference]])));
}
