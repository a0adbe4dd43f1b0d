/** validateSpec: every class of bad spec is rejected with a SpecError naming the field and what is allowed. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileSchedule, SpecError, validateSpec } from '../../src/core/schedules/index';

const SEED = { policy: 'onecycle', flavor: 'smith', minLr: 0.08, maxLr: 0.8, stepSize: 41, totalSteps: 95, finalLr: 0.008 };
const PYTORCH = { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.1, totalSteps: 100 };
const CYCLIC = { policy: 'cyclic', baseLr: 0.001, maxLr: 0.006, stepSizeUp: 20 };

/** Asserts `input` is rejected for `field` with a message matching every pattern. */
function rejects(input: unknown, field: string, ...patterns: (string | RegExp)[]): void {
  let error: unknown;
  try {
    validateSpec(input);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof SpecError, `expected a SpecError for ${JSON.stringify(input)}, got ${String(error)}`);
  assert.equal(error.field, field, error.message);
  assert.ok(error.message.includes(`"${field}"`) || field === 'spec', `message names the field: ${error.message}`);
  for (const p of patterns) {
    if (typeof p === 'string') assert.ok(error.message.includes(p), `"${error.message}" should contain "${p}"`);
    else assert.match(error.message, p);
  }
}

describe('validateSpec accepts good specs', () => {
  test('the seed example and minimal specs of every policy/flavor', () => {
    const good = [
      SEED,
      PYTORCH,
      CYCLIC,
      { policy: 'range', mode: 'exp', startLr: 1e-7, endLr: 10, steps: 100 },
      { policy: 'constant', lr: 0.1 },
      { policy: 'onecycle', flavor: 'fastai', lrMax: 0.01, totalSteps: 20 },
      { policy: 'onecycle', flavor: 'optax-cosine', peakValue: 0.1, transitionSteps: 100 },
      { policy: 'onecycle', flavor: 'optax-linear', peakValue: 0.1, transitionSteps: 100 },
    ];
    for (const spec of good) assert.deepEqual(validateSpec(spec), spec);
  });

  test('returns a fresh object', () => {
    const spec = { ...SEED };
    assert.notEqual(validateSpec(spec), spec);
  });
});

