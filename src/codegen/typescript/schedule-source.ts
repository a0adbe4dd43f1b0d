/**
 * Schedule functions as TS/JS source: `lrAt(step)` (and `momentumAt(step)` when the spec cycles
 * momentum), written with plain Math and the same formulas as the core schedules, so the emitted
 * code reproduces the spec's sequence exactly. Lines are in the canonical template style
 * (see restyle.ts).
 */
import { validateSpec, withDefaults, type RangeSpec, type ScheduleSpec } from '../../core/schedules';
import { annotate, num, type Annotate, type ScheduleSource, type ScriptLanguage } from '../../core/schedules/emit/typescript';
import { flavorCodeOf } from '../../core/schedules/flavors/code';

export type { ScheduleSource, ScriptLanguage } from '../../core/schedules/emit/typescript';

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
    default:
      return flavorCodeOf(spec).typescript(spec, t);
  }
}

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
