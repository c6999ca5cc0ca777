/**
 * The BYOL training recipe of Grill et al. 2020 ("Bootstrap Your Own Latent",
 * arXiv 2006.07733, Sec. 3.2 and Appendix C), as defaults that a run scales to
 * its own batch size and length. Every field can be overridden.
 */
export interface ByolRecipe {
  /** Learning rate for a batch of 256; the run uses `baseLearningRate × batchSize / 256` (paper: 0.2). */
  baseLearningRate: number;
  /** LARS weight decay; biases and BatchNorm parameters are excluded by the optimizer (paper: 1.5e-6). */
  weightDecay: number;
  /** LARS momentum (paper: 0.9). */
  momentum: number;
  /** Fraction of the steps spent in linear warm-up (paper: 10 of 1000 epochs = 0.01). */
  warmupFraction: number;
  /** τ at step 0; it rises to 1 on a cosine (paper: 0.996). */
  baseTau: number;
}

export const BYOL_RECIPE: Readonly<ByolRecipe> = Object.freeze({
  baseLearningRate: 0.2,
  weightDecay: 1.5e-6,
  momentum: 0.9,
  warmupFraction: 10 / 1000,
  baseTau: 0.996,
});

const RANGES: Record<keyof ByolRecipe, [number, number]> = {
  baseLearningRate: [0, Infinity],
  weightDecay: [0, Infinity],
  momentum: [0, 1],
  warmupFraction: [0, 1],
  baseTau: [0, 1],
};

/** The paper's recipe with `overrides` applied; every value is checked against its range. */
export function resolveRecipe(overrides: Partial<ByolRecipe> = {}): ByolRecipe {
  const recipe = { ...BYOL_RECIPE };
  for (const [key, value] of Object.entries(overrides) as Array<[keyof ByolRecipe, number | undefined]>) {
    if (value === undefined) continue;
    if (!(key in RANGES)) {
      throw new Error(`byol recipe: unknown option '${key}' (expected one of ${Object.keys(RANGES).join(', ')})`);
    }
    const [lo, hi] = RANGES[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < lo || value > hi) {
      throw new Error(`byol recipe: ${key} must be a number in [${lo}, ${hi}], got ${String(value)}`);
    }
    recipe[key] = value;
  }
  return recipe;
}

/** The recipe fields of a larger options object (the rest is ignored). */
export function pickRecipe(options: Partial<ByolRecipe>): Partial<ByolRecipe> {
  const keys = Object.keys(BYOL_RECIPE) as Array<keyof ByolRecipe>;
  return Object.fromEntries(keys.filter((k) => options[k] !== undefined).map((k) => [k, options[k]]));
}