describe('validateSpec rejects', () => {
  test('a value that is not an object', () => {
    for (const v of [null, 3, 'onecycle', [SEED]]) rejects(v, 'spec', 'must be a JSON object');
  });

  test('a missing or unknown policy', () => {
    rejects({ lr: 0.1 }, 'policy', 'is missing', '"range", "constant", "cyclic", "onecycle"');
    rejects({ policy: 'onecylce', lr: 0.1 }, 'policy', 'must be one of "range", "constant", "cyclic", "onecycle"', 'got "onecylce"');
  });

  test('a missing or unknown flavor', () => {
    rejects({ ...SEED, flavor: undefined }, 'flavor', 'onecycle:', 'is missing', '"pytorch", "fastai", "optax-cosine", "optax-linear", "smith"');
    rejects({ ...SEED, flavor: 'keras' }, 'flavor', 'must be one of "pytorch", "fastai", "optax-cosine", "optax-linear", "smith"', 'got "keras"');
  });

  test('an LR ≤ 0 or not finite', () => {
    rejects({ ...SEED, minLr: 0 }, 'minLr', 'onecycle/smith: field "minLr" must be a finite number > 0, got 0');
    rejects({ ...PYTORCH, maxLr: -0.1 }, 'maxLr', 'must be a finite number > 0', 'got -0.1');
    rejects({ policy: 'constant', lr: Number.POSITIVE_INFINITY }, 'lr', 'must be a finite number > 0', 'got Infinity');
    rejects({ policy: 'range', mode: 'exp', startLr: Number.NaN, endLr: 1, steps: 10 }, 'startLr', 'got NaN');
    rejects(JSON.parse('{"policy":"onecycle","flavor":"fastai","lrMax":1e999,"totalSteps":10}'), 'lrMax', 'got Infinity');
  });

  test('an upper bound not above its lower bound', () => {
    rejects({ ...CYCLIC, maxLr: 0.0005 }, 'maxLr', 'cyclic: field "maxLr" must be greater than baseLr (0.001), got 0.0005');
    rejects({ ...SEED, maxLr: 0.08 }, 'maxLr', 'must be greater than minLr (0.08)');
    rejects({ ...SEED, finalLr: 0.1 }, 'finalLr', 'must be ≤ minLr (0.08)');
    rejects({ policy: 'range', mode: 'exp', startLr: 1, endLr: 1e-3, steps: 10 }, 'endLr', 'must be greater than startLr (1)');
    rejects({ ...CYCLIC, baseMomentum: 0.9, maxMomentum: 0.8 }, 'maxMomentum', 'must be ≥ baseMomentum (0.9)');
    rejects({ ...PYTORCH, maxMomentum: 0.8 }, 'maxMomentum', 'must be ≥ baseMomentum (0.85)');
    rejects({ ...SEED, momentum: { max: 0.8, min: 0.9 } }, 'momentum.max', 'must be ≥ momentum.min (0.9)');
    rejects({ ...PYTORCH, divFactor: 1 }, 'divFactor', 'must be a finite number > 1, got 1');
    rejects({ policy: 'onecycle', flavor: 'fastai', lrMax: 0.1, totalSteps: 10, div: 0.5 }, 'div', 'must be a finite number > 1');
  });

  test('a fraction outside (0, 1)', () => {
    rejects({ ...PYTORCH, pctStart: 1.5 }, 'pctStart', 'onecycle/pytorch: field "pctStart" must be in (0, 1), got 1.5');
    rejects({ ...PYTORCH, pctStart: 0 }, 'pctStart', 'must be in (0, 1), got 0');
    rejects({ policy: 'onecycle', flavor: 'fastai', lrMax: 0.1, totalSteps: 10, pctStart: 1 }, 'pctStart', 'must be in (0, 1)');
    rejects({ policy: 'onecycle', flavor: 'optax-linear', peakValue: 0.1, transitionSteps: 100, pctFinal: -0.2 }, 'pctFinal', 'must be in (0, 1)');
  });

  test('a length too short', () => {
    rejects({ ...PYTORCH, totalSteps: 1 }, 'totalSteps', 'must be an integer ≥ 2, got 1');
    rejects({ policy: 'range', mode: 'linear', startLr: 1e-4, endLr: 1, steps: 1 }, 'steps', 'must be an integer ≥ 2');
    rejects({ policy: 'onecycle', flavor: 'optax-cosine', peakValue: 0.1, transitionSteps: 0 }, 'transitionSteps', 'must be an integer ≥ 2');
    rejects({ ...CYCLIC, stepSizeUp: 0 }, 'stepSizeUp', 'must be an integer ≥ 1');
  });

  test('phases that do not fit the schedule (stepSize too long, warm-up without steps)', () => {
    rejects({ ...SEED, stepSize: 47 }, 'stepSize', 'too long for totalSteps 95', 'at most 46', 'got 47');
    rejects({ ...SEED, stepSize: 1, totalSteps: 3 }, 'stepSize', 'too long for totalSteps 3');
    rejects({ ...PYTORCH, totalSteps: 10, pctStart: 0.1 }, 'pctStart', 'must be > 1/totalSteps = 0.1', 'pctStart·totalSteps − 1');
    rejects({ ...PYTORCH, pctStart: 0.6, threePhase: true }, 'pctStart', 'must be < (totalSteps + 1)/(2·totalSteps) = 0.505 with threePhase');
    rejects({ policy: 'onecycle', flavor: 'optax-cosine', peakValue: 0.1, transitionSteps: 3, pctStart: 0.3 }, 'pctStart', 'int(pctStart·transitionSteps)');
    rejects({ policy: 'onecycle', flavor: 'optax-linear', peakValue: 0.1, transitionSteps: 10, pctStart: 0.3, pctFinal: 0.35 }, 'pctFinal', 'strictly between int(pctStart·transitionSteps) = 3 and transitionSteps = 10');
  });

  test('a missing field', () => {
    const { stepSize: _unused, ...noStepSize } = SEED;
    rejects(noStepSize, 'stepSize', 'onecycle/smith: field "stepSize" is missing (an integer ≥ 1)');
    rejects({ policy: 'range', startLr: 1e-7, endLr: 1, steps: 10 }, 'mode', 'is missing (one of "exp", "linear")');
    rejects({ policy: 'constant' }, 'lr', 'is missing');
    rejects({ ...SEED, momentum: { max: 0.95 } }, 'momentum.min', 'is missing');
  });

  test('a wrong type', () => {
    rejects({ ...PYTORCH, maxLr: '0.1' }, 'maxLr', 'must be a finite number > 0, got "0.1" (a string)');
    rejects({ ...PYTORCH, totalSteps: 99.5 }, 'totalSteps', 'must be an integer ≥ 2, got 99.5');
    rejects({ ...PYTORCH, threePhase: 'yes' }, 'threePhase', 'must be true or false');
    rejects({ ...PYTORCH, annealStrategy: 'cosine' }, 'annealStrategy', 'must be one of "cos", "linear", got "cosine"');
    rejects({ ...CYCLIC, mode: 'triangle' }, 'mode', 'must be one of "triangular", "triangular2", "exp_range"');
    rejects({ ...SEED, momentum: 0.9 }, 'momentum', 'must be an object {"max": number, "min": number}');
    rejects({ policy: 'onecycle', flavor: 'fastai', lrMax: 0.1, totalSteps: 10, moms: [0.95, 0.85] }, 'moms', 'must be an array of 3 momentums');
    rejects({ policy: 'onecycle', flavor: 'fastai', lrMax: 0.1, totalSteps: 10, moms: [0.95, 1.2, 0.95] }, 'moms[1]', 'must be a number in [0, 1), got 1.2');
    rejects({ ...CYCLIC, maxMomentum: 1 }, 'maxMomentum', 'must be a number in [0, 1), got 1');
  });

  test('an unknown extra field: a typo never becomes a default', () => {
    rejects({ ...SEED, stepsize: 41 }, 'stepsize', 'onecycle/smith: unknown field "stepsize" (did you mean "stepSize"?)', 'allowed fields: policy, flavor, minLr');
    rejects({ ...PYTORCH, pct_start: 0.25 }, 'pct_start', '(did you mean "pctStart"?)');
    rejects({ ...PYTORCH, epochs: 3 }, 'epochs', 'unknown field "epochs"; allowed fields');
    rejects({ policy: 'onecycle', flavor: 'optax-cosine', peakValue: 0.1, transitionSteps: 100, pctFinal: 0.8 }, 'pctFinal', 'unknown field "pctFinal"');
    rejects({ ...SEED, momentum: { max: 0.95, min: 0.85, base: 0.9 } }, 'momentum.base', 'unknown field "momentum.base"', 'allowed fields: momentum.max, momentum.min');
  });

  test('compileSchedule validates too', () => {
    assert.throws(() => compileSchedule({ ...SEED, stepSize: 60 } as never), SpecError);
  });
});
