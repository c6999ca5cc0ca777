import * as tf from '@tensorflow/tfjs-core';

// tfjs variable names live in one global registry, so two copies of the same
// network (BYOL's online and target) need different tfjs names. Each store gets
// a unique prefix; the names users see (the Map keys) stay torchvision names.
const scopeCounters = new Map<string, number>();

/** A tfjs variable-name prefix not used before in this process, e.g. `resnet18_3`. */
export function uniqueScope(base: string): string {
  const n = scopeCounters.get(base) ?? 0;
  scopeCounters.set(base, n + 1);
  return `${base}_${n}`;
}

interface Entry {
  variable: tf.Variable;
  trainable: boolean;
}

/**
 * The named variables of one module, in creation order (which we keep equal to
 * torchvision's `state_dict()` order). `variable()` creates a variable or, in a
 * store made by `copy()`, returns the copied one, so one constructor builds both
 * a fresh module and a clone.
 */
export class VariableStore {
  readonly scope: string;
  private readonly entries = new Map<string, Entry>();
  private disposed = false;

  constructor(scopeBase: string) {
    this.scope = uniqueScope(scopeBase);
  }

  /**
   * The variable `name`: created from `init()` (values in row-major order of `shape`)
   * on first use, or the existing one when this store already holds it.
   */
  variable(name: string, shape: number[], init: () => Float32Array, trainable = true): tf.Variable {
    this.assertAlive(name);
    const existing = this.entries.get(name);
    if (existing) {
      if (!tf.util.arraysEqual(existing.variable.shape, shape)) {
        throw new Error(
          `VariableStore ${this.scope}: variable '${name}' has shape [${existing.variable.shape}], expected [${shape}]`,
        );
      }
      return existing.variable;
    }
    const values = init();
    const size = tf.util.sizeFromShape(shape);
    if (values.length !== size) {
      throw new Error(
        `VariableStore ${this.scope}: init of '${name}' gave ${values.length} values for shape [${shape}] (${size})`,
      );
    }
    const initial = tf.tensor(values, shape, 'float32');
    const variable = tf.variable(initial, trainable, `${this.scope}/${name}`);
    initial.dispose();
    this.entries.set(name, { variable, trainable });
    return variable;
  }

  /** The variable called `name` (an error naming the module if there is none). */
  get(name: string): tf.Variable {
    this.assertAlive(name);
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`VariableStore ${this.scope}: no variable named '${name}'`);
    return entry.variable;
  }

  /** Trainable variables by name. */
  parameters(): Map<string, tf.Variable> {
    return this.collect(true);
  }

  /** Every variable (parameters and buffers such as BN running statistics) by name. */
  state(): Map<string, tf.Variable> {
    return this.collect(false);
  }

  /** A deep copy: new tfjs variables (under a new scope) with the same names, values and trainability. */
  copy(scopeBase: string): VariableStore {
    this.assertAlive('copy');
    const out = new VariableStore(scopeBase);
    for (const [name, { variable, trainable }] of this.entries) {
      // tf.variable takes its own reference to the data; assign() later swaps the
      // data rather than writing into it, so the copies never alias in practice.
      out.entries.set(name, { variable: tf.variable(variable, trainable, `${out.scope}/${name}`), trainable });
    }
    return out;
  }

  dispose(): void {
    if (this.disposed) return;
    for (const { variable } of this.entries.values()) variable.dispose();
    this.entries.clear();
    this.disposed = true;
  }

  private collect(trainableOnly: boolean): Map<string, tf.Variable> {
    this.assertAlive('parameters');
    const out = new Map<string, tf.Variable>();
    for (const [name, { variable, trainable }] of this.entries) {
      if (trainable || !trainableOnly) out.set(name, variable);
    }
    return out;
  }

  private assertAlive(what: string): void {
    if (this.disposed) throw new Error(`VariableStore ${this.scope}: used after dispose() (accessing '${what}')`);
  }
}
