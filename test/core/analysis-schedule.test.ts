import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzeRangeTest,
  recommendSchedule,
  RecommendScheduleError,
  type RangeAnalysis,
  type RangePoint,
} from '../../src/core/analysis/index';

function curve(n: number, flat = false): RangePoint[] {
  return Array.from({ length: n }, (_, i) => {
    const lr = 1e-6 * 1e7 ** (i / n);
    const x = Math.log10(lr);
    const loss = flat ? 1 : 2.3 - 2 / (1 + Math.exp(-(x + 3) / 0.4)) + 0.3 * Math.exp((x + 1.5) * 6);
    return { lr, loss };
  });
}

const good: RangeAnalysis = analyzeRangeTest(curve(200));
const unusable: RangeAnalysis = analyzeRangeTest(curve(200, true));

test('one-cycle flavors take the recommended LR as their peak and keep their defaults', () => {
  const lr = good.recommendation.lr!;
  assert.ok(lr > 0);
  const base = { epochs: 3, stepsPerEpoch: 100 };
  assert.deepEqual(recommendSchedule(good, { ...base, flavor: 'pytorch' }), {
    policy: 'onecycle',
    flavor: 'pytorch',
    maxLr: lr,
    totalSteps: 300,
  });
  assert.deepEqual(recommendSchedule(good, { ...base, flavor: 'fastai' }), {
    policy: 'onecycle',
    flavor: 'fastai',
    lrMax: lr,
    totalSteps: 300,
  });
  for (const flavor of ['optax-cosine', 'optax-linear'] as const) {
    assert.deepEqual(recommendSchedule(good, { ...base, flavor }), {
      policy: 'onecycle',
      flavor,
      peakValue: lr,
      transitionSteps: 300,
    });
  }
});

test("smith: min = max/10, a cycle of ~90% of the run, annihilation to min/100, Smith's momentum", () => {
  const spec = recommendSchedule(good, { flavor: 'smith', epochs: 10, stepsPerEpoch: 100, maxLr: 0.5 });
  assert.deepEqual(spec, {
    policy: 'onecycle',
    flavor: 'smith',
    minLr: 0.05,
    maxLr: 0.5,
    stepSize: 450,
    totalSteps: 1000,
    finalLr: 0.05 / 100,
    momentum: { max: 0.95, min: 0.85 },
  });
});

test("smith reproduces the paper's CIFAR-10 example with its proportions", () => {
  // 0.08 → 0.8 over 41 epochs, back over 41, then 13 epochs down to 0.008 (95 in all).
  const spec = recommendSchedule(good, {
    flavor: 'smith',
    epochs: 95,
    stepsPerEpoch: 1,
    maxLr: 0.8,
    tuning: { cycleFraction: 82 / 95, finalDiv: 10 },
  });
  assert.equal(spec.policy === 'onecycle' && spec.flavor === 'smith', true);
  if (spec.policy !== 'onecycle' || spec.flavor !== 'smith') return;
  assert.equal(spec.stepSize, 41);
  assert.equal(spec.totalSteps, 95);
  assert.ok(Math.abs(spec.minLr - 0.08) < 1e-15);
  assert.ok(Math.abs(spec.finalLr - 0.008) < 1e-15);
});

test('smith always leaves at least one annihilation step', () => {
  const spec = recommendSchedule(good, { flavor: 'smith', epochs: 1, stepsPerEpoch: 5, maxLr: 1, tuning: { cycleFraction: 1 } });
  if (spec.policy !== 'onecycle' || spec.flavor !== 'smith') return assert.fail('smith spec expected');
  assert.ok(2 * spec.stepSize <= spec.totalSteps - 2);
  assert.throws(() => recommendSchedule(good, { flavor: 'smith', epochs: 1, stepsPerEpoch: 3 }), /at least 4 steps/);
});

test('cyclic: base = max/4, half cycles of about 4 epochs, whole cycles', () => {
  const spec = recommendSchedule(good, { flavor: 'cyclic', epochs: 16, stepsPerEpoch: 50, maxLr: 0.4 });
  assert.deepEqual(spec, { policy: 'cyclic', mode: 'triangular', baseLr: 0.1, maxLr: 0.4, stepSizeUp: 200, steps: 800 });
  // 12 epochs: 1.5 cycles of 4-epoch halves rounds to 2 cycles of 3-epoch halves (within the paper's 2–10).
  const twelve = recommendSchedule(good, { flavor: 'cyclic', epochs: 12, stepsPerEpoch: 10, maxLr: 0.3, tuning: { baseDiv: 3 } });
  assert.deepEqual(twelve, { policy: 'cyclic', mode: 'triangular', baseLr: 0.3 / 3, maxLr: 0.3, stepSizeUp: 30, steps: 120 });
  // Short runs get a single cycle over the whole run.
  const short = recommendSchedule(good, { flavor: 'cyclic', epochs: 2, stepsPerEpoch: 10, maxLr: 0.3 });
  assert.equal(short.policy === 'cyclic' && short.stepSizeUp, 10);
});

test('no recommended LR and none given: a clear error that says why and what to do', () => {
  assert.equal(unusable.recommendation.lr, null);
  assert.throws(
    () => recommendSchedule(unusable, { flavor: 'pytorch', epochs: 1, stepsPerEpoch: 10 }),
    (e: unknown) =>
      e instanceof RecommendScheduleError && /flat/.test(e.message) && /Pass maxLr to choose one yourself/.test(e.message),
  );
  const spec = recommendSchedule(unusable, { flavor: 'pytorch', epochs: 1, stepsPerEpoch: 10, maxLr: 0.01 });
  assert.equal(spec.policy === 'onecycle' && spec.flavor === 'pytorch' && spec.maxLr, 0.01);
});

test('bad options are refused by name', () => {
  const base = { flavor: 'pytorch' as const, epochs: 1, stepsPerEpoch: 10 };
  assert.throws(() => recommendSchedule(good, { ...base, epochs: 0 }), /epochs must be a whole number ≥ 1 \(got 0\)/);
  assert.throws(() => recommendSchedule(good, { ...base, stepsPerEpoch: 2.5 }), /stepsPerEpoch/);
  assert.throws(() => recommendSchedule(good, { ...base, maxLr: -1 }), /maxLr must be a finite number > 0/);
  assert.throws(() => recommendSchedule(good, { ...base, stepsPerEpoch: 1 }), /at least 2 steps/);
  assert.throws(
    () => recommendSchedule(good, { flavor: 'smith', epochs: 10, stepsPerEpoch: 10, tuning: { cycleFraction: 1.5 } }),
    /smith.cycleFraction must be a number > 0 and ≤ 1/,
  );
  assert.throws(() => recommendSchedule(good, { ...base, flavor: 'bogus' as never }), /flavor must be one of pytorch, fastai/);
});
