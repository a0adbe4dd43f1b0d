// Which CodeLenses appear for which anchors and recommendations (pure), plus the real anchors of
// a PyTorch script and a TF.js experiment from the core's code generator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCodegen } from '../../src/codegen/index';
import type { Anchor } from '../../src/codegen/types';
import { lastRangeTestOf, lensesFor, timeAgo, type LensContext } from '../../src/extension/codelens/lenses';
import { isLensInsertArgs } from '../../src/extension/insertion/planning';

const root = join(__dirname, '..', '..');
const now = new Date('2026-11-28T20:00:00Z');
const base: LensContext = { uri: 'file:///ws/train.py', path: '/ws/train.py', recommendation: undefined, lastRangeTest: undefined, now };
const rec = { lr: 3.2e-3, origin: 'recommended' as const };

const anchor = (kind: Anchor['kind'], extra: Partial<Anchor> = {}): Anchor => ({ kind, framework: 'pytorch', start: 10, end: 20, line: 1, ...extra });
const titles = (anchors: Anchor[], context: LensContext) => lensesFor(anchors, context).map((l) => l.title);

test('an optimizer with a recommendation gets "Insert one-cycle (max_lr=…)" carrying the LR to the insert command', () => {
  const [lens, ...rest] = lensesFor([anchor('optimizer', { name: 'optimizer' })], { ...base, recommendation: rec });
  assert.equal(rest.length, 0);
  assert.equal(lens!.title, 'Insert one-cycle (max_lr=3.2e-3)');
  assert.equal(lens!.command, 'lrScope.insertSchedule');
  const args = lens!.arguments[0];
  assert.ok(isLensInsertArgs(args));
  assert.equal(args.maxLr, 3.2e-3);
  assert.equal(args.uri, 'file:///ws/train.py');
  assert.equal(args.framework, 'pytorch');
});

test('an LR from another model\'s run is named as such, never offered as this file\'s own; the length the file takes is shown', () => {
  const from = { lr: 4.8e-2, origin: 'picked' as const, from: { model: 'digits', runId: '20261204-120000-000-range-test-ab12' } };
  const [lens] = lensesFor([anchor('optimizer', { name: 'optimizer' })], { ...base, recommendation: from, stepCount: 'args.epochs * len(train_loader)' });
  assert.equal(lens!.title, 'Insert one-cycle (max_lr=4.8e-2 from digits, over args.epochs * len(train_loader) steps)');
  assert.match(lens!.tooltip, /of run 20261204-120000-000-range-test-ab12 on digits, not a run of this file/);
  const [own] = lensesFor([anchor('optimizer', { name: 'optimizer' })], { ...base, recommendation: { lr: 4.8e-2, origin: 'recommended' } });
  assert.equal(own!.title, 'Insert one-cycle (max_lr=4.8e-2)');
});

test('without a recommendation the lens is "Find LR…" (the insert flow then offers a range test or a log)', () => {
  const [lens] = lensesFor([anchor('optimizer')], base);
  assert.equal(lens!.title, 'Find LR…');
  const args = lens!.arguments[0];
  assert.ok(isLensInsertArgs(args));
  assert.equal(args.maxLr, null);
});

test('one insert lens per file: the optimizer is preferred over the fit call', () => {
  const anchors = [anchor('optimizer', { framework: 'keras', start: 5 }), anchor('fit', { framework: 'keras', start: 50, name: 'model' })];
  const lenses = lensesFor(anchors, { ...base, recommendation: rec });
  assert.equal(lenses.length, 1);
  assert.equal(lenses[0]!.start, 5);
  assert.deepEqual(titles([anchor('fit', { name: 'learn', framework: 'fastai' })], { ...base, recommendation: rec }), ['Insert one-cycle (max_lr=3.2e-3)']);
});

test('TF.js code names the argument maxLr', () => {
  assert.deepEqual(titles([anchor('compile', { framework: 'tfjs' })], { ...base, recommendation: { lr: 0.05, origin: 'picked' } }), ['Insert one-cycle (maxLr=5.0e-2)']);
});

test('an existing OneCycleLR gets "Update max_lr to …" instead of an insert lens, or says it already matches', () => {
  const anchors = [anchor('optimizer'), anchor('scheduler', { name: 'OneCycleLR', maxLr: 0.3, start: 40 })];
  const lenses = lensesFor(anchors, { ...base, recommendation: rec });
  assert.deepEqual(lenses.map((l) => l.title), ['Update max_lr to 3.2e-3']);
  const args = lenses[0]!.arguments[0];
  assert.ok(isLensInsertArgs(args));
  assert.equal(args.anchorName, 'OneCycleLR');
  assert.equal(args.anchorKind, 'scheduler');
  const same = lensesFor([anchor('scheduler', { name: 'CyclicLR', maxLr: 3.2e-3 })], { ...base, recommendation: rec });
  assert.equal(same[0]!.title, 'max_lr matches the recommendation (3.2e-3)');
  assert.equal(same[0]!.command, 'lrScope.showResults');
  assert.equal(lensesFor([anchor('scheduler', { name: 'OneCycleLR' })], base)[0]!.title, 'Find LR…');
});

