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
import { body, DIALECTS, piecewise, pyFloat, pyNum, stepsText, type Dialect, type Formulas, type Steps } from '../emit/python';
import { num, type Annotate, type ScheduleSource } from '../emit/typescript';
import { assign, fmt, type Fields } from '../fields';
import { clampToLength, type Schedule, type StepFn } from '../schedule';
import { checkedSteps, type FlavorCode, type FlavorModule } from './flavor';

/** PyTorch `OneCycleLR`. */
export interface OneCyclePytorchSpec {
  policy: 'onecycle';
  flavor: 'pytorch';
  maxLr: number;
  /** ≥ 2. */
  totalSteps: number;
  /** Default 0.3; the warm-up ends at step pctStart·totalSteps − 1, which must be > 0. */
  pctStart?: number;
  /** Default 'cos'. */
  annealStrategy?: 'cos' | 'linear';
  /** initial LR = maxLr/divFactor; default 25, > 1. */
  divFactor?: number;
  /** final LR = initial/finalDivFactor; default 1e4, ≥ 1. */
  finalDivFactor?: number;
  /** Default false (two phases). */
  threePhase?: boolean;
  /** Default true. */
  cycleMomentum?: boolean;
  /** Default 0.85. */
  baseMomentum?: number;
  /** Default 0.95. */
  maxMomentum?: number;
}

export type FullOneCyclePytorchSpec = Required<OneCyclePytorchSpec>;

/** PyTorch `OneCycleLR` defaults. */
export const ONECYCLE_PYTORCH_DEFAULTS = {
  pctStart: 0.3,
  annealStrategy: 'cos',
  divFactor: 25,
  finalDivFactor: 1e4,
  threePhase: false,
  cycleMomentum: true,
  baseMomentum: 0.85,
  maxMomentum: 0.95,
} as const;

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
  const full = pytorch.withDefaults(spec);
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

/** Keyword arguments of `torch.optim.lr_scheduler.OneCycleLR` reproducing a pytorch one-cycle spec. */
export function torchOneCycleLRKwargs(spec: OneCyclePytorchSpec): {
  max_lr: number;
  total_steps: number;
  pct_start: number;
  anneal_strategy: 'cos' | 'linear';
  div_factor: number;
  final_div_factor: number;
  three_phase: boolean;
  cycle_momentum: boolean;
  base_momentum: number;
  max_momentum: number;
} {
  const s = pytorch.withDefaults(spec);
  return {
    max_lr: s.maxLr,
    total_steps: s.totalSteps,
    pct_start: s.pctStart,
    anneal_strategy: s.annealStrategy,
    div_factor: s.divFactor,
    final_div_factor: s.finalDivFactor,
    three_phase: s.threePhase,
    cycle_momentum: s.cycleMomentum,
    base_momentum: s.baseMomentum,
    max_momentum: s.maxMomentum,
  };
}

