/**
 * `onecycle/fastai`: fastai `Learner.fit_one_cycle` (fastai/callback/schedule.py):
 *   lr  = combined_cos(pctStart, lrMax/div, lrMax, lrMax/divFinal)(pos)
 *   mom = combined_cos(pctStart, *moms)(pos)
 * with pos = i/totalSteps (fastai's `pct_train` before batch i). Both halves are cosines that are
 * flat at their ends; the peak is at pos = pctStart, i.e. step pctStart·N (reached exactly only
 * when that is an integer), and the last step N − 1 stops one step short of lrMax/divFinal.
 *
 * fastai's `combine_scheds` keeps the phase fractions in a float32 tensor, so the position inside
 * a phase is computed in float32; we do the same (`Math.fround`) to match fastai to ~1e-15 rather
 * than ~1e-7. Past the end we hold the last value (fastai would extrapolate the cosine).
 */
import { atFraction, combinedCos } from '../combinators';
import { body, DIALECTS, piecewise, pyNum, stepsText, type Dialect, type Formulas, type Steps } from '../emit/python';
import { num, type Annotate, type ScheduleSource } from '../emit/typescript';
import { assign, type Fields } from '../fields';
import { clampToLength, type Schedule } from '../schedule';
import { checkedSteps, type FlavorCode, type FlavorModule } from './flavor';

/** fastai `fit_one_cycle` (pos = i / totalSteps). */
export interface OneCycleFastaiSpec {
  policy: 'onecycle';
  flavor: 'fastai';
  lrMax: number;
  /** ≥ 2 (epochs × batches per epoch). */
  totalSteps: number;
  /** Default 0.25. */
  pctStart?: number;
  /** Start LR = lrMax/div; default 25, > 1. */
  div?: number;
  /** End LR = lrMax/divFinal; default 1e5, ≥ 1. */
  divFinal?: number;
  /** [start, middle, end] momentums; default [0.95, 0.85, 0.95]. */
  moms?: [number, number, number];
}

export type FullOneCycleFastaiSpec = Required<OneCycleFastaiSpec>;

/** fastai `fit_one_cycle` defaults (`moms` is `Learner`'s default). */
export const ONECYCLE_FASTAI_DEFAULTS = {
  pctStart: 0.25,
  div: 25,
  divFinal: 1e5,
  moms: [0.95, 0.85, 0.95] as const,
} as const;

