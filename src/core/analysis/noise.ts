/**
 * Batch-to-batch noise of a raw loss curve: a robust σ of white noise on top of a smooth trend. Second
 * differences cancel the trend (to first order) and turn noise of σ into noise of σ·√6; the MAD, scaled
 * by 1.4826, estimates that σ·√6 robustly: σ = 1.4826·MAD(Δ²loss)/√6.
 *
 * `noiseSigma` computes it over an array; `RunningNoise` gives the same number for a series that grows
 * one loss at a time, keeping the second differences sorted (a batch of new ones is merged in) so the
 * median is read off and the MAD is found by a binary search, without sorting everything again.
 */

const MAD_SCALE = 1.4826;

function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort(); // typed arrays sort numerically
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The robust σ described in the module comment; 0 for fewer than 3 losses. */
export function noiseSigma(raw: readonly number[]): number {
  if (raw.length < 3) return 0;
  const d2: number[] = [];
  for (let i = 1; i + 1 < raw.length; i++) d2.push(raw[i + 1] - 2 * raw[i] + raw[i - 1]);
  const m = median(d2);
  return (MAD_SCALE * median(d2.map((d) => Math.abs(d - m)))) / Math.sqrt(6);
}

/**
 * The k-th smallest (0-based) of the union of two ascending sequences, read through accessors, in
 * O(log(na + nb)): take i values from `a` and k + 1 − i from `b`, with i found by bisection.
 */
function kthOfTwo(a: (i: number) => number, na: number, b: (j: number) => number, nb: number, k: number): number {
  let lo = Math.max(0, k + 1 - nb);
  let hi = Math.min(k + 1, na);
  while (lo < hi) {
    const i = (lo + hi) >> 1;
    if (a(i) < b(k - i)) lo = i + 1;
    else hi = i;
  }
  const j = k + 1 - lo;
  return Math.max(lo > 0 ? a(lo - 1) : -Infinity, j > 0 ? b(j - 1) : -Infinity);
}

/** `noiseSigma` of a series fed one raw loss at a time (see the module comment). */
export class RunningNoise {
  private sorted = new Float64Array(0);
  private size = 0;
  private pending: number[] = [];
  private nonFinite = 0;
  private count = 0;
  private prev1 = 0;
  private prev2 = 0;

  /** Adds the next raw loss. */
  push(raw: number): void {
    this.count += 1;
    if (this.count >= 3) {
      const d2 = raw - 2 * this.prev1 + this.prev2;
      if (Number.isFinite(d2)) this.pending.push(d2);
      else this.nonFinite += 1;
    }
    this.prev2 = this.prev1;
    this.prev1 = raw;
  }

  /**
   * True while every second difference is finite. Otherwise `sigma()` is not defined here (the sorted
   * order of NaN is the batch function's business): use `noiseSigma` on the losses instead.
   */
  get exact(): boolean {
    return this.nonFinite === 0;
  }

  /** `noiseSigma` of the losses pushed so far (when `exact`). */
  sigma(): number {
    if (this.count < 3) return 0;
    this.merge();
    const s = this.sorted;
    const n = this.size;
    const mid = n >> 1;
    const m = n % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
    // |d − m| ascending: leftwards from the first d ≥ m, and rightwards from it.
    let p = 0;
    let hi = n;
    while (p < hi) {
      const c = (p + hi) >> 1;
      if (s[c] < m) p = c + 1;
      else hi = c;
    }
    const left = (i: number) => Math.abs(s[p - 1 - i] - m);
    const right = (j: number) => Math.abs(s[p + j] - m);
    const kth = (k: number) => kthOfTwo(left, p, right, n - p, k);
    const mad = n % 2 === 1 ? kth(mid) : (kth(mid - 1) + kth(mid)) / 2;
    return (MAD_SCALE * mad) / Math.sqrt(6);
  }

  /** Merges the pending second differences into the sorted ones. */
  private merge(): void {
    const k = this.pending.length;
    if (k === 0) return;
    const add = Float64Array.from(this.pending).sort();
    this.pending = [];
    const n = this.size;
    let target = this.sorted;
    if (n + k > target.length) target = new Float64Array(Math.max(2 * target.length, n + k, 64));
    // Merge from the back, so merging in place never overwrites an unread value.
    let i = n - 1;
    let j = k - 1;
    for (let w = n + k - 1; w >= 0; w--) {
      if (j < 0 || (i >= 0 && this.sorted[i] > add[j])) target[w] = this.sorted[i--];
      else target[w] = add[j--];
    }
    this.sorted = target;
    this.size = n + k;
  }
}
