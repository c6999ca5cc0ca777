import { describe, expect, it } from 'vitest';
import {
  BYOL_RECIPE,
  describeRecipe,
  resolveByolRecipe,
  resolveRecipe,
  SMALL_RECIPE,
  AUTO_SMALL_MAX_STEPS,
} from './recipe';

describe('resolveByolRecipe', () => {
  it('auto picks small for images <= 64 px or runs <= 5000 steps, else paper, and says why', () => {
    const cases: Array<[number | undefined, number | undefined, string, RegExp]> = [
      [32, 1_000_000, 'small', /images 32 px <= 64/],
      [64, 1_000_000, 'small', /images 64 px <= 64/],
      [224, 5000, 'small', /5000 steps <= 5000/],
      [96, 5001, 'paper', /images 96 px, 5001 steps/],
      [undefined, 300, 'small', /300 steps/],
      [undefined, undefined, 'paper', /image size unknown, length unknown/],
    ];
    for (const [imageSize, totalSteps, name, reason] of cases) {
      const r = resolveByolRecipe({ imageSize, totalSteps });
      expect(r.name, `${imageSize} px, ${totalSteps} steps`).toBe(name);
      expect(r.requested).toBe('auto');
      expect(r.reason).toMatch(reason);
    }
    expect(AUTO_SMALL_MAX_STEPS).toBe(5000);
  });

  it('small has the reference script values; blur off up to 32 px and crop scale 0.2 up to 64 px', () => {
    const at32 = resolveByolRecipe({ recipe: 'small', imageSize: 32 });
    expect(at32).toMatchObject({
      name: 'small',
      requested: 'small',
      baseLearningRate: 2.0,
      trustCoefficient: 1e-3,
      weightDecay: 1.5e-6,
      momentum: 0.9,
      warmupFraction: 0.1,
      baseTau: 0.99,
      projectorHiddenDim: 1024,
      projectorOutputDim: 128,
      predictorHiddenDim: 1024,
      blur: false,
      minCropScale: 0.2,
      overridden: [],
    });
    expect(resolveByolRecipe({ recipe: 'small', imageSize: 64 })).toMatchObject({ blur: true, minCropScale: 0.2 });
    expect(resolveByolRecipe({ recipe: 'small', imageSize: 96 })).toMatchObject({ blur: true, minCropScale: 0.08 });
    // A forced paper recipe at 32 px stays the paper's.
    const paper = resolveByolRecipe({ recipe: 'paper', imageSize: 32, totalSteps: 10 });
    expect(paper).toMatchObject({ ...BYOL_RECIPE, name: 'paper', reason: "asked for 'paper'" });
    expect(SMALL_RECIPE.projectorOutputDim).toBe(128);
  });

  it('overrides win over the recipe and are listed; undefined ones are ignored', () => {
    const r = resolveByolRecipe({
      imageSize: 32,
      overrides: { baseTau: 0.996, projectorHiddenDim: 4096, blur: true, warmupFraction: undefined },
    });
    expect(r).toMatchObject({
      name: 'small',
      baseTau: 0.996,
      projectorHiddenDim: 4096,
      blur: true,
      warmupFraction: 0.1,
    });
    expect(r.overridden).toEqual(['baseTau', 'blur', 'projectorHiddenDim']);
    expect(describeRecipe(r)).toMatch(
      /^recipe small \(auto: images 32 px <= 64; overridden: baseTau, blur, projectorHiddenDim\): base lr 2 x batch\/256, .*tau 0\.996, projector 4096->128, predictor 1024, blur on, crop scale \[0\.2, 1\]$/,
    );
  });

  it('an unknown recipe name or a bad value is a clear error naming the valid ones', () => {
    expect(() => resolveByolRecipe({ recipe: 'imagenet' as never })).toThrow(
      "byol recipe: unknown recipe 'imagenet' (expected one of paper, small, auto)",
    );
    expect(() => resolveByolRecipe({ overrides: { projectorHiddenDim: 1.5 } })).toThrow(
      'byol recipe: projectorHiddenDim must be a positive integer, got 1.5',
    );
    expect(() => resolveByolRecipe({ overrides: { baseTau: 2 } })).toThrow(
      'byol recipe: baseTau must be a number in [0, 1], got 2',
    );
    expect(() => resolveByolRecipe({ overrides: { lr: 1 } as never })).toThrow(/unknown option 'lr'/);
  });

  it('resolveRecipe keeps its old meaning: the paper recipe with overrides', () => {
    expect(resolveRecipe()).toEqual(BYOL_RECIPE);
    expect(resolveRecipe({ baseTau: 0.99 }).baseTau).toBe(0.99);
  });
});
