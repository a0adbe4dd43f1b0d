/**
 * What optax's two one-cycle schedules share (`optax-cosine` and `optax-linear` are one module each, built
 * from these): optax `cosine_onecycle_schedule` / `linear_onecycle_schedule` (optax/schedules/_schedule.py)
 * at count = i. Both are `piecewise_interpolate_schedule(init = peakValue/divFactor, {boundary: scale})`:
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
import { body, DIALECTS, piecewise, pyNum, stepsText, type Dialect, type Formulas, type Piece, type Steps } from '../emit/python';
import { num, type Annotate, type ScheduleSource } from '../emit/typescript';
import { assign, fmt, type Fields } from '../fields';
import type { Schedule, StepFn } from '../schedule';
import { checkedSteps, type FlavorModule, type TorchOneCycle } from './flavor';
import type { OneCyclePytorchSpec } from './pytorch';

/** optax `cosine_onecycle_schedule` at count = i. */
export interface OneCycleOptaxCosineSpec {
  policy: 'onecycle';
  flavor: 'optax-cosine';
  peakValue: number;
  /** ≥ 2; the final value is reached at count transitionSteps (one past the schedule) and held. */
  transitionSteps: number;
  /** Default 0.3; the peak is at step int(pctStart·transitionSteps) ≥ 1. */
  pctStart?: number;
  /** Default 25, > 1. */
  divFactor?: number;
  /** Default 1e4, ≥ 1. */
  finalDivFactor?: number;
}

/** optax `linear_onecycle_schedule` at count = i. */
export interface OneCycleOptaxLinearSpec extends Omit<OneCycleOptaxCosineSpec, 'flavor'> {
  flavor: 'optax-linear';
  /** Default 0.85: the final annealing starts at step int(pctFinal·transitionSteps). */
  pctFinal?: number;
}

export type OneCycleOptaxSpec = OneCycleOptaxCosineSpec | OneCycleOptaxLinearSpec;
export type FullOneCycleOptaxSpec = Required<OneCycleOptaxCosineSpec> | Required<OneCycleOptaxLinearSpec>;

/** optax `cosine_onecycle_schedule` / `linear_onecycle_schedule` defaults. */
export const ONECYCLE_OPTAX_DEFAULTS = {
  pctStart: 0.3,
  pctFinal: 0.85,
  divFactor: 25,
  finalDivFactor: 1e4,
} as const;

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

/** `pctFinal` of an optax spec: optax-linear's, undefined for optax-cosine. */
function pctFinalOf(spec: OneCycleOptaxSpec): number | undefined {
  return spec.flavor === 'optax-linear' ? spec.pctFinal : undefined;
}

/** A copy with the defaults filled. */
export function optaxWithDefaults<S extends OneCycleOptaxSpec>(spec: S): Required<S>;
export function optaxWithDefaults(spec: OneCycleOptaxSpec): FullOneCycleOptaxSpec {
  const d = ONECYCLE_OPTAX_DEFAULTS;
  const common = {
    pctStart: spec.pctStart ?? d.pctStart,
    divFactor: spec.divFactor ?? d.divFactor,
    finalDivFactor: spec.finalDivFactor ?? d.finalDivFactor,
  };
  return spec.flavor === 'optax-linear' ? { ...spec, ...common, pctFinal: spec.pctFinal ?? d.pctFinal } : { ...spec, ...common };
}

/** Compiles an optax one-cycle spec with defaults filled. */
export function compileOneCycleOptax(spec: FullOneCycleOptaxSpec): Schedule {
  const t = spec.transitionSteps;
  const init = spec.peakValue / spec.divFactor;
  const peakAt = Math.trunc(spec.pctStart * t);
  const lr =
    spec.flavor === 'optax-cosine'
      ? piecewiseInterpolate('cosine', init, [peakAt, t], [spec.divFactor, 1 / (spec.divFactor * spec.finalDivFactor)])
      : piecewiseInterpolate('linear', init, [peakAt, Math.trunc(spec.pctFinal * t), t], [spec.divFactor, 1 / spec.divFactor, 1 / spec.finalDivFactor]);
  return { length: t, lr, momentum: null };
}

