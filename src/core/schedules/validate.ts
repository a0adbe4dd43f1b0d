/**
 * `validateSpec`: turns untrusted JSON into a `ScheduleSpec` or throws a `SpecError` that names
 * the field, the allowed values or range, and what was given. Unknown fields are errors too:
 * a typo must never silently fall back to a default.
 */
import { compileValidSpec } from './compile-valid';
import { withDefaults } from './defaults';
import { SpecError } from './errors';
import type {
  ConstantSpec,
  CyclicSpec,
  OneCycleFastaiSpec,
  OneCycleOptaxSpec,
  OneCyclePytorchSpec,
  OneCycleSmithSpec,
  RangeSpec,
  ScheduleSpec,
} from './spec';
import { ONE_CYCLE_FLAVORS } from './spec';

export const POLICIES = ['range', 'constant', 'cyclic', 'onecycle'] as const;

/**
 * The longest schedule a spec may describe, in optimizer steps (every length field: `steps`,
 * `totalSteps`, `transitionSteps`, `stepSize`, `stepSizeUp`, `stepSizeDown`). A run record keeps a
 * point per step; a million points is what the analysis, the plots and a record file handle well.
 */
export const MAX_SCHEDULE_STEPS = 1_000_000;

/** Fields each policy/flavor accepts (besides nothing else). */
export const SPEC_FIELDS = {
  range: ['policy', 'mode', 'startLr', 'endLr', 'steps'],
  constant: ['policy', 'lr', 'steps'],
  cyclic: ['policy', 'mode', 'baseLr', 'maxLr', 'stepSizeUp', 'stepSizeDown', 'gamma', 'cycleMomentum', 'baseMomentum', 'maxMomentum', 'steps'],
  'onecycle/pytorch': ['policy', 'flavor', 'maxLr', 'totalSteps', 'pctStart', 'annealStrategy', 'divFactor', 'finalDivFactor', 'threePhase', 'cycleMomentum', 'baseMomentum', 'maxMomentum'],
  'onecycle/fastai': ['policy', 'flavor', 'lrMax', 'totalSteps', 'pctStart', 'div', 'divFinal', 'moms'],
  'onecycle/optax-cosine': ['policy', 'flavor', 'peakValue', 'transitionSteps', 'pctStart', 'divFactor', 'finalDivFactor'],
  'onecycle/optax-linear': ['policy', 'flavor', 'peakValue', 'transitionSteps', 'pctStart', 'pctFinal', 'divFactor', 'finalDivFactor'],
  'onecycle/smith': ['policy', 'flavor', 'minLr', 'maxLr', 'stepSize', 'totalSteps', 'finalLr', 'momentum'],
} as const satisfies Record<string, readonly string[]>;

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
      return validateRange(new Fields(input, 'range', SPEC_FIELDS.range));
    case 'constant':
      return validateConstant(new Fields(input, 'constant', SPEC_FIELDS.constant));
    case 'cyclic':
      return validateCyclic(new Fields(input, 'cyclic', SPEC_FIELDS.cyclic));
    case 'onecycle': {
      const flavor = input.flavor;
      if (flavor === undefined) {
        throw new SpecError('flavor', `onecycle: field "flavor" is missing (one of ${list(ONE_CYCLE_FLAVORS)})`);
      }
      if (!includes(ONE_CYCLE_FLAVORS, flavor)) {
        throw new SpecError('flavor', `onecycle: field "flavor" must be one of ${list(ONE_CYCLE_FLAVORS)}, got ${describe(flavor)}`);
      }
      const where = `onecycle/${flavor}` as const;
      const fields = new Fields(input, where, SPEC_FIELDS[where]);
      switch (flavor) {
        case 'pytorch':
          return validatePytorch(fields);
        case 'fastai':
          return validateFastai(fields);
        case 'optax-cosine':
        case 'optax-linear':
          return validateOptax(fields, flavor);
        case 'smith':
          return validateSmith(fields);
      }
    }
  }
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

