/**
 * The registry of schedule flavors: the one ordered list that validation, compilation, the code generators,
 * the panel's form, the train quick pick, the settings and the CLI read. Adding a flavor is one module in
 * this folder (see flavor.ts for what it holds), one line in `MODULES` and one in `./code.ts`.
 */
import { cyclic } from './cyclic';
import { fastai } from './fastai';
import type { FlavorModule } from './flavor';
import type { ScheduleSpec } from '../spec';
import { optaxCosine } from './optax-cosine';
import { optaxLinear } from './optax-linear';
import { pytorch } from './pytorch';
import { smith } from './smith';

const MODULES = [pytorch, fastai, optaxCosine, optaxLinear, smith, cyclic] as const;

type Module = (typeof MODULES)[number];

/** Every flavor's name, e.g. `'pytorch'`, `'optax-linear'`, `'cyclic'`. */
export type FlavorId = Module['id'];
/** The spec of any flavor (every policy but `range` and `constant`). */
export type FlavorSpec = ReturnType<Module['validate']>;
/** A flavor's spec with every default filled. */
export type FullFlavorSpec = ReturnType<Module['withDefaults']>;
/** The full spec type of the flavor whose spec is `S`. */
export type FullOf<S extends FlavorSpec> = Module extends infer M ? (M extends FlavorModule<string, infer MS, infer F> ? (S extends MS ? F : never) : never) : never;

export type Flavor = FlavorModule<FlavorId, FlavorSpec, FullFlavorSpec>;

/** The flavors, in the order pickers list them. */
export const FLAVORS: readonly Flavor[] = MODULES;
/** Every flavor's name, in order. */
export const FLAVOR_IDS: readonly FlavorId[] = MODULES.map((m) => m.id);

export type OneCycleFlavor = Extract<Module, { policy: 'onecycle' }>['id'];
/** The one-cycle flavors (the spec's `flavor` of policy `onecycle`), in order. */
export const ONE_CYCLE_FLAVORS: readonly OneCycleFlavor[] = MODULES.flatMap((m) => (m.policy === 'onecycle' ? [m.id] : []));

/** The one-cycle flavor used when none is chosen (settings, `lrscope train --one-cycle`). */
export const DEFAULT_ONE_CYCLE_FLAVOR: OneCycleFlavor = pytorch.id;

const BY_ID: ReadonlyMap<string, Flavor> = new Map(FLAVORS.map((m) => [m.id, m]));

/** The flavor named `id`, or undefined. */
export function findFlavor(id: unknown): Flavor | undefined {
  return typeof id === 'string' ? BY_ID.get(id) : undefined;
}

/** The flavor named `id`; throws a RangeError naming the flavors when there is none. */
export function flavorById(id: string): Flavor {
  const flavor = BY_ID.get(id);
  if (!flavor) throw new RangeError(`no schedule flavor "${id}" (one of ${FLAVOR_IDS.join(', ')})`);
  return flavor;
}

/** The flavor a spec of any policy but `range` and `constant` belongs to. */
export function flavorOf(spec: FlavorSpec): Flavor {
  return flavorById(spec.policy === 'onecycle' ? spec.flavor : spec.policy);
}

/** Where a flavor's messages say the problem is: `onecycle/<flavor>`, or the policy itself. */
export function flavorWhere(flavor: Flavor): string {
  return flavor.policy === 'onecycle' ? `onecycle/${flavor.id}` : flavor.id;
}

/** Whether `spec`'s phases are fractions of its length, so a file's own step count can size it (the flavor's `relativeLength`). */
export function hasRelativeLength(spec: ScheduleSpec): boolean {
  return spec.policy !== 'range' && spec.policy !== 'constant' && flavorOf(spec).relativeLength;
}
