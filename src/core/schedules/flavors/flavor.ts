/**
 * What a schedule flavor is: one module holding everything LR Scope knows about it — its spec fields and
 * their validation, its defaults, its compiled `step -> value` functions, how it turns a maximum LR into a
 * spec and the form fields the panel shows (its `FlavorModule`), and, as a second export that only code
 * generation reads, its exact formula as Python and as TS/JS source and the framework classes that reproduce
 * it exactly (its `FlavorCode`). The registry (`./index.ts`) lists the modules and `./code.ts` joins each
 * flavor's code to it by id; everything else reads them. The two exports are apart so that the extension
 * bundle, which never generates code, leaves the emitters out: a `FlavorCode` object names its `id` as a
 * literal, since an initialiser that reads a property (`pytorch.id`) would keep the object, and its
 * emitters, in every bundle that imports the module.
 */
import type { Dialect, Formulas, Steps } from '../emit/python';
import type { Annotate, ScheduleSource } from '../emit/typescript';
import { RecommendScheduleError } from '../errors';
import type { Fields } from '../fields';
import type { Schedule } from '../schedule';
import type { OneCyclePytorchSpec } from './pytorch';
import type { OneCycleFastaiSpec } from './fastai';

/** Numbers that adjust how `fromMaxLr` derives a flavor's fields, by name (e.g. Smith's `cycleFraction`). */
export type Tuning = Readonly<Record<string, number>>;

/** How long training is: a schedule from `fromMaxLr` spans epochs × stepsPerEpoch optimizer steps. */
export interface TrainingLength {
  epochs: number;
  stepsPerEpoch: number;
}

export type FieldKind = 'number' | 'integer' | 'choice' | 'boolean' | 'list';

/** An editable parameter of a flavor, as the schedule form shows it (its default: the flavor's `withDefaults`). */
export interface FlavorField {
  /** The spec field. */
  key: string;
  /** The reference implementation's name for it. */
  label: string;
  kind: FieldKind;
  choices?: readonly string[];
  /** Tooltip: what the field does. */
  help: string;
}

/** PyTorch `OneCycleLR` reproducing a flavor exactly. */
export interface TorchOneCycle {
  spec: Required<OneCyclePytorchSpec>;
  /** e.g. "OneCycleLR (equal to optax-cosine)". */
  description: string;
  /** True when the file's own step count may replace `totalSteps` (the spec is OneCycleLR itself). */
  resizable: boolean;
}

/**
 * One schedule flavor. Methods (not function-valued properties) on purpose: the registry holds the modules as
 * one type over every flavor's spec, and a method's parameter is checked bivariantly.
 */
export interface FlavorModule<Id extends string = string, S extends { policy: 'onecycle' | 'cyclic' } = { policy: 'onecycle' | 'cyclic' }, F extends S = S> {
  /** The flavor's name: the spec's `flavor` for one-cycle flavors, the policy itself for `cyclic`. */
  readonly id: Id;
  readonly policy: S['policy'];
  /** Label and one-line description in pickers (e.g. the train quick pick). */
  readonly label: string;
  readonly description: string;
  /** The spec field holding the peak learning rate (`maxLr`, `lrMax`, `peakValue`). */
  readonly lrField: string;
  /** Every field a spec of this flavor may have; any other is an error. */
  readonly specFields: readonly string[];
  /** The fields the schedule form lets the user edit, besides the peak LR and the length. */
  readonly fields: readonly FlavorField[];
  /**
   * True when the phases are fractions of the schedule's length, so a file's own step count (an expression)
   * can size it; false when its phase lengths are absolute step counts (Smith's) or it has no end (cyclic).
   */
  readonly relativeLength: boolean;
  /** Reads and checks an untrusted spec's fields (`Fields` throws the `SpecError`); defaults are not filled. */
  validate(f: Fields): S;
  /** A copy with every optional field set to the reference implementation's default. */
  withDefaults(spec: S): F;
  /** The number of optimizer updates the spec describes; null when unbounded. */
  length(spec: S): number | null;
  /** The schedule of a valid spec with its defaults filled. */
  compile(spec: F): Schedule;
  /**
   * The flavor's schedule peaking at `maxLr` (> 0) over `length`; every field the flavor does not derive keeps
   * its default (left out). `tuning` adjusts how the flavor derives its other fields (each flavor names its
   * own keys). Throws `RecommendScheduleError` for an LR that is not > 0, a length that is not whole epochs ×
   * whole steps or too short for the flavor, or an unknown or out-of-range tuning value.
   */
  fromMaxLr(maxLr: number, length: TrainingLength, tuning?: Tuning): S;
  /** One line for the CLI, e.g. `one-cycle (pytorch), max lr 1.0e-2 over 500 steps`. */
  describe(spec: S, formatLr: (lr: number) => string): string;
}

