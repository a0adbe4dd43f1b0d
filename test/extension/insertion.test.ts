// Schedule insertion: the pure decisions (refusal on a changed version, "already up to date",
// the length probe, framework order, input parsing) with the real code generator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCodegen } from '../../src/codegen/index';
import { applyEdits, type InsertionPlan } from '../../src/codegen/types';
import type { PlanOutcome } from '../../src/codegen/index';

function planOf(outcome: PlanOutcome): InsertionPlan {
  if (!outcome.ok) throw new Error(outcome.problem.message);
  return outcome.plan;
}
import {
  codeLanguageOfId,
  decideApply,
  flavorFor,
  frameworkChoices,
  isLensInsertArgs,
  stepCountOf,
  parseCount,
  parseLr,
  specFor,
  type PlannedInsertion,
} from '../../src/extension/insertion/planning';

const fixture = join(__dirname, '..', 'codegen', 'fixtures', 'python', 'pytorch_plain.py');
const codegenReady = createCodegen();

const plan: InsertionPlan = {
  framework: 'pytorch',
  edits: [{ start: 4, end: 4, newText: ' there' }],
  summary: ['say hello there'],
  updatesExisting: false,
};

test('a plan made for version 3 is refused once the document is at version 4, and nothing is applied', () => {
  const planned: PlannedInsertion = { uri: 'file:///a.py', version: 3, plan };
  const decision = decideApply(planned, { version: 4, text: 'hello world' });
  assert.equal(decision.kind, 'refused');
  assert.match(decision.kind === 'refused' ? decision.message : '', /changed/);
});

test('the same version gets exactly the planned edits', () => {
  const decision = decideApply({ uri: 'file:///a.py', version: 3, plan }, { version: 3, text: 'helloworld' });
  assert.deepEqual(decision, { kind: 'apply', edits: plan.edits });
});

test('edits that would not change the text are "already up to date"', () => {
  const noop: InsertionPlan = { ...plan, edits: [{ start: 0, end: 5, newText: 'hello' }], updatesExisting: true };
  const decision = decideApply({ uri: 'u', version: 1, plan: noop }, { version: 1, text: 'hello world' });
  assert.equal(decision.kind, 'up-to-date');
  assert.equal(decideApply({ uri: 'u', version: 1, plan: { ...plan, edits: [] } }, { version: 1, text: 'x' }).kind, 'up-to-date');
});

test('inserting into a real PyTorch script, then inserting again, is idempotent; a new LR updates the schedule', async () => {
  const codegen = await codegenReady;
  const text = readFileSync(fixture, 'utf8');
  const source = { text, fileName: 'train.py' };
  const first = planOf(codegen.plan(specFor('pytorch', 3.2e-3, 1, 100), 'pytorch', source));
  const decision = decideApply({ uri: 'u', version: 1, plan: first }, { version: 1, text });
  assert.equal(decision.kind, 'apply');
  const after = applyEdits(text, decision.kind === 'apply' ? decision.edits : []);
  assert.match(after, /OneCycleLR\(optimizer, max_lr=0\.0032, total_steps=total_steps\)/);
  assert.match(after, /optimizer\.step\(\)\n\s+scheduler\.step\(\)/);

  const again = planOf(codegen.plan(specFor('pytorch', 3.2e-3, 1, 100), 'pytorch', { text: after, fileName: 'train.py' }));
  assert.equal(decideApply({ uri: 'u', version: 2, plan: again }, { version: 2, text: after }).kind, 'up-to-date');

  const retuned = planOf(codegen.plan(specFor('pytorch', 1e-2, 1, 100), 'pytorch', { text: after, fileName: 'train.py' }));
  const update = decideApply({ uri: 'u', version: 2, plan: retuned }, { version: 2, text: after });
  assert.equal(update.kind, 'apply');
  assert.equal(retuned.updatesExisting, true);
  const updated = applyEdits(after, update.kind === 'apply' ? update.edits : []);
  assert.match(updated, /max_lr=0\.01,/);
  assert.equal(updated.match(/OneCycleLR\(/g)?.length, 1, 'updated in place, not inserted twice');
});

test('the step count: a loop over epochs × len(loader) sizes the schedule itself; a file without an optimizer step has none', async () => {
  const codegen = await codegenReady;
  const text = readFileSync(fixture, 'utf8');
  assert.deepEqual(stepCountOf(codegen, 'pytorch', 1e-3, 'pytorch', { text, fileName: 'train.py' })?.expr, 'epochs * len(train_loader)');
  const bare = 'import torch\nmodel = torch.nn.Linear(2, 1)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n';
  assert.equal(stepCountOf(codegen, 'pytorch', 1e-3, 'pytorch', { text: bare, fileName: 'bare.py' }), null);
});

test('framework choices: the detected framework first, then the default when it fits the language', () => {
  assert.deepEqual(frameworkChoices('python', 'keras', 'pytorch').slice(0, 2), ['keras', 'pytorch']);
  assert.deepEqual(frameworkChoices('python', null, 'tfjs'), ['pytorch', 'lightning', 'keras', 'fastai', 'optax']);
  assert.deepEqual(frameworkChoices('typescript', null, 'pytorch'), ['tfjs']);
  assert.equal(codeLanguageOfId('javascriptreact'), 'typescript');
  assert.equal(codeLanguageOfId('markdown'), null);
});

test('an existing CyclicLR keeps its policy; everything else gets the one-cycle flavor of the settings', () => {
  assert.equal(flavorFor({ kind: 'scheduler', name: 'CyclicLR' }, 'pytorch'), 'cyclic');
  assert.equal(flavorFor({ kind: 'scheduler', name: 'OneCycleLR' }, 'fastai'), 'fastai');
  assert.equal(flavorFor({ kind: 'optimizer' }, 'smith'), 'smith');
  assert.equal(flavorFor(undefined, 'pytorch'), 'pytorch');
});

test('typed learning rates and counts', () => {
  assert.equal(parseLr('3e-3'), 3e-3);
  assert.equal(parseLr(' 0.01 '), 0.01);
  for (const bad of ['', '0', '-1e-3', 'abc', '1e-3x', 'Infinity']) assert.equal(parseLr(bad), null, bad);
  assert.equal(parseCount('12'), 12);
  for (const bad of ['0', '1.5', '-2', 'x']) assert.equal(parseCount(bad), null, bad);
});

test('lens arguments are recognised only when well formed', () => {
  const args = { kind: 'lrScope.lensInsert', uri: 'file:///t.py', framework: 'pytorch', anchorKind: 'optimizer', maxLr: 3e-3 };
  assert.equal(isLensInsertArgs(args), true);
  assert.equal(isLensInsertArgs({ ...args, maxLr: null }), true);
  assert.equal(isLensInsertArgs({ ...args, framework: 'caffe' }), false);
  assert.equal(isLensInsertArgs({ ...args, maxLr: -1 }), false);
  assert.equal(isLensInsertArgs('file:///t.py'), false);
});
