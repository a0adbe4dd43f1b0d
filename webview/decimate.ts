/**
 * Min-max decimation for curves against a log-scaled x axis (chart.js's own decimation plugin only
 * handles linear and time axes): per pixel column, keep the lowest and the highest point in their
 * order, so the drawn envelope is the same as with every point, and chart.js draws at most
 * 2 points per pixel however long the run.
 */
import type { XY } from './charts/series-chart';

/** True when x never decreases (a decimated or `normalized` chart.js line needs it). */
export function isSortedByX(points: readonly XY[]): boolean {
  for (let i = 1; i < points.length; i++) if (points[i]!.x < points[i - 1]!.x) return false;
  return true;
}

/**
 * `points` (sorted by x > 0) reduced to ≤ 2 per column of `columns` equal columns in log10(x)
 * (plus a NaN point per column holding a non-finite y, so gaps stay gaps). Returns `points`
 * itself when it is already short enough or not sorted.
 */
export function decimateLogX(points: readonly XY[], columns: number): readonly XY[] {
  const n = points.length;
  if (n <= 2 * columns || columns < 1 || !isSortedByX(points)) return points;
  const lo = Math.log10(points[0]!.x);
  const hi = Math.log10(points[n - 1]!.x);
  const width = (hi - lo) / columns || 1;
  const out: XY[] = [];
  let column = -1;
  let min: XY | null = null;
  let max: XY | null = null;
  let gap: XY | null = null;
  const emit = () => {
    if (min && max) {
      if (min === max) out.push(min);
      else if (min.x <= max.x) out.push(min, max);
      else out.push(max, min);
    }
    if (gap) out.push(gap);
    min = max = gap = null;
  };
  for (const p of points) {
    const c = Math.min(columns - 1, Math.floor((Math.log10(p.x) - lo) / width));
    if (c !== column) {
      emit();
      column = c;
    }
    if (!Number.isFinite(p.y)) {
      gap ??= { x: p.x, y: NaN };
      continue;
    }
    if (!min || p.y < min.y) min = p;
    if (!max || p.y > max.y) max = p;
  }
  emit();
  return out;
}
