/**
 * `onecycle/pytorch`: PyTorch `OneCycleLR` (torch/optim/lr_scheduler.py), evaluated at
 * last_epoch = i, with initial = maxLr/divFactor and min = initial/finalDivFactor.
 *
 * Phases end at fractional steps exactly as PyTorch computes them:
 *   two-phase:   initial → maxLr until e1 = pctStart·N − 1, then maxLr → min until N − 1
 *   three-phase: initial → maxLr until e1, maxLr → initial until e2 = 2·pctStart·N − 2,
 *                then initial → min until N − 1
 * Step i belongs to the first phase with i ≤ end (the last phase takes the rest); inside a phase
 * pct = (i − previous end)/(end − previous end), annealed by cos (`end + (start − end)/2·(cos(π·pct) + 1)`)
 * or linearly. So the peak is hit exactly only when pctStart·N is an integer; the last step gives
 * min. Momentum runs the opposite way (maxMomentum → baseMomentum → maxMomentum; in the third
 * phase it stays at maxMomentum). PyTorch extrapolates one step past the end and then raises;
 * we hold the last value.
 */
import type { FullOneCyclePytorchSpec } from './defaults';
import { clampToLength, type Schedule, type StepFn } from './schedule';

type Anneal = (start: number, end: number, pct: number) => number;

/** PyTorch's `_annealing_cos`. */
export const annealCos: Anneal = (start, end, pct) => end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
/** PyTorch's `_annealing_linear`. */
export const annealLinear: Anneal = (start, end, pct) => (end - start) * pct + start;

/** Compiles a pytorch one-cycle spec with defaults filled (see `withDefaults`). */
export function compileOneCyclePytorch(spec: FullOneCyclePytorchSpec): Schedule {
  const n = spec.totalSteps;
  const initial = spec.maxLr / spec.divFactor;
  const min = initial / spec.finalDivFactor;
  const { maxLr, baseMomentum: base, maxMomentum: max } = spec;
  const e1 = spec.pctStart * n - 1;

  // Phase table: end step, then (start, end) for lr and momentum.
  const ends = spec.threePhase ? [e1, 2 * spec.pctStart * n - 2, n - 1] : [e1, n - 1];
  const lrs = spec.threePhase ? [initial, maxLr, maxLr, initial, initial, min] : [initial, maxLr, maxLr, min];
  const moms = spec.threePhase ? [max, base, base, max, max, max] : [max, base, base, max];
  const anneal = spec.annealStrategy === 'cos' ? annealCos : annealLinear;
  const lastPhase = ends.length - 1;

  const phased =
    (values: readonly number[]): StepFn =>
    (i) => {
      let start = 0;
      for (let k = 0; k <= lastPhase; k++) {
        const end = ends[k];
        if (i <= end || k === lastPhase) return anneal(values[2 * k], values[2 * k + 1], (i - start) / (end - start));
        start = end;
      }
      return Number.NaN; // unreachable: the last phase always returns
    };

  return {
    length: n,
    lr: clampToLength(phased(lrs), n),
    momentum: spec.cycleMomentum ? clampToLength(phased(moms), n) : null,
  };
}
