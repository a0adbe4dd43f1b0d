/**
 * The schedule spec: one JSON shape that drives the engine, the plot preview, the CLI,
 * the run record and code generation (see DESIGN.md, "Schedule spec", and docs/schedules.md).
 * The range test's ramp and a constant LR are here; every other policy is a flavor, whose spec
 * type lives in its module under `flavors/` (the registry, `flavors/index.ts`, lists them).
 *
 * `value[i]` is the value used for the i-th optimizer update, i = 0 … N−1.
 * Optional fields take the defaults of the reference implementation each flavor mirrors
 * (written out by `withDefaults`); `validateSpec` checks untrusted input against these types.
 * All learning rates are finite and > 0; momentums in [0, 1); `pct…` fractions in (0, 1).
 */
import type { FlavorSpec } from './flavors/index';

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

export type { CyclicSpec } from './flavors/cyclic';
export type { OneCyclePytorchSpec } from './flavors/pytorch';
export type { OneCycleFastaiSpec } from './flavors/fastai';
export type { OneCycleOptaxSpec, OneCycleOptaxCosineSpec, OneCycleOptaxLinearSpec } from './flavors/optax-onecycle';
export type { OneCycleSmithSpec } from './flavors/smith';
export type { FlavorId, FlavorSpec, OneCycleFlavor } from './flavors/index';
export { DEFAULT_ONE_CYCLE_FLAVOR, FLAVOR_IDS, ONE_CYCLE_FLAVORS } from './flavors/index';

export type OneCycleSpec = Extract<FlavorSpec, { policy: 'onecycle' }>;
export type ScheduleSpec = RangeSpec | ConstantSpec | FlavorSpec;
