import { regularizedIncompleteBeta } from './incomplete-beta';

/**
 * Two-sided p-value P(|T| >= |t|) of Student's t with `dof` degrees of freedom,
 * via P(|T| >= |t|) = I_{dof/(dof + t^2)}(dof/2, 1/2); |t| = Infinity gives 0.
 */
export function studentTTwoSidedP(t: number, dof: number): number {
  if (!(dof > 0)) throw new Error(`studentTTwoSidedP: dof must be positive, got ${dof}`);
  if (Number.isNaN(t)) throw new Error(`studentTTwoSidedP: t must be a number, got NaN`);
  if (!Number.isFinite(t)) return 0;
  return regularizedIncompleteBeta(dof / (dof + t * t), dof / 2, 0.5);
}
