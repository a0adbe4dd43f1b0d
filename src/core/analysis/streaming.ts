/**
 * The range-test analysis of a curve that grows a point at a time (a live run, a watched log): the same
 * `RangeAnalysis` as `analyzeRangeTest` on all the points so far, exactly, at a cost per new point
 * instead of per curve.
 *
 * The causal parts (smoothing, the stop rule) advance with each point. The parts that read fastai's
 * window `[num_it//10 : -5]` (the four suggestions, the diagnostics) are kept by a tracker that takes the
 * window's new points as its end moves right: the lowest loss and the highest before it, the steepest
 * gradient, fastai's longest decreasing run by patience sorting, the noise's second differences.
 * `slide` walks a few points in from the right end, and its marker's interpolation bisects where the
 * learning rates increase. When the window's start moves (the planned number of steps changed, e.g. a
 * log without a plan, whose `num_it` is its length), the tracker is rebuilt from the stored points.
 */
import type { AnalysisOptions, RangeAnalysis, RangeDiagnostics, RangePoint, SuggestionMarker, SuggestionMethod } from './types';
import { SUGGESTION_METHODS } from './types';
import { checkBeta, DEFAULT_BETA } from './smoothing';
import { createStopRule, type StopRule } from './stop-rule';
import { RunningNoise } from './noise';
import { recommend } from './recommendation';
import { curveFlags } from './flags';
import { lagFreeCurve } from './zero-phase';
import { DEFAULT_DIVERGE_FACTOR } from './stop-rule';
import { applyRecommendChoice, DEFAULT_RECOMMEND, isRecommendChoice, RECOMMEND_CHOICES } from './recommend-rule';

/** A growing range test and its analysis. */
export interface RangeAnalyzer {
  /** Appends one point. Throws a RangeError (naming the point's index) unless lr is a finite number > 0. */
  add(lr: number, loss: number): void;
  /** Appends points, in order. */
  push(points: readonly RangePoint[]): void;
  /** Number of points so far. */
  readonly count: number;
  /** Smoothed loss of every point so far (live: it grows with the curve; do not modify). */
  readonly smoothed: readonly number[];
  /** Index of the point at which the stop rule fired, or null. */
  readonly stopIndex: number | null;
  /**
   * The analysis of the points so far, equal to `analyzeRangeTest(points, { ...options, requestedSteps })`;
   * `requestedSteps` defaults to the number of points. A fresh object each time the points or
   * `requestedSteps` changed (its `smoothed` is a copy), the same one otherwise.
   */
  analysis(requestedSteps?: number, ended?: AnalysisOptions['ended']): RangeAnalysis;
}

/** True when `sortedBreaks` (ascending) holds an index in (from, to): a break between two points of [from, to). */
function breaksWithin(sortedBreaks: readonly number[], from: number, to: number): boolean {
  let lo = 0;
  let hi = sortedBreaks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sortedBreaks[mid] <= from) lo = mid + 1;
    else hi = mid;
  }
  return lo < sortedBreaks.length && sortedBreaks[lo] < to;
}

/** What fastai's window of one start holds so far: points [start, end) of the analyser. */
class WindowTracker {
  end: number;
  // minimum and the diagnostics: the first lowest loss, the highest loss up to it, the largest |loss|
  minIndex = -1;
  peakAtMin = -Infinity;
  private runningMax = -Infinity;
  lossScale = 0;
  // steep: torch's argmin of the gradients (a NaN wins), as a position in the window
  steepPos = -1;
  private steepValue = NaN;
  private steepNaN = -1;
  private prevLn = NaN;
  // valley: patience sorting of the negated losses; where the first longest run ends, and its length
  private readonly tails: number[] = [];
  valleyEnd = 0;
  valleyLength = 0;
  readonly noise = new RunningNoise();

  constructor(readonly start: number) {
    this.end = start;
  }