/** What code generation reads of one flavor: its formulas as source and the framework calls equal to it. Methods, as in `FlavorModule`. */
export interface FlavorCode<Id extends string = string, S extends { policy: 'onecycle' | 'cyclic' } = { policy: 'onecycle' | 'cyclic' }, F extends S = S> {
  /** The id of the flavor (its `FlavorModule`) this is the code of. */
  readonly id: Id;
  /**
   * The exact formulas in a Python dialect; `totalSteps` replaces the spec's length when the code generator
   * found the file's own count (null keeps the spec's). No hold past the end: the code generator adds it.
   */
  python(spec: F, dialect: Dialect, totalSteps: Steps | null): Formulas;
  /** `lrAt` (and `momentumAt`) as TS/JS source. */
  typescript(spec: F, t: Annotate): ScheduleSource;
  /** PyTorch `OneCycleLR` equal to the spec, when there is one. */
  torchOneCycle?(spec: S): TorchOneCycle | null;
  /** optax's own schedule equal to the spec, as a Python call (`optax.cosine_onecycle_schedule(…)`). */
  optaxSchedule?(spec: S): string;
  /** fastai `fit_one_cycle`'s arguments (defaults filled) when the spec is that call. */
  fitOneCycle?(spec: S): Required<OneCycleFastaiSpec>;
}

/**
 * The checks every `fromMaxLr` starts with: epochs and steps per epoch whole numbers ≥ 1, the LR finite and
 * > 0, at least `minSteps` steps in all (`what` names the schedule in the message), and no tuning key but
 * `allowed`. Returns the number of steps.
 */
export function checkedSteps(maxLr: number, length: TrainingLength, minSteps: number, what: string, tuning: Tuning = {}, allowed: readonly string[] = []): number {
  positiveInteger('epochs', length.epochs);
  positiveInteger('stepsPerEpoch', length.stepsPerEpoch);
  if (!(Number.isFinite(maxLr) && maxLr > 0)) {
    throw new RecommendScheduleError(`maxLr must be a finite number > 0 (got ${maxLr})`);
  }
  for (const key of Object.keys(tuning)) {
    if (!allowed.includes(key)) {
      throw new RecommendScheduleError(`${what}: no tuning "${key}" (${allowed.length > 0 ? `it takes ${allowed.join(', ')}` : 'it takes none'})`);
    }
  }
  const total = length.epochs * length.stepsPerEpoch;
  if (total < minSteps) {
    throw new RecommendScheduleError(`${what} needs at least ${minSteps} steps (got ${total}): raise epochs or stepsPerEpoch`);
  }
  return total;
}

/** `tuning[key]` (else `fallback`), which must be a number > `min` and ≤ `max`; `name` prefixes the message. */
export function tuningValue(name: string, tuning: Tuning, key: string, fallback: number, min: number, max = Infinity): number {
  const value = tuning[key] ?? fallback;
  if (!(Number.isFinite(value) && value > min && value <= max)) {
    throw new RecommendScheduleError(`${name}.${key} must be a number > ${min}${max < Infinity ? ` and ≤ ${max}` : ''} (got ${value})`);
  }
  return value;
}

function positiveInteger(name: string, value: number): void {
  if (!(Number.isInteger(value) && value >= 1)) {
    throw new RecommendScheduleError(`${name} must be a whole number ≥ 1 (got ${value})`);
  }
}
