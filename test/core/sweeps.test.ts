import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRangeTest } from '../../src/core/analysis/index';
import { compareLabels } from '../../src/core/sweeps/labels';
import {
  formatSweepValue,
  parseSweepParameter,
  parseSweepValues,
  planSweep,
  SweepError,
  sweepTagOf,
  templateWords,
} from '../../src/core/sweeps/plan';
import { largestLrFinding, lowestLossFinding, sweepReading, sweepRow, type SweepRow } from '../../src/core/sweeps/reading';

test('sweep values: parsed and checked per parameter, each error names what to change', () => {
  assert.deepEqual(parseSweepValues('0, 1e-4 1e-3', 'weightDecay'), [
    { value: 0, text: '0' },
    { value: 1e-4, text: '1e-4' },
    { value: 1e-3, text: '1e-3' },
  ]);
  assert.deepEqual(parseSweepValues('32,64', 'batchSize').map((v) => v.value), [32, 64]);
  assert.throws(() => parseSweepValues('1e-4', 'weightDecay'), (e: unknown) => e instanceof SweepError && e.field === 'values' && /two or more weight decay values/.test(e.message));
  assert.throws(() => parseSweepValues('0,-1e-4', 'weightDecay'), /weight decay must be ≥ 0, got -1e-4/);
  assert.throws(() => parseSweepValues('32,48.5', 'batchSize'), /batch size must be a whole number ≥ 1, got 48.5/);
  assert.throws(() => parseSweepValues('1e-4,0.0001', 'weightDecay'), /0.0001 is given twice/);
  assert.throws(() => parseSweepValues('0,abc', 'weightDecay'), /'abc' is not a number/);
  assert.equal(parseSweepParameter('wd'), 'weightDecay');
  assert.equal(parseSweepParameter('batch-size'), 'batchSize');
  assert.throws(() => parseSweepParameter('momentum'), /weight-decay or batch-size, got 'momentum'/);
});

test('sweep plan: an experiment takes each value as its option, a script through the template after its own arguments', () => {
  const values = parseSweepValues('0,1e-4', 'weightDecay');
  const experiment = planSweep({ id: 'sweep-1', parameter: 'weightDecay', values, target: { kind: 'experiment' } });
  assert.deepEqual(experiment.map((m) => m.label), ['wd=0', 'wd=1e-4']);
  assert.deepEqual(experiment[1]!.change, { kind: 'option', weightDecay: 1e-4 });
  assert.deepEqual(experiment[1]!.tag, { id: 'sweep-1', parameter: 'weightDecay', value: 1e-4, index: 1, count: 2 });
  const script = planSweep({ id: 'sweep-2', parameter: 'weightDecay', values, target: { kind: 'script', template: '--wd {} --tag=wd{}', scriptArgs: ['--epochs', '1'] } });
  assert.deepEqual(script.map((m) => m.change), [
    { kind: 'script-args', scriptArgs: ['--epochs', '1', '--wd', '0', '--tag=wd0'] },
    { kind: 'script-args', scriptArgs: ['--epochs', '1', '--wd', '1e-4', '--tag=wd1e-4'] },
  ]);
  assert.throws(() => templateWords('--wd'), (e: unknown) => e instanceof SweepError && e.field === 'template' && /must hold \{\} where the value goes/.test(e.message));
  assert.deepEqual(sweepTagOf({ sweep: script[0]!.tag }), script[0]!.tag);
  assert.equal(sweepTagOf({ sweep: { id: 3 } }), undefined);
  assert.deepEqual([0, 64, 1e-4, 5e-4, 0.01, 1.5e-5].map(formatSweepValue), ['0', '64', '1e-4', '5e-4', '0.01', '1.5e-5']);
});

const run = (options: Record<string, unknown>, extra: Partial<{ name: string; startedAt: string; weightDecayDefaultsToZero: boolean }> = {}) => ({
  name: 'digits',
  options,
  weightDecayDefaultsToZero: true,
  startedAt: '2026-01-01T10:00:00.000Z',
  ...extra,
});

test('compare labels: the value that differs (wd=0, not wd=—), the shared name once in the title, never the same label twice', () => {
  const tag = (value: number, index: number) => ({ sweep: { id: 's', parameter: 'weightDecay', value, index, count: 3 } });
  assert.deepEqual(compareLabels([run(tag(0, 0)), run(tag(1e-4, 1)), run(tag(1e-3, 2))]), { title: 'digits: weight decay sweep', labels: ['wd=0', 'wd=1e-4', 'wd=1e-3'] });
  // a TF.js run without a weight decay trained with none
  assert.deepEqual(compareLabels([run({}), run({ weightDecay: 1e-4 })]).labels, ['wd=0', 'wd=1e-4']);
  // a script's weight decay is the script's business: unknown, not 0
  assert.deepEqual(compareLabels([run({}, { weightDecayDefaultsToZero: false, startedAt: '2026-01-01T10:00:00.000Z' }), run({ weightDecay: 1e-4 })]).labels, ['10:00:00', 'wd=1e-4']);
  // the same experiment twice, same options: told apart by time, then by a number
  assert.deepEqual(compareLabels([run({}), run({}, { startedAt: '2026-01-01T11:00:00.000Z' })]).labels, ['10:00:00', '11:00:00']);
  assert.deepEqual(compareLabels([run({}), run({})]).labels, ['10:00:00', '10:00:00 (2)']);
  // different experiments: each name once, in its label
  const mixed = compareLabels([run({ batchSize: 32 }), run({ batchSize: 64 }, { name: 'blobs' })]);
  assert.deepEqual(mixed, { title: 'Compare range tests', labels: ['digits bs=32', 'blobs bs=64'] });
});

