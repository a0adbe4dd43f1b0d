/**
 * `validateSpec`: turns untrusted JSON into a `ScheduleSpec` or throws a `SpecError` that names
 * the field, the allowed values or range, and what was given. Unknown fields are errors too:
 * a typo must never silently fall back to a default. Each flavor checks its own fields (its module's
 * `validate`); the range test's ramp and a constant LR are checked here.
 */
import { compileValidSpec } from './compile-valid';
import { SpecError } from './errors';
import { describe, Fields, includes, isRecord, list, MAX_SCHEDULE_STEPS } from './fields';
import { findFlavor, FLAVORS, flavorWhere, ONE_CYCLE_FLAVORS } from './flavors/index';
import type { ConstantSpec, RangeSpec, ScheduleSpec } from './spec';

export { MAX_SCHEDULE_STEPS } from './fields';

export const POLICIES = ['range', 'constant', 'cyclic', 'onecycle'] as const;

/** Fields each policy/flavor accepts (besides nothing else), by where its messages point (`onecycle/pytorch`). */
export const SPEC_FIELDS: Readonly<Record<string, readonly string[]>> = {
  range: ['policy', 'mode', 'startLr', 'endLr', 'steps'],
  constant: ['policy', 'lr', 'steps'],
  ...Object.fromEntries(FLAVORS.map((f) => [flavorWhere(f), f.specFields])),
};

/**
 * Checks an untrusted value (parsed JSON, a settings object…) against the schedule spec and
 * returns it as a `ScheduleSpec` (a fresh object holding only the given fields; defaults are not
 * filled — see `withDefaults`). Throws `SpecError` on the first problem: unknown policy or
 * flavor, missing field, wrong type, unknown extra field, LR not finite or ≤ 0, an upper bound
 * not above its lower bound, a fraction outside (0, 1), a length too short, or phase lengths that
 * do not fit the schedule (details per flavor in docs/schedules.md).
 */
export function validateSpec(input: unknown): ScheduleSpec {
  const spec = validateFields(input);
  checkValues(spec);
  return spec;
}

/**
 * Every learning rate (and momentum) the spec produces must be a finite number, LRs > 0: fields
 * that are each fine can still overflow together (startLr 1e-300 → endLr 1e300 has a ratio of
 * 1e600). Checks the whole sequence (at most `MAX_SCHEDULE_STEPS` values; two cycles of an
 * unbounded cyclic schedule).
 */
function checkValues(spec: ScheduleSpec): void {
  if (moderate(spec)) return;
  const schedule = compileValidSpec(spec);
  const where = spec.policy === 'onecycle' ? `onecycle/${spec.flavor}` : spec.policy;
  const cycle = spec.policy === 'cyclic' ? 2 * (spec.stepSizeUp + (spec.stepSizeDown ?? spec.stepSizeUp)) : 1;
  const count = Math.min(schedule.length ?? cycle, MAX_SCHEDULE_STEPS);
  for (let i = 0; i < count; i++) {
    const lr = schedule.lr(i);
    if (!(Number.isFinite(lr) && lr > 0)) {
      throw new SpecError(
        'spec',
        `${where}: the learning rate of step ${i} is ${lr}, not a finite number > 0: the spec's learning rates are too far apart for ` +
          `floating point (keep them within a few dozen decades of each other)`,
      );
    }
  }
}

/** Every number of the spec within [1e-60, 1e60] (or a length, a fraction, a momentum): no schedule can then overflow, no need to scan it. */
function moderate(spec: ScheduleSpec): boolean {
  const numbers: number[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'number') numbers.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (isRecord(v)) Object.values(v).forEach(collect);
  };
  collect(spec);
  return numbers.every((x) => x === 0 || (Math.abs(x) >= 1e-60 && Math.abs(x) <= 1e60));
}

function validateFields(input: unknown): ScheduleSpec {
  if (!isRecord(input)) {
    throw new SpecError('spec', `spec: must be a JSON object with a "policy" field, got ${describe(input)}`);
  }
  const policy = input.policy;
  if (policy === undefined) {
    throw new SpecError('policy', `spec: field "policy" is missing (one of ${list(POLICIES)})`);
  }
  if (!includes(POLICIES, policy)) {
    throw new SpecError('policy', `spec: field "policy" must be one of ${list(POLICIES)}, got ${describe(policy)}`);
  }
  switch (policy) {
    case 'range':
      return validateRange(new Fields(input, 'range', SPEC_FIELDS.range!));
    case 'constant':
      return validateConstant(new Fields(input, 'constant', SPEC_FIELDS.constant!));
    case 'onecycle': {
      const flavor = input.flavor;
      if (flavor === undefined) {
        throw new SpecError('flavor', `onecycle: field "flavor" is missing (one of ${list(ONE_CYCLE_FLAVORS)})`);
      }
      if (!includes(ONE_CYCLE_FLAVORS, flavor)) {
        throw new SpecError('flavor', `onecycle: field "flavor" must be one of ${list(ONE_CYCLE_FLAVORS)}, got ${describe(flavor)}`);
      }
      return validateFlavor(input, flavor);
    }
    default:
      return validateFlavor(input, policy);
  }
}

/** A spec of the flavor named `id` (a one-cycle flavor, or a policy that is a flavor of its own), checked by its module. */
function validateFlavor(input: Record<string, unknown>, id: string): ScheduleSpec {
  const flavor = findFlavor(id);
  if (!flavor) throw new SpecError('policy', `spec: no schedule flavor "${id}"`);
  return flavor.validate(new Fields(input, flavorWhere(flavor), flavor.specFields));
}

function validateRange(f: Fields): RangeSpec {
  const mode = f.oneOf('mode', ['exp', 'linear'] as const, true);
  const startLr = f.lr('startLr', true);
  const endLr = f.lr('endLr', true);
  f.greater('endLr', endLr, 'startLr', startLr);
  const steps = f.integer('steps', 2, true);
  return { policy: 'range', mode, startLr, endLr, steps };
}

function validateConstant(f: Fields): ConstantSpec {
  const spec: ConstantSpec = { policy: 'constant', lr: f.lr('lr', true) };
  const steps = f.integer('steps', 1, false);
  if (steps !== undefined) spec.steps = steps;
  return spec;
}
