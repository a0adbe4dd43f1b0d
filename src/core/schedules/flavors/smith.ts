/**
 * `onecycle/smith`: Leslie Smith's 1cycle (Smith & Topin, "Super-Convergence", 2017; Smith,
 * "A disciplined approach to neural network hyper-parameters", 2018) — three linear phases:
 *
 *   minLr → maxLr over i ∈ [0, s],  maxLr → minLr over [s, 2s],  minLr → finalLr over [2s, N − 1]
 *
 * (s = stepSize, N = totalSteps), so the peak is exactly at step s, minLr again at 2s and finalLr
 * at the last step N − 1, held after. Momentum runs max → min → max over the first two phases
 * and stays at max. Built from `joinSchedules` of linear ramps. Equal (up to rounding) to PyTorch
 * `OneCycleLR(three_phase=True, anneal_strategy='linear', …)` and, for the LR, to optax
 * `linear_onecycle_schedule` (`smithToPytorchOneCycle`, `smithToOptaxLinear`).
 *
 * From a max LR (Smith, "A disciplined approach…", arXiv 1803.09820): minLr = max/10, one cycle slightly
 * shorter than training (each half ≈ 45% of the steps), then annihilation far below the lower bound
 * (finalLr = minLr/100); momentum 0.95 → 0.85 → 0.95. Smith's CIFAR-10 example is 0.08 → 0.8 over 41
 * epochs, back over 41, then 13 epochs down to 0.008 (cycleFraction 82/95, finalDiv 10).
 */
import { constantFn, joinSchedules, linearRamp } from '../combinators';
import { body, piecewise, pyNum, stepsText, type Dialect, type Formulas, type Steps } from '../emit/python';
import { num, type Annotate, type ScheduleSource } from '../emit/typescript';
import { Fields, fmt, isRecord } from '../fields';
import { clampToLength, type Schedule } from '../schedule';
import { checkedSteps, tuningValue, type FlavorCode, type FlavorModule } from './flavor';
import { optaxScheduleCall, type OneCycleOptaxLinearSpec } from './optax-onecycle';
import type { OneCyclePytorchSpec } from './pytorch';

/** Leslie Smith's 1cycle: three linear phases, the last one annihilating below minLr. */
export interface OneCycleSmithSpec {
  policy: 'onecycle';
  flavor: 'smith';
  minLr: number;
  /** > minLr; reached exactly at step stepSize. */
  maxLr: number;
  /** Integer ≥ 1 with 2·stepSize < totalSteps − 1. */
  stepSize: number;
  totalSteps: number;
  /** ≤ minLr; reached exactly at the last step totalSteps − 1. */
  finalLr: number;
  /** Cycled max → min → max, then max; default {max: 0.95, min: 0.85}. */
  momentum?: { max: number; min: number };
}

export type FullOneCycleSmithSpec = Required<OneCycleSmithSpec>;

/** Smith's 1cycle: cyclical momentum 0.95 → 0.85 → 0.95 (Smith 2018, "A disciplined approach…"). */
export const ONECYCLE_SMITH_DEFAULTS = {
  momentum: { max: 0.95, min: 0.85 },
} as const;

/**
 * How `fromMaxLr` shapes Smith's schedule (its tuning keys): `cycleFraction` of the steps taken by the whole
 * cycle (both halves, default 0.9), minLr = maxLr / `minDiv` (default 10), finalLr = minLr / `finalDiv` (default 100).
 */
export interface SmithOptions {
  cycleFraction?: number;
  minDiv?: number;
  finalDiv?: number;
}
const SMITH_TUNING = ['cycleFraction', 'minDiv', 'finalDiv'] as const satisfies readonly (keyof SmithOptions)[];

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

/**
 * Smith's 1cycle as PyTorch `OneCycleLR(three_phase=True, anneal_strategy='linear', …)` over the
 * same totalSteps: pctStart = (stepSize + 1)/totalSteps puts the phase ends at stepSize and
 * 2·stepSize; divFactor = maxLr/minLr, finalDivFactor = minLr/finalLr; momentum max/min become
 * maxMomentum/baseMomentum (cycleMomentum true: Smith always cycles momentum). The result is fully
 * specified (no field left to a default).
 */
