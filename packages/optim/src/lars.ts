import * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '@selfsup/runtime';
import { larsDirection, type LarsDirectionOptions, type TrustRatioVariant } from './lars-direction';
import { warmupCosineSchedule, type WarmupCosineOptions, type WarmupCosineSchedule } from './warmup-cosine';

/** A constant, or a function of the number of steps already taken (e.g. {@link warmupCosineSchedule}). */
export type LearningRate = number | ((step: number) => number);

/** Says which variables get plain SGD with momentum: no weight decay, no trust ratio. */
export type ExcludePredicate = (name: string, variable: tf.Variable) => boolean;

export interface LarsOptions {
  learningRate: LearningRate;
  /** Heavy-ball momentum (0.9 in BYOL). */
  momentum?: number;
  /** L2 weight decay folded into the gradient (BYOL: 1.5e-6). */
  weightDecay?: number;
  /** Trust coefficient η (1e-3 in BYOL and You et al. 2017). */
  eta?: number;
  /** Which trust-ratio formula to use; see {@link TrustRatioVariant}. */
  trustRatio?: TrustRatioVariant;
  /** Added to the solo-learn denominator (1e-8); unused by `byol`. */
  eps?: number;
  /** Default: 1-D variables (biases, BatchNorm γ/β), as BYOL and solo-learn exclude them. */
  exclude?: ExcludePredicate;
}

/** Biases and BatchNorm scales/offsets are the 1-D variables of a network. */
export const excludeOneDimensional: ExcludePredicate = (_name, variable) => variable.rank === 1;

const DEFAULTS = { momentum: 0.9, weightDecay: 1.5e-6, eta: 1e-3, trustRatio: 'byol', eps: 1e-8 } as const;
const MOMENTUM_SUFFIX = '/momentum';

/** What tfjs optimizers take and give in applyGradients / getWeights (not re-exported by tfjs-core). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/**
 * LARS (You, Gitman, Ginsburg 2017) as used by BYOL: per-layer trust ratio on
 * top of SGD with momentum, with biases and BatchNorm parameters excluded from
 * both the adaptation and the weight decay.
 *
 * Per adapted variable: `u = q·(g + wd·p)`, `mu ← momentum·mu + u`, `p ← p − lr·mu`;
 * per excluded variable: `mu ← momentum·mu + g`, `p ← p − lr·mu`.
 */
export class LARS extends tf.Optimizer {
  static get className(): string {
    return 'LARS';
  }

  readonly momentum: number;
  readonly weightDecay: number;
  readonly eta: number;
  readonly trustRatio: TrustRatioVariant;
  readonly eps: number;
  private readonly directionOptions: LarsDirectionOptions;
  private readonly learningRate: LearningRate;
  private readonly exclude: ExcludePredicate;
  // Keyed by the tfjs variable name, so restored state finds its variable whatever the order of gradients.
  private readonly buffers = new Map<string, tf.Variable>();
  private readonly excluded = new Map<string, boolean>();
  private lastLr: number | undefined;

  constructor(options: LarsOptions) {
    super();
    if (options == null || typeof options !== 'object') {
      throw new Error(`LARS: options must be an object such as { learningRate: 0.2 }, got ${String(options)}`);
    }
    const { learningRate } = options;
    if (typeof learningRate !== 'function') checkNumber('LARS', 'learningRate', learningRate, { min: 0 });
    this.learningRate = learningRate;
    this.momentum = checkNumber('LARS', 'momentum', options.momentum ?? DEFAULTS.momentum, { min: 0, max: 1 });
    this.weightDecay = checkNumber('LARS', 'weightDecay', options.weightDecay ?? DEFAULTS.weightDecay, { min: 0 });
    this.eta = checkNumber('LARS', 'eta', options.eta ?? DEFAULTS.eta, { min: 0, minExclusive: true });
    this.eps = checkNumber('LARS', 'eps', options.eps ?? DEFAULTS.eps, { min: 0 });
    this.trustRatio = options.trustRatio ?? DEFAULTS.trustRatio;
    if (this.trustRatio !== 'byol' && this.trustRatio !== 'solo-learn') {
      throw new Error(`LARS: trustRatio must be 'byol' or 'solo-learn', got ${JSON.stringify(options.trustRatio)}`);
    }
    const exclude = options.exclude ?? excludeOneDimensional;
    if (typeof exclude !== 'function') {
      throw new Error(`LARS: exclude must be a function (name, variable) => boolean, got ${typeof exclude}`);
    }
    this.exclude = exclude;
    this.directionOptions = { variant: this.trustRatio, weightDecay: this.weightDecay, eta: this.eta, eps: this.eps };
  }

  /** The learning rate of the latest step (before the first step: the one it will use), for logging. */
  get lr(): number {
    return this.lastLr ?? this.learningRateAt(this.iterations);
  }