  /** Takes points [end, to) of the analyser's columns into the window. */
  extend(to: number, lrs: Float64Array, losses: Float64Array, smoothed: readonly number[]): void {
    const tails = this.tails;
    for (let i = this.end; i < to; i++) {
      const v = smoothed[i];
      const pos = i - this.start;
      if (this.minIndex < 0 || v < smoothed[this.minIndex]) {
        this.runningMax = Math.max(this.runningMax, v);
        this.minIndex = i;
        this.peakAtMin = this.runningMax;
      } else {
        this.runningMax = Math.max(this.runningMax, v);
      }
      this.lossScale = Math.max(this.lossScale, Math.abs(v));

      const ln = Math.log(lrs[i]);
      if (pos > 0) {
        const g = (v - smoothed[i - 1]) / (ln - this.prevLn);
        const gPos = pos - 1;
        if (Number.isNaN(g)) {
          if (this.steepNaN < 0) this.steepNaN = gPos;
        } else if (this.steepPos < 0 || g < this.steepValue) {
          this.steepPos = gPos;
          this.steepValue = g;
        }
      }
      this.prevLn = ln;

      const x = -v;
      let lo = 0;
      let hi = tails.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (tails[mid] < x) lo = mid + 1;
        else hi = mid;
      }
      tails[lo] = x;
      if (lo + 1 > this.valleyLength) {
        this.valleyLength = lo + 1;
        this.valleyEnd = pos;
      }

      this.noise.push(losses[i]);
    }
    this.end = Math.max(this.end, to);
  }

  /** Position of the steepest gradient (torch's argmin: the first NaN, else the first minimum). */
  get steepest(): number {
    return this.steepNaN >= 0 ? this.steepNaN : this.steepPos;
  }
}

/** `a` with room for `size` values (the same array when it has), and a quarter more for what comes next. */
function reserve(a: Float64Array<ArrayBuffer>, size: number): Float64Array<ArrayBuffer> {
  if (size <= a.length) return a;
  const b = new Float64Array(Math.max(size + (size >> 2), 2 * a.length, 256));
  b.set(a);
  return b;
}

class StreamingRangeAnalyzer implements RangeAnalyzer {
  private lrs = new Float64Array(0);
  private losses = new Float64Array(0);
  private size = 0;
  readonly smoothed: number[] = [];
  private readonly rule: StopRule;
  stopIndex: number | null = null;
  private stopReason: 'diverged' | 'non-finite' | null = null;
  /** Indices i ≥ 1 whose lr is not above the previous one. */
  private readonly notIncreasing: number[] = [];
  /** Indices i ≥ 1 whose log10(lr) is below the previous one. */
  private readonly log10Drops: number[] = [];
  private prevLog10 = NaN;
  private tracker: WindowTracker | null = null;
  private memo: { count: number; requestedSteps: number; ended: AnalysisOptions['ended']; analysis: RangeAnalysis } | null = null;

  constructor(private readonly options: AnalysisOptions) {
    this.rule = createStopRule({ beta: options.beta ?? DEFAULT_BETA, divergeFactor: options.divergeFactor });
  }

  get count(): number {
    return this.size;
  }

  add(lr: number, loss: number): void {
    const i = this.size;
    if (!(Number.isFinite(lr) && lr > 0)) throw new RangeError(`point ${i}: lr must be a finite number > 0 (got ${lr})`);
    if (i > 0 && !(lr > this.lrs[i - 1])) this.notIncreasing.push(i);
    const log10 = Math.log10(lr);
    if (i > 0 && log10 < this.prevLog10) this.log10Drops.push(i);
    this.prevLog10 = log10;
    if (i >= this.lrs.length) {
      this.lrs = reserve(this.lrs, i + 1);
      this.losses = reserve(this.losses, i + 1);
    }
    this.lrs[i] = lr;
    this.losses[i] = loss;
    this.size = i + 1;
    const decision = this.rule.step(loss);
    this.smoothed.push(this.rule.smoothed); // smoothed values after the stop are kept for plotting, not analysed
    if (decision.stop && this.stopIndex === null) {
      this.stopIndex = i;
      this.stopReason = decision.reason;
    }
  }

  push(points: readonly RangePoint[]): void {
    this.lrs = reserve(this.lrs, this.size + points.length);
    this.losses = reserve(this.losses, this.size + points.length);
    for (const p of points) this.add(p.lr, p.loss);
  }

  analysis(requestedSteps: number = this.count, ended?: AnalysisOptions['ended']): RangeAnalysis {
    if (!(Number.isInteger(requestedSteps) && requestedSteps >= 0)) {
      throw new RangeError(`requestedSteps must be a whole number ≥ 0 (got ${requestedSteps})`);
    }
    const memo = this.memo;
    if (memo && memo.count === this.count && memo.requestedSteps === requestedSteps && memo.ended === ended) return memo.analysis;
    const analysis = this.compute(requestedSteps, ended);
    this.memo = { count: this.count, requestedSteps, ended, analysis };
    return analysis;
  }