/** Checks the fields of an optax spec of `flavor` (the boundaries optax derives must be distinct). */
export function validateOptax<S extends OneCycleOptaxSpec>(f: Fields, flavor: S['flavor']): S;
export function validateOptax(f: Fields, flavor: OneCycleOptaxSpec['flavor']): OneCycleOptaxSpec {
  const peakValue = f.lr('peakValue', true);
  const transitionSteps = f.integer('transitionSteps', 2, true);
  const spec: OneCycleOptaxSpec =
    flavor === 'optax-linear' ? { policy: 'onecycle', flavor, peakValue, transitionSteps } : { policy: 'onecycle', flavor, peakValue, transitionSteps };
  assign(spec, 'pctStart', f.fraction('pctStart', false));
  if (spec.flavor === 'optax-linear') assign(spec, 'pctFinal', f.fraction('pctFinal', false));
  assign(spec, 'divFactor', f.number('divFactor', { min: 1, minOpen: true }, false));
  assign(spec, 'finalDivFactor', f.number('finalDivFactor', { min: 1 }, false));
  const full = optaxWithDefaults(spec);
  const t = full.transitionSteps;
  // optax places the boundaries at int(pct·transitionSteps) (a dict: equal boundaries overwrite each other).
  const peakAt = Math.trunc(full.pctStart * t);
  if (peakAt < 1) {
    f.fail('pctStart', `must be ≥ 1/transitionSteps = ${fmt(1 / t)} so the warm-up has a step (optax peaks at int(pctStart·transitionSteps))`, full.pctStart);
  }
  const pctFinal = pctFinalOf(full);
  if (pctFinal !== undefined) {
    const backAt = Math.trunc(pctFinal * t);
    if (!(backAt > peakAt && backAt < t)) {
      f.fail('pctFinal', `must put int(pctFinal·transitionSteps) strictly between int(pctStart·transitionSteps) = ${peakAt} and transitionSteps = ${t}`, pctFinal);
    }
  }
  return spec;
}

/**
 * optax-cosine as PyTorch two-phase cos `OneCycleLR` (LR only, `cycleMomentum: false`) over
 * totalSteps = transitionSteps + 1 — the extra step is count T, where optax reaches its final
 * value. optax-linear has an exact PyTorch form only when int(pctFinal·T) = 2·int(pctStart·T)
 * (symmetric three-phase); otherwise this returns null.
 */
export function optaxToPytorchOneCycle(spec: OneCycleOptaxSpec): Required<OneCyclePytorchSpec> | null {
  const s = optaxWithDefaults(spec);
  const t = s.transitionSteps;
  const peakAt = Math.trunc(s.pctStart * t);
  const base = {
    policy: 'onecycle' as const,
    flavor: 'pytorch' as const,
    maxLr: s.peakValue,
    totalSteps: t + 1,
    pctStart: (peakAt + 1) / (t + 1),
    divFactor: s.divFactor,
    finalDivFactor: s.finalDivFactor,
    cycleMomentum: false,
    baseMomentum: 0.85,
    maxMomentum: 0.95,
  };
  if (s.flavor === 'optax-cosine') return { ...base, annealStrategy: 'cos', threePhase: false };
  const backAt = Math.trunc(s.pctFinal * t);
  if (backAt !== 2 * peakAt) return null;
  return { ...base, annealStrategy: 'linear', threePhase: true };
}