export function smithToPytorchOneCycle(spec: OneCycleSmithSpec): Required<OneCyclePytorchSpec> {
  const s = smith.withDefaults(spec);
  return {
    policy: 'onecycle',
    flavor: 'pytorch',
    maxLr: s.maxLr,
    totalSteps: s.totalSteps,
    pctStart: (s.stepSize + 1) / s.totalSteps,
    annealStrategy: 'linear',
    divFactor: s.maxLr / s.minLr,
    finalDivFactor: s.minLr / s.finalLr,
    threePhase: true,
    cycleMomentum: true,
    baseMomentum: s.momentum.min,
    maxMomentum: s.momentum.max,
  };
}

/**
 * Smith's 1cycle LR (not its momentum: optax's one-cycle has none) as optax
 * `linear_onecycle_schedule`: transitionSteps = totalSteps − 1 (optax reaches its final value at
 * count T and holds it, as Smith does from step N − 1); pctStart/pctFinal are chosen half a step
 * inside so that int(pct·T) is exactly stepSize and 2·stepSize.
 */
export function smithToOptaxLinear(spec: OneCycleSmithSpec): Required<OneCycleOptaxLinearSpec> {
  const t = spec.totalSteps - 1;
  return {
    policy: 'onecycle',
    flavor: 'optax-linear',
    peakValue: spec.maxLr,
    transitionSteps: t,
    pctStart: (spec.stepSize + 0.5) / t,
    pctFinal: (2 * spec.stepSize + 0.5) / t,
    divFactor: spec.maxLr / spec.minLr,
    finalDivFactor: spec.minLr / spec.finalLr,
  };
}

function onecycleSmith(spec: FullOneCycleSmithSpec, dialect: Dialect, total: Steps): Formulas {
  const s = pyNum(spec.stepSize);
  const lr = body(dialect, "Smith's 1cycle (three linear phases)", [
    `min_lr, max_lr, final_lr = ${pyNum(spec.minLr)}, ${pyNum(spec.maxLr)}, ${pyNum(spec.finalLr)}`,
    `step_size, last = ${s}, ${stepsText(total)} - 1`,
    ...piecewise(
      dialect,
      [
        { when: 'step <= step_size', value: 'min_lr + (max_lr - min_lr) * (step / step_size)' },
        { when: 'step <= 2 * step_size', value: 'max_lr + (min_lr - max_lr) * ((step - step_size) / step_size)' },
      ],
      'min_lr + (final_lr - min_lr) * ((step - 2 * step_size) / (last - 2 * step_size))',
    ),
  ]);
  const m = spec.momentum ?? { max: 0.95, min: 0.85 };
  const momentum = body(dialect, "Smith's 1cycle momentum", [
    `max_momentum, min_momentum = ${pyNum(m.max)}, ${pyNum(m.min)}`,
    `step_size = ${s}`,
    ...piecewise(
      dialect,
      [
        { when: 'step <= step_size', value: 'max_momentum + (min_momentum - max_momentum) * (step / step_size)' },
        { when: 'step <= 2 * step_size', value: 'min_momentum + (max_momentum - min_momentum) * ((step - step_size) / step_size)' },
      ],
      dialect === 'python' ? 'max_momentum' : 'max_momentum + 0 * step',
    ),
  ]);
  return { lr, momentum };
}

