/**
 * BYOL training recipes: the paper's ImageNet recipe (Grill et al. 2020, "Bootstrap Your
 * Own Latent", arXiv 2006.07733, Sec. 3.2 and Appendix B/C) and a small-scale recipe for
 * small images or short runs (values of ../shared/reference/byol_reference.py, the
 * project's PyTorch anchor). A run scales the base learning rate to its batch size and the
 * warm-up to its length; every field can be overridden. Sources per value: README "Recipes".
 */
export interface ByolRecipe {
  /** Learning rate for a batch of 256; the run uses `baseLearningRate × batchSize / 256`. */
  baseLearningRate: number;
  /** LARS weight decay; biases and BatchNorm parameters are excluded by the optimizer. */
  weightDecay: number;
  /** LARS momentum. */
  momentum: number;
  /** LARS trust coefficient η. */
  trustCoefficient: number;
  /** Fraction of the steps spent in linear warm-up. */
  warmupFraction: number;
  /** τ at step 0; it rises to 1 on a cosine. */
  baseTau: number;
  /** Hidden width of the projector MLP (Linear-BN-ReLU-Linear). */
  projectorHiddenDim: number;
  /** Output width of the projector (and of the predictor). */
  projectorOutputDim: number;
  /** Hidden width of the predictor MLP. */
  predictorHiddenDim: number;
  /** Gaussian blur in the two default views. */
  blur: boolean;
  /** Smallest area fraction of the default views' random resized crop (the range is [minCropScale, 1]). */
  minCropScale: number;
}

export const RECIPE_NAMES = ['paper', 'small'] as const;
export type RecipeName = (typeof RECIPE_NAMES)[number];
/** A recipe by name, or `auto`: `small` for images ≤ 64 px or runs ≤ 5000 steps, else `paper`. */
export type RecipeChoice = RecipeName | 'auto';

/** Grill et al. 2020: Sec. 3.2 (LARS, lr, wd, τ), Sec. 3.3 (heads 4096/256), Appendix B (views, blur). */
export const BYOL_RECIPE: Readonly<ByolRecipe> = Object.freeze({
  baseLearningRate: 0.2,
  weightDecay: 1.5e-6,
  momentum: 0.9,
  trustCoefficient: 1e-3,
  warmupFraction: 10 / 1000, // 10 warm-up epochs of 1000
  baseTau: 0.996,
  projectorHiddenDim: 4096,
  projectorOutputDim: 256,
  predictorHiddenDim: 4096,
  blur: true,
  minCropScale: 0.08,
});

/**
 * byol_reference.py's defaults (LARS lr 2.0 × B/256, η 1e-3, wd 1.5e-6, momentum 0.9,
 * 10% warm-up, τ 0.99, heads 1024/128 with predictor hidden = projector hidden, crop scale
 * 0.2 for ≤ 64 px, run with --no-blur). Corroboration: solo-learn's scripts/pretrain/cifar/byol.yaml
 * also uses τ 0.99 and blur probability 0 at 32 px (with LARS lr 1.0 at batch 256, η 0.02, wd 1e-5,
 * heads 4096/256, crop scale 0.08).
 * Blur and crop scale follow the image size: see `resolveByolRecipe`.
 */
export const SMALL_RECIPE: Readonly<ByolRecipe> = Object.freeze({
  baseLearningRate: 2.0,
  weightDecay: 1.5e-6,
  momentum: 0.9,
  trustCoefficient: 1e-3,
  warmupFraction: 0.1,
  baseTau: 0.99,
  projectorHiddenDim: 1024,
  projectorOutputDim: 128,
  predictorHiddenDim: 1024,
  blur: false,
  minCropScale: 0.2,
});

export const BYOL_RECIPES: Readonly<Record<RecipeName, Readonly<ByolRecipe>>> = Object.freeze({
  paper: BYOL_RECIPE,
  small: SMALL_RECIPE,
});

/** `auto` picks `small` for images up to this side (px)... */
export const AUTO_SMALL_MAX_IMAGE_SIZE = 64;
/** ...or for runs of at most this many steps. */
export const AUTO_SMALL_MAX_STEPS = 5000;

type Check = (value: unknown) => boolean;
const inRange =
  (lo: number, hi: number): Check =>
  (v) =>
    typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi;
const positiveInteger: Check = (v) => Number.isInteger(v) && (v as number) >= 1;
const CHECKS: Record<keyof ByolRecipe, [Check, string]> = {
  baseLearningRate: [inRange(0, Infinity), 'a number >= 0'],
  weightDecay: [inRange(0, Infinity), 'a number >= 0'],
  momentum: [inRange(0, 1), 'a number in [0, 1]'],
  trustCoefficient: [inRange(0, Infinity), 'a number >= 0'],
  warmupFraction: [inRange(0, 1), 'a number in [0, 1]'],
  baseTau: [inRange(0, 1), 'a number in [0, 1]'],
  projectorHiddenDim: [positiveInteger, 'a positive integer'],
  projectorOutputDim: [positiveInteger, 'a positive integer'],
  predictorHiddenDim: [positiveInteger, 'a positive integer'],
  blur: [(v) => typeof v === 'boolean', 'true or false'],
  minCropScale: [(v) => inRange(0, 1)(v) && (v as number) > 0, 'a number in (0, 1]'],
};

