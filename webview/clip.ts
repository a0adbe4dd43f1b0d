/**
 * The y range of a range-test plot. Unclipped: every finite loss. Clipped: early spikes and the
 * divergence at the end must not flatten the interesting part, so the top is set from where the
 * curve starts (the smoothed loss over the first points, robust to single spikes) rather than
 * from the largest loss seen.
 */

export interface YRange {
  min: number;
  max: number;
}

/** Quantile q ∈ [0, 1] of finite values (linear interpolation); NaN when there are none. */
export function quantile(values: readonly number[], q: number): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const pos = (v.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo]! + (v[hi]! - v[lo]!) * (pos - lo);
}

/**
 * The y range to show. `raw` and `smoothed` are the plotted losses (non-finite values ignored).
 * With `clip`, the top is set from where the curve starts: the median of the first tenth of the
 * raw losses (at least 5; the smoothed ones when no raw are given), which a spike cannot move,
 * plus a quarter of the drop below it. A curve that barely drops, or has its minimum within
 * that first tenth (flat, or rising from the start), is clipped at the 95 % quantile instead. Never above the largest value; 5 % margin below.
 * Returns null when nothing is finite.
 */
export function yRange(raw: readonly number[], smoothed: readonly number[], clip: boolean): YRange | null {
  const all = [...raw, ...smoothed].filter(Number.isFinite);
  if (all.length === 0) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of all) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (clip) {
    const base = raw.some(Number.isFinite) ? raw : smoothed;
    const headLength = Math.max(5, Math.ceil(base.length / 10));
    const start = quantile(base.slice(0, headLength), 0.5);
    let minIndex = -1;
    base.forEach((v, i) => {
      if (Number.isFinite(v) && (minIndex < 0 || v < base[minIndex]!)) minIndex = i;
    });
    if (Number.isFinite(start)) {
      const drop = start - lo;
      const descends = minIndex >= headLength && drop > 0.02 * Math.abs(start);
      hi = Math.min(hi, descends ? start + 0.25 * drop : quantile(all, 0.95));
    }
  }
  if (hi <= lo) {
    const pad = Math.abs(lo) * 0.05 || 1;
    return { min: lo - pad, max: hi + pad };
  }
  return { min: lo - 0.05 * (hi - lo), max: hi };
}
