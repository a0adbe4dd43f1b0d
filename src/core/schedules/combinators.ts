/**
 * Small schedule combinators, the two styles the references compose with:
 *
 * - step-indexed (`StepFn`, i → value), joined at integer boundaries like optax's
 *   `join_schedules`;
 * - position-indexed (`PosFn`, pos ∈ [0, 1] → value), combined over fractions of training
 *   like fastai's `combine_scheds` / `combined_cos`.
 *
 * All are pure; the functions they return allocate nothing per call.
 */
import type { StepFn } from './schedule';

/** A value as a function of the fraction of training done, pos ∈ [0, 1]. */
export type PosFn = (pos: number) => number;

/** Rounds an intermediate result; `identity` for float64, `Math.fround` for float32 arithmetic. */
export type Rounding = (x: number) => number;
const identity: Rounding = (x) => x;

/** The same value at every step. */
export function constantFn(value: number): StepFn {
  return () => value;
}

/**
 * Linear ramp over `steps` steps: `start` at 0, `end` at `steps` (continues the line outside).
 * `start + (end − start)·i/steps`.
 */
export function linearRamp(start: number, end: number, steps: number): StepFn {
  const delta = end - start;
  return (i) => start + (delta * i) / steps;
}

/**
 * optax `join_schedules`: `schedules[0]` until `boundaries[0]`, then `schedules[1]` counted
 * from 0 again (it receives `i − boundaries[0]`), and so on. At a boundary the next schedule
 * takes over (`i < boundary` keeps the previous one). `boundaries` must be increasing and one
 * shorter than `schedules`.
 */
export function joinSchedules(schedules: readonly StepFn[], boundaries: readonly number[]): StepFn {
  if (schedules.length !== boundaries.length + 1) {
    throw new RangeError(`joinSchedules: need ${boundaries.length + 1} schedules for ${boundaries.length} boundaries, got ${schedules.length}`);
  }
  const fns = schedules.slice();
  const bounds = boundaries.slice();
  return (i) => {
    let k = bounds.length;
    while (k > 0 && i < bounds[k - 1]) k--;
    const offset = k === 0 ? 0 : bounds[k - 1];
    return fns[k](i - offset);
  };
}

/** Evaluates a position schedule at pos = i / total (fastai's `pct_train` for a fit of `total` batches). */
export function atFraction(f: PosFn, total: number): StepFn {
  return (i) => f(i / total);
}

/** fastai `SchedLin`: `start + pos·(end − start)`. */
export function schedLin(start: number, end: number): PosFn {
  return (pos) => start + pos * (end - start);
}

/** fastai `SchedCos`: `start + (1 + cos(π·(1 − pos)))·(end − start)/2` — flat at both ends. */
export function schedCos(start: number, end: number): PosFn {
  return (pos) => start + ((1 + Math.cos(Math.PI * (1 - pos))) * (end - start)) / 2;
}

/** fastai `SchedExp`: `start·(end/start)^pos`. */
export function schedExp(start: number, end: number): PosFn {
  return (pos) => start * (end / start) ** pos;
}

/** fastai `SchedNo`: always `start`. */
export function schedNo(start: number): PosFn {
  return () => start;
}

/**
 * fastai `combine_scheds(pcts, scheds)`: `scheds[k]` runs over the k-th fraction `pcts[k]` of
 * training (the fractions sum to 1) and receives its own position in [0, 1]. At a phase
 * boundary the later phase takes over; past pos = 1 the last phase continues (extrapolates).
 *
 * fastai does this arithmetic on float32 torch tensors; pass `Math.fround` as `round` to
 * reproduce its values bit for bit (the default is plain float64).
 */
export function combineScheds(pcts: readonly number[], scheds: readonly PosFn[], round: Rounding = identity): PosFn {
  if (pcts.length !== scheds.length || pcts.length === 0) {
    throw new RangeError(`combineScheds: need one fraction per schedule, got ${pcts.length} and ${scheds.length}`);
  }
  // Cumulative phase starts, as fastai's torch.cumsum(tensor([0] + pcts)).
  const starts = [0];
  for (const p of pcts) starts.push(round(starts[starts.length - 1] + round(p)));
  const widths = starts.slice(1).map((end, k) => round(end - starts[k]));
  const fns = scheds.slice();
  const lastPhase = fns.length - 1;
  return (rawPos) => {
    const pos = round(rawPos);
    let k = lastPhase;
    while (k > 0 && !(pos >= starts[k])) k--;
    return fns[k](round(round(pos - starts[k]) / widths[k]));
  };
}

/**
 * fastai `combined_cos(pct, start, middle, end)`: cosine from `start` to `middle` over the first
 * `pct` of training, then cosine from `middle` to `end`.
 */
export function combinedCos(pct: number, start: number, middle: number, end: number, round: Rounding = identity): PosFn {
  return combineScheds([pct, 1 - pct], [schedCos(start, middle), schedCos(middle, end)], round);
}
