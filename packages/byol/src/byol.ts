import * as tf from '@tensorflow/tfjs-core';
import { checkPositiveInteger, createRng, type Encoder, type Head, type RawTensor, type Rng } from '@selfsup/runtime';
import { byolView1, byolView2, type Transform } from '@selfsup/augment';
import { byolPredictor, byolProjector } from '@selfsup/heads';
import { type InputNormalization, withInputNormalization } from '@selfsup/backbones';
import { symmetricByolLoss } from '@selfsup/losses';
import { cosineTau, emaUpdate } from '@selfsup/ema';
import { LARS, scaleLearningRate, warmupCosineSchedule } from '@selfsup/optim';
import { projectionStd } from './collapse';
import { pickRecipe, resolveByolRecipe, type ByolRecipe, type RecipeChoice, type ResolvedByolRecipe } from './recipe';
import { captureState, restoreState, type StatefulParts, type TrainerState } from './trainer-state';

export interface CreateByolOptions extends Partial<ByolRecipe> {
  /** The online encoder to train (its clone becomes the target encoder). */
  encoder: Encoder;
  /**
   * Standardise every view per channel, `(x - mean) / std`, before the encoders see it (as
   * torchvision pipelines do); `byol.encoder` then applies it too, so features of [0, 1]
   * images come out as trained. Default none (`trainByol` computes it from its data).
   */
  inputNormalization?: InputNormalization;
  /**
   * Named defaults for every recipe field (`paper`, `small`) or `auto` (default): `small` for
   * images ≤ 64 px or runs ≤ 5000 steps, else `paper` (see `resolveByolRecipe`). Fields given
   * here (e.g. `baseTau`) override the recipe's.
   */
  recipe?: RecipeChoice;
  /** Default: Linear-BN-ReLU-Linear with the recipe's `projectorHiddenDim` → `projectorOutputDim`. */
  projector?: Head;
  /** Default: Linear-BN-ReLU-Linear on the projector's output, `predictorHiddenDim` wide. */
  predictor?: Head;
  /** The two view transforms; default BYOL's asymmetric pair `byolView1`/`byolView2` at `imageSize` (recipe blur and crop scale). */
  augment?: [Transform, Transform];
  /** Side of the augmented views for the default `augment` (default 32; `auto` also reads it unless `augment` is given without it). */
  imageSize?: number;
  /** Default: LARS with the recipe's warm-up + cosine schedule; needs `batchSize` to scale the rate. */
  optimizer?: tf.Optimizer;
  /** Images per step, for the default learning rate `baseLearningRate × batchSize / 256`. */
  batchSize?: number;
  /** Peak learning rate of the default optimizer; overrides the batch-size scaling. */
  learningRate?: number;
  /** Steps of the whole run: the length of the cosine τ and learning-rate schedules. */
  totalSteps: number;
  /** Seeds the default heads and the augmentation stream. */
  seed: number;
}

export interface ByolStepResult {
  /** Symmetric BYOL loss of this step (0 ≤ loss ≤ 8). */
  loss: number;
  /** EMA rate used for the target after this step. */
  tau: number;
  /** Learning rate used by this step. */
  lr: number;
  /** Collapse monitor: std of the L2-normalised online projections of view 1 (healthy ≈ 1/√d). */
  projectionStd: number;
  /** Steps done, this one included. */
  step: number;
}

export interface Byol {
  /** One BYOL update on a batch `[N, H, W, C]` in [0, 1] (not disposed). */
  step(images: tf.Tensor4D): ByolStepResult;
  /** The online encoder (with the input standardisation, if any): the representation to keep. */
  readonly encoder: Encoder;
  readonly online: { encoder: Encoder; projector: Head; predictor: Head };
  readonly target: { encoder: Encoder; projector: Head };
  readonly optimizer: tf.Optimizer;
  /** Steps done so far. */
  readonly steps: number;
  readonly totalSteps: number;
  /** The recipe this trainer resolved (name, why, every value); head sizes, views and optimizer values apply to what it made itself. */
  readonly recipe: ResolvedByolRecipe;
  /** Snapshot of everything a resumed run needs (the caller disposes `tensors`). */
  getState(): Promise<TrainerState>;
  /** Restore a snapshot (from `getState` or a checkpoint file). */
  setState(tensors: Map<string, tf.Tensor | RawTensor>, metadata: Record<string, string>): Promise<void>;
  /** Free what this trainer created (target, default heads and optimizer); `all` also frees the encoder and any heads or optimizer passed in. */
  dispose(options?: { all?: boolean }): void;
}

function defaultOptimizer(options: CreateByolOptions, recipe: ByolRecipe): tf.Optimizer {
  let peak = options.learningRate;
  if (peak === undefined) {
    if (options.batchSize === undefined) {
      throw new Error(
        `createByol: give batchSize (for the recipe's lr = ${recipe.baseLearningRate} × batchSize / 256), learningRate, or an optimizer`,
      );
    }
    peak = scaleLearningRate(recipe.baseLearningRate, options.batchSize);
  }
  const warmupSteps = Math.min(options.totalSteps - 1, Math.round(recipe.warmupFraction * options.totalSteps));
  return new LARS({
    learningRate: warmupCosineSchedule({ baseLr: peak, warmupSteps, totalSteps: options.totalSteps }),
    momentum: recipe.momentum,
    weightDecay: recipe.weightDecay,
    eta: recipe.trustCoefficient,
  });
}

