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
import { createLossSmoother } from './smoothing';
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
export function zeroPhaseSmooth(losses: readonly number[], beta: number = zeroPhaseBeta(losses.length)): number[] {
  let finite = 0;
  while (finite < losses.length && Number.isFinite(losses[finite])) finite++;
  const forward = createLossSmoother(beta);
  const once = losses.slice(0, finite).map((loss) => forward.push(loss));
  const backward = createLossSmoother(beta);
  const twice = new Array<number>(finite);
  for (let i = finite - 1; i >= 0; i--) twice[i] = backward.push(once[i]);
  for (let i = finite; i < losses.length; i++) twice.push(Number.NaN);
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
  const smoothed = zeroPhaseSmooth(Array.from({ length: used }, (_, i) => losses[i]), beta);
  while (smoothed.length < count) smoothed.push(Number.NaN);
  const windowLrs = Array.from({ length: window.end - window.start }, (_, i) => lrs[window.start + i]);
  const windowLosses = smoothed.slice(window.start, window.end);
  const suggestions = {} as Record<SuggestionMethod, number | null>;
  const functions: Record<SuggestionMethod, (l: readonly number[], v: readonly number[]) => { lr: number } | null> = {
    minimum: suggestMinimum,
    steep: suggestSteep,
    valley: suggestValley,
    slide: (l, v) => suggestSlide(l, v),
  };
  for (const m of SUGGESTION_METHODS) suggestions[m] = functions[m](windowLrs, windowLosses)?.lr ?? null;
  return { beta, smoothed, suggestions };
}
