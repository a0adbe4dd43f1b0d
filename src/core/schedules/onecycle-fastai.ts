/**
 * `onecycle/fastai`: fastai `Learner.fit_one_cycle` (fastai/callback/schedule.py):
 *   lr  = combined_cos(pctStart, lrMax/div, lrMax, lrMax/divFinal)(pos)
 *   mom = combined_cos(pctStart, *moms)(pos)
 * with pos = i/totalSteps (fastai's `pct_train` before batch i). Both halves are cosines that are
 * flat at their ends; the peak is at pos = pctStart, i.e. step pctStart·N (reached exactly only
 * when that is an integer), and the last step N − 1 stops one step short of lrMax/divFinal.
 *
 * fastai's `combine_scheds` keeps the phase fractions in a float32 tensor, so the position inside
 * a phase is computed in float32; we do the same (`Math.fround`) to match fastai to ~1e-15 rather
 * than ~1e-7. Past the end we hold the last value (fastai would extrapolate the cosine).
 */
import { atFraction, combinedCos } from './combinators';
import type { FullOneCycleFastaiSpec } from './defaults';
import { clampToLength, type Schedule } from './schedule';

/** Compiles a fastai one-cycle spec with defaults filled (see `withDefaults`). */
export function compileOneCycleFastai(spec: FullOneCycleFastaiSpec): Schedule {
  const { lrMax, pctStart, totalSteps: n, moms } = spec;
  const lr = combinedCos(pctStart, lrMax / spec.div, lrMax, lrMax / spec.divFinal, Math.fround);
  const mom = combinedCos(pctStart, moms[0], moms[1], moms[2], Math.fround);
  return {
    length: n,
    lr: clampToLength(atFraction(lr, n), n),
    momentum: clampToLength(atFraction(mom, n), n),
  };
}
