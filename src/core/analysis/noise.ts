/**
 * Batch-to-batch noise of a raw loss curve: a robust σ of white noise on top of a smooth trend. Second
 * differences cancel the trend (to first order) and turn noise of σ into noise of σ·√6; the MAD, scaled
 * by 1.4826, estimates that σ·√6 robustly: σ = 1.4826·MAD(Δ²loss)/√6.
 *
 * `noiseSigma` computes it over an array; `RunningNoise` keeps the second differences of a series that
 * grows one loss at a time, so each reading costs two linear-time selections and no pass over the losses.
 */
import { medianOf } from './order-statistics';

const MAD_SCALE = 1.4826;

/** σ from the second differences `d2` (which it rearranges); `deviations` is scratch of the same length. */
function sigmaOf(d2: Float64Array, deviations: Float64Array): number {
  const m = medianOf(d2);
  for (let i = 0; i < d2.length; i++) deviations[i] = Math.abs(d2[i] - m);
  return (MAD_SCALE * medianOf(deviations)) / Math.sqrt(6);
}

/** The robust σ described in the module comment; 0 for fewer than 3 losses. */
export function noiseSigma(raw: readonly number[]): number {
  if (raw.length < 3) return 0;
  const d2 = new Float64Array(raw.length - 2);
  for (let i = 1; i + 1 < raw.length; i++) d2[i - 1] = raw[i + 1] - 2 * raw[i] + raw[i - 1];
  return sigmaOf(d2, new Float64Array(d2.length));
}

/** `noiseSigma` of a series fed one raw loss at a time. */
export class RunningNoise {
  private d2 = new Float64Array(0);
  private deviations = new Float64Array(0);
  private size = 0;
  private count = 0;
  private prev1 = 0;
  private prev2 = 0;

  /** Adds the next raw loss. */
  push(raw: number): void {
    this.count += 1;
    if (this.count >= 3) {
      if (this.size === this.d2.length) {
        const grown = new Float64Array(Math.max(256, 2 * this.size));
        grown.set(this.d2);
        this.d2 = grown;
      }
      this.d2[this.size++] = raw - 2 * this.prev1 + this.prev2;
    }
    this.prev2 = this.prev1;
    this.prev1 = raw;
  }

  /** `noiseSigma` of the losses pushed so far. */
  sigma(): number {
    if (this.count < 3) return 0;
    // The order of the stored differences does not matter: selecting may rearrange them.
    if (this.deviations.length < this.size) this.deviations = new Float64Array(this.d2.length);
    return sigmaOf(this.d2.subarray(0, this.size), this.deviations.subarray(0, this.size));
  }
}
