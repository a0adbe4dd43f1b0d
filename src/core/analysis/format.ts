/** Formatting of learning rates in analysis messages. */

/** A learning rate with two significant digits in exponent notation, e.g. `3.2e-3`; `—` when not finite. */
export function formatLr(lr: number): string {
  return Number.isFinite(lr) ? lr.toExponential(1) : '—';
}
