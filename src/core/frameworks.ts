/**
 * The frameworks LR Scope writes schedules for, and what every layer knows of them: the language their code is
 * in and how they are named. What each one does with a file (detect, plan, snippet) is the code generator's
 * registry (src/codegen/frameworks.ts), keyed by the same ids.
 */
export type Framework = 'pytorch' | 'lightning' | 'keras' | 'fastai' | 'optax' | 'tfjs' | 'json';
export type CodeLanguage = 'python' | 'typescript' | 'json';

export interface FrameworkInfo {
  language: CodeLanguage;
  /** For pickers: the framework and what the schedule becomes in it. */
  label: string;
}

export const FRAMEWORK_INFO: Readonly<Record<Framework, FrameworkInfo>> = {
  pytorch: { language: 'python', label: 'PyTorch (OneCycleLR / CyclicLR)' },
  lightning: { language: 'python', label: 'PyTorch Lightning (configure_optimizers)' },
  keras: { language: 'python', label: 'Keras (LearningRateSchedule)' },
  fastai: { language: 'python', label: 'fastai (fit_one_cycle)' },
  optax: { language: 'python', label: 'optax (schedule)' },
  tfjs: { language: 'typescript', label: 'TensorFlow.js (callback)' },
  json: { language: 'json', label: 'JSON (the schedule spec)' },
};

/** Every framework, in the order pickers list them. */
export const FRAMEWORKS: readonly Framework[] = Object.keys(FRAMEWORK_INFO) as Framework[];

/** The language `framework`'s code is written in. */
export function frameworkLanguage(framework: Framework): CodeLanguage {
  return FRAMEWORK_INFO[framework].language;
}
