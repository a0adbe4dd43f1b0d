/** The line-by-line expectations: each fixture transformed with one spec must equal its file under expected/. */
import type { PythonFramework } from '../../src/codegen/python/index';
import type { ScheduleSpec } from '../../src/core/schedules/spec';

export interface Golden {
  input: string;
  framework: PythonFramework;
  spec: ScheduleSpec;
  expected: string;
}

const seed: ScheduleSpec = { policy: 'onecycle', flavor: 'smith', minLr: 0.08, maxLr: 0.8, stepSize: 41, totalSteps: 95, finalLr: 0.008 };

export const GOLDEN: Golden[] = [
  { input: 'pytorch_plain.py', framework: 'pytorch', spec: { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.5, totalSteps: 18 }, expected: 'pytorch_plain.onecycle.py' },
  { input: 'pytorch_accumulation.py', framework: 'pytorch', spec: { policy: 'onecycle', flavor: 'fastai', lrMax: 0.2, totalSteps: 12 }, expected: 'pytorch_accumulation.fastai.py' },
  { input: 'pytorch_crlf_tabs.py', framework: 'pytorch', spec: { policy: 'range', mode: 'exp', startLr: 1e-5, endLr: 1, steps: 20 }, expected: 'pytorch_crlf_tabs.range.py' },
  { input: 'pytorch_existing_onecycle.py', framework: 'pytorch', spec: seed, expected: 'pytorch_existing_onecycle.smith.py' },
  { input: 'lightning_module.py', framework: 'lightning', spec: { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.1, totalSteps: 1000 }, expected: 'lightning_module.onecycle.py' },
  { input: 'lightning_module.py', framework: 'lightning', spec: seed, expected: 'lightning_module.smith.py' },
  { input: 'keras_fit.py', framework: 'keras', spec: { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.05, totalSteps: 2110 }, expected: 'keras_fit.onecycle.py' },
  { input: 'keras_fit.py', framework: 'keras', spec: { policy: 'cyclic', mode: 'triangular', baseLr: 0.001, maxLr: 0.006, stepSizeUp: 2000, cycleMomentum: false }, expected: 'keras_fit.cyclic.py' },
  { input: 'fastai_learner.py', framework: 'fastai', spec: { policy: 'onecycle', flavor: 'fastai', lrMax: 0.003, totalSteps: 400, pctStart: 0.3 }, expected: 'fastai_learner.fastai.py' },
  { input: 'fastai_learner.py', framework: 'fastai', spec: seed, expected: 'fastai_learner.smith.py' },
  { input: 'flax_optax.py', framework: 'optax', spec: { policy: 'onecycle', flavor: 'optax-cosine', peakValue: 0.01, transitionSteps: 5000 }, expected: 'flax_optax.cosine.py' },
  { input: 'flax_optax.py', framework: 'optax', spec: { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.01, totalSteps: 5000, threePhase: true }, expected: 'flax_optax.pytorch.py' },
];
