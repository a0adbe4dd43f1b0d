/** The entry of dist/experiments.js: New Experiment and the types setup, which the extension loads on first use (`./register.ts`). */
export { newExperiment } from './new-experiment';
export { applyTypesSetup } from './types-apply';
