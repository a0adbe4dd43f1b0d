/**
 * Schedule functions as TS/JS source: `lrAt(step)` (and `momentumAt(step)` when the spec cycles
 * momentum), written with plain Math and the same formulas as the core schedules, so the emitted
 * code reproduces the spec's sequence exactly. Lines are in the canonical template style
 * (see restyle.ts).
 */
import {
  validateSpec,
  withDefaults,
  type FullCyclicSpec,
  type FullOneCycleFastaiSpec,
  type FullOneCycleOptaxSpec,
  type FullOneCyclePytorchSpec,
  type FullOneCycleSmithSpec,
  type RangeSpec,
  type ScheduleSpec,
} from '../../core/schedules';

export type ScriptLanguage = 'ts' | 'js';

export interface ScheduleSource {
  /** Template lines defining `lrAt` (and `momentumAt` and their helpers). */
  lines: string[];
  /** Whether `momentumAt` is defined. */
  cyclesMomentum: boolean;
  /** Whether the schedule holds its last value past its end (every flavor but optax, which has its own tail). */
  holdsEnd: boolean;
  /** The number of optimizer updates the schedule covers, when it has an end. */
  length: number | null;
  /** One phrase describing the schedule, for comments and summaries. */
  description: string;
}

/** Type annotation helpers: `t(': number')` is the annotation in TS and nothing in JS. */
function annotate(language: ScriptLanguage): (annotation: string) => string {
  return (annotation) => (language === 'ts' ? annotation : '');
}

const num = (value: number): string => String(value);

/** Emits the schedule functions of a spec in the given language. */
export function scheduleSource(input: ScheduleSpec, language: ScriptLanguage): ScheduleSource {
  const spec = withDefaults(validateSpec(input));
  const t = annotate(language);
  switch (spec.policy) {
    case 'range':
      return rangeSource(spec, t);
    case 'constant':
      return {
        lines: [
          `/** Learning rate of optimizer update \`step\`: constant ${num(spec.lr)}. */`,
          `function lrAt(${language === 'ts' ? '_step: number' : '_step'})${t(': number')} {`,
          `  return ${num(spec.lr)};`,
          `}`,
        ],
        cyclesMomentum: false,
        holdsEnd: true,
        length: spec.steps ?? null,
        description: `constant LR ${num(spec.lr)}`,
      };
    case 'cyclic':
      return cyclicSource(spec, t);
    case 'onecycle':
      switch (spec.flavor) {
        case 'pytorch':
          return pytorchOneCycleSource(spec, t);
        case 'fastai':
          return fastaiOneCycleSource(spec, t);
        case 'optax-cosine':
        case 'optax-linear':
          return optaxOneCycleSource(spec, t);
        case 'smith':
          return smithOneCycleSource(spec, t);
      }
  }
}

type Annotate = (annotation: string) => string;

function rangeSource(spec: RangeSpec, t: Annotate): ScheduleSource {
  const body =
    spec.mode === 'exp'
      ? '  return step === steps - 1 ? endLr : startLr * Math.pow(endLr / startLr, step / (steps - 1));'
      : '  return step === steps - 1 ? endLr : startLr + (step / (steps - 1)) * (endLr - startLr);';
  return {
    lines: [
      `/** Learning rate of optimizer update \`step\` (0-based): an ${spec.mode === 'exp' ? 'exponential' : 'linear'} range test ramp. */`,
      `function lrAt(step${t(': number')})${t(': number')} {`,
      `  const startLr = ${num(spec.startLr)};`,
      `  const endLr = ${num(spec.endLr)};`,
      `  const steps = ${num(spec.steps)};`,
      body,
      `}`,
    ],
    cyclesMomentum: false,
    holdsEnd: true,
    length: spec.steps,
    description: `${spec.mode} range ${num(spec.startLr)} → ${num(spec.endLr)} over ${spec.steps} steps`,
  };
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

function optaxOneCycleSource(spec: FullOneCycleOptaxSpec, t: Annotate): ScheduleSource {
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
    ...(linear ? [`  const pctFinal = ${num(spec.pctFinal ?? 0.85)};`] : []),
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
