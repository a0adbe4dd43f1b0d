/**
 * Defaults of every optional spec field — each the default of the reference implementation
 * the flavor mirrors — and `withDefaults`, which fills them in so that no consumer (engine,
 * code generator) ever has to guess one.
 */
import type {
  ConstantSpec,
  CyclicSpec,
  OneCycleFastaiSpec,
  OneCycleOptaxSpec,
  OneCyclePytorchSpec,
  OneCycleSmithSpec,
  RangeSpec,
  ScheduleSpec,
} from './spec';

/** `T` with every optional field present, except the length-only fields in `Keep`. */
type Filled<T, Keep extends keyof T = never> = Required<Omit<T, Keep>> & Pick<T, Keep>;

export type FullRangeSpec = RangeSpec;
export type FullConstantSpec = ConstantSpec;
/** `steps` stays optional: it is a display length, not a parameter of the cycle. */
export type FullCyclicSpec = Filled<CyclicSpec, 'steps'>;
export type FullOneCyclePytorchSpec = Filled<OneCyclePytorchSpec>;
export type FullOneCycleFastaiSpec = Filled<OneCycleFastaiSpec>;
/** `pctFinal` is present exactly when the flavor is `optax-linear`. */
export type FullOneCycleOptaxSpec = Filled<OneCycleOptaxSpec, 'pctFinal'>;
export type FullOneCycleSmithSpec = Filled<OneCycleSmithSpec>;

export type FullScheduleSpec =
  | FullRangeSpec
  | FullConstantSpec
  | FullCyclicSpec
  | FullOneCyclePytorchSpec
  | FullOneCycleFastaiSpec
  | FullOneCycleOptaxSpec
  | FullOneCycleSmithSpec;

/** Maps a spec type to its fully specified counterpart. */
export type Full<S extends ScheduleSpec> = S extends CyclicSpec
  ? FullCyclicSpec
  : S extends OneCyclePytorchSpec
    ? FullOneCyclePytorchSpec
    : S extends OneCycleFastaiSpec
      ? FullOneCycleFastaiSpec
      : S extends OneCycleOptaxSpec
        ? FullOneCycleOptaxSpec
        : S extends OneCycleSmithSpec
          ? FullOneCycleSmithSpec
          : S;

/** PyTorch `CyclicLR` defaults (`stepSizeDown` defaults to `stepSizeUp`). */
export const CYCLIC_DEFAULTS = {
  mode: 'triangular',
  gamma: 1,
  cycleMomentum: true,
  baseMomentum: 0.8,
  maxMomentum: 0.9,
} as const;

/** PyTorch `OneCycleLR` defaults. */
export const ONECYCLE_PYTORCH_DEFAULTS = {
  pctStart: 0.3,
  annealStrategy: 'cos',
  divFactor: 25,
  finalDivFactor: 1e4,
  threePhase: false,
  cycleMomentum: true,
  baseMomentum: 0.85,
  maxMomentum: 0.95,
} as const;

/** fastai `fit_one_cycle` defaults (`moms` is `Learner`'s default). */
export const ONECYCLE_FASTAI_DEFAULTS = {
  pctStart: 0.25,
  div: 25,
  divFinal: 1e5,
  moms: [0.95, 0.85, 0.95] as const,
} as const;

/** optax `cosine_onecycle_schedule` / `linear_onecycle_schedule` defaults. */
export const ONECYCLE_OPTAX_DEFAULTS = {
  pctStart: 0.3,
  pctFinal: 0.85,
  divFactor: 25,
  finalDivFactor: 1e4,
} as const;

/** Smith's 1cycle: cyclical momentum 0.95 → 0.85 → 0.95 (Smith 2018, "A disciplined approach…"). */
export const ONECYCLE_SMITH_DEFAULTS = {
  momentum: { max: 0.95, min: 0.85 },
} as const;

/**
 * Returns a copy of `spec` with every optional field set to its default (the reference
 * implementation's). Does not validate — call `validateSpec` first on untrusted input.
 * Length-only fields (`steps` of `constant` and `cyclic`) stay absent when absent; `pctFinal`
 * is filled for `optax-linear` only.
 */
export function withDefaults<S extends ScheduleSpec>(spec: S): Full<S>;
export function withDefaults(spec: ScheduleSpec): FullScheduleSpec {
  switch (spec.policy) {
    case 'range':
      return { ...spec };
    case 'constant':
      return { ...spec };
    case 'cyclic':
      return {
        ...spec,
        mode: spec.mode ?? CYCLIC_DEFAULTS.mode,
        stepSizeDown: spec.stepSizeDown ?? spec.stepSizeUp,
        gamma: spec.gamma ?? CYCLIC_DEFAULTS.gamma,
        cycleMomentum: spec.cycleMomentum ?? CYCLIC_DEFAULTS.cycleMomentum,
        baseMomentum: spec.baseMomentum ?? CYCLIC_DEFAULTS.baseMomentum,
        maxMomentum: spec.maxMomentum ?? CYCLIC_DEFAULTS.maxMomentum,
      };
    case 'onecycle':
      switch (spec.flavor) {
        case 'pytorch': {
          const d = ONECYCLE_PYTORCH_DEFAULTS;
          return {
            ...spec,
            pctStart: spec.pctStart ?? d.pctStart,
            annealStrategy: spec.annealStrategy ?? d.annealStrategy,
            divFactor: spec.divFactor ?? d.divFactor,
            finalDivFactor: spec.finalDivFactor ?? d.finalDivFactor,
            threePhase: spec.threePhase ?? d.threePhase,
            cycleMomentum: spec.cycleMomentum ?? d.cycleMomentum,
            baseMomentum: spec.baseMomentum ?? d.baseMomentum,
            maxMomentum: spec.maxMomentum ?? d.maxMomentum,
          };
        }
        case 'fastai': {
          const d = ONECYCLE_FASTAI_DEFAULTS;
          const moms = spec.moms ?? d.moms;
          return {
            ...spec,
            pctStart: spec.pctStart ?? d.pctStart,
            div: spec.div ?? d.div,
            divFinal: spec.divFinal ?? d.divFinal,
            moms: [moms[0], moms[1], moms[2]],
          };
        }
        case 'optax-cosine':
        case 'optax-linear': {
          const d = ONECYCLE_OPTAX_DEFAULTS;
          const full: FullOneCycleOptaxSpec = {
            ...spec,
            pctStart: spec.pctStart ?? d.pctStart,
            divFactor: spec.divFactor ?? d.divFactor,
            finalDivFactor: spec.finalDivFactor ?? d.finalDivFactor,
          };
          if (spec.flavor === 'optax-linear') full.pctFinal = spec.pctFinal ?? d.pctFinal;
          return full;
        }
        case 'smith': {
          const m = spec.momentum ?? ONECYCLE_SMITH_DEFAULTS.momentum;
          return { ...spec, momentum: { max: m.max, min: m.min } };
        }
      }
  }
}