function applyOverrides(base: Readonly<ByolRecipe>, overrides: Partial<ByolRecipe>): ByolRecipe {
  const recipe = { ...base };
  for (const [key, value] of Object.entries(overrides ?? {}) as Array<[keyof ByolRecipe, unknown]>) {
    if (value === undefined) continue;
    if (!(key in CHECKS)) {
      throw new Error(`byol recipe: unknown option '${key}' (expected one of ${Object.keys(CHECKS).join(', ')})`);
    }
    const [ok, expected] = CHECKS[key];
    if (!ok(value)) throw new Error(`byol recipe: ${key} must be ${expected}, got ${String(value)}`);
    (recipe as Record<string, unknown>)[key] = value;
  }
  return recipe;
}

/** The paper's recipe with `overrides` applied; every value is checked against its range. */
export function resolveRecipe(overrides: Partial<ByolRecipe> = {}): ByolRecipe {
  return applyOverrides(BYOL_RECIPE, overrides);
}

/** The recipe fields of a larger options object (the rest is ignored). */
export function pickRecipe(options: Partial<ByolRecipe>): Partial<ByolRecipe> {
  const keys = Object.keys(CHECKS) as Array<keyof ByolRecipe>;
  return Object.fromEntries(keys.filter((k) => options[k] !== undefined).map((k) => [k, options[k]]));
}

export interface ResolveByolRecipeOptions {
  /** `paper`, `small` or `auto` (default). */
  recipe?: RecipeChoice;
  /** Side of the training views in pixels; unknown (undefined) leaves `auto` to the run length. */
  imageSize?: number;
  /** Steps of the run. */
  totalSteps?: number;
  /** Values that replace the recipe's (undefined ones are ignored). */
  overrides?: Partial<ByolRecipe>;
}

/** A recipe as a run uses it: every value, the name it came from, and why. */
export interface ResolvedByolRecipe extends ByolRecipe {
  name: RecipeName;
  /** What was asked for (`auto` or a name). */
  requested: RecipeChoice;
  /** Why this recipe, in words (e.g. "auto: images 32 px <= 64"). */
  reason: string;
  /** Recipe fields the caller overrode. */
  overridden: Array<keyof ByolRecipe>;
}

function pickName(choice: RecipeChoice, imageSize: number | undefined, totalSteps: number | undefined) {
  if (choice !== 'auto') return { name: choice, reason: `asked for '${choice}'` };
  if (imageSize !== undefined && imageSize <= AUTO_SMALL_MAX_IMAGE_SIZE)
    return { name: 'small' as const, reason: `auto: images ${imageSize} px <= ${AUTO_SMALL_MAX_IMAGE_SIZE}` };
  if (totalSteps !== undefined && totalSteps <= AUTO_SMALL_MAX_STEPS)
    return { name: 'small' as const, reason: `auto: ${totalSteps} steps <= ${AUTO_SMALL_MAX_STEPS}` };
  const size = imageSize === undefined ? 'image size unknown' : `images ${imageSize} px`;
  const steps = totalSteps === undefined ? 'length unknown' : `${totalSteps} steps`;
  return { name: 'paper' as const, reason: `auto: ${size}, ${steps}` };
}

/**
 * Resolve a named recipe (or `auto`) for a run and apply overrides. `small` follows the
 * reference script's size rules: no blur up to 32 px (a 3-pixel kernel), crop scale
 * [0.2, 1] up to 64 px; above those it keeps the paper's blur and [0.08, 1].
 */
export function resolveByolRecipe(options: ResolveByolRecipeOptions = {}): ResolvedByolRecipe {
  const { recipe: choice = 'auto', imageSize, totalSteps, overrides = {} } = options;
  if (choice !== 'auto' && !(RECIPE_NAMES as readonly string[]).includes(choice)) {
    throw new Error(
      `byol recipe: unknown recipe '${String(choice)}' (expected one of ${RECIPE_NAMES.join(', ')}, auto)`,
    );
  }
  const { name, reason } = pickName(choice, imageSize, totalSteps);
  const base = { ...BYOL_RECIPES[name] };
  if (name === 'small' && imageSize !== undefined) {
    base.blur = imageSize > 32;
    base.minCropScale = imageSize <= AUTO_SMALL_MAX_IMAGE_SIZE ? SMALL_RECIPE.minCropScale : BYOL_RECIPE.minCropScale;
  }
  const values = applyOverrides(base, overrides);
  const overridden = (Object.keys(pickRecipe(overrides)) as Array<keyof ByolRecipe>).sort();
  return { name, requested: choice, reason, overridden, ...values };
}

/** One line for a log: `recipe small (auto: images 32 px <= 64): base lr 2, τ 0.99, ...`. */
export function describeRecipe(r: ResolvedByolRecipe): string {
  const over = r.overridden.length ? `; overridden: ${r.overridden.join(', ')}` : '';
  return (
    `recipe ${r.name} (${r.reason}${over}): base lr ${r.baseLearningRate} x batch/256, wd ${r.weightDecay}, ` +
    `momentum ${r.momentum}, eta ${r.trustCoefficient}, warm-up ${r.warmupFraction}, tau ${r.baseTau}, ` +
    `projector ${r.projectorHiddenDim}->${r.projectorOutputDim}, predictor ${r.predictorHiddenDim}, ` +
    `blur ${r.blur ? 'on' : 'off'}, crop scale [${r.minCropScale}, 1]`
  );
}
