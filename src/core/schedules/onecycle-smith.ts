/**
 * `onecycle/smith`: Leslie Smith's 1cycle (Smith & Topin, "Super-Convergence", 2017; Smith,
 * "A disciplined approach to neural network hyper-parameters", 2018) — three linear phases:
 *
 *   minLr → maxLr over i ∈ [0, s],  maxLr → minLr over [s, 2s],  minLr → finalLr over [2s, N − 1]
 *
 * (s = stepSize, N = totalSteps), so the peak is exactly at step s, minLr again at 2s and finalLr
 * at the last step N − 1, held after. Momentum runs max → min → max over the first two phases
 * and stays at max. Built from `joinSchedules` of linear ramps. Equal (up to rounding) to PyTorch
 * `OneCycleLR(three_phase=True, anneal_strategy='linear', …)`, see equivalence.ts.
 */
import { constantFn, joinSchedules, linearRamp } from './combinators';
import type { FullOneCycleSmithSpec } from './defaults';
import { clampToLength, type Schedule } from './schedule';

/** Compiles a smith one-cycle spec with defaults filled (see `withDefaults`). */
export function compileOneCycleSmith(spec: FullOneCycleSmithSpec): Schedule {
  const { minLr, maxLr, finalLr, stepSize: s, totalSteps: n } = spec;
  const { max, min } = spec.momentum;
  const annihilation = n - 1 - 2 * s;
  const lr = joinSchedules(
    [linearRamp(minLr, maxLr, s), linearRamp(maxLr, minLr, s), linearRamp(minLr, finalLr, annihilation), constantFn(finalLr)],
    [s, 2 * s, n - 1],
  );
  const momentum = joinSchedules([linearRamp(max, min, s), linearRamp(min, max, s), constantFn(max)], [s, 2 * s]);
  return { length: n, lr: clampToLength(lr, n), momentum: clampToLength(momentum, n) };
}
