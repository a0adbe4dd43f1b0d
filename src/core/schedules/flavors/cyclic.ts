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
 *
 * From a max LR (Smith, "Cyclical learning rates…", arXiv 1506.01186): triangular between base = max/4 (the
 * paper: a third or a quarter of the maximum) and max; a half cycle of 2–10 epochs (we aim at 4) and a
 * whole number of cycles, since the paper advises stopping training at the end of a cycle.
 */
import { body, DIALECTS, pyFloat, pyNum, type Dialect, type Formulas } from '../emit/python';
import { num, type Annotate, type ScheduleSource } from '../emit/typescript';
import { assign, type Fields } from '../fields';
import type { Schedule, StepFn } from '../schedule';
import { checkedSteps, tuningValue, type FlavorCode, type FlavorModule } from './flavor';

/** PyTorch `CyclicLR`. */
export interface CyclicSpec {
  policy: 'cyclic';
  /** Default 'triangular'. */
  mode?: 'triangular' | 'triangular2' | 'exp_range';
  baseLr: number;
  /** > baseLr. */
  maxLr: number;
  /** Steps from baseLr up to maxLr, integer ≥ 1. */
  stepSizeUp: number;
  /** Steps back down, integer ≥ 1; default stepSizeUp. */
  stepSizeDown?: number;
  /** exp_range: amplitude scaled by gamma^i; in (0, 1], default 1. */
  gamma?: number;
  /** Default true: momentum goes maxMomentum → baseMomentum while the LR goes baseLr → maxLr. */
  cycleMomentum?: boolean;
  /** Default 0.8. */
  baseMomentum?: number;
  /** Default 0.9, ≥ baseMomentum. */
  maxMomentum?: number;
  /** Length of the schedule when one is needed; the cycle itself is unbounded. */
  steps?: number;
}

/** `steps` stays optional: it is a display length, not a parameter of the cycle. */
export type FullCyclicSpec = Required<Omit<CyclicSpec, 'steps'>> & Pick<CyclicSpec, 'steps'>;

/** PyTorch `CyclicLR` defaults (`stepSizeDown` defaults to `stepSizeUp`). */
export const CYCLIC_DEFAULTS = {
  mode: 'triangular',
  gamma: 1,
  cycleMomentum: true,
  baseMomentum: 0.8,
  maxMomentum: 0.9,
} as const;

/**
 * How `fromMaxLr` shapes the cycle (its tuning keys): baseLr = maxLr / `baseDiv` (default 4, the CLR paper:
 * 3 to 4) and a target half-cycle of `stepEpochs` epochs (the CLR paper: 2 to 10; default 4).
 */
export interface CyclicOptions {
  baseDiv?: number;
  stepEpochs?: number;
}
const CYCLIC_TUNING = ['baseDiv', 'stepEpochs'] as const satisfies readonly (keyof CyclicOptions)[];

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
  const full = cyclic.withDefaults(spec);
  f.notBelow('maxMomentum', full.maxMomentum, 'baseMomentum', full.baseMomentum);
  return spec;
}

/** Keyword arguments of `torch.optim.lr_scheduler.CyclicLR` reproducing a cyclic spec (native: CyclicLR is the reference). */
export function torchCyclicLRKwargs(spec: CyclicSpec): {
  base_lr: number;
  max_lr: number;
  step_size_up: number;
  step_size_down: number;
  mode: 'triangular' | 'triangular2' | 'exp_range';
  gamma: number;
  cycle_momentum: boolean;
  base_momentum: number;
  max_momentum: number;
} {
  const s = cyclic.withDefaults(spec);
  return {
    base_lr: s.baseLr,
    max_lr: s.maxLr,
    step_size_up: s.stepSizeUp,
    step_size_down: s.stepSizeDown,
    mode: s.mode,
    gamma: s.gamma,
    cycle_momentum: s.cycleMomentum,
    base_momentum: s.baseMomentum,
    max_momentum: s.maxMomentum,
  };
}

