/**
 * A schedule's exact formula as a standalone Python function of the optimizer step, in one of three numeric
 * dialects (plain Python, TensorFlow, JAX: core/schedules/emit/python.ts). Each flavor writes its own formula
 * (its module's `python`, mirroring the arithmetic of its reference implementation, so the values agree with the
 * core's schedules to rounding); the range test's ramp and a constant LR are written here. This adds what every
 * generated function shares: the hold past the schedule's end, the imports it needs, the `def`.
 */
import { specLength } from '../../core/schedules/compile';
import { DIALECTS, body, pyFloat, pyNum, type Dialect, type FormulaBody, type Formulas, type Steps } from '../../core/schedules/emit/python';
import { flavorCodeOf } from '../../core/schedules/flavors/code';
import { flavorOf } from '../../core/schedules/flavors/index';
import type { ScheduleSpec } from '../../core/schedules/spec';

export { stepsText, type Dialect, type FormulaBody, type Formulas, type Steps } from '../../core/schedules/emit/python';

/**
 * The exact formulas of `spec` in `dialect`. `totalSteps` replaces the spec's length (totalSteps / transitionSteps)
 * when the caller found the script's own count; null keeps the spec's. Momentum is null when the spec has none.
 */
export function formulasFor(spec: ScheduleSpec, dialect: Dialect, totalSteps: Steps | null = null): Formulas {
  const formulas = unclamped(spec, dialect, totalSteps);
  const length = lengthOf(spec, totalSteps);
  if (length === null) return formulas;
  const hold = (f: FormulaBody): FormulaBody => {
    const prologue = DIALECTS[dialect].prologue;
    const at = prologue && f.lines[0] === prologue ? 1 : 0;
    return { title: f.title, lines: [...f.lines.slice(0, at), holdLine(dialect, length), ...f.lines.slice(at)] };
  };
  return { lr: hold(formulas.lr), momentum: formulas.momentum && hold(formulas.momentum) };
}

/**
 * The number of steps of a schedule that ends (range, one-cycle), which the file's own count may replace and
 * past which every formula holds its last value; null for the policies without an end (constant, cyclic).
 */
export function scheduleEnd(spec: ScheduleSpec): number | null {
  return spec.policy === 'range' || spec.policy === 'onecycle' ? specLength(spec) : null;
}

function lengthOf(spec: ScheduleSpec, totalSteps: Steps | null): Steps | null {
  const end = scheduleEnd(spec);
  return end === null ? null : (totalSteps ?? end);
}

/** `step = min(step, N - 1)`: steps past the end use the last step's value. */
function holdLine(dialect: Dialect, length: Steps): string {
  const last = typeof length === 'number' ? pyNum(length - 1) : `${length.expr} - 1`;
  switch (dialect) {
    case 'python':
      return `step = min(step, ${last})`;
    case 'tf':
      return `step = tf.math.minimum(step, tf.cast(${last}, tf.float64))`;
    case 'jnp':
      return `step = jnp.minimum(step, ${last})`;
  }
}

function unclamped(spec: ScheduleSpec, dialect: Dialect, totalSteps: Steps | null): Formulas {
  const d = DIALECTS[dialect];
  switch (spec.policy) {
    case 'range': {
      const last = pyNum(spec.steps - 1);
      const value =
        spec.mode === 'exp'
          ? `${pyNum(spec.startLr)} * (${pyNum(spec.endLr)} / ${pyNum(spec.startLr)}) ** (step / ${last})`
          : `${pyNum(spec.startLr)} + (${pyNum(spec.endLr)} - ${pyNum(spec.startLr)}) * (step / ${last})`;
      return { lr: body(dialect, `LR range test (${spec.mode}), ${spec.steps} steps`, [`return ${value}`]), momentum: null };
    }
    case 'constant':
      return { lr: body(dialect, 'constant LR', [`return ${d.constant(pyFloat(spec.lr))} + 0 * step`]), momentum: null };
    default: {
      return flavorCodeOf(spec).python(flavorOf(spec).withDefaults(spec), dialect, totalSteps);
    }
  }
}

/** Modules a Python-dialect formula uses (`math`, `struct`). */
export function formulaImports(...bodies: (FormulaBody | null)[]): string[] {
  const used = new Set<string>();
  for (const b of bodies) for (const line of b?.lines ?? []) for (const m of ['math', 'struct']) if (new RegExp(`(?<![\\w.])${m}\\.`).test(line)) used.add(m);
  return [...used].sort();
}

/** `def name(step):` plus the indented body (4 spaces, '\n'). */
export function pyFunction(name: string, f: FormulaBody, params = 'step'): string {
  return [`def ${name}(${params}):`, `    # ${f.title}`, ...f.lines.map((l) => (l === '' ? '' : `    ${l}`))].join('\n');
}
