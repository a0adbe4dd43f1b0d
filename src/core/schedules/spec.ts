/**
 * The schedule spec: one JSON shape that drives the engine, the plot preview, the CLI,
 * the run record and code generation (see DESIGN.md, "Schedule spec", and docs/schedules.md).
 *
 * `value[i]` is the value used for the i-th optimizer update, i = 0 … N−1.
 * Optional fields take the defaults of the reference implementation each flavor mirrors
 * (written out by `withDefaults`); `validateSpec` checks untrusted input against these types.
 * All learning rates are finite and > 0; momentums in [0, 1); `pct…` fractions in (0, 1).
 */

/** LR range test ramp, as pytorch-lr-finder: lr_i = start·(end/start)^(i/(steps−1)) (exp) or linear; last = endLr. */
export interface RangeSpec {
  policy: 'range';
  mode: 'exp' | 'linear';
  startLr: number;
  /** > startLr. */
  endLr: number;
  /** Number of steps, ≥ 2. */
  steps: number;
}

export interface ConstantSpec {
  policy: 'constant';
  lr: number;
  /** Length of the schedule when one is needed (CLI table, preview). */
  steps?: number;
}

/** PyTorch `CyclicLR`. */
export interface CyclicSpec {
  policy: 'cyclic';
  /** Default 'triangular'. */
  mode?: 'triangular' | 'triangular2' | 'exp_range';
  baseLr: number;
  /** > baseLr. */
  maxLr: number;
  /** Steps from baseLr up to maxLr, integer ≥ 1. */
  stepSizeUp: number;
  /** Steps back down, integer ≥ 1; default stepSizeUp. */
  stepSizeDown?: number;
  /** exp_range: amplitude scaled by gamma^i; in (0, 1], default 1. */
  gamma?: number;
  /** Default true: momentum goes maxMomentum → baseMomentum while the LR goes baseLr → maxLr. */
  cycleMomentum?: boolean;
  /** Default 0.8. */
  baseMomentum?: number;
  /** Default 0.9, ≥ baseMomentum. */
  maxMomentum?: number;
  /** Length of the schedule when one is needed; the cycle itself is unbounded. */
  steps?: number;
}

/** PyTorch `OneCycleLR`. */
export interface OneCyclePytorchSpec {
  policy: 'onecycle';
  flavor: 'pytorch';
  maxLr: number;
  /** ≥ 2. */
  totalSteps: number;
  /** Default 0.3; the warm-up ends at step pctStart·totalSteps − 1, which must be > 0. */
  pctStart?: number;
  /** Default 'cos'. */
  annealStrategy?: 'cos' | 'linear';
  /** initial LR = maxLr/divFactor; default 25, > 1. */
  divFactor?: number;
  /** final LR = initial/finalDivFactor; default 1e4, ≥ 1. */
  finalDivFactor?: number;
  /** Default false (two phases). */
  threePhase?: boolean;
  /** Default true. */
  cycleMomentum?: boolean;
  /** Default 0.85. */
  baseMomentum?: number;
  /** Default 0.95. */
  maxMomentum?: number;
}

/** fastai `fit_one_cycle` (pos = i / totalSteps). */
export interface OneCycleFastaiSpec {
  policy: 'onecycle';
  flavor: 'fastai';
  lrMax: number;
  /** ≥ 2 (epochs × batches per epoch). */
  totalSteps: number;
  /** Default 0.25. */
  pctStart?: number;
  /** Start LR = lrMax/div; default 25, > 1. */
  div?: number;
  /** End LR = lrMax/divFinal; default 1e5, ≥ 1. */
  divFinal?: number;
  /** [start, middle, end] momentums; default [0.95, 0.85, 0.95]. */
  moms?: [number, number, number];
}

/** optax `cosine_onecycle_schedule` / `linear_onecycle_schedule` at count = i. */
export interface OneCycleOptaxSpec {
  policy: 'onecycle';
  flavor: 'optax-cosine' | 'optax-linear';
  peakValue: number;
  /** ≥ 2; the final value is reached at count transitionSteps (one past the schedule) and held. */
  transitionSteps: number;
  /** Default 0.3; the peak is at step int(pctStart·transitionSteps) ≥ 1. */
  pctStart?: number;
  /** optax-linear only (an error on optax-cosine). Default 0.85. */
  pctFinal?: number;
  /** Default 25, > 1. */
  divFactor?: number;
  /** Default 1e4, ≥ 1. */
  finalDivFactor?: number;
}

/** Leslie Smith's 1cycle: three linear phases, the last one annihilating below minLr. */
export interface OneCycleSmithSpec {
  policy: 'onecycle';
  flavor: 'smith';
  minLr: number;
  /** > minLr; reached exactly at step stepSize. */
  maxLr: number;
  /** Integer ≥ 1 with 2·stepSize < totalSteps − 1. */
  stepSize: number;
  totalSteps: number;
  /** ≤ minLr; reached exactly at the last step totalSteps − 1. */
  finalLr: number;
  /** Cycled max → min → max, then max; default {max: 0.95, min: 0.85}. */
  momentum?: { max: number; min: number };
}

export type OneCycleSpec = OneCyclePytorchSpec | OneCycleFastaiSpec | OneCycleOptaxSpec | OneCycleSmithSpec;
export type ScheduleSpec = RangeSpec | ConstantSpec | CyclicSpec | OneCycleSpec;
export type OneCycleFlavor = OneCycleSpec['flavor'];
export const ONE_CYCLE_FLAVORS: readonly OneCycleFlavor[] = ['pytorch', 'fastai', 'optax-cosine', 'optax-linear', 'smith'];
