/**
 * fastai's `lr_find` suggestion functions (`fastai/callback/schedule.py`: `minimum`, `steep`,
 * `valley`, `slide`) and the window they run on.
 *
 * Each function takes the learning rates and the *smoothed* losses (fastai passes
 * `recorder.losses`, which holds `AvgSmoothLoss` values) already trimmed by `fastaiWindow`, and returns
 * the suggested LR plus the index (in the given arrays) of the point fastai plots for it. Where fastai
 * would raise (too few points), they return null. fastai evaluates them on float32 tensors; we compute in
 * float64, which only matters for exact ties.
 */
import type { Suggestion } from './types';

/** Parameters of fastai's `slide` (its defaults: lr_diff=15, thresh=.005, adjust_value=1.). */
export interface SlideOptions {
  lrDiff?: number;
  thresh?: number;
  adjustValue?: number;
}

/**
 * The half-open range `[start, end)` of points fastai's `lr_find` hands to its suggestion functions:
 * `recorder.lrs[num_it//10:-5]` (Python slice semantics, on the points actually recorded), then cut at
 * the first NaN. We cut at the first non-finite smoothed loss (fastai's smoothed loss turns NaN after a
 * NaN loss; an infinite one would poison its gradients just the same).
 */
export function fastaiWindow(smoothed: readonly number[], requestedSteps: number): { start: number; end: number } {
  const n = smoothed.length;
  const start = Math.min(Math.floor(requestedSteps / 10), n);
  let end = Math.max(n - 5, 0);
  if (end <= start) return { start, end: start };
  for (let i = start; i < end; i++) {
    if (!Number.isFinite(smoothed[i])) {
      end = i;
      break;
    }
  }
  return { start, end };
}

/** Index of the first minimum, as torch's `argmin` (which propagates NaN: a NaN wins); -1 if empty. */
function argmin(values: readonly number[]): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) return i;
    if (best < 0 || values[i] < values[best]) best = i;
  }
  return best;
}

/** Index whose lr is nearest to `lr` (fastai's `min(range(len(lrs)), key=lambda i: abs(lrs[i]-lr))`). */
function nearestIndex(lrs: readonly number[], lr: number): number {
  let best = 0;
  for (let i = 1; i < lrs.length; i++) {
    if (Math.abs(lrs[i] - lr) < Math.abs(lrs[best] - lr)) best = i;
  }
  return best;
}

/** fastai `minimum`: one tenth of the LR at the lowest loss; the marker is the lowest-loss point. */
export function suggestMinimum(lrs: readonly number[], losses: readonly number[]): Suggestion | null {
  const i = argmin(losses);
  if (i < 0) return null;
  const lrMin = lrs[i];
  const marker = nearestIndex(lrs, lrMin);
  return { lr: lrMin / 10, index: marker, markerLr: lrMin, markerLoss: losses[marker] };
}

/** fastai `steep`: the LR at the left end of the steepest descent of loss against ln(lr). */
export function suggestSteep(lrs: readonly number[], losses: readonly number[]): Suggestion | null {
  if (lrs.length < 2) return null;
  const grads: number[] = [];
  for (let i = 0; i + 1 < lrs.length; i++) {
    grads.push((losses[i + 1] - losses[i]) / (Math.log(lrs[i + 1]) - Math.log(lrs[i])));
  }
  const lrSteep = lrs[argmin(grads)];
  const marker = nearestIndex(lrs, lrSteep);
  return { lr: lrSteep, index: marker, markerLr: lrSteep, markerLoss: losses[marker] };
}

/**
 * Per-point length of the longest strictly decreasing subsequence ending there — fastai's `lds` array in
 * `valley`, which it builds in O(n²); this is the same array by patience sorting in O(n log n).
 */
export function longestDecreasingRuns(losses: readonly number[]): number[] {
  // A strictly decreasing run of losses is a strictly increasing run of their negations.
  const tails: number[] = []; // tails[k]: smallest negated loss ending a run of length k+1
  return losses.map((loss) => {
    const x = -loss;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tails[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = x;
    return lo + 1;
  });
}

/**
 * fastai `valley`: the longest valley, and a point two thirds of the way down it.
 *
 * fastai's "valley" is the longest strictly decreasing subsequence of the losses (not necessarily
 * contiguous); `max_end` is the first index where the longest one ends and `max_start = max_end − length`.
 * Its running update of `max_start` inside the inner loop always sees the final length, since an index can
 * only beat the running maximum by one. The suggestion is
 * `lrs[max_start + int(length/3) + int(length/3/2)]`.
 */
export function suggestValley(lrs: readonly number[], losses: readonly number[]): Suggestion | null {
  const n = losses.length;
  if (n === 0) return null;
  const lds = longestDecreasingRuns(losses);
  let maxEnd = 0;
  for (let i = 1; i < n; i++) if (lds[i] > lds[maxEnd]) maxEnd = i;
  // fastai only sets max_start when max_end moves, so it stays 0 when the first point is never beaten.
  const maxStart = maxEnd === 0 ? 0 : maxEnd - lds[maxEnd];
  const sections = (maxEnd - maxStart) / 3;
  let idx = maxStart + Math.trunc(sections) + Math.trunc(sections / 2);
  if (idx < 0) idx += n; // max_start can be −1; Python's lrs[-1] is then the last point (n = 2 only)
  return { lr: lrs[idx], index: idx, markerLr: lrs[idx], markerLoss: losses[idx] };
}

/** numpy's `gradient` with unit spacing: central differences inside, one-sided at both ends. */
export function numpyGradient(values: readonly number[]): number[] {
  const n = values.length;
  if (n < 2) throw new RangeError('numpyGradient needs at least 2 values');
  return values.map((v, i) => {
    if (i === 0) return values[1] - values[0];
    if (i === n - 1) return values[n - 1] - values[n - 2];
    return (values[i + 1] - values[i - 1]) / 2;
  });
}

/** numpy's `interp` (x increasing; clamps outside the range). */
function interp(x: number, xs: readonly number[], ys: readonly number[]): number {
  if (x <= xs[0]) return ys[0];
  const last = xs.length - 1;
  if (x >= xs[last]) return ys[last];
  let hi = 1;
  while (xs[hi] < x) hi++;
  const lo = hi - 1;
  return ys[lo] + ((x - xs[lo]) * (ys[hi] - ys[lo])) / (xs[hi] - xs[lo]);
}

/**
 * fastai `slide`: walk a window of `lrDiff` points from the right end leftwards while the loss gradients
 * at its two ends differ by more than `thresh`; suggest the LR at its left end (times `adjustValue`).
 * Needs `lrDiff + 1` points (fastai raises an IndexError with fewer). The marker's loss is interpolated
 * in log10(lr), as fastai does.
 */
export function suggestSlide(lrs: readonly number[], losses: readonly number[], options: SlideOptions = {}): Suggestion | null {
  const lrDiff = options.lrDiff ?? 15;
  const thresh = options.thresh ?? 0.005;
  const adjustValue = options.adjustValue ?? 1;
  const n = losses.length;
  if (n < lrDiff + 1 || n < 2) return null;
  const grad = numpyGradient(losses);
  let right = n - 1;
  let left = right - lrDiff;
  let localMin = left;
  while (left >= 0 && Math.abs(grad[right] - grad[left]) > thresh) {
    localMin = left;
    right -= 1;
    left -= 1;
  }
  const lr = lrs[localMin] * adjustValue;
  const markerLoss = interp(Math.log10(lr), lrs.map(Math.log10), losses);
  return { lr, index: localMin, markerLr: lr, markerLoss };
}
