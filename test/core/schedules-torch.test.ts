/**
 * Our `cyclic`, `onecycle/pytorch` and `onecycle/smith` (through `smithToPytorchOneCycle`)
 * against the real torch.optim.lr_scheduler.CyclicLR / OneCycleLR on hundreds of seeded random
 * configurations, and `onecycle/fastai` against fastai's combine_scheds arithmetic re-enacted on
 * real torch float32 tensors. One /usr/bin/python3 process answers all of them
 * (fixtures/schedules/torch_oracle.py).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import {
  sampleSchedule,
  smithToPytorchOneCycle,
  torchCyclicLRKwargs,
  torchOneCycleLRKwargs,
  validateSpec,
  withDefaults,
  type CyclicSpec,
  type OneCycleFastaiSpec,
  type OneCyclePytorchSpec,
  type OneCycleSmithSpec,
} from '../../src/core/schedules/index';
import { combinedCos } from '../../src/core/schedules/combinators';
import { assertClose, relErr, rng } from './fixtures/schedules/helpers';

const PYTHON = '/usr/bin/python3';
const ORACLE = join(__dirname, 'fixtures', 'schedules', 'torch_oracle.py');
const CASES = 200;

interface Sequence {
  lr: number[];
  momentum: number[] | null;
}
interface OracleAnswer {
  error?: string;
  torch: string;
  cyclic: Sequence[];
  onecycle: Sequence[];
  fastai: Sequence[];
}

const random = rng(20261128);
const uniform = (lo: number, hi: number) => lo + (hi - lo) * random();
const logUniform = (lo: number, hi: number) => Math.exp(uniform(Math.log(lo), Math.log(hi)));
const integer = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
const chance = (p: number) => random() < p;

/** Draws until `validateSpec` accepts, so every case is a spec a user could give. */
function valid<S>(draw: () => S): S {
  for (;;) {
    const spec = draw();
    try {
      validateSpec(spec);
      return spec;
    } catch {
      // redraw
    }
  }
}

function momentumPair(): { base: number; max: number } {
  const base = uniform(0.5, 0.9);
  return { base, max: uniform(base, 0.99) };
}

function randomCyclic(): CyclicSpec {
  const baseLr = logUniform(1e-5, 1e-1);
  const spec: CyclicSpec = { policy: 'cyclic', baseLr, maxLr: baseLr * uniform(1.01, 100), stepSizeUp: integer(1, 50) };
  if (chance(0.5)) spec.stepSizeDown = integer(1, 50);
  spec.mode = pick(['triangular', 'triangular2', 'exp_range'] as const);
  if (spec.mode === 'exp_range' || chance(0.2)) spec.gamma = uniform(0.9, 1);
  if (chance(0.8)) {
    const m = momentumPair();
    spec.baseMomentum = m.base;
    spec.maxMomentum = m.max;
  }
  spec.cycleMomentum = chance(0.7);
  const cycle = spec.stepSizeUp + (spec.stepSizeDown ?? spec.stepSizeUp);
  spec.steps = Math.max(1, Math.round(cycle * uniform(0.5, 3.5)));
  return spec;
}

function randomPytorch(): OneCyclePytorchSpec {
  return valid(() => {
    const totalSteps = integer(2, 300);
    const spec: OneCyclePytorchSpec = { policy: 'onecycle', flavor: 'pytorch', maxLr: logUniform(1e-4, 10), totalSteps };
    if (chance(0.15)) return spec; // all defaults
    spec.threePhase = chance(0.4);
    // A quarter of the cases put the phase end exactly on a step (pctStart·N integer): the boundary cases.
    spec.pctStart = chance(0.25) ? integer(2, Math.max(2, Math.floor(totalSteps / 2))) / totalSteps : uniform(0.01, 0.95);
    spec.annealStrategy = pick(['cos', 'linear'] as const);
    spec.divFactor = logUniform(1.5, 1e3);
    spec.finalDivFactor = logUniform(1, 1e5);
    spec.cycleMomentum = chance(0.7);
    const m = momentumPair();
    spec.baseMomentum = m.base;
    spec.maxMomentum = m.max;
    return spec;
  });
}

function randomSmith(): OneCycleSmithSpec {
  const totalSteps = integer(4, 300);
  const minLr = logUniform(1e-4, 1e-1);
  const spec: OneCycleSmithSpec = {
    policy: 'onecycle',
    flavor: 'smith',
    minLr,
    maxLr: minLr * uniform(1.5, 30),
    stepSize: integer(1, Math.floor((totalSteps - 2) / 2)),
    totalSteps,
    finalLr: minLr / logUniform(1, 1e4),
  };
  if (chance(0.6)) {
    const m = momentumPair();
    spec.momentum = { max: m.max, min: m.base };
  }
  return valid(() => spec);
}