function row(over: Partial<SweepRow>): SweepRow {
  return { runId: 'r', label: 'r', recommended: 1e-2, minLoss: 1, minLossLr: 0.05, minLossSigma: 0.01, stopLr: null, lastLr: 10, stepDecades: 0.08, ...over };
}

test("Smith's reading: the largest tolerated LR only when a run diverged and the difference is beyond noise", () => {
  const none = largestLrFinding([row({ runId: 'a' }), row({ runId: 'b' })]);
  assert.equal(none.runId, null);
  assert.match(none.text, /No run diverged within its LR range/);
  const clear = largestLrFinding([row({ runId: 'a', label: 'wd=0', stopLr: 1 }), row({ runId: 'b', label: 'wd=1e-3', stopLr: 0.1 })]);
  assert.equal(clear.runId, 'a');
  assert.match(clear.text, /wd=0 tolerates the largest LR: it diverges at 1\.0e\+0; next wd=1e-3 diverges at 1\.0e-1 \(1\.00 decades lower\)/);
  // two steps of the grid apart: within noise
  const close = largestLrFinding([row({ runId: 'a', label: 'wd=0', stopLr: 1 }), row({ runId: 'b', label: 'wd=1e-4', stopLr: 10 ** -0.16 })]);
  assert.equal(close.runId, null);
  assert.match(close.text, /No setting tolerates a clearly larger LR: .*0\.16 decades apart, within the noise of where a run stops \(0\.24 decades\)/);
  // a run that did not diverge tolerates at least its end; two of them: which is not known
  const open = largestLrFinding([row({ runId: 'a', label: 'wd=0' }), row({ runId: 'b', label: 'wd=1e-4' }), row({ runId: 'c', label: 'wd=1e-3', stopLr: 0.1 })]);
  assert.equal(open.runId, null);
  assert.match(open.text, /wd=0 and wd=1e-4 did not diverge/);
  const oneOpen = largestLrFinding([row({ runId: 'a', label: 'wd=0', lastLr: 10 }), row({ runId: 'c', label: 'wd=1e-3', stopLr: 0.1 })]);
  assert.equal(oneOpen.runId, 'a');
  assert.match(oneOpen.text, /did not diverge up to 1\.0e\+1/);
  // a run cut short (cancelled) below where the other diverged: not known
  const cut = largestLrFinding([row({ runId: 'a', label: 'wd=0', lastLr: 1e-3 }), row({ runId: 'c', label: 'wd=1e-3', stopLr: 0.1 })]);
  assert.equal(cut.runId, null);
  assert.match(cut.text, /wd=0 stopped at 1\.0e-3 without diverging/);
});

test("Smith's reading: the lowest loss only when it is lower beyond the noise of the smoothed minimum", () => {
  const clear = lowestLossFinding([row({ runId: 'a', label: 'bs=32', minLoss: 0.5 }), row({ runId: 'b', label: 'bs=64', minLoss: 0.7 })]);
  assert.equal(clear.runId, 'a');
  assert.match(clear.text, /bs=32 reaches the lowest loss: 0\.500/);
  const noisy = lowestLossFinding([row({ runId: 'a', minLoss: 0.5, minLossSigma: 0.05 }), row({ runId: 'b', minLoss: 0.55, minLossSigma: 0.05 })]);
  assert.equal(noisy.runId, null);
  assert.match(noisy.text, /No setting reaches a clearly lower loss: .* within the noise \(±0\.141\)/);
  assert.equal(lowestLossFinding([row({ minLoss: null }), row({ minLoss: 1 })]).runId, null);
  assert.equal(sweepReading([row({})]).largestLr.runId, null);
});

test('sweep rows from real analyses: a curve that diverges later tolerates the larger LR', () => {
  const lrs = Array.from({ length: 100 }, (_, i) => 1e-5 * (1e6) ** (i / 99));
  const curve = (blowUp: number) => lrs.map((lr, i) => ({ lr, loss: 2 - Math.min(1.5, Math.log10(lr / 1e-5) * 0.4) + (Math.log10(lr) > blowUp ? 20 * (Math.log10(lr) - blowUp) ** 2 : 0) + 0.01 * Math.sin(i * 7) }));
  const early = analyzeRangeTest(curve(-2.5));
  const late = analyzeRangeTest(curve(-1));
  assert.notEqual(early.stopIndex, null);
  assert.notEqual(late.stopIndex, null);
  const rows = [sweepRow({ id: 'early', label: 'wd=1e-2', lrs }, early, 0.98), sweepRow({ id: 'late', label: 'wd=0', lrs }, late, 0.98)];
  assert.ok(rows[1]!.stopLr! > rows[0]!.stopLr!);
  assert.ok(Math.abs(rows[0]!.stepDecades - 6 / 99) < 1e-9);
  assert.equal(sweepReading(rows).largestLr.runId, 'late');
});