/** The optax call that is the spec: `optax.cosine_onecycle_schedule(…)` / `optax.linear_onecycle_schedule(…)`, defaults left out. */
export function optaxScheduleCall(s: OneCycleOptaxSpec): string {
  const fn = s.flavor === 'optax-cosine' ? 'cosine_onecycle_schedule' : 'linear_onecycle_schedule';
  const args = [`transition_steps=${pyNum(s.transitionSteps)}`, `peak_value=${pyNum(s.peakValue)}`];
  if ((s.pctStart ?? 0.3) !== 0.3) args.push(`pct_start=${pyNum(s.pctStart!)}`);
  if (s.flavor === 'optax-linear' && (s.pctFinal ?? 0.85) !== 0.85) args.push(`pct_final=${pyNum(s.pctFinal!)}`);
  if ((s.divFactor ?? 25) !== 25) args.push(`div_factor=${pyNum(s.divFactor!)}`);
  if ((s.finalDivFactor ?? 1e4) !== 1e4) args.push(`final_div_factor=${pyNum(s.finalDivFactor!)}`);
  return `optax.${fn}(${args.join(', ')})`;
}

/** `FlavorCode.python` of both optax flavors. */
export function optaxPython(spec: FullOneCycleOptaxSpec, dialect: Dialect, totalSteps: Steps | null): Formulas {
  const total = totalSteps ?? spec.transitionSteps;
  const d = DIALECTS[dialect];
  const cos = spec.flavor === 'optax-cosine';
  const div = pyNum(spec.divFactor ?? 25);
  const finalDiv = pyNum(spec.finalDivFactor ?? 1e4);
  const interpolate = (start: string, end: string, pct: string) =>
    cos ? `${end} + (${start} - ${end}) / 2.0 * (${d.cos(`${d.pi} * ${pct}`)} + 1)` : `(${end} - ${start}) * ${pct} + ${start}`;
  const lines = [`transition_steps = ${stepsText(total)}`, `start_lr = ${pyNum(spec.peakValue)} / ${div}`, `peak_lr = start_lr * ${div}`];
  let bounds: string[];
  let values: string[];
  if (cos) {
    lines.push(`final_lr = peak_lr * (1.0 / (${div} * ${finalDiv}))`, `warmup_end = int(${pyNum(spec.pctStart ?? 0.3)} * transition_steps)`);
    bounds = ['0', 'warmup_end', 'transition_steps'];
    values = ['start_lr', 'peak_lr', 'final_lr'];
  } else {
    lines.push(
      `low_lr = peak_lr * (1.0 / ${div})`,
      `final_lr = low_lr * (1.0 / ${finalDiv})`,
      `warmup_end = int(${pyNum(spec.pctStart ?? 0.3)} * transition_steps)`,
      `decay_end = int(${pyNum(pctFinalOf(spec) ?? 0.85)} * transition_steps)`,
    );
    bounds = ['0', 'warmup_end', 'decay_end', 'transition_steps'];
    values = ['start_lr', 'peak_lr', 'low_lr', 'final_lr'];
  }
  const pieces: Piece[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const from = bounds[k]!;
    const to = bounds[k + 1]!;
    const pct = from === '0' ? `step / ${to}` : `(step - ${from}) / (${to} - ${from})`;
    pieces.push({ when: `step < ${to}`, value: interpolate(values[k]!, values[k + 1]!, pct) });
  }
  const final = dialect === 'python' ? values[values.length - 1]! : `${values[values.length - 1]!} + 0 * step`;
  return { lr: body(dialect, `optax ${cos ? 'cosine' : 'linear'}_onecycle_schedule`, [...lines, ...piecewise(dialect, pieces, final)]), momentum: null };
}

