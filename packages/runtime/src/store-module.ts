import type * as tf from '@tensorflow/tfjs-core';
import type { VariableStore } from './variable-store';

/**
 * The `Module` bookkeeping shared by every network built on a `VariableStore`:
 * subclasses add `apply` and `clone` (a new instance over `store.copy()`).
 */
export abstract class StoreModule {
  protected constructor(protected readonly store: VariableStore) {}

  /** The tfjs variable-name prefix of this instance (unique in the process). */
  get scope(): string {
    return this.store.scope;
  }

  parameters(): Map<string, tf.Variable> {
    return this.store.parameters();
  }

  state(): Map<string, tf.Variable> {
    return this.store.state();
  }

  dispose(): void {
    this.store.dispose();
  }
}
