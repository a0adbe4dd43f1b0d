/**
 * Schedule math: the seed example, the expectations of the references' own unit tests (ported,
 * each citing its source), step semantics at the edges, combinators, defaults and equivalences.
 * Comparisons against real PyTorch on random configurations live in schedules-torch.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  compileSchedule,
  optaxToPytorchOneCycle,
  sampleSchedule,
  smithToOptaxLinear,
  smithToPytorchOneCycle,
  specLength,
  SpecError,
  validateSpec,
  withDefaults,
  type CyclicSpec,
  type OneCycleOptaxSpec,
  type OneCycleSmithSpec,
  type ScheduleSpec,
} from '../../src/core/schedules/index';
import {
  combineScheds,
  combinedCos,
  constantFn,
  joinSchedules,
  schedCos,
  schedExp,
  schedLin,
  schedNo,
} from '../../src/core/schedules/combinators';
import { compileCyclic } from '../../src/core/schedules/flavors/cyclic';
import { compileOneCyclePytorch } from '../../src/core/schedules/flavors/pytorch';
import { piecewiseInterpolate } from '../../src/core/schedules/flavors/optax-onecycle';
import { assertClose, rng } from './fixtures/schedules/helpers';

const SEED: OneCycleSmithSpec = { policy: 'onecycle', flavor: 'smith', minLr: 0.08, maxLr: 0.8, stepSize: 41, totalSteps: 95, finalLr: 0.008 };

const take = (f: (i: number) => number, n: number) => Array.from({ length: n }, (_, i) => f(i));

describe('seed example (DESIGN.md: Smith, CIFAR-10, ResNet-56)', () => {
  test('0.08 at 0, 0.8 at 41, 0.08 at 82, 0.008 at 94; 95 steps', () => {
    const { lr, momentum } = sampleSchedule(SEED);
    assert.equal(lr.length, 95);
    assertClose([lr[0], lr[41], lr[82], lr[94]], [0.08, 0.8, 0.08, 0.008], 'seed lr');
    assert.equal(lr[0], 0.08);
    assert.equal(lr[41], 0.8);
    assert.equal(lr[82], 0.08);
    assert.equal(lr[94], 0.008);
    // linear in between: one step of the ramp is (0.8 − 0.08)/41
    assertClose([lr[1], lr[83]], [0.08 + 0.72 / 41, 0.08 - 0.072 / 12], 'seed ramps');
    assert.ok(momentum);
    assertClose([momentum[0], momentum[41], momentum[82], momentum[94]], [0.95, 0.85, 0.95, 0.95], 'seed momentum');
  });

  test('holds the final LR past the end', () => {
    const s = compileSchedule(SEED);
    assert.equal(s.lr(95), 0.008);
    assert.equal(s.lr(10_000), 0.008);
    assert.equal(s.lr(-3), 0.08);
  });
});

// PyTorch test/optim/test_lrscheduler.py (TestLRScheduler). Their `_test_cycle_lr` reads the
// optimizer's lr/momentum before each scheduler.step(), i.e. target[i] = our lr(i). They use
// momentums outside [0, 1) (1 … 5, 1 … 22), which validateSpec rejects, so these call the flavor
// compilers directly (they take a filled spec and do not validate).
describe('PyTorch test_lrscheduler.py expectations', () => {
  const cyclic = (spec: Omit<CyclicSpec, 'policy'>) => compileCyclic(withDefaults({ policy: 'cyclic', ...spec }));

  test('test_cycle_lr_triangular_mode_one_lr', () => {
    const s = cyclic({ baseLr: 1, maxLr: 5, stepSizeUp: 4, baseMomentum: 1, maxMomentum: 5, mode: 'triangular' });
    assertClose(take(s.lr, 11), [1, 2, 3, 4, 5, 4, 3, 2, 1, 2, 3], 'lr');
    assertClose(take(s.momentum!, 11), [5, 4, 3, 2, 1, 2, 3, 4, 5, 4, 3], 'momentum');
  });

  test('test_cycle_lr_triangular_mode_one_lr_no_momentum: momentum is not cycled', () => {
    const s = cyclic({ baseLr: 1, maxLr: 5, stepSizeUp: 4, cycleMomentum: false, mode: 'triangular' });
    assertClose(take(s.lr, 11), [1, 2, 3, 4, 5, 4, 3, 2, 1, 2, 3], 'lr');
    assert.equal(s.momentum, null);
  });

  test('test_cycle_lr_triangular2_mode_one_lr', () => {
    const s = cyclic({ baseLr: 1, maxLr: 5, stepSizeUp: 4, baseMomentum: 1, maxMomentum: 5, mode: 'triangular2' });
    const lr = [1, 2, 3, 4, 5, 4, 3, 2, 1, 1.5, 2.0, 2.5, 3.0, 2.5, 2.0, 1.5, 1, 1.25, 1.5, 1.75, 2.0, 1.75];
    const mom = [5.0, 4.0, 3.0, 2.0, 1.0, 2.0, 3.0, 4.0, 5.0, 4.5, 4.0, 3.5, 3.0, 3.5, 4.0, 4.5, 5.0, 4.75, 4.5, 4.25, 4.0, 4.25];
    assertClose(take(s.lr, lr.length), lr, 'lr');
    assertClose(take(s.momentum!, mom.length), mom, 'momentum');
  });

  test('test_cycle_lr_exp_range_mode_one_lr', () => {
    const gamma = 0.9;
    const s = cyclic({ baseLr: 1, maxLr: 5, stepSizeUp: 4, baseMomentum: 1, maxMomentum: 5, mode: 'exp_range', gamma });
    const xs = [0, 0.25, 0.5, 0.75, 1, 0.75, 0.5, 0.25, 0, 0.25, 0.5, 0.75, 1];
    assertClose(take(s.lr, xs.length), xs.map((x, i) => 1 + x * 4 * gamma ** i), 'lr');
    assertClose(take(s.momentum!, xs.length), xs.map((x, i) => 5 - x * 4 * gamma ** i), 'momentum');
  });

  test('test_cycle_lr_triangular_mode_step_size_up_down', () => {
    const s = cyclic({ baseLr: 1, maxLr: 5, stepSizeUp: 4, stepSizeDown: 6, baseMomentum: 1, maxMomentum: 5, mode: 'triangular' });
    assertClose(take(s.lr, 11), [1, 2, 3, 4, 5, 13 / 3, 11 / 3, 9 / 3, 7 / 3, 5 / 3, 1], 'lr');
    assertClose(take(s.momentum!, 11), [5, 4, 3, 2, 1, 5 / 3, 7 / 3, 3, 11 / 3, 13 / 3, 5], 'momentum');
  });

  test('test_cycle_lr_triangular2_mode_step_size_up_down (both param groups)', () => {
    const lr = [1, 3, 5, 13 / 3, 11 / 3, 9 / 3, 7 / 3, 5 / 3, 1, 2, 3, 8 / 3, 7 / 3, 6 / 3, 5 / 3, 4 / 3, 1, 3 / 2, 2, 11 / 6, 10 / 6, 9 / 6, 8 / 6, 7 / 6];
    const mom = [5, 3, 1, 5 / 3, 7 / 3, 3, 11 / 3, 13 / 3, 5, 4, 3, 10 / 3, 11 / 3, 4, 13 / 3, 14 / 3, 5, 4.5, 4, 25 / 6, 13 / 3, 4.5, 14 / 3, 29 / 6];
    for (const delta of [0, 2]) {
      const s = cyclic({ baseLr: 1 + delta, maxLr: 5 + delta, stepSizeUp: 2, stepSizeDown: 6, baseMomentum: 1 + delta, maxMomentum: 5 + delta, mode: 'triangular2' });
      assertClose(take(s.lr, lr.length), lr.map((x) => x + delta), `lr +${delta}`);
      assertClose(take(s.momentum!, mom.length), mom.map((x) => x + delta), `momentum +${delta}`);
    }
  });

  test('test_cycle_lr_exp_range_mode_step_size_up_down', () => {
    const gamma = 0.9;
    const s = cyclic({ baseLr: 1, maxLr: 5, stepSizeUp: 2, stepSizeDown: 6, baseMomentum: 1, maxMomentum: 5, mode: 'exp_range', gamma });
    const xs = [0, 0.5, 1, 5 / 6, 4 / 6, 3 / 6, 2 / 6, 1 / 6, 0, 0.5, 1, 5 / 6, 4 / 6];
    assertClose(take(s.lr, xs.length), xs.map((x, i) => 1 + x * 4 * gamma ** i), 'lr');
    assertClose(take(s.momentum!, xs.length), xs.map((x, i) => 5 - x * 4 * gamma ** i), 'momentum');
  });

  const onecycle = (extra: Partial<Parameters<typeof compileOneCyclePytorch>[0]>) =>
    compileOneCyclePytorch(withDefaults({ policy: 'onecycle', flavor: 'pytorch', maxLr: 25, totalSteps: 10, baseMomentum: 1, maxMomentum: 22, ...extra }));

  test('test_onecycle_lr_linear_annealing', () => {
    const s = onecycle({ finalDivFactor: 2, annealStrategy: 'linear' });
    assertClose(take(s.lr, 10), [1, 13, 25, 21.5, 18, 14.5, 11, 7.5, 4, 0.5], 'lr');
    assertClose(take(s.momentum!, 10), [22, 11.5, 1, 4, 7, 10, 13, 16, 19, 22], 'momentum');
  });

  test('test_onecycle_lr_linear_annealing_three_phases', () => {
    const s = onecycle({ divFactor: 25, annealStrategy: 'linear', pctStart: 0.4, finalDivFactor: 4, threePhase: true });
    assertClose(take(s.lr, 10), [1, 9, 17, 25, 17, 9, 1, 0.75, 0.5, 0.25], 'lr');
    assertClose(take(s.momentum!, 10), [22, 15, 8, 1, 8, 15, 22, 22, 22, 22], 'momentum');
  });

  test('test_onecycle_lr_cosine_annealing', () => {
    const cos = (start: number, end: number, pct: number) => end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
    const s = onecycle({ finalDivFactor: 2 });
    const tail = (a: number, b: number) => [1, 2, 3, 4, 5, 6].map((k) => cos(a, b, k / 7));
    assertClose(take(s.lr, 10), [1, 13, 25, ...tail(25, 0.5), 0.5], 'lr');
    assertClose(take(s.momentum!, 10), [22, 11.5, 1, ...tail(1, 22), 22], 'momentum');
  });

  test('the same configurations through the public API, where they are valid specs', () => {
    const lr = sampleSchedule({ policy: 'onecycle', flavor: 'pytorch', maxLr: 25, totalSteps: 10, finalDivFactor: 2, annealStrategy: 'linear', cycleMomentum: false });
    assertClose(lr.lr, [1, 13, 25, 21.5, 18, 14.5, 11, 7.5, 4, 0.5], 'lr');
    assert.equal(lr.momentum, null);
    const tri = sampleSchedule({ policy: 'cyclic', baseLr: 1, maxLr: 5, stepSizeUp: 4 }, 11);
    assertClose(tri.lr, [1, 2, 3, 4, 5, 4, 3, 2, 1, 2, 3], 'cyclic lr');
    assertClose(tri.momentum!, [0.9, 0.875, 0.85, 0.825, 0.8, 0.825, 0.85, 0.875, 0.9, 0.875, 0.85], 'cyclic default momentum 0.9 → 0.8');
  });
});

// optax optax/schedules/_schedule_test.py and _join_test.py (they compare at atol 1e-3 because
// JAX computes in float32; the expected values are exact, so we check them at 1e-9).
describe('optax _schedule_test.py / _join_test.py expectations', () => {
  test('OneCycleTest.test_linear', () => {
    const spec: OneCycleOptaxSpec = { policy: 'onecycle', flavor: 'optax-linear', transitionSteps: 10, peakValue: 1000, pctStart: 0.3, pctFinal: 0.7, divFactor: 10, finalDivFactor: 100 };
    const s = compileSchedule(spec);
    assertClose(take(s.lr, 12), [100, 400, 700, 1000, 775, 550, 325, 100, 67, 34, 1, 1], 'lr');
    assert.equal(s.momentum, null);
  });

  test('OneCycleTest.test_cosine', () => {
    const spec: OneCycleOptaxSpec = { policy: 'onecycle', flavor: 'optax-cosine', transitionSteps: 5, peakValue: 1000, pctStart: 0.4, divFactor: 10, finalDivFactor: 100 };
    assertClose(take(compileSchedule(spec).lr, 7), [100, 550, 1000, 750.25, 250.75, 1, 1], 'lr');
  });

  test('OneCycleTest.test_nonpositive_transition_steps: rejected', () => {
    assert.throws(() => validateSpec({ policy: 'onecycle', flavor: 'optax-cosine', transitionSteps: 0, peakValue: 5 }), /transitionSteps/);
    assert.throws(() => validateSpec({ policy: 'onecycle', flavor: 'optax-linear', transitionSteps: 0, peakValue: 5 }), /transitionSteps/);
  });

  test('PiecewiseInterpolateTest.test_linear_piecewise', () => {
    const f = piecewiseInterpolate('linear', 200, [5, 10], [1.5, 0.25]);
    assertClose(take(f, 13), [200, 220, 240, 260, 280, 300, 255, 210, 165, 120, 75, 75, 75], 'values');
  });

  test('PiecewiseInterpolateTest.test_cos_piecewise (boundaries sorted: {3: 0.6, 5: 1.2, 7: 1.0})', () => {
    const f = piecewiseInterpolate('cosine', 400, [3, 5, 7], [0.6, 1.2, 1.0]);
    assertClose(take(f, 9), [400, 360, 280, 240, 264, 288, 288, 288, 288], 'values');
  });

  test('PiecewiseInterpolateTest.test_zero_interval_size', () => {
    const f = piecewiseInterpolate('linear', 13, [0, 5], [2, 3]);
    assertClose([f(0), f(5)], [26, 78], 'values');
    assert.ok(take(f, 6).every(Number.isFinite));
  });

  test('JoinTest.test_join_schedules', () => {
    const f = joinSchedules([constantFn(1), constantFn(2), constantFn(1)], [3, 6]);
    assert.deepEqual(take(f, 7), [1, 1, 1, 2, 2, 2, 1]);
  });

  test('join_schedules passes each schedule its own count (step − boundary)', () => {
    const f = joinSchedules([(i) => i, (i) => 100 + i], [3]);
    assert.deepEqual(take(f, 6), [0, 1, 2, 100, 101, 102]);
  });
});

// fastai nbs/14_callback.schedule.ipynb doc tests (test_close: |a − b| < 1e-5; exact values at 1e-9).
describe('fastai 14_callback.schedule.ipynb expectations', () => {
  const at = (f: (p: number) => number, ps: number[]) => ps.map(f);
  const quarters = [0, 0.25, 0.5, 0.75, 1];
  const near = (actual: number[], expected: number[]) =>
    actual.forEach((a, k) => assert.ok(Math.abs(a - expected[k]) < 1e-5, `point ${k}: ${a} vs ${expected[k]}`));

  test('SchedLin, SchedCos, SchedNo, SchedExp', () => {
    assertClose(at(schedLin(0, 2), quarters), [0, 0.5, 1, 1.5, 2], 'SchedLin(0, 2)');
    near(at(schedCos(0, 2), quarters), [0, 0.29289, 1, 1.70711, 2]);
    assert.deepEqual(at(schedNo(0), quarters), [0, 0, 0, 0, 0]);
    near(at(schedExp(1, 2), quarters), [1, 1.18921, 1.41421, 1.68179, 2]);
    assertClose(at(schedExp(1, 2), quarters), [1, 2 ** 0.25, Math.SQRT2, 2 ** 0.75, 2], 'SchedExp(1, 2)');
  });

  test('combine_scheds([0.3, 0.2, 0.5], [SchedLin(0, 1), SchedNo(1, 1), SchedCos(1, 0)]), float64 and float32', () => {
    for (const round of [undefined, Math.fround]) {
      const f = combineScheds([0.3, 0.2, 0.5], [schedLin(0, 1), schedNo(1), schedCos(1, 0)], round);
      near(at(f, [0, 0.15, 0.3, 0.4, 0.5, 0.7, 1]), [0, 0.5, 1, 1, 1, 0.65451, 0]);
    }
  });

  test('combined_cos(0.25, 0.5, 1, 0)', () => {
    near(at(combinedCos(0.25, 0.5, 1, 0, Math.fround), [0, 0.1, 0.25, 0.5, 1]), [0.5, 0.67275, 1, 0.75, 0]);
  });

  test('fit_one_cycle(2) over 20 batches: lrs == combined_cos(0.25, 1e-2/25, 1e-2, 1e-7)(i/20), moms likewise', () => {
    const { lr, momentum } = sampleSchedule({ policy: 'onecycle', flavor: 'fastai', lrMax: 1e-2, totalSteps: 20 });
    const lrRef = combinedCos(0.25, 1e-2 / 25, 1e-2, 1e-7, Math.fround);
    const momRef = combinedCos(0.25, 0.95, 0.85, 0.95, Math.fround);
    assertClose(lr, take((i) => lrRef(i / 20), 20), 'lr');
    assertClose(momentum!, take((i) => momRef(i / 20), 20), 'moms');
    // peak at pos = 0.25 (step 5), and the last step stops short of lrMax/divFinal
    assert.equal(lr[5], 1e-2);
    assert.ok(lr[19] > 1e-7);
  });
});

describe('range (pytorch-lr-finder ExponentialLR / LinearLR)', () => {
  test('exp: lr_i = start·(end/start)^(i/(steps−1)), first = start, last = end exactly', () => {
    const { lr, momentum } = sampleSchedule({ policy: 'range', mode: 'exp', startLr: 1e-7, endLr: 10, steps: 100 });
    assert.equal(momentum, null);
    assert.equal(lr[0], 1e-7);
    assert.equal(lr[99], 10);
    assertClose(lr, take((i) => 1e-7 * 1e8 ** (i / 99), 100), 'exp ramp');
    assertClose([lr[33]], [1e-7 * 10 ** (8 / 3)], 'a third of the way: 8/3 decades up');
  });

  test('linear: lr_i = start + i/(steps−1)·(end − start)', () => {
    const { lr } = sampleSchedule({ policy: 'range', mode: 'linear', startLr: 0.01, endLr: 1, steps: 5 });
    assertClose(lr, [0.01, 0.2575, 0.505, 0.7525, 1], 'linear ramp');
  });

  test('holds endLr past the end', () => {
    const s = compileSchedule({ policy: 'range', mode: 'exp', startLr: 1e-5, endLr: 1, steps: 10 });
    assert.equal(s.lr(10), 1);
    assert.equal(s.lr(500), 1);
  });
});

describe('step semantics at the edges', () => {
  test('optax reaches its final value at count T (one past the schedule) and holds it', () => {
    const spec: OneCycleOptaxSpec = { policy: 'onecycle', flavor: 'optax-cosine', peakValue: 1, transitionSteps: 100 };
    const s = compileSchedule(spec);
    assert.equal(s.length, 100);
    assert.equal(s.lr(30), 1); // int(0.3·100): the peak, exactly
    assert.ok(s.lr(99) > 1 / 25 / 1e4);
    assertClose([s.lr(100), s.lr(1000)], [1 / 25 / 1e4, 1 / 25 / 1e4], 'final value');
  });

  test('pytorch: the peak falls on step pctStart·N − 1 when that is an integer, the last step gives min', () => {
    const s = compileSchedule({ policy: 'onecycle', flavor: 'pytorch', maxLr: 1, totalSteps: 100, pctStart: 0.25 });
    assert.equal(s.lr(24), 1);
    assertClose([s.lr(0), s.lr(99), s.lr(100)], [1 / 25, 1 / 25 / 1e4, 1 / 25 / 1e4], 'ends');
    assertClose([s.momentum!(0), s.momentum!(24), s.momentum!(99)], [0.95, 0.85, 0.95], 'momentum');
  });

  test('cyclic and constant are unbounded unless given steps', () => {
    const cyc: CyclicSpec = { policy: 'cyclic', baseLr: 0.01, maxLr: 0.1, stepSizeUp: 5 };
    assert.equal(compileSchedule(cyc).length, null);
    assert.equal(specLength(cyc), null);
    assert.equal(compileSchedule({ ...cyc, steps: 30 }).length, 30);
    assert.equal(compileSchedule({ policy: 'constant', lr: 0.1 }).lr(1e9), 0.1);
    assert.throws(() => sampleSchedule(cyc), (e: unknown) => e instanceof SpecError && e.field === 'steps');
    assert.equal(sampleSchedule(cyc, 7).lr.length, 7);
    assert.deepEqual(sampleSchedule({ policy: 'constant', lr: 0.5, steps: 3 }), { lr: [0.5, 0.5, 0.5], momentum: null });
  });

  test('specLength per policy/flavor', () => {
    const cases: [ScheduleSpec, number | null][] = [
      [{ policy: 'range', mode: 'exp', startLr: 1e-6, endLr: 1, steps: 50 }, 50],
      [{ policy: 'constant', lr: 0.1 }, null],
      [{ policy: 'onecycle', flavor: 'fastai', lrMax: 0.1, totalSteps: 40 }, 40],
      [{ policy: 'onecycle', flavor: 'optax-linear', peakValue: 0.1, transitionSteps: 60 }, 60],
      [SEED, 95],
    ];
    for (const [spec, n] of cases) {
      assert.equal(specLength(spec), n);
      assert.equal(compileSchedule(spec).length, n);
    }
  });
});

describe('withDefaults', () => {
  test('fills the reference defaults and nothing that is a length', () => {
    assert.deepEqual(withDefaults({ policy: 'cyclic', baseLr: 0.001, maxLr: 0.006, stepSizeUp: 2000 }), {
      policy: 'cyclic', baseLr: 0.001, maxLr: 0.006, stepSizeUp: 2000,
      mode: 'triangular', stepSizeDown: 2000, gamma: 1, cycleMomentum: true, baseMomentum: 0.8, maxMomentum: 0.9,
    });
    assert.deepEqual(withDefaults({ policy: 'onecycle', flavor: 'pytorch', maxLr: 0.1, totalSteps: 100 }), {
      policy: 'onecycle', flavor: 'pytorch', maxLr: 0.1, totalSteps: 100,
      pctStart: 0.3, annealStrategy: 'cos', divFactor: 25, finalDivFactor: 1e4, threePhase: false, cycleMomentum: true, baseMomentum: 0.85, maxMomentum: 0.95,
    });
    assert.deepEqual(withDefaults({ policy: 'onecycle', flavor: 'fastai', lrMax: 0.1, totalSteps: 100 }), {
      policy: 'onecycle', flavor: 'fastai', lrMax: 0.1, totalSteps: 100, pctStart: 0.25, div: 25, divFinal: 1e5, moms: [0.95, 0.85, 0.95],
    });
    assert.deepEqual(withDefaults({ policy: 'onecycle', flavor: 'optax-cosine', peakValue: 0.1, transitionSteps: 100 }), {
      policy: 'onecycle', flavor: 'optax-cosine', peakValue: 0.1, transitionSteps: 100, pctStart: 0.3, divFactor: 25, finalDivFactor: 1e4,
    });
    assert.equal(withDefaults({ policy: 'onecycle', flavor: 'optax-linear', peakValue: 0.1, transitionSteps: 100 }).pctFinal, 0.85);
    assert.deepEqual(withDefaults(SEED).momentum, { max: 0.95, min: 0.85 });
    assert.deepEqual(withDefaults({ policy: 'constant', lr: 0.1 }), { policy: 'constant', lr: 0.1 });
  });

  test('a filled spec is still valid and gives the same schedule', () => {
    const specs: ScheduleSpec[] = [
      SEED,
      { policy: 'cyclic', baseLr: 0.001, maxLr: 0.006, stepSizeUp: 20, steps: 100 },
      { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.1, totalSteps: 100 },
      { policy: 'onecycle', flavor: 'fastai', lrMax: 0.1, totalSteps: 100 },
      { policy: 'onecycle', flavor: 'optax-linear', peakValue: 0.1, transitionSteps: 100 },
    ];
    for (const spec of specs) {
      const full = withDefaults(spec);
      assert.deepEqual(validateSpec(full), full);
      assert.deepEqual(sampleSchedule(full), sampleSchedule(spec));
    }
  });
});

describe('equivalences', () => {
  const random = rng(7);
  const smithCases: OneCycleSmithSpec[] = [SEED];
  for (let k = 0; k < 100; k++) {
    const totalSteps = 4 + Math.floor(random() * 400);
    const stepSize = 1 + Math.floor(random() * Math.floor((totalSteps - 2) / 2));
    const minLr = 10 ** (-4 + 3 * random());
    smithCases.push({ policy: 'onecycle', flavor: 'smith', minLr, maxLr: minLr * (1.5 + 20 * random()), stepSize, totalSteps, finalLr: minLr / (1 + 1000 * random()) });
  }

  test('smithToPytorchOneCycle gives a valid pytorch spec with the same LR and momentum (real OneCycleLR: schedules-torch.test.ts)', () => {
    assert.deepEqual(smithToPytorchOneCycle(SEED), {
      policy: 'onecycle', flavor: 'pytorch', maxLr: 0.8, totalSteps: 95, pctStart: 42 / 95, annealStrategy: 'linear',
      divFactor: 0.8 / 0.08, finalDivFactor: 0.08 / 0.008, threePhase: true, cycleMomentum: true, baseMomentum: 0.85, maxMomentum: 0.95,
    });
    for (const spec of smithCases) {
      const ours = sampleSchedule(spec);
      const torch = sampleSchedule(validateSpec(smithToPytorchOneCycle(spec)));
      assertClose(torch.lr, ours.lr, `lr ${JSON.stringify(spec)}`);
      assertClose(torch.momentum!, ours.momentum!, `momentum ${JSON.stringify(spec)}`);
    }
  });

  test('smithToOptaxLinear gives optax linear_onecycle_schedule with the same LR, and the same tail', () => {
    for (const spec of smithCases) {
      const optax = validateSpec(smithToOptaxLinear(spec));
      assertClose(sampleSchedule(optax, spec.totalSteps + 5).lr, sampleSchedule(spec, spec.totalSteps + 5).lr, JSON.stringify(spec));
    }
  });

  test('optaxToPytorchOneCycle: optax-cosine ≡ two-phase cos OneCycleLR over T + 1 steps; symmetric optax-linear ≡ three-phase linear', () => {
    const cosine: OneCycleOptaxSpec = { policy: 'onecycle', flavor: 'optax-cosine', peakValue: 0.3, transitionSteps: 157, pctStart: 0.27 };
    const linear: OneCycleOptaxSpec = { policy: 'onecycle', flavor: 'optax-linear', peakValue: 0.3, transitionSteps: 100, pctStart: 0.3, pctFinal: 0.6 };
    for (const spec of [cosine, linear]) {
      const torch = optaxToPytorchOneCycle(spec);
      assert.ok(torch);
      assert.equal(torch.cycleMomentum, false);
      assertClose(sampleSchedule(validateSpec(torch)).lr, sampleSchedule(spec, spec.transitionSteps + 1).lr, spec.flavor);
    }
    assert.equal(optaxToPytorchOneCycle({ ...linear, pctFinal: 0.85 }), null);
  });
});