  /**
   * fastai's window on the analysed curve: the points up to the stop, padded with NaN up to the planned
   * steps when the stop was a NaN (fastai records NaN losses up to num_it and cuts at the first one),
   * then `[num_it//10 : -5]`, cut at the first non-finite smoothed loss — which can only be the stop
   * point (a non-finite loss or smoothed loss trips the rule) or the padding after it.
   */
  private window(used: number, requestedSteps: number): { start: number; end: number } {
    const padded = this.stopIndex !== null && Number.isNaN(this.smoothed[this.stopIndex]);
    const n = padded ? Math.max(used, requestedSteps) : used;
    const start = Math.min(Math.floor(requestedSteps / 10), n);
    let end = Math.max(n - 5, 0);
    if (end <= start) return { start, end: start };
    const firstNonFinite = this.stopReason === 'non-finite' ? this.stopIndex! : n;
    if (firstNonFinite < end) end = Math.max(firstNonFinite, start);
    return { start, end };
  }

  private compute(requestedSteps: number, ended: AnalysisOptions['ended']): RangeAnalysis {
    const { lrs, losses, smoothed } = this;
    const method = this.options.recommend ?? DEFAULT_RECOMMEND;
    const count = this.count;
    const used = this.stopIndex === null ? count : this.stopIndex + 1;
    const window = this.window(used, requestedSteps);
    // For a given start the window's end only moves right (points are only appended; the stop freezes it).
    let t = this.tracker;
    if (!t || t.start !== window.start) t = this.tracker = new WindowTracker(window.start);
    t.extend(window.end, lrs, losses, smoothed);

    const { start, end } = window;
    const n = end - start;
    const strictlyIncreasing = !breaksWithin(this.notIncreasing, start, end);
    /** fastai's nearest-lr index in the window (the first of equal lrs), as a window position. */
    const nearest = (pos: number): number => {
      if (strictlyIncreasing) return pos;
      const lr = lrs[start + pos];
      let best = 0;
      for (let i = 1; i < n; i++) if (Math.abs(lrs[start + i] - lr) < Math.abs(lrs[start + best] - lr)) best = i;
      return best;
    };
    const suggestions = { minimum: null, steep: null, valley: null, slide: null } as Record<SuggestionMethod, number | null>;
    const markers: Record<SuggestionMethod, SuggestionMarker | null> = { minimum: null, steep: null, valley: null, slide: null };
    const mark = (m: SuggestionMethod, lr: number, pos: number, markerLr: number, markerLoss: number) => {
      suggestions[m] = lr;
      markers[m] = { index: start + pos, lr: markerLr, loss: markerLoss };
    };
    if (n > 0) {
      const minPos = nearest(t.minIndex - start);
      mark('minimum', lrs[t.minIndex] / 10, minPos, lrs[t.minIndex], smoothed[start + minPos]);
      if (n >= 2) {
        const steepPos = nearest(t.steepest);
        mark('steep', lrs[start + t.steepest], steepPos, lrs[start + t.steepest], smoothed[start + steepPos]);
      }
      const maxStart = t.valleyEnd === 0 ? 0 : t.valleyEnd - t.valleyLength;
      const sections = (t.valleyEnd - maxStart) / 3;
      let idx = maxStart + Math.trunc(sections) + Math.trunc(sections / 2);
      if (idx < 0) idx += n; // max_start can be −1; Python's lrs[-1] is then the last point (n = 2 only)
      mark('valley', lrs[start + idx], idx, lrs[start + idx], smoothed[start + idx]);
      this.slide(start, n, mark);
    }

    // Not incremental: the lag-free curve and the flags read the whole analysed curve (O(n) per analysis).
    const beta = this.options.beta ?? DEFAULT_BETA;
    const divergeFactor = this.options.divergeFactor === undefined ? DEFAULT_DIVERGE_FACTOR : this.options.divergeFactor;
    const lagFree = lagFreeCurve(lrs, losses, used, count, window, requestedSteps);
    const flagged = curveFlags({ lrs, losses, used, stopReason: this.stopReason, divergeFactor, window, lagFree: lagFree.smoothed, suggestions });

    const diagnostics = this.diagnose(t, window, used, requestedSteps);
    const notIncreasing = this.notIncreasing.length > 0 && this.notIncreasing[0] < used ? this.notIncreasing[0] : -1;
    const recommendation = recommend({
      pointCount: count,
      lrAt: (i) => lrs[i],
      used,
      notIncreasing,
      stopIndex: this.stopIndex,
      stopReason: this.stopReason,
      requestedSteps,
      method,
      suggestions,
      diagnostics,
      lossScale: t.lossScale,
      ...(ended !== undefined ? { ended } : {}),
      flagged,
      chosen: applyRecommendChoice(method, { suggestions, lagFree }),
    });
    return {
      pointCount: count,
      smoothed: smoothed.slice(),
      stopIndex: this.stopIndex,
      stopReason: this.stopReason,
      suggestions,
      markers,
      recommendation,
      diagnostics,
      stopRule: { beta, divergeFactor },
      lagFree,
    };
  }

