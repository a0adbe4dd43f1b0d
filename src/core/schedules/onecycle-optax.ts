/**
 * `onecycle/optax-cosine` and `optax-linear`: optax `cosine_onecycle_schedule` /
 * `linear_onecycle_schedule` (optax/schedules/_schedule.py) at count = i. Both are
 * `piecewise_interpolate_schedule(init = peakValue/divFactor, {boundary: scale})`:
 *
 *   cosine: {int(pctStart·T): divFactor, T: 1/(divFactor·finalDivFactor)}
 *   linear: {int(pctStart·T): divFactor, int(pctFinal·T): 1/divFactor, T: 1/finalDivFactor}
 *
 * (T = transitionSteps). Values at the boundaries are the running products of the scales; between
 * two boundaries b0 < b1 the value is interpolated with pct = (i − b0)/(b1 − b0). So the peak is
 * at step int(pctStart·T) exactly; the final value peakValue/divFactor/finalDivFactor is reached
 * at count T — one past the schedule's T steps — and held for every count ≥ T.
 *
 * optax runs in JAX's default float32; this computes the same formula in float64 (what optax
 * gives with `jax_enable_x64`).
 */
import type { FullOneCycleOptaxSpec } from './defaults';
import type { Schedule, StepFn } from './schedule';

type Interpolate = (start: number, end: number, pct: number) => number;

/** optax `_linear_interpolate`. */
const linearInterpolate: Interpolate = (start, end, pct) => (end - start) * pct + start;
/** optax `_cosine_interpolate`. */
const cosineInterpolate: Interpolate = (start, end, pct) => end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);

/**
 * optax `piecewise_interpolate_schedule` for boundaries given in increasing order (distinct,
 * positive). Count < 0 gives 0 in optax; we return `init` (the value at count 0).
 */
export function piecewiseInterpolate(kind: 'linear' | 'cosine', init: number, boundaries: readonly number[], scales: readonly number[]): StepFn {
  const interpolate = kind === 'linear' ? linearInterpolate : cosineInterpolate;
  const bounds = [0, ...boundaries];
  const values = [init];
  for (const s of scales) values.push(values[values.length - 1] * s);
  const sizes = bounds.slice(1).map((b, k) => Math.max(b - bounds[k], 1));
  const lastBound = bounds[bounds.length - 1];
  const lastValue = values[values.length - 1];
  return (step) => {
    const i = step < 0 ? 0 : step;
    if (i >= lastBound) return lastValue;
    let k = bounds.length - 2;
    while (k > 0 && i < bounds[k]) k--;
    return interpolate(values[k], values[k + 1], (i - bounds[k]) / sizes[k]);
  };
}

/** Compiles an optax one-cycle spec with defaults filled (see `withDefaults`). */
export function compileOneCycleOptax(spec: FullOneCycleOptaxSpec): Schedule {
  const t = spec.transitionSteps;
  const init = spec.peakValue / spec.divFactor;
  const peakAt = Math.trunc(spec.pctStart * t);
  const lr =
    spec.flavor === 'optax-cosine'
      ? piecewiseInterpolate('cosine', init, [peakAt, t], [spec.divFactor, 1 / (spec.divFactor * spec.finalDivFactor)])
      : piecewiseInterpolate(
          'linear',
          init,
          [peakAt, Math.trunc((spec.pctFinal ?? Number.NaN) * t), t],
          [spec.divFactor, 1 / spec.divFactor, 1 / spec.finalDivFactor],
        );
  return { length: t, lr, momentum: null };
}