function validateCyclic(f: Fields): CyclicSpec {
  const spec: CyclicSpec = {
    policy: 'cyclic',
    baseLr: f.lr('baseLr', true),
    maxLr: f.lr('maxLr', true),
    stepSizeUp: f.integer('stepSizeUp', 1, true),
  };
  f.greater('maxLr', spec.maxLr, 'baseLr', spec.baseLr);
  assign(spec, 'mode', f.oneOf('mode', ['triangular', 'triangular2', 'exp_range'] as const, false));
  assign(spec, 'stepSizeDown', f.integer('stepSizeDown', 1, false));
  assign(spec, 'gamma', f.number('gamma', { min: 0, minOpen: true, max: 1 }, false));
  assign(spec, 'cycleMomentum', f.boolean('cycleMomentum', false));
  assign(spec, 'baseMomentum', f.momentum('baseMomentum', false));
  assign(spec, 'maxMomentum', f.momentum('maxMomentum', false));
  assign(spec, 'steps', f.integer('steps', 1, false));
  const full = withDefaults(spec);
  f.notBelow('maxMomentum', full.maxMomentum, 'baseMomentum', full.baseMomentum);
  return spec;
}

function validatePytorch(f: Fields): OneCyclePytorchSpec {
  const spec: OneCyclePytorchSpec = {
    policy: 'onecycle',
    flavor: 'pytorch',
    maxLr: f.lr('maxLr', true),
    totalSteps: f.integer('totalSteps', 2, true),
  };
  assign(spec, 'pctStart', f.fraction('pctStart', false));
  assign(spec, 'annealStrategy', f.oneOf('annealStrategy', ['cos', 'linear'] as const, false));
  assign(spec, 'divFactor', f.number('divFactor', { min: 1, minOpen: true }, false));
  assign(spec, 'finalDivFactor', f.number('finalDivFactor', { min: 1 }, false));
  assign(spec, 'threePhase', f.boolean('threePhase', false));
  assign(spec, 'cycleMomentum', f.boolean('cycleMomentum', false));
  assign(spec, 'baseMomentum', f.momentum('baseMomentum', false));
  assign(spec, 'maxMomentum', f.momentum('maxMomentum', false));
  const full = withDefaults(spec);
  f.notBelow('maxMomentum', full.maxMomentum, 'baseMomentum', full.baseMomentum);
  const n = full.totalSteps;
  const pct = full.pctStart;
  // PyTorch ends the warm-up at step pctStart·totalSteps − 1 (it divides by that number).
  if (!(pct * n - 1 > 0)) {
    f.fail('pctStart', `must be > 1/totalSteps = ${fmt(1 / n)} so the warm-up phase ends after step 0 (PyTorch ends it at step pctStart·totalSteps − 1)`, pct);
  }
  if (full.threePhase && !(2 * pct * n - 2 < n - 1)) {
    f.fail('pctStart', `must be < (totalSteps + 1)/(2·totalSteps) = ${fmt((n + 1) / (2 * n))} with threePhase, so the annihilation phase gets steps (PyTorch ends the second phase at step 2·pctStart·totalSteps − 2)`, pct);
  }
  return spec;
}

function validateFastai(f: Fields): OneCycleFastaiSpec {
  const spec: OneCycleFastaiSpec = {
    policy: 'onecycle',
    flavor: 'fastai',
    lrMax: f.lr('lrMax', true),
    totalSteps: f.integer('totalSteps', 2, true),
  };
  assign(spec, 'pctStart', f.fraction('pctStart', false));
  assign(spec, 'div', f.number('div', { min: 1, minOpen: true }, false));
  assign(spec, 'divFinal', f.number('divFinal', { min: 1 }, false));
  assign(spec, 'moms', f.moms('moms'));
  return spec;
}

function validateOptax(f: Fields, flavor: 'optax-cosine' | 'optax-linear'): OneCycleOptaxSpec {
  const spec: OneCycleOptaxSpec = {
    policy: 'onecycle',
    flavor,
    peakValue: f.lr('peakValue', true),
    transitionSteps: f.integer('transitionSteps', 2, true),
  };
  assign(spec, 'pctStart', f.fraction('pctStart', false));
  if (flavor === 'optax-linear') assign(spec, 'pctFinal', f.fraction('pctFinal', false));
  assign(spec, 'divFactor', f.number('divFactor', { min: 1, minOpen: true }, false));
  assign(spec, 'finalDivFactor', f.number('finalDivFactor', { min: 1 }, false));
  const full = withDefaults(spec);
  const t = full.transitionSteps;
  // optax places the boundaries at int(pct·transitionSteps) (a dict: equal boundaries overwrite each other).
  const peakAt = Math.trunc(full.pctStart * t);
  if (peakAt < 1) {
    f.fail('pctStart', `must be ≥ 1/transitionSteps = ${fmt(1 / t)} so the warm-up has a step (optax peaks at int(pctStart·transitionSteps))`, full.pctStart);
  }
  if (full.pctFinal !== undefined) {
    const backAt = Math.trunc(full.pctFinal * t);
    if (!(backAt > peakAt && backAt < t)) {
      f.fail('pctFinal', `must put int(pctFinal·transitionSteps) strictly between int(pctStart·transitionSteps) = ${peakAt} and transitionSteps = ${t}`, full.pctFinal);
    }
  }
  return spec;
}

