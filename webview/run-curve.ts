/**
 * A run's points as typed columns (lr, loss), kept in step with `run.points` as it grows, and
 * the core's streaming analysis of them: a streamed update costs the new points, not the whole curve.
 * Live runs, replays, imported and watched logs and every curve of the compare view go through here.
 *
 * Curves are kept per run id (the most recent few): a replayed `state` brings new objects for the same
 * points, which are compared with the columns (cheap) instead of being analysed again.
 */
import type { StepPoint } from '../src/core/runs/record';
import type { RunSnapshot } from '../src/protocol/webview';
import { createRangeAnalyzer, type RangeAnalysis, type RangeAnalyzer } from './core';
import type { CurveColumns } from './decimate';

/** Curves kept: enough for a large sweep overlay plus the run shown before it. */
const KEPT_CURVES = 32;

const lossOf = (p: StepPoint): number => (typeof p.loss === 'number' ? p.loss : NaN);
const same = (a: number, b: number): boolean => a === b || (a !== a && b !== b);

/** `a` with room for `size` values, and a quarter more for the points that stream in next. */
function grow(a: Float64Array<ArrayBuffer>, size: number): Float64Array<ArrayBuffer> {
  if (size <= a.length) return a;
  const b = new Float64Array(Math.max(size + (size >> 2), 2 * a.length, 1024));
  b.set(a);
  return b;
}

export class RunCurve {
  count = 0;
  lr = new Float64Array(0);
  /** The losses as given (±Infinity kept: the stop rule tells them from NaN); null is NaN. */
  loss = new Float64Array(0);
  lrMin = Infinity;
  lrMax = -Infinity;
  /** True while lr never decreases. */
  sorted = true;
  private source: readonly StepPoint[] | null = null;
  private lastPoint: StepPoint | undefined;
  private analyzer: { beta: number; divergeFactor: number | null | undefined; analyzer: RangeAnalyzer } | null = null;
  /** The analyser's smoothed losses as a typed column (drawing reads typed arrays only: one shape, fast). */
  private smooth = new Float64Array(0);
  private smoothCount = 0;

  /** Takes the points added to `points` since the last call (all of them when they are not the same). */
  sync(points: readonly StepPoint[]): void {
    if (points !== this.source) {
      if (!(points.length >= this.count && this.matches(points))) this.reset();
      this.source = points;
    } else if (points.length < this.count || (this.count > 0 && points[this.count - 1] !== this.lastPoint)) {
      this.reset();
    }
    const n = points.length;
    if (n > this.count) {
      this.lr = grow(this.lr, n);
      this.loss = grow(this.loss, n);
      for (let i = this.count; i < n; i++) {
        const p = points[i]!;
        if (i > 0 && p.lr < this.lr[i - 1]!) this.sorted = false;
        this.lr[i] = p.lr;
        this.loss[i] = lossOf(p);
        if (p.lr < this.lrMin) this.lrMin = p.lr;
        if (p.lr > this.lrMax) this.lrMax = p.lr;
      }
      this.count = n;
      const analyzer = this.analyzer?.analyzer;
      if (analyzer) for (let i = analyzer.count; i < n; i++) analyzer.add(this.lr[i]!, this.loss[i]!);
    }
    this.lastPoint = points[n - 1];
  }

  /** The core's analysis of the points so far (see `analyzeRun`). */
  analysis(beta: number, divergeFactor: number | null | undefined, requestedSteps: number | undefined): RangeAnalysis {
    let a = this.analyzer;
    if (!a || a.beta !== beta || a.divergeFactor !== divergeFactor) {
      const analyzer = createRangeAnalyzer({ beta, ...(divergeFactor !== undefined ? { divergeFactor } : {}) });
      for (let i = 0; i < this.count; i++) analyzer.add(this.lr[i]!, this.loss[i]!);
      a = this.analyzer = { beta, divergeFactor, analyzer };
      this.smoothCount = 0;
    }
    const s = a.analyzer.smoothed;
    this.smooth = grow(this.smooth, s.length);
    for (let i = this.smoothCount; i < s.length; i++) this.smooth[i] = s[i]!;
    this.smoothCount = s.length;
    return a.analyzer.analysis(requestedSteps);
  }

  /** The smoothed losses of the last `analysis()` (a view, not a copy). */
  smoothed(): Float64Array {
    return this.smooth.subarray(0, this.smoothCount);
  }

  /** The curve (x = lr, on a log axis) with `ys` as its values, for `decimateCurve`. */
  columns(ys: Float64Array): CurveColumns {
    return { xs: this.lr, ys, count: this.count, sorted: this.sorted };
  }

  /** The losses so far (a view, not a copy). */
  losses(): Float64Array {
    return this.loss.subarray(0, this.count);
  }

  /**
   * Index of the point nearest to `lr` on the log axis among those where `ys` is finite (the first of
   * two equally near), or -1.
   */
  nearest(lr: number, ys: Float64Array): number {
    const key = Math.log10(lr);
    const n = this.count;
    const distance = (i: number) => Math.abs(Math.log10(this.lr[i]!) - key);
    if (!this.sorted) {
      let best = -1;
      for (let i = 0; i < n; i++) if (Number.isFinite(ys[i]) && (best < 0 || distance(i) < distance(best))) best = i;
      return best;
    }
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.lr[mid]! < lr) lo = mid + 1;
      else hi = mid;
    }
    let left = lo - 1;
    while (left >= 0 && !Number.isFinite(ys[left])) left--;
    let right = lo;
    while (right < n && !Number.isFinite(ys[right])) right++;
    if (right >= n) return left;
    if (left < 0) return right;
    return distance(left) <= distance(right) ? left : right;
  }

  private matches(points: readonly StepPoint[]): boolean {
    for (let i = 0; i < this.count; i++) {
      const p = points[i]!;
      if (p.lr !== this.lr[i] || !same(lossOf(p), this.loss[i]!)) return false;
    }
    return true;
  }

  private reset(): void {
    this.count = 0;
    this.lrMin = Infinity;
    this.lrMax = -Infinity;
    this.sorted = true;
    this.analyzer = null;
    this.smoothCount = 0;
  }
}

const curves = new Map<string, RunCurve>();

/** The run's curve, brought up to date with its points. */
export function curveOf(run: RunSnapshot): RunCurve {
  let curve = curves.get(run.id);
  if (curve) curves.delete(run.id);
  else curve = new RunCurve();
  curves.set(run.id, curve);
  if (curves.size > KEPT_CURVES) curves.delete(curves.keys().next().value!);
  curve.sync(run.points);
  return curve;
}
