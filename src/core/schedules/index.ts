/** Learning-rate schedules: the spec, its validation and defaults, compiled `step -> value` functions, the flavor registry. */
export * from './spec';
export { SpecError, RecommendScheduleError } from './errors';
export type { Schedule, StepFn } from './schedule';
export { validateSpec, POLICIES, SPEC_FIELDS, MAX_SCHEDULE_STEPS } from './validate';
export { withDefaults } from './defaults';
export type {
  Full,
  FullScheduleSpec,
  FullRangeSpec,
  FullConstantSpec,
  FullCyclicSpec,
  FullOneCyclePytorchSpec,
  FullOneCycleFastaiSpec,
  FullOneCycleOptaxSpec,
  FullOneCycleSmithSpec,
} from './defaults';
export { compileSchedule, sampleSchedule, specLength } from './compile';
export { FLAVORS, findFlavor, flavorById, flavorOf, flavorWhere, type Flavor, type FullFlavorSpec } from './flavors/index';
export type { FlavorCode, FlavorField, FlavorModule, FieldKind, TorchOneCycle, TrainingLength, Tuning } from './flavors/flavor';
export { CYCLIC_DEFAULTS, torchCyclicLRKwargs, type CyclicOptions } from './flavors/cyclic';
export { ONECYCLE_PYTORCH_DEFAULTS, torchOneCycleLRKwargs } from './flavors/pytorch';
export { ONECYCLE_FASTAI_DEFAULTS } from './flavors/fastai';
export { ONECYCLE_OPTAX_DEFAULTS, optaxToPytorchOneCycle } from './flavors/optax-onecycle';
export { ONECYCLE_SMITH_DEFAULTS, smithToOptaxLinear, smithToPytorchOneCycle, type SmithOptions } from './flavors/smith';
export * as combinators from './combinators';