/** Compiles a fastai one-cycle spec with defaults filled (see `withDefaults`). */
export function compileOneCycleFastai(spec: FullOneCycleFastaiSpec): Schedule {
  const { lrMax, pctStart, totalSteps: n, moms } = spec;
  const lr = combinedCos(pctStart, lrMax / spec.div, lrMax, lrMax / spec.divFinal, Math.fround);
  const mom = combinedCos(pctStart, moms[0], moms[1], moms[2], Math.fround);
  return {
    length: n,
    lr: clampToLength(atFraction(lr, n), n),
    momentum: clampToLength(atFraction(mom, n), n),
  };
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

function onecycleFastai(spec: FullOneCycleFastaiSpec, dialect: Dialect, total: Steps): Formulas {
  const d = DIALECTS[dialect];
  const pct = pyNum(spec.pctStart ?? 0.25);
  // fastai's SchedCos: start + (1 + cos(pi * (1 - pos))) * (end - start) / 2
  const cosAnneal = (start: string, end: string, pos: string) => `${start} + (1 + ${d.cos(`${d.pi} * (1 - ${pos})`)}) * (${end} - ${start}) / 2`;
  // combine_scheds keeps the phase boundaries in a float32 tensor: positions are float32 values.
  const combined = (start: string, middle: string, end: string) =>
    piecewise(
      dialect,
      [{ when: 'pos < middle_at', value: cosAnneal(start, middle, d.f32('pos / middle_at')) }],
      cosAnneal(middle, end, d.f32(`${d.f32('pos - middle_at')} / ${d.f32('end_at - middle_at')}`)),
    );
  const setup = [
    ...(dialect === 'python'
      ? ['def f32(x):  # fastai rounds positions to float32 (torch tensors)', '    return struct.unpack("f", struct.pack("f", x))[0]', '']
      : []),
    `pos = ${d.f32(`step / ${stepsText(total)}`)}`,
    `middle_at = ${d.f32(pct)}`,
    `end_at = ${d.f32(`middle_at + ${d.f32(`1 - ${pct}`)}`)}`,
  ];
  const lr = body(dialect, 'fastai fit_one_cycle', [
    ...setup,
    `lr_max = ${pyNum(spec.lrMax)}`,
    ...combined(`lr_max / ${pyNum(spec.div ?? 25)}`, 'lr_max', `lr_max / ${pyNum(spec.divFinal ?? 1e5)}`),
  ]);
  const [m0, m1, m2] = (spec.moms ?? [0.95, 0.85, 0.95]).map(pyNum) as [string, string, string];
  const momentum = body(dialect, 'fastai fit_one_cycle momentum', [...setup, ...combined(m0, m1, m2)]);
  return { lr, momentum };
}

function fastaiOneCycleSource(spec: FullOneCycleFastaiSpec, t: Annotate): ScheduleSource {
  const moms = spec.moms;
  const lines = [
    `/** Learning rate of optimizer update \`step\` (0-based): fastai fit_one_cycle. */`,
    `function lrAt(step${t(': number')})${t(': number')} {`,
    `  const lrMax = ${num(spec.lrMax)};`,
    `  return combinedCos(step, lrMax / ${num(spec.div)}, lrMax, lrMax / ${num(spec.divFinal)});`,
    `}`,
    '',
    `/** Momentum of optimizer update \`step\`: fastai's moms, cosine-annealed like the learning rate. */`,
    `function momentumAt(step${t(': number')})${t(': number')} {`,
    `  return combinedCos(step, ${moms.map(num).join(', ')});`,
    `}`,
    '',
    `/**`,
    ` * fastai's combined_cos at position step / totalSteps: start → middle until pctStart, then middle → end.`,
    ` * fastai computes the position with float32 tensors; Math.fround reproduces that rounding.`,
    ` */`,
    `function combinedCos(step${t(': number')}, start${t(': number')}, middle${t(': number')}, end${t(': number')})${t(': number')} {`,
    `  const totalSteps = ${num(spec.totalSteps)};`,
    `  const pctStart = ${num(spec.pctStart)};`,
    `  const split = Math.fround(pctStart);`,
    `  const stop = Math.fround(split + Math.fround(1 - pctStart));`,
    `  const pos = Math.fround(step / totalSteps);`,
    `  if (pos < split) return cosineRamp(start, middle, Math.fround(pos / split));`,
    `  return cosineRamp(middle, end, Math.fround(Math.fround(pos - split) / Math.fround(stop - split)));`,
    `}`,
    '',
    `function cosineRamp(start${t(': number')}, end${t(': number')}, pos${t(': number')})${t(': number')} {`,
    `  return start + ((1 + Math.cos(Math.PI * (1 - pos))) * (end - start)) / 2;`,
    `}`,
  ];
  return {
    lines,
    cyclesMomentum: true,
    holdsEnd: true,
    length: spec.totalSteps,
    description: `one-cycle (fastai) peaking at ${num(spec.lrMax)} over ${spec.totalSteps} steps`,
  };
}

export const fastai: FlavorModule<'fastai', OneCycleFastaiSpec, FullOneCycleFastaiSpec> = {
  id: 'fastai',
  policy: 'onecycle',
  label: 'One-cycle (fastai fit_one_cycle)',
  description: '25 % warm-up, cosine',
  lrField: 'lrMax',
  specFields: ['policy', 'flavor', 'lrMax', 'totalSteps', 'pctStart', 'div', 'divFinal', 'moms'],
  fields: [
    { key: 'pctStart', label: 'pct_start', kind: 'number', help: 'Fraction of the steps spent increasing the LR.' },
    { key: 'div', label: 'div', kind: 'number', help: 'Initial LR = lr_max / div.' },
    { key: 'divFinal', label: 'div_final', kind: 'number', help: 'Final LR = lr_max / div_final.' },
    { key: 'moms', label: 'moms', kind: 'list', help: 'Momentum at the start, the peak LR and the end (three numbers).' },
  ],
  relativeLength: true,
  validate: validateFastai,
  withDefaults: (spec) => {
    const d = ONECYCLE_FASTAI_DEFAULTS;
    const moms = spec.moms ?? d.moms;
    return {
      ...spec,
      pctStart: spec.pctStart ?? d.pctStart,
      div: spec.div ?? d.div,
      divFinal: spec.divFinal ?? d.divFinal,
      moms: [moms[0], moms[1], moms[2]],
    };
  },
  length: (spec) => spec.totalSteps,
  compile: compileOneCycleFastai,
  fromMaxLr: (maxLr, length, tuning) => ({
    policy: 'onecycle',
    flavor: 'fastai',
    lrMax: maxLr,
    totalSteps: checkedSteps(maxLr, length, 2, 'a one-cycle schedule', tuning),
  }),
  describe: (spec, formatLr) => `one-cycle (fastai), max lr ${formatLr(spec.lrMax)} over ${spec.totalSteps} steps`,
};

/** What code generation reads of `fastai`. */
export const fastaiCode: FlavorCode<'fastai', OneCycleFastaiSpec, FullOneCycleFastaiSpec> = {
  id: 'fastai',
  python: (spec, dialect, totalSteps) => onecycleFastai(spec, dialect, totalSteps ?? spec.totalSteps),
  typescript: fastaiOneCycleSource,
  fitOneCycle: (spec) => fastai.withDefaults(spec),
};
