/**
 * The range test's stop rule, evaluated once per batch by the engine (and replayed by the analysis).
 *
 * Stop when the smoothed loss exceeds `divergeFactor` × the best smoothed loss so far, or when the loss
 * (or its smoothed value) is not finite.
 *
 * What "best" means elsewhere:
 * - fastai (`LRFinder.after_batch`): `best_loss` starts at +inf and is lowered to the current smoothed
 *   loss *before* the test `smooth_loss > 4*best_loss`, so best includes the current batch. Its smoothed
 *   loss is the bias-corrected EMA (β = 0.98) of `smoothing.ts`. fastai does not stop on NaN (NaN
 *   compares false); we do, since nothing after a NaN is usable.
 * - pytorch-lr-finder (`range_test`): its loss is a plain EMA seeded with the first raw loss
 *   (`smooth_f = 0.05` weight on the new loss, no bias correction); `best_loss` is the first loss,
 *   then the minimum of that EMA including the current batch; it stops when `loss > diverge_th *
 *   best_loss` with `diverge_th = 5` by default.
 * - PyTorch Lightning tests against the best *before* the current batch, skips its first two steps,
 *   and uses factor 4.
 * We do as fastai (best includes the current batch, factor 4). A multiplicative threshold means nothing
 * for a best loss ≤ 0 (fastai would stop at once on negative losses), so the divergence test is skipped
 * while the best smoothed loss is ≤ 0.
 */
import type { StopDecision } from './types';
import { createLossSmoother, DEFAULT_BETA } from './smoothing';

export const DEFAULT_DIVERGE_FACTOR = 4;

export interface StopRuleOptions {
  /** EMA factor, default 0.98. */
  beta?: number;
  /** Default 4; null disables the divergence test (a non-finite loss still stops). */
  divergeFactor?: number | null;
}

export interface StopRule {
  /** Adds one batch's raw loss; returns its smoothed value and whether to stop after this batch. */
  push(loss: number): { smoothed: number; decision: StopDecision };
  /** `push` without the wrapper object (for a million points): the decision; the value is `smoothed`. */
  step(loss: number): StopDecision;
  /** The smoothed loss of the last batch (NaN before the first). */
  readonly smoothed: number;
  /** Lowest smoothed loss so far (+Infinity before the first finite one). */
  readonly best: number;
  /** Batches pushed so far. */
  readonly count: number;
}

/** Throws a RangeError unless `factor` is null or a finite number > 1. */
export function checkDivergeFactor(factor: number | null): void {
  if (factor !== null && !(Number.isFinite(factor) && factor > 1)) {
    throw new RangeError(`divergeFactor must be a number > 1, or null to disable the divergence test (got ${factor})`);
  }
}

const GO: StopDecision = Object.freeze({ stop: false });
const NON_FINITE: StopDecision = Object.freeze({ stop: true, reason: 'non-finite' });
const DIVERGED: StopDecision = Object.freeze({ stop: true, reason: 'diverged' });

/** Creates the streaming stop rule described in the module comment. */
export function createStopRule(options: StopRuleOptions = {}): StopRule {
  const factor = options.divergeFactor === undefined ? DEFAULT_DIVERGE_FACTOR : options.divergeFactor;
  checkDivergeFactor(factor);
  const smoother = createLossSmoother(options.beta ?? DEFAULT_BETA);
  let best = Infinity;
  let smoothed = NaN;
  const step = (loss: number): StopDecision => {
    smoothed = smoother.push(loss);
    if (!Number.isFinite(loss) || !Number.isFinite(smoothed)) return NON_FINITE;
    if (smoothed < best) best = smoothed;
    if (factor !== null && best > 0 && smoothed > factor * best) return DIVERGED;
    return GO;
  };
  return {
    push(loss: number) {
      const decision = step(loss);
      return { smoothed, decision };
    },
    step,
    get smoothed() {
      return smoothed;
    },
    get best() {
      return best;
    },
    get count() {
      return smoother.count;
    },
  };
}

/** Why a range test stopped at `step`, in words for the run record's `statusDetail`. */
export function describeStop(reason: 'diverged' | 'non-finite', step: number, lr: number, loss: number, divergeFactor: number | null): string {
  return reason === 'diverged'
    ? `diverged at step ${step} (lr ${lr.toPrecision(3)}): the smoothed loss exceeded ${divergeFactor}× its best`
    : `the loss became ${loss} at step ${step} (lr ${lr.toPrecision(3)})`;
}
