/**
 * The building blocks of a schedule's formula as Python source, in one of three numeric dialects: plain Python
 * (`math`, for LambdaLR and callbacks), TensorFlow (`tf`, traceable: used in a Keras `LearningRateSchedule`) and
 * JAX (`jnp`, traceable: an optax schedule). The tensor dialects have no branches (`where`), so they run inside
 * `tf.function` / `jax.jit`. Pure string builders: each flavor module writes its formula with them, and the code
 * generator places the result in the user's file.
 */

/** A Python number literal that round-trips the double exactly (JS and Python both print the shortest form). */
export function pyNum(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as a Python literal`);
  return String(value);
}

/** A Python float literal (always has a `.` or an exponent, so Python sees a float). */
export function pyFloat(value: number): string {
  const s = pyNum(value);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

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

/** How a dialect writes the few operations the formulas need. */
export interface Dial {
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

export const DIALECTS: Record<Dialect, Dial> = {
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

/** One branch of a piecewise formula: `value` when `when` holds (and no earlier branch did). */
export interface Piece {
  when: string;
  value: string;
}

/** `if … return` chain in Python, nested `where` in the tensor dialects. */
export function piecewise(dialect: Dialect, pieces: Piece[], otherwise: string): string[] {
  if (dialect === 'python') {
    return [...pieces.flatMap((p) => [`if ${p.when}:`, `    return ${p.value}`]), `return ${otherwise}`];
  }
  const where = dialect === 'tf' ? 'tf.where' : 'jnp.where';
  let expr = otherwise;
  for (const p of [...pieces].reverse()) expr = `${where}(${p.when}, ${p.value}, ${expr})`;
  return [`return ${expr}`];
}

/** A formula body in `dialect`: its prologue (the step as a float, in TensorFlow) and then `lines`. */
export function body(dialect: Dialect, title: string, lines: string[]): FormulaBody {
  const prologue = DIALECTS[dialect].prologue;
  return { title, lines: prologue ? [prologue, ...lines] : lines };
}
