// A real, minimal Module for tests: named tf.Variables (names containing
// 'running' are non-trainable buffers, the rest parameters). `mlp()` builds
// Linear → BatchNorm1d → ReLU → Linear with torchvision-style names
// ('0.weight', '1.running_mean', …), whose `apply` trains like torch's.
import * as tf from '@tensorflow/tfjs-core';
import { createRng, type Module } from '@selfsup/runtime';

const BN_MOMENTUM = 0.1; // torch.nn.BatchNorm1d default
const BN_EPS = 1e-5;
let nextScope = 0;

export interface MlpSizes {
  input: number;
  hidden: number;
  output: number;
}

export class VariableModule implements Module {
  private constructor(private readonly vars: Map<string, tf.Variable>) {}

  /** He-normal weights from a seeded stream, BN at identity, biases zero. */
  static mlp(sizes: MlpSizes, seed: number): VariableModule {
    const rng = createRng(seed);
    const normal = (rows: number, cols: number) =>
      tf.tensor2d(rng.fillNormal(new Float32Array(rows * cols), 0, Math.sqrt(2 / rows)), [rows, cols]);
    return VariableModule.fromValues({
      '0.weight': normal(sizes.input, sizes.hidden),
      '0.bias': tf.zeros([sizes.hidden]),
      '1.weight': tf.ones([sizes.hidden]),
      '1.bias': tf.zeros([sizes.hidden]),
      '1.running_mean': tf.zeros([sizes.hidden]),
      '1.running_var': tf.ones([sizes.hidden]),
      '3.weight': normal(sizes.hidden, sizes.output),
      '3.bias': tf.zeros([sizes.output]),
    });
  }

  /** Any named values (it takes ownership of the tensors); `apply` needs the names of {@link mlp}. */
  static fromValues(values: Record<string, tf.Tensor>): VariableModule {
    const scope = `mlp${nextScope++}/`;
    const vars = new Map(
      Object.entries(values).map(([name, value]) => {
        const variable = tf.variable(value, !name.includes('running'), scope + name);
        value.dispose();
        return [name, variable] as const;
      }),
    );
    return new VariableModule(vars);
  }

  apply(x: tf.Tensor, { training = false } = {}): tf.Tensor2D {
    const v = (name: string) => this.vars.get(name)!;
    return tf.tidy(() => {
      const h = tf.add(tf.matMul(x as tf.Tensor2D, v('0.weight')), v('0.bias'));
      let mean: tf.Tensor = v('1.running_mean');
      let variance: tf.Tensor = v('1.running_var');
      if (training) {
        const moments = tf.moments(h, 0);
        [mean, variance] = [moments.mean, moments.variance];
        const n = h.shape[0];
        // Running variance uses the unbiased estimate, as torch does.
        const unbiased = tf.mul(variance, n / Math.max(n - 1, 1));
        v('1.running_mean').assign(tf.add(tf.mul(1 - BN_MOMENTUM, v('1.running_mean')), tf.mul(BN_MOMENTUM, mean)));
        v('1.running_var').assign(tf.add(tf.mul(1 - BN_MOMENTUM, v('1.running_var')), tf.mul(BN_MOMENTUM, unbiased)));
      }
      const normed = tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, BN_EPS)));
      const activated = tf.relu(tf.add(tf.mul(normed, v('1.weight')), v('1.bias')));
      return tf.add(tf.matMul(activated, v('3.weight')), v('3.bias'));
    });
  }

  parameters(): Map<string, tf.Variable> {
    return new Map([...this.vars].filter(([, variable]) => variable.trainable));
  }

  state(): Map<string, tf.Variable> {
    return new Map(this.vars);
  }

  clone(): VariableModule {
    return VariableModule.fromValues(
      Object.fromEntries([...this.vars].map(([name, variable]) => [name, tf.clone(variable)])),
    );
  }

  dispose(): void {
    tf.dispose([...this.vars.values()]);
  }
}