  /**
   * fastai `slide` (lr_diff 15, thresh .005, adjust_value 1) on window [start, start + n): walk a window
   * of 15 points leftwards from the right end while numpy's gradients at its ends differ by more than
   * thresh; the marker's loss is interpolated in log10(lr) as numpy's `interp` does.
   */
  private slide(start: number, n: number, mark: (m: SuggestionMethod, lr: number, pos: number, markerLr: number, markerLoss: number) => void): void {
    const lrDiff = 15;
    const thresh = 0.005;
    if (n < lrDiff + 1 || n < 2) return;
    const s = this.smoothed;
    const grad = (i: number): number => {
      if (i === 0) return s[start + 1] - s[start];
      if (i === n - 1) return s[start + n - 1] - s[start + n - 2];
      return (s[start + i + 1] - s[start + i - 1]) / 2;
    };
    let right = n - 1;
    let left = right - lrDiff;
    let localMin = left;
    while (left >= 0 && Math.abs(grad(right) - grad(left)) > thresh) {
      localMin = left;
      right -= 1;
      left -= 1;
    }
    const lr = this.lrs[start + localMin] * 1;
    mark('slide', lr, localMin, lr, this.interpLog10(Math.log10(lr), start, n));
  }

  /** numpy's `interp(x, log10(lrs), smoothed)` over window [start, start + n). */
  private interpLog10(x: number, start: number, n: number): number {
    const xs = (i: number) => Math.log10(this.lrs[start + i]);
    const ys = (i: number) => this.smoothed[start + i];
    if (x <= xs(0)) return ys(0);
    const last = n - 1;
    if (x >= xs(last)) return ys(last);
    let hi = 1;
    if (!breaksWithin(this.log10Drops, start, start + n)) {
      // log10(lr) never decreases here, so the first hi with xs(hi) ≥ x can be bisected for.
      let top = last;
      while (hi < top) {
        const mid = (hi + top) >> 1;
        if (xs(mid) < x) hi = mid + 1;
        else top = mid;
      }
    } else {
      while (xs(hi) < x) hi++;
    }
    const lo = hi - 1;
    return ys(lo) + ((x - xs(lo)) * (ys(hi) - ys(lo))) / (xs(hi) - xs(lo));
  }

  private diagnose(t: WindowTracker, window: { start: number; end: number }, used: number, requestedSteps: number): RangeDiagnostics {
    const usablePoints = window.end - window.start;
    const base: RangeDiagnostics = { window, usablePoints, requestedSteps, drop: 0, relativeDrop: 0, rise: 0, noiseSigma: 0, noiseRatio: Infinity };
    if (usablePoints === 0) return base;
    const s = this.smoothed;
    const min = s[t.minIndex];
    const peak = t.peakAtMin;
    const drop = peak - min;
    const scale = Math.max(Math.abs(peak), Math.abs(min));
    let lastFinite = used - 1;
    while (lastFinite > 0 && !Number.isFinite(s[lastFinite])) lastFinite--;
    const rise = Math.max(0, s[lastFinite] - min);
    const sigma = t.noise.sigma();
    return {
      ...base,
      drop,
      relativeDrop: scale > 0 ? drop / scale : 0,
      rise,
      noiseSigma: sigma,
      noiseRatio: drop > 0 ? sigma / drop : Infinity,
    };
  }
}

/**
 * A range-test analyser for points that arrive one by one (see the module comment). Options as
 * `analyzeRangeTest`'s, except `requestedSteps` and `ended`, which `analysis()` takes. Throws a RangeError for an
 * invalid beta, divergeFactor or recommend.
 */
export function createRangeAnalyzer(options: Omit<AnalysisOptions, 'requestedSteps' | 'ended'> = {}): RangeAnalyzer {
  checkBeta(options.beta ?? DEFAULT_BETA);
  const method = options.recommend ?? DEFAULT_RECOMMEND;
  if (!isRecommendChoice(method)) {
    throw new RangeError(`recommend must be one of ${RECOMMEND_CHOICES.join(', ')} (got ${String(method)})`);
  }
  return new StreamingRangeAnalyzer(options);
}
