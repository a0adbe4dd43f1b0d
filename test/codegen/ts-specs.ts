// Schedule specs shared by the TS/JS code generation tests.
import type { ScheduleSpec } from '../../src/core/schedules';

/** Specs covering every policy, flavor and mode, with defaults and with unusual settings. */
export const SPECS: ScheduleSpec[] = [
  { policy: 'range', mode: 'exp', startLr: 1e-7, endLr: 10, steps: 100 },
  { policy: 'range', mode: 'linear', startLr: 1e-4, endLr: 1, steps: 37 },
  { policy: 'constant', lr: 0.003, steps: 10 },
  { policy: 'cyclic', baseLr: 0.001, maxLr: 0.006, stepSizeUp: 20, steps: 130 },
  { policy: 'cyclic', mode: 'triangular2', baseLr: 1e-4, maxLr: 1e-3, stepSizeUp: 7, stepSizeDown: 13, steps: 200 },
  { policy: 'cyclic', mode: 'exp_range', baseLr: 0.01, maxLr: 0.1, stepSizeUp: 10, gamma: 0.99, cycleMomentum: false, steps: 90 },
  { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.1, totalSteps: 1000 },
  { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.05, totalSteps: 95, pctStart: 0.25, annealStrategy: 'linear', threePhase: true, divFactor: 10, finalDivFactor: 100 },
  { policy: 'onecycle', flavor: 'pytorch', maxLr: 2, totalSteps: 33, annealStrategy: 'cos', threePhase: true, cycleMomentum: false },
  { policy: 'onecycle', flavor: 'fastai', lrMax: 0.01, totalSteps: 160 },
  { policy: 'onecycle', flavor: 'fastai', lrMax: 3e-3, totalSteps: 97, pctStart: 0.3, div: 10, divFinal: 1e4, moms: [0.9, 0.8, 0.9] },
  { policy: 'onecycle', flavor: 'optax-cosine', peakValue: 0.1, transitionSteps: 100 },
  { policy: 'onecycle', flavor: 'optax-cosine', peakValue: 0.3, transitionSteps: 77, pctStart: 0.45, divFactor: 10, finalDivFactor: 1e3 },
  { policy: 'onecycle', flavor: 'optax-linear', peakValue: 0.1, transitionSteps: 100 },
  { policy: 'onecycle', flavor: 'optax-linear', peakValue: 1e-3, transitionSteps: 61, pctStart: 0.2, pctFinal: 0.7 },
  { policy: 'onecycle', flavor: 'smith', minLr: 0.08, maxLr: 0.8, stepSize: 41, totalSteps: 95, finalLr: 0.008 },
  { policy: 'onecycle', flavor: 'smith', minLr: 0.01, maxLr: 0.1, stepSize: 10, totalSteps: 25, finalLr: 0.001, momentum: { max: 0.9, min: 0.8 } },
];
