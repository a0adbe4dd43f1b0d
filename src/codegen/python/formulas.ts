/**
 * Every schedule flavor written once as a standalone Python function of the optimizer step, in one of three
 * numeric dialects: plain Python (`math`, for LambdaLR and callbacks), TensorFlow (`tf`, traceable: used in a
 * Keras `LearningRateSchedule`) and JAX (`jnp`, traceable: an optax schedule). The tensor dialects have no
 * branches (`where`), so they run inside `tf.function` / `jax.jit`, and a test can run them with numpy standing
 * in for `tf` / `jnp`.
 *
 * Each function mirrors the arithmetic of the reference implementation (PyTorch `OneCycleLR`/`CyclicLR`, fastai
 * `combined_cos`, optax `piecewise_interpolate_schedule`, Smith's three linear phases), so the values agree with
 * the core's schedules to rounding.
 */
import { specLength } from '../../core/schedules/compile';
import type { ScheduleSpec } from '../../core/schedules/spec';
import { pyFloat, pyNum } from './style';

export type Dialect = 'python' | 'tf' | 'jnp';

/** A step count: a literal, or a Python expression from the user's code (e.g. `epochs * len(train_loader)`). */
export type Steps = number | { expr: string };

export function stepsText(steps: Steps): string {
  return typeof steps === 'number' ? pyNum(steps) : steps.expr;
}

/** Python source of one formula: lines of the body (4-space indented, no trailing newline) ending in `return`. */
export interface FormulaBody {
  /** Lines, without the `def` line, at indentation 0 (the caller indents them into its function). */
  lines: string[];
  /** One-line description for a comment. */
  title: string;
}

export interface Formulas {
  lr: FormulaBody;
  momentum: FormulaBody | null;
}

interface Dial {
  cos(x: string): string;
  floor(x: string): string;
  pi: string;
  /** A constant the same dtype as the step arithmetic. */
  constant(x: string): string;
  /** Rounds to float32 and back (fastai's tensor arithmetic). */
  f32(x: string): string;
  /** Converts the raw step into a float (first body line), or null. */
  prologue: string | null;
}

const DIALECTS: Record<Dialect, Dial> = {
  python: { cos: (x) => `math.cos(${x})`, floor: (x) => `math.floor(${x})`, pi: 'math.pi', constant: (x) => x, f32: (x) => `f32(${x})`, prologue: null },
  tf: {
    cos: (x) => `tf.math.cos(${x})`,
    floor: (x) => `tf.math.floor(${x})`,
    pi: 'math.pi',
    constant: (x) => `tf.constant(${x}, tf.float64)`,
    f32: (x) => `tf.cast(tf.cast(${x}, tf.float32), tf.float64)`,
    prologue: 'step = tf.cast(step, tf.float64)',
  },
  jnp: { cos: (x) => `jnp.cos(${x})`, floor: (x) => `jnp.floor(${x})`, pi: 'jnp.pi', constant: (x) => `jnp.asarray(${x})`, f32: (x) => `jnp.asarray(${x}, jnp.float32)`, prologue: null },
};

interface Piece {
  when: string;
  value: string;
}

/** `if … return` chain in Python, nested `where` in the tensor dialects. */
function piecewise(dialect: Dialect, pieces: Piece[], otherwise: string): string[] {
  if (dialect === 'python') {
    return [...pieces.flatMap((p) => [`if ${p.when}:`, `    return ${p.value}`]), `return ${otherwise}`];
  }
  const where = dialect === 'tf' ? 'tf.where' : 'jnp.where';
  let expr = otherwise;
  for (const p of [...pieces].reverse()) expr = `${where}(${p.when}, ${p.value}, ${expr})`;
  return [`return ${expr}`];
}

function body(dialect: Dialect, title: string, lines: string[]): FormulaBody {
  const prologue = DIALECTS[dialect].prologue;
  return { title, lines: prologue ? [prologue, ...lines] : lines };
}

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
    case 'cyclic':
      return cyclic(spec, dialect);
    case 'onecycle':
      switch (spec.flavor) {
        case 'pytorch':
          return onecyclePytorch(spec, dialect, totalSteps ?? spec.totalSteps);
        case 'fastai':
          return onecycleFastai(spec, dialect, totalSteps ?? spec.totalSteps);
        case 'optax-cosine':
        case 'optax-linear':
          return onecycleOptax(spec, dialect, totalSteps ?? spec.transitionSteps);
        case 'smith':
          return onecycleSmith(spec, dialect, totalSteps ?? spec.totalSteps);
      }
  }
}

function cyclic(spec: Extract<ScheduleSpec, { policy: 'cyclic' }>, dialect: Dialect): Formulas {
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

function onecyclePytorch(spec: Extract<ScheduleSpec, { flavor: 'pytorch' }>, dialect: Dialect, total: Steps): Formulas {
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

function onecycleFastai(spec: Extract<ScheduleSpec, { flavor: 'fastai' }>, dialect: Dialect, total: Steps): Formulas {
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

function onecycleOptax(spec: Extract<ScheduleSpec, { flavor: 'optax-cosine' | 'optax-linear' }>, dialect: Dialect, total: Steps): Formulas {
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
      `decay_end = int(${pyNum(spec.pctFinal ?? 0.85)} * transition_steps)`,
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

function onecycleSmith(spec: Extract<ScheduleSpec, { flavor: 'smith' }>, dialect: Dialect, total: Steps): Formulas {
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