function onecyclePytorch(spec: FullOneCyclePytorchSpec, dialect: Dialect, total: Steps): Formulas {
  const d = DIALECTS[dialect];
  const threePhase = spec.threePhase ?? false;
  const cos = (spec.annealStrategy ?? 'cos') === 'cos';
  const anneal = (start: string, end: string, pct: string) =>
    cos ? `${end} + (${start} - ${end}) / 2.0 * (${d.cos(`${d.pi} * ${pct}`)} + 1)` : `(${end} - ${start}) * ${pct} + ${start}`;
  const pct = pyFloat(spec.pctStart ?? 0.3);
  const setup = [
    `steps = ${stepsText(total)}`,
    `end_1 = float(${pct} * steps) - 1`,
    ...(threePhase ? [`end_2 = float(2 * ${pct} * steps) - 2`] : []),
    `end_last = steps - 1`,
  ];
  const phases = (values: { start: string; peak: string; end: string }, threeEnd: string): string[] => {
    const ends = threePhase ? ['end_1', 'end_2'] : ['end_1'];
    const starts = ['0', ...ends];
    const targets = threePhase ? [[values.start, values.peak], [values.peak, values.start], [values.start, threeEnd]] : [[values.start, values.peak], [values.peak, values.end]];
    const span = (i: number) => (i === 0 ? `step / end_1` : `(step - ${starts[i]}) / (${i === ends.length ? 'end_last' : ends[i]} - ${starts[i]})`);
    const pieces = ends.map((end, i) => ({ when: `step <= ${end}`, value: anneal(targets[i]![0]!, targets[i]![1]!, span(i)) }));
    const last = targets.length - 1;
    return piecewise(dialect, pieces, anneal(targets[last]![0]!, targets[last]![1]!, span(last)));
  };
  const kind = `PyTorch OneCycleLR (${cos ? 'cos' : 'linear'}${threePhase ? ', three-phase' : ''})`;
  const lr = body(dialect, kind, [
    ...setup,
    `max_lr = ${pyNum(spec.maxLr)}`,
    `initial_lr = max_lr / ${pyNum(spec.divFactor ?? 25)}`,
    `min_lr = initial_lr / ${pyNum(spec.finalDivFactor ?? 1e4)}`,
    ...phases({ start: 'initial_lr', peak: 'max_lr', end: 'min_lr' }, 'min_lr'),
  ]);
  if (spec.cycleMomentum === false) return { lr, momentum: null };
  const momentum = body(dialect, `${kind} momentum`, [
    ...setup,
    `max_momentum = ${pyNum(spec.maxMomentum ?? 0.95)}`,
    `base_momentum = ${pyNum(spec.baseMomentum ?? 0.85)}`,
    ...phases({ start: 'max_momentum', peak: 'base_momentum', end: 'max_momentum' }, 'max_momentum'),
  ]);
  return { lr, momentum };
}

function pytorchOneCycleSource(spec: FullOneCyclePytorchSpec, t: Annotate): ScheduleSource {
  const threePhase = spec.threePhase;
  const anneal = spec.annealStrategy;
  const cyclesMomentum = spec.cycleMomentum;
  const baseMomentum = num(spec.baseMomentum);
  const maxMomentum = num(spec.maxMomentum);
  const valuesType = t(threePhase ? ': [number, number, number, number]' : ': [number, number, number]');
  const lines = [
    `/** Learning rate of optimizer update \`step\` (0-based): PyTorch OneCycleLR (${anneal}${threePhase ? ', three phases' : ''}). */`,
    `function lrAt(step${t(': number')})${t(': number')} {`,
    `  const maxLr = ${num(spec.maxLr)};`,
    `  const initialLr = maxLr / ${num(spec.divFactor)};`,
    `  const minLr = initialLr / ${num(spec.finalDivFactor)};`,
    threePhase
      ? '  return oneCyclePhases(step, [initialLr, maxLr, initialLr, minLr]);'
      : '  return oneCyclePhases(step, [initialLr, maxLr, minLr]);',
    `}`,
  ];
  if (cyclesMomentum) {
    lines.push(
      '',
      `/** Momentum of optimizer update \`step\`: it falls while the learning rate rises, and back. */`,
      `function momentumAt(step${t(': number')})${t(': number')} {`,
      threePhase
        ? `  return oneCyclePhases(step, [${maxMomentum}, ${baseMomentum}, ${maxMomentum}, ${maxMomentum}]);`
        : `  return oneCyclePhases(step, [${maxMomentum}, ${baseMomentum}, ${maxMomentum}]);`,
      `}`,
    );
  }
  const phaseEnds = threePhase
    ? [
        '  const phase1End = pctStart * totalSteps - 1;',
        '  const phase2End = 2 * pctStart * totalSteps - 2;',
        '  const phase3End = totalSteps - 1;',
        `  if (step <= phase1End) return ${anneal}Anneal(values[0], values[1], step / phase1End);`,
        `  if (step <= phase2End) return ${anneal}Anneal(values[1], values[2], (step - phase1End) / (phase2End - phase1End));`,
        `  return ${anneal}Anneal(values[2], values[3], (step - phase2End) / (phase3End - phase2End));`,
      ]
    : [
        '  const phase1End = pctStart * totalSteps - 1;',
        '  const phase2End = totalSteps - 1;',
        `  if (step <= phase1End) return ${anneal}Anneal(values[0], values[1], step / phase1End);`,
        `  return ${anneal}Anneal(values[1], values[2], (step - phase1End) / (phase2End - phase1End));`,
      ];
  lines.push(
    '',
    `/** The value at \`step\` of OneCycleLR's phases, which anneal from each value to the next. */`,
    `function oneCyclePhases(step${t(': number')}, values${valuesType})${t(': number')} {`,
    `  const totalSteps = ${num(spec.totalSteps)};`,
    `  const pctStart = ${num(spec.pctStart)};`,
    ...phaseEnds,
    `}`,
    '',
    anneal === 'cos'
      ? `function cosAnneal(start${t(': number')}, end${t(': number')}, pct${t(': number')})${t(': number')} {`
      : `function linearAnneal(start${t(': number')}, end${t(': number')}, pct${t(': number')})${t(': number')} {`,
    anneal === 'cos'
      ? '  return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);'
      : '  return (end - start) * pct + start;',
    `}`,
  );
  return {
    lines,
    cyclesMomentum,
    holdsEnd: true,
    length: spec.totalSteps,
    description: `one-cycle (PyTorch OneCycleLR) peaking at ${num(spec.maxLr)} over ${spec.totalSteps} steps`,
  };
}

