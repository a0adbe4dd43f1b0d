/** Learning-rate schedules: the spec, its validation and defaults, compiled `step -> value` functions. */
export * from './spec';
export { SpecError } from './errors';
export type { Schedule, StepFn } from './schedule';
export { validateSpec, POLICIES, SPEC_FIELDS, MAX_SCHEDULE_STEPS } from './validate';
export {
  withDefaults,
  CYCLIC_DEFAULTS,
  ONECYCLE_PYTORCH_DEFAULTS,
  ONECYCLE_FASTAI_DEFAULTS,
  ONECYCLE_OPTAX_DEFAULTS,
  ONECYCLE_SMITH_DEFAULTS,
} from './defaults';
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
export {
  smithToPytorchOneCycle,
  smithToOptaxLinear,
  optaxToPytorchOneCycle,
  torchCyclicLRKwargs,
  torchOneCycleLRKwargs,
} from './equivalence';
export * as combinators from './combinators';
