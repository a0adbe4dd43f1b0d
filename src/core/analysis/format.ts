/** Formatting of learning rates in analysis messages. */

/** A learning rate with two significant digits in exponent notation, e.g. `3.2e-3`; `—` when not finite. */
export function formatLr(lr: number): string {
  return Number.isFinite(lr) ? lr.toExponential(1) : '—';
}

/**
 * A learning rate rounded to two significant digits (`0.002813…` → `0.0028`): the number LR Scope
 * offers and writes into code, so what a lens or the panel shows (`formatLr`) is exactly what lands
 * in the file. Non-finite values are returned as they are.
 */
export function roundLr(lr: number): number {
  return Number.isFinite(lr) ? Number(lr.toPrecision(2)) : lr;
}
