/**
 * Each registered flavor's code (its `FlavorCode`: Python and TS/JS emitters, equal framework calls), joined
 * to the registry (`./index.ts`) by id: a flavor of the registry without its code here fails type checking.
 * Only code generation reads this; the extension bundle, which imports the registry alone, leaves it out.
 */
import { cyclic, cyclicCode } from './cyclic';
import { fastai, fastaiCode } from './fastai';
import type { FlavorCode } from './flavor';
import { flavorOf, type FlavorId, type FlavorSpec, type FullFlavorSpec } from './index';
import { optaxCosine, optaxCosineCode } from './optax-cosine';
import { optaxLinear, optaxLinearCode } from './optax-linear';
import { pytorch, pytorchCode } from './pytorch';
import { smith, smithCode } from './smith';

export type Code = FlavorCode<FlavorId, FlavorSpec, FullFlavorSpec>;

const CODE: { readonly [Id in FlavorId]: Code } = {
  [pytorch.id]: pytorchCode,
  [fastai.id]: fastaiCode,
  [optaxCosine.id]: optaxCosineCode,
  [optaxLinear.id]: optaxLinearCode,
  [smith.id]: smithCode,
  [cyclic.id]: cyclicCode,
};

/** The code of the flavor named `id`. */
export function flavorCodeById(id: FlavorId): Code {
  return CODE[id];
}

/** The code of the flavor a spec of any policy but `range` and `constant` belongs to. */
export function flavorCodeOf(spec: FlavorSpec): Code {
  return CODE[flavorOf(spec).id];
}
