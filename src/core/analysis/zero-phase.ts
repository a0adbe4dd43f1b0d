/**
 * A lag-free smoothing of a whole range-test curve, for the analysis (the stop rule stays causal).
 *
 * fastai's bias-corrected EMA (β = 0.98) averages about the last 1/(1−β) = 50 losses: on a 100–300-step
 * test whose LR grows by a decade every 10–40 steps, its value at a point reflects losses from ½ to 1
 * decade earlier, so its minimum sits where the raw loss has already turned up. Once the curve is
 * recorded there is no reason to be causal: the same EMA run forward, then backward over its output
 * (a forward-backward filter, like scipy's `filtfilt`), cancels the lag — each point is a symmetric
 * average of its neighbours — and a time constant matched to the test's length (`zeroPhaseBeta`)
 * smooths the batch noise without flattening the curve's features.
 */
import { checkBeta } from './smoothing';
import { suggestMinimum, suggestSlide, suggestSteep, suggestValley } from './suggestions';
import type { LagFreeCurve, SuggestionMethod } from './types';
import { SUGGESTION_METHODS } from './types';

/** The forward-backward filter's time constant as a fraction of the curve's length (4 steps on 100). */
export const ZERO_PHASE_SPAN_FRACTION = 0.04;

/**
 * The EMA factor of the zero-phase smoothing for a curve of `length` points: a time constant of
 * `ZERO_PHASE_SPAN_FRACTION` × length steps (at least 1), β = 1 − 1/τ.
 */
export function zeroPhaseBeta(length: number): number {
  const tau = Math.max(1, length * ZERO_PHASE_SPAN_FRACTION);
  return 1 - 1 / tau;
}

/**
 * Zero-phase smoothing of `losses`: the bias-corrected EMA with factor `beta` run forward, then run
 * backward over the forward pass. Only the leading run of finite losses is smoothed; every value from
 * the first non-finite loss on is NaN (nothing after it is analysed).
 */
export function zeroPhaseSmooth(losses: ArrayLike<number>, beta: number = zeroPhaseBeta(losses.length)): number[] {
  checkBeta(beta);
  let finite = 0;
  while (finite < losses.length && Number.isFinite(losses[finite])) finite++;
  // the bias-corrected EMA of smoothing.ts, forward then backward, in plain loops (long curves stream)
  const once = new Float64Array(finite);
  let avg = 0;
  let correction = 1;
  for (let i = 0; i < finite; i++) {
    avg = beta * avg + (1 - beta) * losses[i];
    correction *= beta;
    once[i] = avg / (1 - correction);
  }
  const twice = new Array<number>(losses.length).fill(Number.NaN);
  avg = 0;
  correction = 1;
  for (let i = finite - 1; i >= 0; i--) {
    avg = beta * avg + (1 - beta) * once[i];
    correction *= beta;
    twice[i] = avg / (1 - correction);
  }
  return twice;
}

/**
 * The lag-free curve of an analysed range test: the zero-phase smoothing of the first `used` losses
 * (NaN past them, up to `count`), with factor `zeroPhaseBeta(requestedSteps)`, and fastai's four
 * functions run on it over fastai's window.
 */
export function lagFreeCurve(
  lrs: ArrayLike<number>,
  losses: ArrayLike<number>,
  used: number,
  count: number,
  window: { start: number; end: number },
  requestedSteps: number,
): LagFreeCurve {
  const beta = zeroPhaseBeta(requestedSteps);
  const smoothed = zeroPhaseSmooth(used === losses.length ? losses : Array.prototype.slice.call(losses, 0, used), beta);
  while (smoothed.length < count) smoothed.push(Number.NaN);
  const functions: Record<SuggestionMethod, (l: readonly number[], v: readonly number[]) => { lr: number } | null> = {
    minimum: suggestMinimum,
    steep: suggestSteep,
    valley: suggestValley,
    slide: (l, v) => suggestSlide(l, v),
  };
  let suggestions: Record<SuggestionMethod, number | null> | null = null;
  return {
    beta,
    smoothed,
    // computed when first read (only rules on the lag-free curve read them): a streamed curve re-analysed per point stays cheap
    get suggestions() {
      if (suggestions === null) {
        suggestions = {} as Record<SuggestionMethod, number | null>;
        const windowLrs = Array.from({ length: window.end - window.start }, (_, i) => lrs[window.start + i]);
        const windowLosses = smoothed.slice(window.start, window.end);
        for (const m of SUGGESTION_METHODS) suggestions[m] = functions[m](windowLrs, windowLosses)?.lr ?? null;
      }
      return suggestions;
    },
  };
}
