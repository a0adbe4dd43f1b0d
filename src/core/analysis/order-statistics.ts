/** Order statistics in linear time: the k-th smallest value and the median, without sorting. */

/**
 * The k-th smallest (0-based) of `a`, which it rearranges so that every value after index k is ≥ it and
 * every value before is ≤ it (Hoare's selection with a middle pivot: linear on average, and on sorted
 * or constant input). `a` must hold no NaN.
 */
export function selectKth(a: Float64Array, k: number): number {
  let l = 0;
  let r = a.length - 1;
  while (r > l) {
    const pivot = a[(l + r) >> 1];
    let i = l;
    let j = r;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) r = j;
    else if (k >= i) l = i;
    else break;
  }
  return a[k];
}

/**
 * The median of `a` (the mean of the two middle values for an even count; NaN when empty), which it
 * rearranges. Equal to reading the middle of `a` sorted by `Float64Array#sort`, NaN included (then it
 * does sort: NaN sorts last).
 */
export function medianOf(a: Float64Array): number {
  const n = a.length;
  if (n === 0) return NaN;
  const mid = n >> 1;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(a[i])) {
      a.sort();
      return n % 2 === 1 ? a[mid] : (a[mid - 1] + a[mid]) / 2;
    }
  }
  const upper = selectKth(a, mid);
  if (n % 2 === 1) return upper;
  let lower = -Infinity;
  for (let i = 0; i < mid; i++) if (a[i] > lower) lower = a[i];
  return (lower + upper) / 2;
}