/** `FlavorCode.typescript` of both optax flavors. */
export function optaxSource(spec: FullOneCycleOptaxSpec, t: Annotate): ScheduleSource {
  const linear = spec.flavor === 'optax-linear';
  const interpolate = linear ? 'linearInterpolate' : 'cosineInterpolate';
  const segments = linear
    ? [
        '  const b1 = Math.trunc(pctStart * transitionSteps);',
        '  const b2 = Math.trunc(pctFinal * transitionSteps);',
        '  const b3 = transitionSteps;',
        '  const v0 = peakValue / divFactor;',
        '  const v1 = v0 * divFactor;',
        '  const v2 = v1 * (1 / divFactor);',
        '  const v3 = v2 * (1 / finalDivFactor);',
        `  if (step < b1) return ${interpolate}(v0, v1, step / Math.max(b1, 1));`,
        `  if (step < b2) return ${interpolate}(v1, v2, (step - b1) / Math.max(b2 - b1, 1));`,
        `  if (step < b3) return ${interpolate}(v2, v3, (step - b2) / Math.max(b3 - b2, 1));`,
        '  return v3;',
      ]
    : [
        '  const b1 = Math.trunc(pctStart * transitionSteps);',
        '  const b2 = transitionSteps;',
        '  const v0 = peakValue / divFactor;',
        '  const v1 = v0 * divFactor;',
        '  const v2 = v1 * (1 / (divFactor * finalDivFactor));',
        `  if (step < b1) return ${interpolate}(v0, v1, step / Math.max(b1, 1));`,
        `  if (step < b2) return ${interpolate}(v1, v2, (step - b1) / Math.max(b2 - b1, 1));`,
        '  return v2;',
      ];
  const lines = [
    `/** Learning rate of optimizer update \`step\` (0-based): optax ${linear ? 'linear' : 'cosine'}_onecycle_schedule at count = step. */`,
    `function lrAt(step${t(': number')})${t(': number')} {`,
    `  const peakValue = ${num(spec.peakValue)};`,
    `  const transitionSteps = ${num(spec.transitionSteps)};`,
    `  const pctStart = ${num(spec.pctStart)};`,
    ...(linear ? [`  const pctFinal = ${num(pctFinalOf(spec) ?? 0.85)};`] : []),
    `  const divFactor = ${num(spec.divFactor)};`,
    `  const finalDivFactor = ${num(spec.finalDivFactor)};`,
    ...segments,
    `}`,
    '',
    linear
      ? `function linearInterpolate(start${t(': number')}, end${t(': number')}, pct${t(': number')})${t(': number')} {`
      : `function cosineInterpolate(start${t(': number')}, end${t(': number')}, pct${t(': number')})${t(': number')} {`,
    linear ? '  return (end - start) * pct + start;' : '  return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);',
    `}`,
  ];
  return {
    lines,
    cyclesMomentum: false,
    holdsEnd: false,
    length: spec.transitionSteps,
    description: `one-cycle (optax ${linear ? 'linear' : 'cosine'}) peaking at ${num(spec.peakValue)} over ${spec.transitionSteps} steps`,
  };
}

/** The module of one of optax's one-cycle flavors: everything but its name, label and field list. */
export function optaxFlavor<S extends OneCycleOptaxSpec>(
  flavor: S['flavor'],
  text: { label: string; description: string; fields: FlavorModule['fields']; specFields: readonly string[] },
): FlavorModule<S['flavor'], S, Required<S>> {
  return {
    id: flavor,
    policy: 'onecycle',
    ...text,
    lrField: 'peakValue',
    relativeLength: true,
    validate: (f) => validateOptax<S>(f, flavor),
    withDefaults: (spec) => optaxWithDefaults(spec),
    length: (spec) => spec.transitionSteps,
    compile: (spec) => compileOneCycleOptax(spec as FullOneCycleOptaxSpec),
    fromMaxLr: (maxLr, length, tuning) =>
      ({ policy: 'onecycle', flavor, peakValue: maxLr, transitionSteps: checkedSteps(maxLr, length, 2, 'a one-cycle schedule', tuning) }) as S,
    describe: (spec, formatLr) => `one-cycle (${flavor}), peak ${formatLr(spec.peakValue)} over ${spec.transitionSteps} steps`,
  };
}

/** `FlavorCode.torchOneCycle` of both optax flavors. */
export function optaxTorchOneCycle(spec: OneCycleOptaxSpec): TorchOneCycle | null {
  const native = optaxToPytorchOneCycle(spec);
  return native && { spec: native, description: `OneCycleLR (equal to ${spec.flavor})`, resizable: false };
}