export const pytorch: FlavorModule<'pytorch', OneCyclePytorchSpec, FullOneCyclePytorchSpec> = {
  id: 'pytorch',
  policy: 'onecycle',
  label: 'One-cycle (PyTorch OneCycleLR)',
  description: 'cosine, 30 % warm-up, momentum cycled',
  lrField: 'maxLr',
  specFields: ['policy', 'flavor', 'maxLr', 'totalSteps', 'pctStart', 'annealStrategy', 'divFactor', 'finalDivFactor', 'threePhase', 'cycleMomentum', 'baseMomentum', 'maxMomentum'],
  fields: [
    { key: 'pctStart', label: 'pct_start', kind: 'number', help: 'Fraction of the steps spent increasing the LR.' },
    { key: 'divFactor', label: 'div_factor', kind: 'number', help: 'Initial LR = max_lr / div_factor.' },
    { key: 'finalDivFactor', label: 'final_div_factor', kind: 'number', help: 'Final LR = initial LR / final_div_factor.' },
    { key: 'annealStrategy', label: 'anneal_strategy', kind: 'choice', choices: ['cos', 'linear'], help: 'Shape of the LR changes.' },
    { key: 'threePhase', label: 'three_phase', kind: 'boolean', help: 'Symmetric warm-up and cool-down, then annihilation.' },
    { key: 'baseMomentum', label: 'base_momentum', kind: 'number', help: 'Momentum at the peak LR.' },
    { key: 'maxMomentum', label: 'max_momentum', kind: 'number', help: 'Momentum at the start and the end.' },
  ],
  relativeLength: true,
  validate: validatePytorch,
  withDefaults: (spec) => {
    const d = ONECYCLE_PYTORCH_DEFAULTS;
    return {
      ...spec,
      pctStart: spec.pctStart ?? d.pctStart,
      annealStrategy: spec.annealStrategy ?? d.annealStrategy,
      divFactor: spec.divFactor ?? d.divFactor,
      finalDivFactor: spec.finalDivFactor ?? d.finalDivFactor,
      threePhase: spec.threePhase ?? d.threePhase,
      cycleMomentum: spec.cycleMomentum ?? d.cycleMomentum,
      baseMomentum: spec.baseMomentum ?? d.baseMomentum,
      maxMomentum: spec.maxMomentum ?? d.maxMomentum,
    };
  },
  length: (spec) => spec.totalSteps,
  compile: compileOneCyclePytorch,
  fromMaxLr: (maxLr, length, tuning) => ({
    policy: 'onecycle',
    flavor: 'pytorch',
    maxLr,
    totalSteps: checkedSteps(maxLr, length, 2, 'a one-cycle schedule', tuning),
  }),
  describe: (spec, formatLr) => `one-cycle (pytorch), max lr ${formatLr(spec.maxLr)} over ${spec.totalSteps} steps`,
};

/** What code generation reads of `pytorch`. */
export const pytorchCode: FlavorCode<'pytorch', OneCyclePytorchSpec, FullOneCyclePytorchSpec> = {
  id: 'pytorch',
  python: (spec, dialect, totalSteps) => onecyclePytorch(spec, dialect, totalSteps ?? spec.totalSteps),
  typescript: pytorchOneCycleSource,
  torchOneCycle: (spec) => ({ spec: pytorch.withDefaults(spec), description: 'OneCycleLR', resizable: true }),
};
