/**
 * `withDefaults`, which fills in every optional spec field — each the default of the reference
 * implementation the flavor mirrors (held by the flavor's module) — so that no consumer (engine,
 * code generator) ever has to guess one.
 */
import { flavorOf, type FlavorSpec, type FullFlavorSpec, type FullOf } from './flavors/index';
import type { ConstantSpec, RangeSpec, ScheduleSpec } from './spec';

export type FullRangeSpec = RangeSpec;
export type FullConstantSpec = ConstantSpec;
export type FullScheduleSpec = FullRangeSpec | FullConstantSpec | FullFlavorSpec;

/** Maps a spec type to its fully specified counterpart. */
export type Full<S extends ScheduleSpec> = S extends FlavorSpec ? FullOf<S> : S;

export type { FullCyclicSpec } from './flavors/cyclic';
export type { FullOneCyclePytorchSpec } from './flavors/pytorch';
export type { FullOneCycleFastaiSpec } from './flavors/fastai';
export type { FullOneCycleOptaxSpec } from './flavors/optax-onecycle';
export type { FullOneCycleSmithSpec } from './flavors/smith';

/**
 * Returns a copy of `spec` with every optional field set to its default (the reference
 * implementation's). Does not validate — call `validateSpec` first on untrusted input.
 * Length-only fields (`steps` of `constant` and `cyclic`) stay absent when absent; a field
 * only some variants of a flavor have stays absent from the others.
 */
export function withDefaults<S extends ScheduleSpec>(spec: S): Full<S>;
export function withDefaults(spec: ScheduleSpec): FullScheduleSpec {
  switch (spec.policy) {
    case 'range':
    case 'constant':
      return { ...spec };
    default:
      return flavorOf(spec).withDefaults(spec);
  }
}