function cyclicFormulas(spec: FullCyclicSpec, dialect: Dialect): Formulas {
  const d = DIALECTS[dialect];
  const mode = spec.mode ?? 'triangular';
  const up = spec.stepSizeUp;
  const down = spec.stepSizeDown ?? up;
  const shared = [
    `cycle_size = ${pyFloat(up)} + ${pyFloat(down)}`,
    `up_fraction = ${pyFloat(up)} / cycle_size`,
    `cycle = ${d.floor('1 + step / cycle_size')}`,
    `x = 1.0 + step / cycle_size - cycle`,
  ];
  const scaleLines =
    dialect === 'python'
      ? ['scale = x / up_fraction if x <= up_fraction else (x - 1) / (up_fraction - 1)']
      : [`scale = ${dialect === 'tf' ? 'tf.where' : 'jnp.where'}(x <= up_fraction, x / up_fraction, (x - 1) / (up_fraction - 1))`];
  const amplitude =
    mode === 'triangular' ? '' : mode === 'triangular2' ? ' * (1 / (2.0 ** (cycle - 1)))' : ` * ${pyFloat(spec.gamma ?? 1)} ** step`;
  const base = pyNum(spec.baseLr);
  const max = pyNum(spec.maxLr);
  const lr = body(dialect, `PyTorch CyclicLR (${mode})`, [
    ...shared,
    ...scaleLines,
    `return ${base} + (${max} - ${base}) * scale${amplitude}`,
  ]);
  if (spec.cycleMomentum === false) return { lr, momentum: null };
  const baseM = pyNum(spec.baseMomentum ?? 0.8);
  const maxM = pyNum(spec.maxMomentum ?? 0.9);
  const momentum = body(dialect, `PyTorch CyclicLR momentum (${mode})`, [
    ...shared,
    ...scaleLines,
    `return ${maxM} - (${maxM} - ${baseM}) * scale${amplitude}`,
  ]);
  return { lr, momentum };
}

function cyclicSource(spec: FullCyclicSpec, t: Annotate): ScheduleSource {
  const mode = spec.mode;
  const stepSizeDown = spec.stepSizeDown;
  const cyclesMomentum = spec.cycleMomentum;
  const scale: Record<typeof mode, string[]> = {
    triangular: ['  return height;'],
    triangular2: ['  return height / Math.pow(2, cycle - 1);'],
    exp_range: [`  const gamma = ${num(spec.gamma)};`, '  return height * Math.pow(gamma, step);'],
  };
  const lines = [
    `/** Learning rate of optimizer update \`step\` (0-based): PyTorch CyclicLR (${mode}). */`,
    `function lrAt(step${t(': number')})${t(': number')} {`,
    `  const baseLr = ${num(spec.baseLr)};`,
    `  const maxLr = ${num(spec.maxLr)};`,
    `  return baseLr + (maxLr - baseLr) * cyclicHeight(step);`,
    `}`,
  ];
  if (cyclesMomentum) {
    lines.push(
      '',
      `/** Momentum of optimizer update \`step\`: high when the learning rate is low. */`,
      `function momentumAt(step${t(': number')})${t(': number')} {`,
      `  const baseMomentum = ${num(spec.baseMomentum)};`,
      `  const maxMomentum = ${num(spec.maxMomentum)};`,
      `  return maxMomentum - (maxMomentum - baseMomentum) * cyclicHeight(step);`,
      `}`,
    );
  }
  lines.push(
    '',
    `/** Where update \`step\` sits between the base (0) and the maximum (1) of its cycle, scaled per mode. */`,
    `function cyclicHeight(step${t(': number')})${t(': number')} {`,
    `  const stepSizeUp = ${num(spec.stepSizeUp)};`,
    `  const stepSizeDown = ${num(stepSizeDown)};`,
    `  const cycleSize = stepSizeUp + stepSizeDown;`,
    `  const upRatio = stepSizeUp / cycleSize;`,
    `  const cycle = Math.floor(1 + step / cycleSize);`,
    `  const x = 1 + step / cycleSize - cycle;`,
    `  const height = x <= upRatio ? x / upRatio : (x - 1) / (upRatio - 1);`,
    ...scale[mode],
    `}`,
  );
  return {
    lines,
    cyclesMomentum,
    holdsEnd: true,
    length: spec.steps ?? null,
    description: `cyclic (${mode}) ${num(spec.baseLr)} ↔ ${num(spec.maxLr)}`,
  };
}