function validateSmith(f: Fields): OneCycleSmithSpec {
  const spec: OneCycleSmithSpec = {
    policy: 'onecycle',
    flavor: 'smith',
    minLr: f.lr('minLr', true),
    maxLr: f.lr('maxLr', true),
    stepSize: f.integer('stepSize', 1, true),
    totalSteps: f.integer('totalSteps', 2, true),
    finalLr: f.lr('finalLr', true),
  };
  f.greater('maxLr', spec.maxLr, 'minLr', spec.minLr);
  if (spec.finalLr > spec.minLr) {
    f.fail('finalLr', `must be ≤ minLr (${fmt(spec.minLr)}): the last phase anneals below minLr`, spec.finalLr);
  }
  if (!(2 * spec.stepSize < spec.totalSteps - 1)) {
    const most = Math.floor((spec.totalSteps - 2) / 2);
    const allowed = most >= 1 ? `at most ${most}` : 'impossible';
    f.fail('stepSize', `is too long for totalSteps ${spec.totalSteps}: needs 2·stepSize < totalSteps − 1 so the annihilation phase has steps (${allowed})`, spec.stepSize);
  }
  const momentum = f.raw('momentum');
  if (momentum !== undefined) {
    if (!isRecord(momentum)) f.fail('momentum', 'must be an object {"max": number, "min": number}', momentum);
    const m = new Fields(momentum, f.where, ['max', 'min'], 'momentum.');
    const max = m.momentum('max', true);
    const min = m.momentum('min', true);
    m.notBelow('max', max, 'min', min);
    spec.momentum = { max, min };
  }
  return spec;
}

// ---------------------------------------------------------------------------------------------

interface NumberRange {
  min?: number;
  minOpen?: boolean;
  max?: number;
  maxOpen?: boolean;
}

/** Reads the fields of one (sub)object and produces the messages. */
class Fields {
  constructor(
    private readonly obj: Record<string, unknown>,
    readonly where: string,
    allowed: readonly string[],
    private readonly prefix = '',
  ) {
    for (const key of Object.keys(obj)) {
      if (allowed.includes(key)) continue;
      const guess = closest(key, allowed);
      const hint = guess ? ` (did you mean "${guess}"?)` : '';
      throw new SpecError(prefix + key, `${where}: unknown field "${prefix + key}"${hint}; allowed fields: ${allowed.map((a) => prefix + a).join(', ')}`);
    }
  }

  /** Throws `<where>: field "<field>" <rule>, got <value>`. */
  fail(field: string, rule: string, got: unknown): never {
    throw new SpecError(this.prefix + field, `${this.where}: field "${this.prefix + field}" ${rule}, got ${describe(got)}`);
  }

  raw(field: string): unknown {
    return this.obj[field];
  }

  private present(field: string, required: boolean, what: string): boolean {
    if (this.obj[field] !== undefined) return true;
    if (required) throw new SpecError(this.prefix + field, `${this.where}: field "${this.prefix + field}" is missing (${what})`);
    return false;
  }

  number(field: string, range: NumberRange, required: true): number;
  number(field: string, range: NumberRange, required: boolean): number | undefined;
  number(field: string, range: NumberRange, required: boolean): number | undefined {
    const what = describeRange(range);
    if (!this.present(field, required, what)) return undefined;
    const v = this.obj[field];
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(field, `must be ${what}`, v);
    const { min, max } = range;
    const belowMin = min !== undefined && (range.minOpen ? v <= min : v < min);
    const aboveMax = max !== undefined && (range.maxOpen ? v >= max : v > max);
    if (belowMin || aboveMax) this.fail(field, `must be ${what}`, v);
    return v;
  }

  lr(field: string, required: true): number;
  lr(field: string, required: boolean): number | undefined;
  lr(field: string, required: boolean): number | undefined {
    return this.number(field, { min: 0, minOpen: true }, required);
  }

