/**
 * `cyclic`: PyTorch `CyclicLR` (torch/optim/lr_scheduler.py), evaluated at last_epoch = i.
 *
 *   cycle = floor(1 + i/(up + down));  x = 1 + i/(up + down) − cycle
 *   f     = x ≤ up/(up+down) ? x/ratio : (x − 1)/(ratio − 1)          (0 at cycle start, 1 at the peak)
 *   lr    = baseLr + (maxLr − baseLr)·f·scale
 *   mom   = maxMomentum − (maxMomentum − baseMomentum)·f·scale        (inverse: max → base while lr goes base → max)
 *
 * scale is 1 (triangular), 1/2^(cycle−1) (triangular2, halves per cycle), gamma^i (exp_range,
 * per iteration). The peak falls at i = stepSizeUp (+ k·(up + down)); the cycle is unbounded,
 * `steps` only gives the schedule a length.
 */
import type { FullCyclicSpec } from './defaults';
import type { Schedule, StepFn } from './schedule';

/** Compiles a cyclic spec with defaults filled (see `withDefaults`). */
export function compileCyclic(spec: FullCyclicSpec): Schedule {
  const total = spec.stepSizeUp + spec.stepSizeDown;
  const ratio = spec.stepSizeUp / total;
  const { mode, gamma, baseLr, maxLr, baseMomentum, maxMomentum } = spec;

  const factor = (i: number): number => {
    const cycle = Math.floor(1 + i / total);
    const x = 1 + i / total - cycle;
    return x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
  };
  const scale = (i: number): number => {
    switch (mode) {
      case 'triangular':
        return 1;
      case 'triangular2':
        return 1 / 2 ** (Math.floor(1 + i / total) - 1);
      case 'exp_range':
        return gamma ** i;
    }
  };

  const lr: StepFn = (step) => {
    const i = step < 0 ? 0 : step;
    return baseLr + (maxLr - baseLr) * factor(i) * scale(i);
  };
  const momentum: StepFn = (step) => {
    const i = step < 0 ? 0 : step;
    return maxMomentum - (maxMomentum - baseMomentum) * factor(i) * scale(i);
  };
  return { length: spec.steps ?? null, lr, momentum: spec.cycleMomentum ? momentum : null };
}
