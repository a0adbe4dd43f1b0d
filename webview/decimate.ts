/**
 * Shape-keeping decimation, before chart.js sees a curve: per pixel column of the plot, the first, the
 * lowest, the highest and the last point, in their order (M4: Jugel et al., "M4: A Visualization-Oriented
 * Time Series Data Aggregation", VLDB 2014). A line through them covers the same pixels in every column
 * as the line through all the points, so every dip (each local minimum is at or above its column's
 * lowest point, which is kept), every spike and the divergence look as they do undecimated, and chart.js
 * draws at most 4 points per column however long the run. Columns are equal steps of the axis' own
 * coordinate (log10(lr) on the range-test plots; chart.js's decimation handles only linear axes).
 *
 * Points named in `keep` (the stop point, the suggestions' markers) are always kept. A non-finite y
 * breaks the line there: the column's points so far are emitted, then a NaN point, then the column's
 * points after it (a second break in the same column is not drawn: it would be under a pixel wide).
 * The raw points are untouched: picking and export read them, not this.
 */
import type { XY } from './charts/series-chart';

/** True when x never decreases (a decimated or `normalized` chart.js line needs it). */
export function isSortedByX(points: readonly XY[]): boolean {
  for (let i = 1; i < points.length; i++) if (points[i]!.x < points[i - 1]!.x) return false;
  return true;
}

/**
 * Pixel columns of a plot: column c holds the x in [edges[c], edges[c + 1]) (x below edges[1] is in
 * column 0, x from edges[columns − 1] on in the last one). Edges in x itself, so assigning a point
 * to its column takes comparisons, not a logarithm per point.
 */
export interface ColumnGrid {
  columns: number;
  /** `columns + 1` increasing x values. */
  edges: Float64Array;
}

/** `columns` columns of equal width in log10(x) from `min` to `max` (both > 0). */
export function logGrid(min: number, max: number, columns: number): ColumnGrid {
  const n = Math.max(1, Math.floor(columns));
  const lo = Math.log10(min);
  const width = (Math.log10(max) - lo) / n;
  const edges = Float64Array.from({ length: n + 1 }, (_, c) => 10 ** (lo + c * width));
  return { columns: n, edges };
}

/** The column of `x` in `grid`. */
export function columnOf(grid: ColumnGrid, x: number): number {
  let lo = 0;
  let hi = grid.columns - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (grid.edges[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A curve as typed columns (one element type keeps the loops fast): point i is (xs[i], ys[i]), i < count. */
export interface CurveColumns {
  xs: Float64Array;
  ys: Float64Array;
  count: number;
  /** True when x never decreases; an unsorted curve (a restarted log) is returned whole. */
  sorted: boolean;
}

/** Appends point i of the curve (a non-finite y as NaN: a break in the line). */
function pushPoint(out: XY[], xs: Float64Array, ys: Float64Array, i: number): void {
  const y = ys[i]!;
  out.push({ x: xs[i]!, y: Number.isFinite(y) ? y : NaN });
}

/** Appends a column's points [first, min, max, last, ...extra] in index order, each once. */
function pushGroup(out: XY[], xs: Float64Array, ys: Float64Array, first: number, min: number, max: number, last: number, extra: number[]): void {
  const idx = extra.length ? [first, min, max, last, ...extra] : [first, min, max, last];
  idx.sort((a, b) => a - b);
  for (let j = 0; j < idx.length; j++) if (j === 0 || idx[j] !== idx[j - 1]) pushPoint(out, xs, ys, idx[j]!);
}

/**
 * The points of `curve` to draw on `grid` (see the module comment), in order; every point when the
 * curve is short (≤ 4 per column) or unsorted. `keep`: indices to keep whatever their column holds.
 */
export function decimateCurve(curve: CurveColumns, grid: ColumnGrid, keep: readonly number[] = []): XY[] {
  const { xs, ys, count } = curve;
  const out: XY[] = [];
  if (count <= 4 * grid.columns || !curve.sorted) {
    for (let i = 0; i < count; i++) pushPoint(out, xs, ys, i);
    return out;
  }
  const kept = [...new Set(keep)].filter((i) => i >= 0 && i < count).sort((a, b) => a - b);
  const edges = grid.edges;
  const lastColumn = grid.columns - 1;
  const extra: number[] = [];
  let column = -1;
  let broken = false;
  let first = -1;
  let last = -1;
  let min = -1;
  let max = -1;
  let minY = 0;
  let maxY = 0;
  let k = 0;
  let nextKept = kept.length ? kept[0]! : -1;
  let c = 0;
  let nextEdge = lastColumn > 0 ? edges[1]! : Infinity;
  for (let i = 0; i < count; i++) {
    const x = xs[i]!;
    if (x >= nextEdge) {
      // x never decreases: walk right to its column.
      while (c < lastColumn && x >= edges[c + 1]!) c++;
      nextEdge = c < lastColumn ? edges[c + 1]! : Infinity;
    }
    if (c !== column) {
      if (first >= 0) pushGroup(out, xs, ys, first, min, max, last, extra);
      first = -1;
      extra.length = 0;
      column = c;
      broken = false;
    }
    const isKept = i === nextKept;
    if (isKept) nextKept = ++k < kept.length ? kept[k]! : -1;
    const y = ys[i]!;
    if (!Number.isFinite(y)) {
      if (!broken) {
        if (first >= 0) pushGroup(out, xs, ys, first, min, max, last, extra);
        first = -1;
        extra.length = 0;
        out.push({ x: xs[i]!, y: NaN });
        broken = true;
      }
      continue;
    }
    if (first < 0) {
      first = min = max = i;
      minY = maxY = y;
    } else if (y < minY) {
      min = i;
      minY = y;
    } else if (y > maxY) {
      max = i;
      maxY = y;
    }
    last = i;
    if (isKept) extra.push(i);
  }
  if (first >= 0) pushGroup(out, xs, ys, first, min, max, last, extra);
  return out;
}
