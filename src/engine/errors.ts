/**
 * Errors a user can cause with their experiment (DESIGN.md §3: one clear message naming the
 * file and the field, and what to do). Anything else that escapes the engine is a bug or a
 * crash inside tfjs and is reported as such.
 */

/** Which part of the experiment module is at fault. */
export type ExperimentField =
  | 'file'
  | 'default export'
  | 'model'
  | 'data'
  | 'loss'
  | 'metrics'
  | 'optimizer'
  | 'batchSize'
  | 'epochs'
  | 'weightDecay'
  | 'seed'
  | 'options';

/**
 * A mistake in the user's experiment (or in the options given for it). `message` is complete
 * and meant to be shown as is: it starts with the file (and line:column when known) and names
 * the field.
 */
export class ExperimentError extends Error {
  override readonly name = 'ExperimentError';
  /** Set by the engine once the failed run's record is saved. */
  recordPath?: string;
  constructor(
    message: string,
    readonly file: string,
    readonly field: ExperimentField,
    /** 1-based position, for syntax errors. */
    readonly location?: { line: number; column: number },
  ) {
    super(message);
  }
}

/** Builds an `ExperimentError` whose message reads `<file>: <field>: <what>`. */
export function experimentError(file: string, field: ExperimentField, what: string): ExperimentError {
  const where = field === 'file' ? '' : `${field}: `;
  return new ExperimentError(`${file}: ${where}${what}`, file, field);
}

/** The message of anything thrown, for quoting the user's own exceptions. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * A run that failed for a reason other than the experiment (a bug, a crash inside tfjs). The
 * partial run record was saved at `recordPath`; `cause` is the original error.
 */
export class EngineRunError extends Error {
  override readonly name = 'EngineRunError';
  constructor(
    message: string,
    readonly recordPath: string,
    override readonly cause: unknown,
  ) {
    super(message);
  }
}