test('an experiment module gets ▶ Range test, ▶ Train one-cycle and its last result', () => {
  const exp = anchor('experiment', { framework: 'tfjs', name: 'default' });
  const context = { ...base, path: '/ws/blobs.experiment.ts', lastRangeTest: { lr: 3.2e-3, method: 'valley', status: 'completed', at: '2026-11-28T17:45:00Z' } };
  const lenses = lensesFor([exp], context);
  assert.deepEqual(lenses.map((l) => l.title), ['▶ Range test', '▶ Train one-cycle', 'last: max LR 3.2e-3 (valley), 2 h ago']);
  assert.deepEqual(lenses.map((l) => l.command), ['lrScope.runRangeTest', 'lrScope.train', 'lrScope.showResults']);
  assert.deepEqual(lenses[0]!.arguments, ['/ws/blobs.experiment.ts']);
  assert.deepEqual(titles([exp], { ...context, lastRangeTest: undefined }), ['▶ Range test', '▶ Train one-cycle']);
  assert.equal(titles([exp], { ...context, lastRangeTest: { lr: null, status: 'cancelled', at: '2026-11-28T19:59:30Z' } })[2], 'last: no recommendation (cancelled), just now');
});

test('the last range test is the newest finished one of that experiment', () => {
  const record = (path: string, startedAt: string, lr: number | null, kind: 'range-test' | 'train' = 'range-test', status = 'completed') => ({
    kind,
    status: status as 'completed',
    startedAt,
    experiment: { path, sha256: '' },
    ...(lr !== null ? { recommendation: { method: 'valley' as const, lr, spreadDecades: 0.1, flags: [], message: '' } } : {}),
  });
  const records = [
    record('/a.experiment.ts', '2026-11-28T10:00:00Z', 1e-3),
    record('/a.experiment.ts', '2026-11-28T12:00:00Z', 2e-3),
    record('/a.experiment.ts', '2026-11-28T13:00:00Z', null, 'train'),
    record('/a.experiment.ts', '2026-11-28T14:00:00Z', null, 'range-test', 'running'),
    record('/b.experiment.ts', '2026-11-28T15:00:00Z', 9e-3),
  ];
  assert.deepEqual(lastRangeTestOf(records, '/a.experiment.ts'), { lr: 2e-3, method: 'valley', status: 'completed', at: '2026-11-28T12:00:00Z' });
  assert.equal(lastRangeTestOf(records, '/c.experiment.ts'), undefined);
});

test('a PyTorch script on disk gets "▶ Find LR (run this script)" and "▶ Train" over its optimizer, instead of the "Find LR…" placeholder', () => {
  const script = { ...base, runnableScript: true };
  const optimizer = anchor('optimizer', { name: 'optimizer', start: 30, end: 80 });
  const lenses = lensesFor([optimizer], script);
  assert.deepEqual(lenses.map((l) => l.title), ['▶ Find LR (run this script)', '▶ Train']);
  assert.equal(lenses[0]!.command, 'lrScope.runPythonRangeTest');
  assert.deepEqual(lenses[0]!.arguments, ['/ws/train.py']);
  assert.equal(lenses[1]!.command, 'lrScope.train');
  assert.deepEqual(lenses[1]!.arguments, ['/ws/train.py']);
  assert.deepEqual([lenses[0]!.start, lenses[0]!.end], [30, 80], 'over the optimizer construction');
  // With a recommendation (after the run) the insert lens carries it; the last result is shown too.
  const after = lensesFor([optimizer], { ...script, recommendation: rec, lastRangeTest: { lr: 3.2e-3, method: 'valley', status: 'diverged', at: '2026-11-28T19:58:00Z' } });
  assert.deepEqual(after.map((l) => l.title), ['▶ Find LR (run this script)', '▶ Train', 'last: max LR 3.2e-3 (valley), 2 min ago', 'Insert one-cycle (max_lr=3.2e-3)']);
  // An existing scheduler keeps its tuning lens once there is an LR, and "▶ Find LR" stays on the optimizer.
  const withScheduler = [optimizer, anchor('scheduler', { name: 'OneCycleLR', maxLr: 0.3, start: 90 })];
  assert.deepEqual(titles(withScheduler, script), ['▶ Find LR (run this script)', '▶ Train']);
  assert.deepEqual(titles(withScheduler, { ...script, recommendation: rec }), ['▶ Find LR (run this script)', '▶ Train', 'Update max_lr to 3.2e-3']);
});

