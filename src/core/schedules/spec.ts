/**
 * The schedule spec: one JSON shape that drives the engine, the plot preview, the CLI,
 * the run record and code generation (see DESIGN.md, "Schedule spec").
 *
 * `value[i]` is the value used for the i-th optimizer update, i = 0 … N−1.
 * Optional fields take the defaults of the reference implementation each flavor mirrors.
 */

export interface RangeSpec {
  policy: 'range';
  mode: 'exp' | 'linear';
  startLr: number;
  endLr: number;
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
  mode?: 'triangular' | 'triangular2' | 'exp_range';
  baseLr: number;
  maxLr: number;
  stepSizeUp: number;
  stepSizeDown?: number;
  gamma?: number;
  cycleMomentum?: boolean;
  baseMomentum?: number;
  maxMomentum?: number;
  /** Length of the schedule when one is needed; the cycle itself is unbounded. */
  steps?: number;
}

/** PyTorch `OneCycleLR`. */
export interface OneCyclePytorchSpec {
  policy: 'onecycle';
  flavor: 'pytorch';
  maxLr: number;
  totalSteps: number;
  pctStart?: number;
  annealStrategy?: 'cos' | 'linear';
  divFactor?: number;
  finalDivFactor?: number;
  threePhase?: boolean;
  cycleMomentum?: boolean;
  baseMomentum?: number;
  maxMomentum?: number;
}

/** fastai `fit_one_cycle` (pos = i / totalSteps). */
export interface OneCycleFastaiSpec {
  policy: 'onecycle';
  flavor: 'fastai';
  lrMax: number;
  totalSteps: number;
  pctStart?: number;
  div?: number;
  divFinal?: number;
  moms?: [number, number, number];
}

/** optax `cosine_onecycle_schedule` / `linear_onecycle_schedule` at count = i. */
export interface OneCycleOptaxSpec {
  policy: 'onecycle';
  flavor: 'optax-cosine' | 'optax-linear';
  peakValue: number;
  transitionSteps: number;
  pctStart?: number;
  /** optax-linear only. */
  pctFinal?: number;
  divFactor?: number;
  finalDivFactor?: number;
}

/** Leslie Smith's 1cycle: three linear phases, the last one annihilating below minLr. */
export interface OneCycleSmithSpec {
  policy: 'onecycle';
  flavor: 'smith';
  minLr: number;
  maxLr: number;
  stepSize: number;
  totalSteps: number;
  finalLr: number;
  momentum?: { max: number; min: number };
}

export type OneCycleSpec = OneCyclePytorchSpec | OneCycleFastaiSpec | OneCycleOptaxSpec | OneCycleSmithSpec;
export type ScheduleSpec = RangeSpec | ConstantSpec | CyclicSpec | OneCycleSpec;
export type OneCycleFlavor = OneCycleSpec['flavor'];
export const ONE_CYCLE_FLAVORS: readonly OneCycleFlavor[] = ['pytorch', 'fastai', 'optax-cosine', 'optax-linear', 'smith'];