function randomFastai(): OneCycleFastaiSpec {
  return valid(() => {
    const spec: OneCycleFastaiSpec = { policy: 'onecycle', flavor: 'fastai', lrMax: logUniform(1e-5, 1), totalSteps: integer(2, 200) };
    if (chance(0.15)) return spec;
    spec.pctStart = chance(0.25) ? integer(1, spec.totalSteps - 1) / spec.totalSteps : uniform(0.01, 0.99);
    spec.div = logUniform(1.5, 1e3);
    spec.divFinal = logUniform(1, 1e6);
    const m = momentumPair();
    spec.moms = [m.max, m.base, uniform(m.base, 0.99)];
    return spec;
  });
}

const cyclicSpecs = Array.from({ length: CASES }, randomCyclic);
const pytorchSpecs = Array.from({ length: CASES }, randomPytorch);
const smithSpecs = Array.from({ length: CASES }, randomSmith);
const fastaiSpecs = Array.from({ length: CASES }, randomFastai);

/** DESIGN.md's seed example (Smith, CIFAR-10, ResNet-56). */
const SEED: OneCycleSmithSpec = { policy: 'onecycle', flavor: 'smith', minLr: 0.08, maxLr: 0.8, stepSize: 41, totalSteps: 95, finalLr: 0.008 };

let oracle: OracleAnswer;

before(() => {
  const request = {
    cyclic: cyclicSpecs.map((s) => ({ kwargs: torchCyclicLRKwargs(s), steps: s.steps })),
    onecycle: [...pytorchSpecs, ...[...smithSpecs, SEED].map(smithToPytorchOneCycle)].map((s) => ({ kwargs: torchOneCycleLRKwargs(s), steps: s.totalSteps })),
    fastai: fastaiSpecs.map((spec) => {
      const s = withDefaults(spec);
      return { lr_max: s.lrMax, div: s.div, div_final: s.divFinal, pct_start: s.pctStart, moms: s.moms, total_steps: s.totalSteps };
    }),
  };
  const run = spawnSync(PYTHON, [ORACLE], { input: JSON.stringify(request), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const hint = `These tests need real PyTorch for ${PYTHON}: install it with \`apt-get install -y python3-torch\`.`;
  if (run.error) assert.fail(`could not run ${PYTHON} (${run.error.message}). ${hint}`);
  assert.equal(run.status, 0, `${ORACLE} failed:\n${run.stderr}\n${hint}`);
  oracle = JSON.parse(run.stdout) as OracleAnswer;
  if (oracle.error) assert.fail(`${oracle.error}. ${hint}`);
});

function check(ours: Sequence, theirs: Sequence, what: string): void {
  assertClose(ours.lr, theirs.lr, `${what} lr`);
  assert.equal(ours.momentum === null, theirs.momentum === null, `${what}: momentum cycled by one side only`);
  if (ours.momentum && theirs.momentum) assertClose(ours.momentum, theirs.momentum, `${what} momentum`);
}

describe('schedules vs real PyTorch (torch.optim.lr_scheduler)', () => {
  test(`cyclic == CyclicLR on ${CASES} random configurations`, () => {
    assert.equal(oracle.cyclic.length, CASES);
    cyclicSpecs.forEach((spec, k) => check(sampleSchedule(spec), oracle.cyclic[k], `cyclic #${k} ${JSON.stringify(spec)}`));
  });

  test(`onecycle/pytorch == OneCycleLR on ${CASES} random configurations`, () => {
    pytorchSpecs.forEach((spec, k) => check(sampleSchedule(spec), oracle.onecycle[k], `pytorch #${k} ${JSON.stringify(spec)}`));
  });

  test(`onecycle/smith == OneCycleLR(three_phase=True, anneal_strategy='linear', …) from smithToPytorchOneCycle on ${CASES} configurations`, () => {
    smithSpecs.forEach((spec, k) => check(sampleSchedule(spec), oracle.onecycle[CASES + k], `smith #${k} ${JSON.stringify(spec)}`));
  });

  test('the seed example through real OneCycleLR: 0.08 at 0, 0.8 at 41, 0.08 at 82, 0.008 at 94', () => {
    const torchLr = oracle.onecycle[2 * CASES].lr;
    assertClose([torchLr[0], torchLr[41], torchLr[82], torchLr[94]], [0.08, 0.8, 0.08, 0.008], 'torch seed');
    assertClose(sampleSchedule(SEED).lr, torchLr, 'seed');
  });
});

describe('onecycle/fastai vs fastai combine_scheds on torch float32 tensors', () => {
  test(`fit_one_cycle lr and moms on ${CASES} random configurations`, () => {
    fastaiSpecs.forEach((spec, k) => check(sampleSchedule(spec), oracle.fastai[k], `fastai #${k} ${JSON.stringify(spec)}`));
  });

  test('the float32 position arithmetic matters: plain float64 misses fastai by more than 1e-9', () => {
    let worst = 0;
    fastaiSpecs.forEach((spec, k) => {
      const s = withDefaults(spec);
      const f64 = combinedCos(s.pctStart, s.lrMax / s.div, s.lrMax, s.lrMax / s.divFinal);
      oracle.fastai[k].lr.forEach((v, i) => (worst = Math.max(worst, relErr(f64(i / s.totalSteps), v))));
    });
    assert.ok(worst > 1e-9, `float64 worst relative error ${worst}`);
  });
});
