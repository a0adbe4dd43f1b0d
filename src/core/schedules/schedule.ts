/** What a compiled schedule is: a pure `step -> value` function pair plus its length. */

/** A step-indexed function: `f(i)` is the value for the i-th optimizer update (i = 0, 1, …). */
export type StepFn = (i: number) => number;

export interface Schedule {
  /** Number of optimizer updates the schedule is meant for; null when it is unbounded (cyclic, constant without `steps`). */
  length: number | null;
  /** LR of the i-th optimizer update, i = 0 … length−1. Pure; allocates nothing per call. */
  lr: StepFn;
  /** Momentum (or Adam's beta1) of the i-th update; null when the flavor does not cycle momentum. */
  momentum: StepFn | null;
}

/**
 * Evaluates `f` on [0, length−1] and holds the end values outside it: `i < 0` gives `f(0)`,
 * `i ≥ length` gives `f(length−1)`. This is how every bounded flavor behaves past its end
 * (optax excepted, which defines its own tail).
 */
export function clampToLength(f: StepFn, length: number): StepFn {
  const last = length - 1;
  return (i) => f(i <= 0 ? 0 : i >= last ? last : i);
}
