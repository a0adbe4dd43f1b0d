/** Files the extension ships for new experiments, relative to its install folder. */

/** The experiment template (the README shows the same file). */
export const EXPERIMENT_TEMPLATE = 'examples/template.experiment.ts';
/** The TensorFlow.js declarations an experiment type-checks against without @tensorflow/tfjs installed. */
export const TFJS_DECLARATIONS = 'types/tfjs.d.ts';
