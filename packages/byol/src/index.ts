export { createByol } from './byol';
export type { Byol, ByolStepResult, CreateByolOptions } from './byol';
export {
  BYOL_RECIPE,
  BYOL_RECIPES,
  SMALL_RECIPE,
  RECIPE_NAMES,
  AUTO_SMALL_MAX_IMAGE_SIZE,
  AUTO_SMALL_MAX_STEPS,
  resolveRecipe,
  resolveByolRecipe,
  describeRecipe,
} from './recipe';
export type { ByolRecipe, RecipeName, RecipeChoice, ResolvedByolRecipe, ResolveByolRecipeOptions } from './recipe';
export { projectionStd, collapseRatio, COLLAPSE_WARNING_RATIO } from './collapse';
export { captureState, restoreState, STATE_FORMAT } from './trainer-state';
export type { StatefulParts, TrainerState } from './trainer-state';
export { createProgress, createStatusLine, formatDuration } from './progress';
export type { Progress, ProgressOptions, StatusLine, StepReport } from './progress';