test('no "▶ Find LR" for unsaved documents or non-PyTorch optimizers', () => {
  assert.deepEqual(titles([anchor('optimizer')], { ...base, runnableScript: false }), ['Find LR…']);
  assert.deepEqual(titles([anchor('optimizer', { framework: 'keras' })], { ...base, runnableScript: true }), ['Find LR…']);
  assert.deepEqual(titles([anchor('configure-optimizers', { framework: 'lightning' })], { ...base, runnableScript: true, recommendation: rec }), ['Insert one-cycle (max_lr=3.2e-3)']);
});

test('time ago', () => {
  assert.equal(timeAgo('2026-11-28T19:59:50Z', now), 'just now');
  assert.equal(timeAgo('2026-11-28T19:55:00Z', now), '5 min ago');
  assert.equal(timeAgo('2026-11-28T17:00:00Z', now), '3 h ago');
  assert.equal(timeAgo('2026-11-25T20:00:00Z', now), '3 d ago');
  assert.equal(timeAgo('not a date', now), 'at an unknown time');
});

test('real files: the PyTorch script gets its insert lens over the optimizer, the TF.js experiment its run lenses', async () => {
  const codegen = await createCodegen();
  const script = readFileSync(join(root, 'test', 'codegen', 'fixtures', 'python', 'pytorch_plain.py'), 'utf8');
  const pyLenses = lensesFor(codegen.anchors({ text: script, fileName: 'train.py' }), { ...base, recommendation: rec });
  assert.deepEqual(pyLenses.map((l) => l.title), ['Insert one-cycle (max_lr=3.2e-3)']);
  assert.match(script.slice(pyLenses[0]!.start, pyLenses[0]!.end), /^torch\.optim\.SGD\(model\.parameters\(\)/);
  const runnable = lensesFor(codegen.anchors({ text: script, fileName: 'train.py' }), { ...base, runnableScript: true });
  assert.deepEqual(runnable.map((l) => l.title), ['▶ Find LR (run this script)', '▶ Train']);
  assert.match(script.slice(runnable[0]!.start, runnable[0]!.end), /^torch\.optim\.SGD\(/);

  const experiment = readFileSync(join(root, 'examples', 'synthetic.experiment.ts'), 'utf8');
  const tsLenses = lensesFor(codegen.anchors({ text: experiment, fileName: 'synthetic.experiment.ts' }), { ...base, recommendation: rec });
  assert.deepEqual(tsLenses.map((l) => l.title), ['▶ Range test', '▶ Train one-cycle']);
  assert.match(experiment.slice(tsLenses[0]!.start), /^export default/);
});

test('the LR a lens offers is the one it writes: two significant digits, in the title and in the command', () => {
  const full = { lr: 0.0028131723, origin: 'recommended' as const };
  const [lens] = lensesFor([anchor('optimizer', { name: 'optimizer' })], { ...base, recommendation: full });
  assert.equal(lens!.title, 'Insert one-cycle (max_lr=2.8e-3)');
  const args = lens!.arguments[0];
  assert.ok(isLensInsertArgs(args));
  assert.equal(args.maxLr, 0.0028);
  // a scheduler that holds the rounded number matches; "Update" offers the rounded one, and names another model's run
  assert.deepEqual(titles([anchor('scheduler', { name: 'OneCycleLR', maxLr: 0.0028 })], { ...base, recommendation: full }), ['max_lr matches the recommendation (2.8e-3)']);
  const [update] = lensesFor([anchor('scheduler', { name: 'OneCycleLR', maxLr: 0.1 })], { ...base, recommendation: { ...full, from: { model: 'digits', runId: 'r9' } } });
  assert.equal(update!.title, 'Update max_lr to 2.8e-3 from digits');
  assert.match(update!.tooltip, /of run r9 on digits, not a run of this file/);
  assert.equal((update!.arguments[0] as { maxLr: number }).maxLr, 0.0028);
});

test('while the step count is not read yet, the lens that shows it is marked pending (resolved later), the others are not', () => {
  const lenses = lensesFor([anchor('optimizer', { name: 'optimizer' })], { ...base, runnableScript: true, recommendation: rec, stepCountPending: true });
  assert.deepEqual(lenses.map((l) => [l.title, l.pending === true]), [
    ['▶ Find LR (run this script)', false],
    ['▶ Train', false],
    ['Insert one-cycle (max_lr=3.2e-3)', true],
  ]);
  const resolved = lensesFor([anchor('optimizer', { name: 'optimizer' })], { ...base, runnableScript: true, recommendation: rec, stepCount: 'epochs * len(loader)' });
  assert.equal(resolved[2]!.title, 'Insert one-cycle (max_lr=3.2e-3, over epochs * len(loader) steps)');
  assert.equal(resolved[2]!.pending, undefined);
});