function smithOneCycleSource(spec: FullOneCycleSmithSpec, t: Annotate): ScheduleSource {
  const { max, min } = spec.momentum;
  const lines = [
    `/** Learning rate of optimizer update \`step\` (0-based): Smith's 1cycle, three linear phases. */`,
    `function lrAt(step${t(': number')})${t(': number')} {`,
    `  const minLr = ${num(spec.minLr)};`,
    `  const maxLr = ${num(spec.maxLr)};`,
    `  const finalLr = ${num(spec.finalLr)};`,
    `  const stepSize = ${num(spec.stepSize)};`,
    `  const lastStep = ${num(spec.totalSteps - 1)};`,
    `  if (step < stepSize) return minLr + ((maxLr - minLr) * step) / stepSize;`,
    `  if (step < 2 * stepSize) return maxLr + ((minLr - maxLr) * (step - stepSize)) / stepSize;`,
    `  if (step < lastStep) return minLr + ((finalLr - minLr) * (step - 2 * stepSize)) / (lastStep - 2 * stepSize);`,
    `  return finalLr;`,
    `}`,
    '',
    `/** Momentum of optimizer update \`step\`: max → min → max while the learning rate cycles, then max. */`,
    `function momentumAt(step${t(': number')})${t(': number')} {`,
    `  const maxMomentum = ${num(max)};`,
    `  const minMomentum = ${num(min)};`,
    `  const stepSize = ${num(spec.stepSize)};`,
    `  if (step < stepSize) return maxMomentum + ((minMomentum - maxMomentum) * step) / stepSize;`,
    `  if (step < 2 * stepSize) return minMomentum + ((maxMomentum - minMomentum) * (step - stepSize)) / stepSize;`,
    `  return maxMomentum;`,
    `}`,
  ];
  return {
    lines,
    cyclesMomentum: true,
    holdsEnd: true,
    length: spec.totalSteps,
    description: `Smith's 1cycle ${num(spec.minLr)} → ${num(spec.maxLr)} → ${num(spec.finalLr)} over ${spec.totalSteps} steps`,
  };
}

export const smith: FlavorModule<'smith', OneCycleSmithSpec, FullOneCycleSmithSpec> = {
  id: 'smith',
  policy: 'onecycle',
  label: 'One-cycle (Smith)',
  description: 'three linear phases, annihilation at the end',
  lrField: 'maxLr',
  specFields: ['policy', 'flavor', 'minLr', 'maxLr', 'stepSize', 'totalSteps', 'finalLr', 'momentum'],
  fields: [
    { key: 'minLr', label: 'min LR', kind: 'number', help: 'LR at the start and the end of the cycle.' },
    { key: 'stepSize', label: 'step size', kind: 'integer', help: 'Steps from min LR to max LR (and back).' },
    { key: 'finalLr', label: 'final LR', kind: 'number', help: 'LR reached at the last step (annihilation).' },
  ],
  relativeLength: false,
  validate: validateSmith,
  withDefaults: (spec) => {
    const m = spec.momentum ?? ONECYCLE_SMITH_DEFAULTS.momentum;
    return { ...spec, momentum: { max: m.max, min: m.min } };
  },
  length: (spec) => spec.totalSteps,
  compile: compileOneCycleSmith,
  fromMaxLr: (maxLr, length, tuning = {}) => {
    const cycleFraction = tuningValue('smith', tuning, 'cycleFraction', 0.9, 0, 1);
    const minDiv = tuningValue('smith', tuning, 'minDiv', 10, 1);
    const finalDiv = tuningValue('smith', tuning, 'finalDiv', 100, 1);
    const totalSteps = checkedSteps(maxLr, length, 4, 'the smith flavor', tuning, SMITH_TUNING);
    // Leave at least one step of annihilation: 2·stepSize ≤ totalSteps − 2 (the last index is totalSteps − 1).
    const stepSize = Math.max(1, Math.min(Math.floor((cycleFraction * totalSteps) / 2 + 1e-9), Math.floor((totalSteps - 2) / 2)));
    const minLr = maxLr / minDiv;
    return {
      policy: 'onecycle',
      flavor: 'smith',
      minLr,
      maxLr,
      stepSize,
      totalSteps,
      finalLr: minLr / finalDiv,
      momentum: { max: 0.95, min: 0.85 },
    };
  },
  describe: (spec, formatLr) => `one-cycle (smith), max lr ${formatLr(spec.maxLr)} over ${spec.totalSteps} steps`,
};

/** What code generation reads of `smith`. */
export const smithCode: FlavorCode<'smith', OneCycleSmithSpec, FullOneCycleSmithSpec> = {
  id: 'smith',
  python: (spec, dialect, totalSteps) => onecycleSmith(spec, dialect, totalSteps ?? spec.totalSteps),
  typescript: smithOneCycleSource,
  torchOneCycle: (spec) => ({ spec: smithToPytorchOneCycle(spec), description: "OneCycleLR (Smith's 1cycle: three linear phases)", resizable: false }),
  optaxSchedule: (spec) => optaxScheduleCall(smithToOptaxLinear(spec)),
};
