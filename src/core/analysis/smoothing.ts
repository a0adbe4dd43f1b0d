/**
 * Loss smoothing for range tests: fastai's bias-corrected exponential moving average.
 *
 * fastai (`learner.py`, `AvgSmoothLoss`): `val = torch.lerp(loss, val, beta)` = beta·val + (1−beta)·loss,
 * `count += 1` before the update, and the reported value is `val / (1 − beta**count)`. So the i-th
 * loss (0-based) is divided by 1 − β^(i+1), and the first smoothed value equals the first loss.
 *
 * PyTorch Lightning (`tuner/lr_finder.py`, `_LRCallback.on_train_batch_end`) divides by
 * 1 − β^(global_step+1), but `global_step` has already counted the batch's optimizer step when the
 * hook runs (it is 1 after the first batch, which is why its best-loss reset tests `current_step == 1`),
 * so its i-th value is divided by 1 − β^(i+2): the first smoothed loss comes out as
 * 0.02/(1 − 0.98²) ≈ 0.505 of the real loss, and the early curve rises from about half its true
 * height. We follow fastai.
 */

export const DEFAULT_BETA = 0.98;

/** Throws a RangeError unless `beta` is a usable EMA factor (0 ≤ beta < 1). */
export function checkBeta(beta: number): void {
  if (!(Number.isFinite(beta) && beta >= 0 && beta < 1)) {
    throw new RangeError(`beta must be a number in [0, 1) (got ${beta})`);
  }
}

/** Incremental form of `smoothLosses`: feed losses one by one, get each smoothed value. */
export interface LossSmoother {
  /** Adds one loss and returns the smoothed value up to and including it. */
  push(loss: number): number;
  /** Number of losses pushed so far. */
  readonly count: number;
}

/** Creates a bias-corrected EMA (see the module comment). `beta = 0` returns the losses unchanged. */
export function createLossSmoother(beta: number = DEFAULT_BETA): LossSmoother {
  checkBeta(beta);
  let avg = 0;
  let count = 0;
  // 1 − β^count only grows towards 1; once it rounds to 1 it stays 1, and dividing by it is a no-op.
  let corrected = false;
  return {
    push(loss: number): number {
      count += 1;
      avg = beta * avg + (1 - beta) * loss;
      if (corrected) return avg;
      const correction = 1 - beta ** count;
      if (correction === 1) corrected = true;
      return avg / correction;
    },
    get count() {
      return count;
    },
  };
}

/**
 * Smooths a loss curve with fastai's bias-corrected EMA:
 * avg_i = β·avg_{i−1} + (1−β)·loss_i (avg_{−1} = 0), smoothed_i = avg_i / (1 − β^(i+1)).
 * A non-finite loss makes every later value non-finite, as in fastai.
 */
export function smoothLosses(losses: readonly number[], beta: number = DEFAULT_BETA): number[] {
  const smoother = createLossSmoother(beta);
  return losses.map((loss) => smoother.push(loss));
}
