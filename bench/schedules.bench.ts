/**
 * Schedule evaluation speed: every policy/flavor evaluated for 1e6 steps (LR, and momentum where
 * cycled), printed as ns/step. A figure, not an assertion.
 * Run: node --import tsx bench/schedules.bench.ts
 */
import { compileSchedule, type ScheduleSpec } from '../src/core/schedules/index';

const STEPS = 1_000_000;

const SPECS: [string, ScheduleSpec][] = [
  ['range/exp', { policy: 'range', mode: 'exp', startLr: 1e-7, endLr: 10, steps: STEPS }],
  ['range/linear', { policy: 'range', mode: 'linear', startLr: 1e-4, endLr: 1, steps: STEPS }],
  ['constant', { policy: 'constant', lr: 0.1, steps: STEPS }],
  ['cyclic/triangular', { policy: 'cyclic', baseLr: 1e-3, maxLr: 6e-3, stepSizeUp: 2000, steps: STEPS }],
  ['cyclic/triangular2', { policy: 'cyclic', mode: 'triangular2', baseLr: 1e-3, maxLr: 6e-3, stepSizeUp: 2000, stepSizeDown: 3000, steps: STEPS }],
  ['cyclic/exp_range', { policy: 'cyclic', mode: 'exp_range', gamma: 0.99999, baseLr: 1e-3, maxLr: 6e-3, stepSizeUp: 2000, steps: STEPS }],
  ['onecycle/pytorch cos', { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.1, totalSteps: STEPS }],
  ['onecycle/pytorch 3-phase linear', { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.1, totalSteps: STEPS, threePhase: true, annealStrategy: 'linear' }],
  ['onecycle/fastai', { policy: 'onecycle', flavor: 'fastai', lrMax: 0.1, totalSteps: STEPS }],
  ['onecycle/optax-cosine', { policy: 'onecycle', flavor: 'optax-cosine', peakValue: 0.1, transitionSteps: STEPS }],
  ['onecycle/optax-linear', { policy: 'onecycle', flavor: 'optax-linear', peakValue: 0.1, transitionSteps: STEPS }],
  ['onecycle/smith', { policy: 'onecycle', flavor: 'smith', minLr: 0.08, maxLr: 0.8, stepSize: 410_000, totalSteps: STEPS, finalLr: 0.008 }],
];

export interface ScheduleBenchResult {
  name: string;
  nsPerStep: number;
}

/** Evaluates each flavor over 1e6 steps (after a warm-up pass) and prints ns/step. */
export function run(): ScheduleBenchResult[] {
  const results: ScheduleBenchResult[] = [];
  let sink = 0;
  for (const [name, spec] of SPECS) {
    const schedule = compileSchedule(spec);
    const { lr, momentum } = schedule;
    const pass = (): number => {
      let sum = 0;
      for (let i = 0; i < STEPS; i++) sum += momentum ? lr(i) + momentum(i) : lr(i);
      return sum;
    };
    sink += pass(); // warm-up: let the JIT settle
    const start = process.hrtime.bigint();
    sink += pass();
    const ns = Number(process.hrtime.bigint() - start);
    results.push({ name: momentum ? `${name} (+momentum)` : name, nsPerStep: ns / STEPS });
  }
  console.log(`schedule evaluation, ${STEPS.toExponential(0)} steps each (checksum ${sink.toPrecision(6)}):`);
  for (const r of results) console.log(`  ${r.name.padEnd(44)} ${r.nsPerStep.toFixed(1).padStart(7)} ns/step`);
  return results;
}

if (require.main === module) run();