function learningRateOf(optimizer: tf.Optimizer): number {
  const lr =
    (optimizer as unknown as { lr?: number; learningRate?: number }).lr ??
    (optimizer as unknown as { learningRate?: number }).learningRate;
  return typeof lr === 'number' ? lr : NaN;
}

/**
 * A BYOL trainer (Grill et al. 2020): an online network (encoder, projector,
 * predictor) regresses the target network's projection of another view of the same
 * image; the target (encoder, projector) is an exponential moving average of the online one.
 */
export function createByol(options: CreateByolOptions): Byol {
  if (!options || typeof options.encoder?.apply !== 'function') {
    throw new Error('createByol: options.encoder must be an Encoder (e.g. resnet18() from @selfsup/backbones)');
  }
  checkPositiveInteger('createByol', 'totalSteps', options.totalSteps);
  if (!Number.isFinite(options.seed))
    throw new Error(`createByol: seed must be a finite number, got ${String(options.seed)}`);
  const { totalSteps } = options;
  // The standardisation belongs to the encoder: target, exports and features all get it.
  const encoder = withInputNormalization(options.encoder, options.inputNormalization);
  const recipe = resolveByolRecipe({
    recipe: options.recipe,
    // Custom views without imageSize: the size is unknown, so auto decides by run length.
    imageSize: options.imageSize ?? (options.augment ? undefined : 32),
    totalSteps,
    overrides: pickRecipe(options),
  });
  const seeds = createRng(options.seed);
  const projector =
    options.projector ??
    byolProjector(encoder.outputDim, {
      hiddenDim: recipe.projectorHiddenDim,
      outputDim: recipe.projectorOutputDim,
      seed: seeds.nextUint32(),
    });
  const predictor =
    options.predictor ??
    byolPredictor({
      inputDim: projector.outputDim,
      hiddenDim: recipe.predictorHiddenDim,
      outputDim: projector.outputDim,
      seed: seeds.nextUint32(),
    });
  const rng: Rng = seeds.fork();
  const viewOptions = {
    size: options.imageSize ?? 32,
    blur: recipe.blur,
    scale: [recipe.minCropScale, 1] as [number, number],
  };
  const [view1, view2] = options.augment ?? [byolView1(viewOptions), byolView2(viewOptions)];
  const optimizer = options.optimizer ?? defaultOptimizer(options, recipe);
  const online = { encoder, projector, predictor };
  const target = { encoder: encoder.clone(), projector: projector.clone() };
  const trainable = [encoder, projector, predictor].flatMap((m) => [...m.parameters().values()]);
  const parts: StatefulParts = {
    modules: {
      'online.encoder': encoder,
      'online.projector': projector,
      'online.predictor': predictor,
      'target.encoder': target.encoder,
      'target.projector': target.projector,
    },
    optimizer,
    rng,
  };
  let steps = 0;

  const project = (net: { encoder: Encoder; projector: Head }, x: tf.Tensor4D) =>
    net.projector.apply(net.encoder.apply(x, { training: true }), { training: true });

  return {
    encoder,
    online,
    target,
    optimizer,
    totalSteps,
    recipe,
    get steps() {
      return steps;
    },
    step(images) {
      if (steps >= totalSteps) throw new Error(`byol.step: all totalSteps = ${totalSteps} steps are done`);
      let std!: tf.Scalar;
      const loss = tf.tidy(() => {
        const v1 = view1(images, rng);
        const v2 = view2(images, rng);
        // The target runs outside the gradient tape: no gradient can reach it.
        const z1Target = project(target, v1);
        const z2Target = project(target, v2);
        const { value, grads } = tf.variableGrads(() => {
          const z1 = project(online, v1);
          const z2 = project(online, v2);
          std = tf.keep(projectionStd(z1));
          return symmetricByolLoss(
            predictor.apply(z1, { training: true }),
            z2Target,
            predictor.apply(z2, { training: true }),
            z1Target,
          );
        }, trainable);
        optimizer.applyGradients(grads);
        return value;
      });
      const lr = learningRateOf(optimizer);
      // τ_k for step k = 0 .. K-1: τ_base at the first step, rising towards 1 (paper, Sec. 3.2).
      const tau = cosineTau(steps, totalSteps, recipe.baseTau);
      steps += 1;
      emaUpdate(target.encoder, encoder, tau);
      emaUpdate(target.projector, projector, tau);
      const [lossValue, stdValue] = [loss.dataSync()[0], std.dataSync()[0]];
      tf.dispose([loss, std]);
      return { loss: lossValue, tau, lr, projectionStd: stdValue, step: steps };
    },
    getState: () => captureState(parts, steps),
    async setState(tensors, metadata) {
      steps = await restoreState(parts, tensors, metadata);
    },
    dispose({ all = false } = {}) {
      target.encoder.dispose();
      target.projector.dispose();
      if (all || !options.projector) projector.dispose();
      if (all || !options.predictor) predictor.dispose();
      if (all || !options.optimizer) optimizer.dispose();
      if (all) options.encoder.dispose();
    },
  };
}
