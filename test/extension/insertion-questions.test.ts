// What the Insert and Train flows ask given what is known, the one step counter over the prompts
// shown, and the words that say where an LR comes from (pure).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { questionsFor, questionTitle } from '../../src/extension/insertion/questions';
import { fromModel, lrWithOrigin, modelName, offeredLr, originText, panelLrSource, recommendationFor } from '../../src/extension/insertion/provenance';

test('only what is not known is asked, in one order', () => {
  const none = { frameworkChoices: 1, maxLr: true, epochs: true, stepsPerEpoch: true };
  assert.deepEqual(questionsFor(none), []);
  assert.deepEqual(questionsFor({ ...none, maxLr: false }), ['max-lr']);
  assert.deepEqual(questionsFor({ frameworkChoices: 5, maxLr: false, epochs: false, stepsPerEpoch: false }), ['framework', 'max-lr', 'epochs', 'steps-per-epoch']);
  // an experiment without `epochs` whose data gives the batches per epoch: only the epochs
  assert.deepEqual(questionsFor({ asksFlavor: true, frameworkChoices: 1, maxLr: false, epochs: false, stepsPerEpoch: true }), ['flavor', 'max-lr', 'epochs']);
  // a PyTorch script trained through the probe: one count of optimizer steps, when the file does not give it
  assert.deepEqual(questionsFor({ asksFlavor: true, frameworkChoices: 1, maxLr: false, epochs: false, stepsPerEpoch: false, lengthInSteps: true }), ['flavor', 'max-lr', 'steps']);
  assert.deepEqual(questionsFor({ asksFlavor: true, frameworkChoices: 1, maxLr: false, epochs: true, stepsPerEpoch: true, lengthInSteps: true }), ['flavor', 'max-lr']);
});

test('one counter over the prompts actually shown; none for a single prompt', () => {
  const shown = questionsFor({ frameworkChoices: 1, maxLr: false, epochs: false, stepsPerEpoch: false });
  assert.deepEqual(
    shown.map((q) => questionTitle('LR Scope: Insert Schedule', shown, q)),
    ['LR Scope: Insert Schedule (1/3): maximum learning rate', 'LR Scope: Insert Schedule (2/3): epochs', 'LR Scope: Insert Schedule (3/3): steps per epoch'],
  );
  assert.equal(questionTitle('LR Scope: Insert Schedule', ['max-lr'], 'max-lr'), 'LR Scope: Insert Schedule: maximum learning rate');
  // no two prompts share a number
  const titles = shown.map((q) => questionTitle('T', shown, q));
  assert.equal(new Set(titles.map((t) => /\((\d)\/\d\)/.exec(t)![1])).size, titles.length);
});

test('provenance: the run and the model, "from <model>" when it is not the file the LR goes into; the LR rounded to two digits', () => {
  const digits = { lr: 0.0028131723, origin: 'recommended' as const, runId: 'r7', experimentPath: '/ws/examples/digits.experiment.ts' };
  assert.equal(modelName('/ws/examples/digits.experiment.ts'), 'digits');
  assert.equal(modelName('/ws/train.py'), 'train');
  assert.equal(offeredLr(digits), 0.0028);
  assert.equal(fromModel(digits, '/ws/train.py'), ' from digits');
  assert.equal(fromModel(digits, '/ws/examples/digits.experiment.ts'), '');
  assert.equal(originText(digits, '/ws/train.py'), 'recommended by run r7 of digits (not a run of train.py)');
  assert.equal(originText({ ...digits, origin: 'picked' }, undefined), 'picked on the curve of run r7 of digits');
  assert.equal(lrWithOrigin('max_lr', 0.0028, digits, '/ws/train.py'), 'max_lr=2.8e-3 from digits, run r7');
  assert.equal(lrWithOrigin('max_lr', 0.0028, { ...digits, experimentPath: '/ws/train.py' }, '/ws/train.py'), 'max_lr=2.8e-3, run r7 of train');
  assert.equal(lrWithOrigin('max_lr', 0.01, digits, '/ws/train.py'), 'max_lr=1.0e-2 typed; run r7 of digits: it recommends 2.8e-3');
  assert.equal(lrWithOrigin('max_lr', 0.01, { ...digits, origin: 'picked' }, undefined), 'max_lr=1.0e-2 typed; run r7 of digits: 2.8e-3 was picked on its curve');
  assert.equal(lrWithOrigin('maxLr', 0.01, undefined, undefined), 'maxLr=1.0e-2');
});

test('a file\'s own LR is preferred; otherwise the latest of any run', async () => {
  const own = { lr: 1, origin: 'recommended' as const, runId: 'own', experimentPath: '/ws/train.py' };
  const any = { lr: 2, origin: 'recommended' as const, runId: 'any', experimentPath: '/ws/digits.experiment.ts' };
  const latest = async (path?: string) => (path === undefined ? any : path === '/ws/train.py' ? own : undefined);
  assert.equal((await recommendationFor(latest, '/ws/train.py'))?.runId, 'own');
  assert.equal((await recommendationFor(latest, '/ws/other.py'))?.runId, 'any');
  assert.equal((await recommendationFor(latest, undefined))?.runId, 'any');
});

test('the panel\'s LR comes from the run it shows: its pick on that run, else its recommendation; nothing for other views', () => {
  const records = [{ id: 'r1', experiment: { path: '/ws/examples/digits.experiment.ts', sha256: '' }, recommendation: { lr: 0.0028131723 } }] as never;
  const state = { view: 'range-test', run: { id: 'r1' } } as never;
  assert.deepEqual(panelLrSource(state, records, undefined), { runId: 'r1', experimentPath: '/ws/examples/digits.experiment.ts', lr: 0.0028131723, origin: 'recommended' });
  assert.equal(panelLrSource(state, records, { runId: 'r1', lr: 0.01 })?.origin, 'picked');
  assert.equal(panelLrSource(state, records, { runId: 'other', lr: 0.01 })?.origin, 'recommended');
  assert.equal(panelLrSource({ view: 'schedule', maxLr: 0.1 } as never, records, undefined), undefined);
  assert.equal(panelLrSource({ view: 'range-test', run: { id: 'gone' } } as never, records, undefined), undefined);
});
