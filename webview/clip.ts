/**
 * The y range of a range-test plot. Unclipped: every finite loss. Clipped: early spikes and the
 * divergence at the end must not flatten the interesting part, so the top is set from where the
 * curve starts (the smoothed loss over the first points, robust to single spikes) rather than
 * from the largest loss seen. Linear in the number of points (quantiles by selection, not sorting),
 * so it stays cheap on a million points.
 */
import { selectKth } from './core';

export interface YRange {
  min: number;
  max: number;
}

/** The finite values of `values[from, to)`, in a new array. */
function finite(values: ArrayLike<number>, from = 0, to = values.length): Float64Array {
  const out = new Float64Array(Math.max(0, to - from));
  let n = 0;
  for (let i = from; i < to; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) out[n++] = v;
  }
  return out.subarray(0, n);
}

/** Quantile q ∈ [0, 1] of `a`, finite values only (which it rearranges; linear interpolation); NaN when empty. */
function quantileOf(a: Float64Array, q: number): number {
  if (a.length === 0) return NaN;
  const pos = (a.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const below = selectKth(a, lo);
  if (pos === lo) return below;
  let above = Infinity;
  for (let i = lo + 1; i < a.length; i++) if (a[i]! < above) above = a[i]!;
  return below + (above - below) * (pos - lo);
}

/** Quantile q ∈ [0, 1] of finite values (linear interpolation); NaN when there are none. */
export function quantile(values: ArrayLike<number>, q: number): number {
  return quantileOf(finite(values), q);
}

/**
 * The y range to show. `raw` and `smoothed` are the plotted losses (non-finite values ignored).
 * With `clip`, the top is set from where the curve starts: the median of the first tenth of the
 * raw losses (at least 5; the smoothed ones when no raw are given), which a spike cannot move,
 * plus a quarter of the drop below it. A curve that barely drops, or has its minimum within
 * that first tenth (flat, or rising from the start), is clipped at the 95 % quantile instead. Never above the largest value; 5 % margin below.
 * Returns null when nothing is finite.
 */
export function yRange(raw: ArrayLike<number>, smoothed: ArrayLike<number>, clip: boolean): YRange | null {
  let lo = Infinity;
  let hi = -Infinity;
  let rawFinite = false;
  for (const values of [raw, smoothed]) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      if (values === raw) rawFinite = true;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo > hi) return null;
  if (clip) {
    const base = rawFinite ? raw : smoothed;
    const headLength = Math.max(5, Math.ceil(base.length / 10));
    const start = quantileOf(finite(base, 0, Math.min(headLength, base.length)), 0.5);
    let minIndex = -1;
    for (let i = 0; i < base.length; i++) {
      const v = base[i]!;
      if (Number.isFinite(v) && (minIndex < 0 || v < base[minIndex]!)) minIndex = i;
    }
    if (Number.isFinite(start)) {
      const drop = start - lo;
      const descends = minIndex >= headLength && drop > 0.02 * Math.abs(start);
      if (descends) hi = Math.min(hi, start + 0.25 * drop);
      else {
        const all = new Float64Array(raw.length + smoothed.length);
        const a = finite(raw);
        const b = finite(smoothed);
        all.set(a);
        all.set(b, a.length);
        hi = Math.min(hi, quantileOf(all.subarray(0, a.length + b.length), 0.95));
      }
    }
  }
  if (hi <= lo) {
    const pad = Math.abs(lo) * 0.05 || 1;
    return { min: lo - pad, max: hi + pad };
  }
  return { min: lo - 0.05 * (hi - lo), max: hi };
}