  private learningRateAt(step: number): number {
    if (typeof this.learningRate === 'number') return this.learningRate;
    const lr = this.learningRate(step);
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      throw new Error(
        `LARS: the learningRate function returned ${String(lr)} at step ${step}; expected a finite number >= 0`,
      );
    }
    return lr;
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries: [string, tf.Tensor | undefined][] = Array.isArray(variableGradients)
      ? variableGradients.map((item) => [item.name, item.tensor])
      : Object.entries(variableGradients);
    const registered = tf.engine().registeredVariables;
    const missing = entries.map(([name]) => name).filter((name) => registered[name] == null);
    if (missing.length > 0) {
      throw new Error(`LARS.applyGradients: no tfjs variable is registered under the name(s) ${missing.join(', ')}`);
    }
    const lr = this.learningRateAt(this.iterations);
    for (const [name, gradient] of entries) {
      if (gradient == null) continue;
      const variable = registered[name];
      if (!tf.util.arraysEqual(gradient.shape, variable.shape)) {
        throw new Error(
          `LARS.applyGradients: gradient for ${name} has shape [${gradient.shape}], the variable has [${variable.shape}]`,
        );
      }
      this.step(name, variable, gradient, lr);
    }
    this.lastLr = lr;
    this.incrementIterations();
  }

  private step(name: string, variable: tf.Variable, gradient: tf.Tensor, lr: number): void {
    let excluded = this.excluded.get(name);
    if (excluded === undefined) {
      excluded = Boolean(this.exclude(name, variable));
      this.excluded.set(name, excluded);
    }
    const buffer = this.bufferFor(name, variable);
    tf.tidy(() => {
      const direction = excluded ? gradient : larsDirection(variable, gradient, this.directionOptions).direction;
      const velocity = tf.add(tf.mul(this.momentum, buffer), direction);
      buffer.assign(velocity);
      variable.assign(tf.sub(variable, tf.mul(lr, velocity)));
    });
  }

  private bufferFor(name: string, variable: tf.Variable): tf.Variable {
    let buffer = this.buffers.get(name);
    if (buffer === undefined) {
      buffer = tf.tidy(() => tf.variable(tf.zerosLike(variable), false));
      this.buffers.set(name, buffer);
    } else if (!tf.util.arraysEqual(buffer.shape, variable.shape)) {
      throw new Error(
        `LARS: the momentum state for ${name} has shape [${buffer.shape}] but the variable has [${variable.shape}]; ` +
          'was the state restored from another model?',
      );
    }
    return buffer;
  }

  /**
   * `[iterations, '<variable name>/momentum' …]`, the layout of tfjs's own
   * optimizers, for checkpoints. The momentum tensors are the live buffers: do not dispose them.
   */
  override async getWeights(): Promise<NamedTensor[]> {
    const momenta = [...this.buffers].map(([name, tensor]) => ({ name: name + MOMENTUM_SUFFIX, tensor }));
    return [await this.saveIterations(), ...momenta];
  }

  /** Restore what {@link getWeights} returned (the tensors are copied). */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    if (!Array.isArray(weightValues) || weightValues.length === 0 || weightValues[0].name !== 'iter') {
      throw new Error(
        `LARS.setWeights: expected the array from getWeights() starting with 'iter', got ${describeWeights(weightValues)}`,
      );
    }
    const momenta = await this.extractIterations(weightValues);
    const bad = momenta.filter((w) => !w.name.endsWith(MOMENTUM_SUFFIX)).map((w) => w.name);
    if (bad.length > 0) {
      throw new Error(`LARS.setWeights: names must end in '${MOMENTUM_SUFFIX}', got ${bad.join(', ')}`);
    }
    this.disposeBuffers();
    for (const { name, tensor } of momenta) {
      this.buffers.set(name.slice(0, -MOMENTUM_SUFFIX.length), tf.variable(tensor, false));
    }
    this.lastLr = undefined;
  }

  override getConfig(): tf.serialization.ConfigDict {
    if (this.exclude !== excludeOneDimensional) {
      throw new Error(
        'LARS.getConfig: a custom exclude predicate cannot be serialised; re-create the optimizer with it ' +
          'and restore its state with setWeights()',
      );
    }
    return {
      learningRate: serialiseLearningRate(this.learningRate),
      momentum: this.momentum,
      weightDecay: this.weightDecay,
      eta: this.eta,
      trustRatio: this.trustRatio,
      eps: this.eps,
    };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const { learningRate, ...rest } = config;
    const lr =
      typeof learningRate === 'number'
        ? learningRate
        : warmupCosineSchedule((learningRate as unknown as { warmupCosine: WarmupCosineOptions }).warmupCosine);
    return new cls({ ...rest, learningRate: lr });
  }

  override dispose(): void {
    super.dispose();
    this.disposeBuffers();
  }

  private disposeBuffers(): void {
    tf.dispose([...this.buffers.values()]);
    this.buffers.clear();
    this.excluded.clear();
  }
}

function serialiseLearningRate(lr: LearningRate): tf.serialization.ConfigDictValue {
  if (typeof lr === 'number') return lr;
  const options = (lr as Partial<WarmupCosineSchedule>).options;
  if (options === undefined) {
    throw new Error(
      'LARS.getConfig: the learningRate function cannot be serialised; use a number or warmupCosineSchedule(...)',
    );
  }
  return { warmupCosine: { ...options } };
}

function describeWeights(weights: unknown): string {
  if (!Array.isArray(weights)) return String(weights);
  return `[${weights.map((w) => JSON.stringify(w?.name)).join(', ')}]`;
}

tf.serialization.registerClass(LARS);