  fraction(field: string, required: boolean): number | undefined {
    const what = 'in (0, 1)';
    if (!this.present(field, required, `a number ${what}`)) return undefined;
    const v = this.obj[field];
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(field, `must be a number ${what}`, v);
    if (!(v > 0 && v < 1)) this.fail(field, `must be ${what}`, v);
    return v;
  }

  momentum(field: string, required: true): number;
  momentum(field: string, required: boolean): number | undefined;
  momentum(field: string, required: boolean): number | undefined {
    return this.number(field, { min: 0, max: 1, maxOpen: true }, required);
  }

  /** A number of steps: an integer in [min, MAX_SCHEDULE_STEPS]. */
  integer(field: string, min: number, required: true): number;
  integer(field: string, min: number, required: boolean): number | undefined;
  integer(field: string, min: number, required: boolean): number | undefined {
    const what = `an integer ≥ ${min}`;
    if (!this.present(field, required, what)) return undefined;
    const v = this.obj[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) this.fail(field, `must be ${what}`, v);
    if (v > MAX_SCHEDULE_STEPS) this.fail(field, `must be at most ${MAX_SCHEDULE_STEPS} (the longest schedule LR Scope runs and records, one point per step)`, v);
    return v;
  }

  boolean(field: string, required: boolean): boolean | undefined {
    if (!this.present(field, required, 'true or false')) return undefined;
    const v = this.obj[field];
    if (typeof v !== 'boolean') this.fail(field, 'must be true or false', v);
    return v;
  }

  oneOf<T extends string>(field: string, values: readonly T[], required: true): T;
  oneOf<T extends string>(field: string, values: readonly T[], required: boolean): T | undefined;
  oneOf<T extends string>(field: string, values: readonly T[], required: boolean): T | undefined {
    const what = `one of ${list(values)}`;
    if (!this.present(field, required, what)) return undefined;
    const v = this.obj[field];
    if (!includes(values, v)) this.fail(field, `must be ${what}`, v);
    return v;
  }

  moms(field: string): [number, number, number] | undefined {
    const what = 'an array of 3 momentums [start, middle, end], each in [0, 1)';
    if (!this.present(field, false, what)) return undefined;
    const v = this.obj[field];
    if (!Array.isArray(v) || v.length !== 3) this.fail(field, `must be ${what}`, v);
    const out = v.map((m: unknown, k: number) => {
      if (typeof m !== 'number' || !Number.isFinite(m) || m < 0 || m >= 1) this.fail(`${field}[${k}]`, 'must be a number in [0, 1)', m);
      return m;
    });
    return [out[0], out[1], out[2]];
  }

  /** `upper` must be strictly greater than `lower`. */
  greater(upperField: string, upper: number, lowerField: string, lower: number): void {
    if (!(upper > lower)) this.fail(upperField, `must be greater than ${this.prefix + lowerField} (${fmt(lower)})`, upper);
  }

  /** `upper` must be ≥ `lower`. */
  notBelow(upperField: string, upper: number, lowerField: string, lower: number): void {
    if (!(upper >= lower)) this.fail(upperField, `must be ≥ ${this.prefix + lowerField} (${fmt(lower)})`, upper);
  }
}

function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function includes<T extends string>(values: readonly T[], v: unknown): v is T {
  return typeof v === 'string' && (values as readonly string[]).includes(v);
}

function list(values: readonly string[]): string {
  return values.map((v) => `"${v}"`).join(', ');
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(6)));
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `${JSON.stringify(v)} (a string)`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  return `${String(v)} (${typeof v})`;
}

function describeRange(r: NumberRange): string {
  if (r.min === 0 && r.minOpen && r.max === undefined) return 'a finite number > 0';
  const lo = r.min === undefined ? '' : `${r.minOpen ? '>' : '≥'} ${r.min}`;
  const hi = r.max === undefined ? '' : `${r.maxOpen ? '<' : '≤'} ${r.max}`;
  if (lo && hi) return `a number in ${r.minOpen ? '(' : '['}${r.min}, ${r.max}${r.maxOpen ? ')' : ']'}`;
  return `a finite number ${lo || hi}`;
}

/** The allowed name a typo most likely meant (case-insensitive match or edit distance ≤ 2). */
function closest(key: string, allowed: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of allowed) {
    const d = name.toLowerCase() === lower ? 0 : editDistance(lower, name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
