/**
 * The schedule code generated for Keras (TensorFlow ops), optax (jnp ops, or optax's own schedules) and fastai
 * (a ParamScheduler over plain Python), momentum included (Keras callback, optax `inject_hyperparams`) — none of which is installed here — executed with numpy standing in for
 * `tf` / `jnp` / optax, against the core's sequence (rel. err ≤ 1e-9). One Python process runs them all.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planPythonInsertion, type PythonFramework } from '../../src/codegen/python/index';
import { sampleSchedule, specLength } from '../../src/core/schedules/index';
import type { ScheduleSpec } from '../../src/core/schedules/spec';
import { assertClose, fixture, getParser, runHarness } from './python-helpers';

const SPECS: ScheduleSpec[] = [
  { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.5, totalSteps: 40 },
  { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.3, totalSteps: 40, annealStrategy: 'linear', threePhase: true, pctStart: 0.25, divFactor: 10, finalDivFactor: 100, baseMomentum: 0.8, maxMomentum: 0.9 },
  { policy: 'onecycle', flavor: 'pytorch', maxLr: 1.5, totalSteps: 40, threePhase: true, pctStart: 0.2 },
  { policy: 'onecycle', flavor: 'fastai', lrMax: 0.01, totalSteps: 40 },
  { policy: 'onecycle', flavor: 'fastai', lrMax: 0.2, totalSteps: 40, pctStart: 0.3, div: 10, divFinal: 1e4, moms: [0.9, 0.8, 0.9] },
  { policy: 'onecycle', flavor: 'optax-cosine', peakValue: 0.4, transitionSteps: 40 },
  { policy: 'onecycle', flavor: 'optax-linear', peakValue: 0.4, transitionSteps: 40, pctStart: 0.25, pctFinal: 0.5 },
  { policy: 'onecycle', flavor: 'optax-linear', peakValue: 0.1, transitionSteps: 40, divFactor: 5, finalDivFactor: 50 },
  { policy: 'onecycle', flavor: 'smith', minLr: 0.08, maxLr: 0.8, stepSize: 41, totalSteps: 95, finalLr: 0.008 },
  { policy: 'onecycle', flavor: 'smith', minLr: 0.1, maxLr: 0.3, stepSize: 2, totalSteps: 7, finalLr: 0.05, momentum: { max: 0.9, min: 0.7 } },
  { policy: 'cyclic', mode: 'triangular', baseLr: 0.001, maxLr: 0.006, stepSizeUp: 5 },
  { policy: 'cyclic', mode: 'triangular2', baseLr: 0.01, maxLr: 0.1, stepSizeUp: 3, stepSizeDown: 5, cycleMomentum: false },
  { policy: 'cyclic', mode: 'exp_range', baseLr: 0.01, maxLr: 0.1, stepSizeUp: 4, gamma: 0.95, baseMomentum: 0.85, maxMomentum: 0.95 },
  { policy: 'range', mode: 'exp', startLr: 1e-7, endLr: 10, steps: 40 },
  { policy: 'range', mode: 'linear', startLr: 1e-4, endLr: 0.5, steps: 40 },
];

interface Job {
  id: string;
  code: string;
  call: string;
  n: number;
  tensor: boolean;
  expected: number[];
}

function dedent(code: string): string {
  const lines = code.split('\n');
  const lead = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(lead)).join('\n');
}

function length(spec: ScheduleSpec): number {
  return specLength(spec) ?? 50;
}

describe('Keras, optax and fastai schedule code evaluated with numpy stand-ins', () => {
  const jobs: Job[] = [];
  const values = new Map<string, { values: number[]; error: string | null }>();
  const natives: { id: string; text: string }[] = [];

  before(async () => {
    const parser = await getParser();
    const planFor = (file: string, spec: ScheduleSpec, framework: PythonFramework) => planPythonInsertion(parser, spec, framework, fixture(file));
    for (const [k, spec] of SPECS.entries()) {
      const n = length(spec);
      const expected = sampleSchedule(spec, n);
      const id = `#${k} ${spec.policy}/${'flavor' in spec ? spec.flavor : 'mode' in spec ? spec.mode : ''}`;
      // Keras: the LearningRateSchedule subclass (tf ops) and the momentum callback's function
      const kerasEdit = planFor('keras_fit.py', spec, 'keras').edits.find((e) => e.newText.includes('LearningRateSchedule'))!;
      // the fixture's length comes from `fit` and its data: here the schedule runs over the spec's n steps
      const keras = { newText: kerasEdit.newText.replace(/^total_steps = .*$/m, `total_steps = ${n}`) };
      const cls = /class (\w+)\(/.exec(keras.newText)![1]!;
      jobs.push({ id: `keras ${id} lr`, code: keras.newText, call: `${cls}()(step)`, n, tensor: true, expected: expected.lr });
      if (specLength(spec) !== null) {
        // past its end a schedule holds its last value (Keras keeps calling it while fit goes on)
        const past = [...expected.lr, ...Array<number>(30).fill(expected.lr[n - 1]!)];
        jobs.push({ id: `keras ${id} lr past the end`, code: keras.newText, call: `${cls}()(step)`, n: n + 30, tensor: true, expected: past });
      }
      if (expected.momentum) {
        assert.match(keras.newText, /def momentum_at_step/, `keras ${id}: momentum callback`);
        jobs.push({ id: `keras ${id} momentum`, code: keras.newText, call: 'momentum_at_step(step)', n, tensor: false, expected: expected.momentum });
      }
      // optax: optax's own schedule where it is the spec, else an exact jnp function
      const optax = planFor('flax_optax.py', spec, 'optax');
      const def = optax.edits.find((e) => e.newText.includes('def lr_schedule'));
      if (def) {
        jobs.push({ id: `optax ${id} lr`, code: dedent(def.newText), call: 'lr_schedule(step)', n, tensor: true, expected: expected.lr });
      } else {
        const value = optax.edits.find((e) => /^optax\.\w+_schedule\(/.test(e.newText))!.newText;
        natives.push({ id: `optax ${id}`, text: value });
        jobs.push({ id: `optax ${id} lr`, code: `schedule = ${value}`, call: 'schedule(step)', n, tensor: true, expected: expected.lr });
      }
      // optax momentum: Adam's b1 through optax.inject_hyperparams
      const momentumDef = optax.edits.find((e) => e.newText.includes('def momentum_schedule'));
      assert.equal(momentumDef !== undefined, expected.momentum !== null, `optax ${id}: momentum_schedule exactly when the spec cycles momentum`);
      if (momentumDef && expected.momentum) {
        jobs.push({ id: `optax ${id} b1`, code: dedent(momentumDef.newText), call: 'momentum_schedule(step)', n, tensor: true, expected: expected.momentum });
        assert.ok(optax.edits.some((e) => e.newText === 'optax.inject_hyperparams(optax.adam)'), `optax ${id}: inject_hyperparams`);
      }
      // fastai: ParamScheduler functions of the training fraction, for every flavor but fastai's own
      if (!(spec.policy === 'onecycle' && spec.flavor === 'fastai')) {
        const fastai = planFor('fastai_learner.py', spec, 'fastai').edits.find((e) => e.newText.includes('def lr_at_pos'))!;
        const relative = spec.policy === 'onecycle' && spec.flavor !== 'smith';
        const batches = relative ? n / 4 : 25; // 4 epochs in the fixture
        const code = `learn = SimpleNamespace(dls=SimpleNamespace(train=range(${batches})))\n${fastai.newText}`;
        jobs.push({ id: `fastai ${id} lr`, code, call: 'lr_at_pos(step / total_steps)', n, tensor: false, expected: expected.lr });
        if (expected.momentum) jobs.push({ id: `fastai ${id} mom`, code, call: 'momentum_at_pos(step / total_steps)', n, tensor: false, expected: expected.momentum });
      }
    }
    for (const r of runHarness<{ id: string; values: number[]; error: string | null }>('eval_formulas.py', jobs)) values.set(r.id, r);
  });

  it('evaluates every generated schedule without error', () => {
    assert.ok(jobs.length >= 55, `${jobs.length} jobs`);
    for (const j of jobs) assert.equal(values.get(j.id)?.error, null, `${j.id}:\n${values.get(j.id)?.error}\n${j.code}`);
  });

  it('reproduces the core’s LR and momentum at every step (rel. err ≤ 1e-9)', () => {
    for (const j of jobs) assertClose(values.get(j.id)!.values, j.expected, j.id);
  });

  it('passes optax’s own one-cycle schedules for the optax flavors and for Smith’s 1cycle', () => {
    assert.deepEqual(
      natives.map((n) => n.id),
      ['optax #5 onecycle/optax-cosine', 'optax #6 onecycle/optax-linear', 'optax #7 onecycle/optax-linear', 'optax #8 onecycle/smith', 'optax #9 onecycle/smith'],
    );
    assert.equal(natives[0]!.text, 'optax.cosine_onecycle_schedule(transition_steps=40, peak_value=0.4)');
    assert.match(natives[3]!.text, /^optax\.linear_onecycle_schedule\(transition_steps=94, peak_value=0\.8, pct_start=[\d.]+, pct_final=[\d.]+, div_factor=10, final_div_factor=10\)$/);
  });

  it('fastai’s own flavor becomes fit_one_cycle with its arguments', async () => {
    const parser = await getParser();
    const edits = planPythonInsertion(parser, SPECS[4]!, 'fastai', fixture('fastai_learner.py')).edits;
    assert.deepEqual(
      edits.map((e) => e.newText),
      ['learn.fit_one_cycle(4, lr_max=0.2, div=10, div_final=10000, pct_start=0.3, moms=(0.9, 0.8, 0.9), wd=0.01)'],
    );
  });
});