export const cyclic: FlavorModule<'cyclic', CyclicSpec, FullCyclicSpec> = {
  id: 'cyclic',
  policy: 'cyclic',
  label: 'Cyclical LR (triangular)',
  description: 'PyTorch CyclicLR between max/4 and max',
  lrField: 'maxLr',
  specFields: ['policy', 'mode', 'baseLr', 'maxLr', 'stepSizeUp', 'stepSizeDown', 'gamma', 'cycleMomentum', 'baseMomentum', 'maxMomentum', 'steps'],
  fields: [
    { key: 'baseLr', label: 'base_lr', kind: 'number', help: 'Lower LR of each cycle.' },
    { key: 'stepSizeUp', label: 'step_size_up', kind: 'integer', help: 'Steps from base_lr to max_lr.' },
    { key: 'stepSizeDown', label: 'step_size_down', kind: 'integer', help: 'Steps from max_lr back to base_lr.' },
    { key: 'mode', label: 'mode', kind: 'choice', choices: ['triangular', 'triangular2', 'exp_range'], help: 'Amplitude policy per cycle.' },
    { key: 'gamma', label: 'gamma', kind: 'number', help: 'exp_range: amplitude × gamma^step.' },
  ],
  relativeLength: false,
  validate: validateCyclic,
  withDefaults: (spec) => ({
    ...spec,
    mode: spec.mode ?? CYCLIC_DEFAULTS.mode,
    stepSizeDown: spec.stepSizeDown ?? spec.stepSizeUp,
    gamma: spec.gamma ?? CYCLIC_DEFAULTS.gamma,
    cycleMomentum: spec.cycleMomentum ?? CYCLIC_DEFAULTS.cycleMomentum,
    baseMomentum: spec.baseMomentum ?? CYCLIC_DEFAULTS.baseMomentum,
    maxMomentum: spec.maxMomentum ?? CYCLIC_DEFAULTS.maxMomentum,
  }),
  length: (spec) => spec.steps ?? null,
  compile: compileCyclic,
  fromMaxLr: (maxLr, length, tuning = {}) => {
    const baseDiv = tuningValue('cyclic', tuning, 'baseDiv', 4, 1);
    const stepEpochs = tuningValue('cyclic', tuning, 'stepEpochs', 4, 0);
    const totalSteps = checkedSteps(maxLr, length, 2, 'a cyclic schedule', tuning, CYCLIC_TUNING);
    const cycles = Math.max(1, Math.round(length.epochs / (2 * stepEpochs)));
    return {
      policy: 'cyclic',
      mode: 'triangular',
      baseLr: maxLr / baseDiv,
      maxLr,
      stepSizeUp: Math.max(1, Math.floor(totalSteps / (2 * cycles))),
      steps: totalSteps,
    };
  },
  describe: (spec, formatLr) => `cyclic (${spec.mode ?? 'triangular'}) ${formatLr(spec.baseLr)} ↔ ${formatLr(spec.maxLr)}`,
};

/** What code generation reads of `cyclic`. */
export const cyclicCode: FlavorCode<'cyclic', CyclicSpec, FullCyclicSpec> = {
  id: 'cyclic',
  python: (spec, dialect) => cyclicFormulas(spec, dialect),
  typescript: cyclicSource,
};
