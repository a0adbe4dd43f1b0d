/** From a spec to a schedule: `compileSchedule`, `sampleSchedule`, `specLength`. */
import { compileValidSpec } from './compile-valid';
import { SpecError } from './errors';
import { flavorOf } from './flavors/index';
import type { Schedule } from './schedule';
import type { ScheduleSpec } from './spec';
import { validateSpec } from './validate';

/**
 * Validates `spec` (throws `SpecError`), fills its defaults and returns its schedule:
 * `lr(i)` / `momentum(i)` are the values for the i-th optimizer update, i = 0 … length − 1,
 * exactly as the flavor's reference implementation computes them (docs/schedules.md).
 * `momentum` is null when the flavor does not cycle momentum. Outside [0, length − 1] bounded
 * schedules hold their end values (optax: its own tail, the final value from count T on); cyclic
 * and constant schedules are unbounded.
 */
export function compileSchedule(spec: ScheduleSpec): Schedule {
  return compileValidSpec(validateSpec(spec));
}

/**
 * Number of optimizer updates the spec describes: `steps` (range; constant and cyclic when
 * given), `totalSteps` (pytorch, fastai, smith), `transitionSteps` (optax); null when unbounded.
 */
export function specLength(spec: ScheduleSpec): number | null {
  switch (spec.policy) {
    case 'range':
      return spec.steps;
    case 'constant':
      return spec.steps ?? null;
    default:
      return flavorOf(spec).length(spec);
  }
}

/**
 * The first `n` values (default: the spec's length) of the LR and of the momentum (null when
 * not cycled). Throws `SpecError` for an invalid spec, or (field "steps") when the spec is
 * unbounded and no `n` is given; `n` must be a non-negative integer.
 */
export function sampleSchedule(spec: ScheduleSpec, n?: number): { lr: number[]; momentum: number[] | null } {
  const schedule = compileSchedule(spec);
  const count = n ?? schedule.length;
  const where = spec.policy === 'onecycle' ? `onecycle/${spec.flavor}` : spec.policy;
  if (count === null) {
    throw new SpecError('steps', `${where}: the schedule has no length; give a number of steps to sample or set field "steps"`);
  }
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`sampleSchedule: n must be a non-negative integer, got ${count}`);
  }
  const lr = new Array<number>(count);
  for (let i = 0; i < count; i++) lr[i] = schedule.lr(i);
  const momentumFn = schedule.momentum;
  let momentum: number[] | null = null;
  if (momentumFn) {
    momentum = new Array<number>(count);
    for (let i = 0; i < count; i++) momentum[i] = momentumFn(i);
  }
  return { lr, momentum };
}
