/**
 * Smallest and largest of many numbers without spreading them into `Math.min(...xs)` (a spread
 * call puts every element on the stack: past ~120k elements it throws "Maximum call stack size
 * exceeded"). Same results as `Math.min`/`Math.max`: ±Infinity for none, NaN if any is NaN.
 */

export function minOf(xs: ArrayLike<number>): number {
  let m = Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    if (Number.isNaN(x)) return NaN;
    if (x < m) m = x;
  }
  return m;
}

export function maxOf(xs: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    if (Number.isNaN(x)) return NaN;
    if (x > m) m = x;
  }
  return m;
}
