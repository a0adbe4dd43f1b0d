/**
 * The one place a range test's options become its `range` spec: the TF.js engine, the PyTorch
 * probe and the host (the record of a run whose engine died) all use it.
 */
import { DEFAULT_BETA, DEFAULT_DIVERGE_FACTOR } from '../analysis/index';
import { SpecError } from '../schedules/errors';
import type { RangeSpec } from '../schedules/spec';
import { validateSpec } from '../schedules/validate';

/** fastai's `lr_find` defaults: 1e-7 → 10 over 100 batches, exponential; β 0.98, stop at 4× the best loss. */
export const RANGE_TEST_DEFAULTS = { startLr: 1e-7, endLr: 10, steps: 100, mode: 'exp', beta: DEFAULT_BETA, divergeFactor: DEFAULT_DIVERGE_FACTOR } as const;

/** The range-test options that shape the LR sequence (the rest is the trainer's). */
export interface RangeSpecOptions {
  startLr?: number;
  endLr?: number;
  steps?: number;
  mode?: 'exp' | 'linear';
}

/** The spec the options describe, defaults filled in, not validated (for showing what was asked). */
export function requestedRangeSpec(options: RangeSpecOptions): RangeSpec {
  return {
    policy: 'range',
    mode: options.mode ?? RANGE_TEST_DEFAULTS.mode,
    startLr: options.startLr ?? RANGE_TEST_DEFAULTS.startLr,
    endLr: options.endLr ?? RANGE_TEST_DEFAULTS.endLr,
    steps: options.steps ?? RANGE_TEST_DEFAULTS.steps,
  };
}

/**
 * The validated `range` spec of a range test. A bad option throws `fail(message)` (default: the
 * core's `SpecError`), the message naming the spec field (`range: field "endLr" must be …`).
 */
export function rangeSpecOf(options: RangeSpecOptions, fail: (message: string) => Error = (m) => new SpecError('spec', m)): RangeSpec {
  try {
    return validateSpec(requestedRangeSpec(options)) as RangeSpec;
  } catch (err) {
    if (err instanceof SpecError) throw fail(err.message);
    throw err;
  }
}
