import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSettings, resolveRunsDir, DEFAULT_SETTINGS } from '../../src/extension/settings';
import { experimentName } from '../../src/extension/runs-view/run-summary';
import { compareSnapshots, isPanelSource, stateFromRecords, stepsPerEpochOf } from '../../src/extension/panel/panel-source';
import { buildPartialRecord, newRunId } from '../../src/host/partial-record';
import { OutputTail } from '../../src/host/output-tail';
import { crashMessage } from '../../src/host/run-manager';
import { exportBytes } from '../../src/extension/panel/panel-actions-pure';
import { isHostMessage } from '../../src/protocol/webview';
import type { RunRecord } from '../../src/core/runs/record';

function record(over: Partial<RunRecord> = {}): RunRecord {
  return {
    version: 1,
    id: 'r1',
    kind: 'range-test',
    status: 'diverged',
    startedAt: '2026-11-28T18:15:02.123Z',
    endedAt: '2026-11-28T18:15:30.000Z',
    experiment: { path: '/w/digits.experiment.ts', sha256: 'x' },
    environment: { backend: 'wasm', libraryVersion: '4.22.0', runtime: 'node v20', threads: 1, lrscopeVersion: '0.1.0' },
    schedule: { policy: 'range', mode: 'exp', startLr: 1e-7, endLr: 10, steps: 100 },
    options: { batchSize: 64 },
    points: [{ step: 0, lr: 1e-7, loss: 2.3 }],
    epochs: [],
    recommendation: { method: 'valley', lr: 0.0032, spreadDecades: 0.3, flags: [], message: 'Use 3.2e-3.' },
    ...over,
  };
}

test('settings: typed values, invalid ones fall back to the defaults', () => {
  const values: Record<string, unknown> = {
    nodePath: ' /usr/bin/node ',
    backend: 'wasm',
    'rangeTest.startLr': 1e-6,
    'rangeTest.endLr': 1,
    'rangeTest.steps': 300,
    'rangeTest.divergeFactor': null,
    defaultFramework: 'keras',
    oneCycleFlavor: 'smith',
    'codeLens.enabled': false,
  };
  const s = readSettings((k) => values[k]);
  assert.equal(s.nodePath, '/usr/bin/node');
  assert.equal(s.backend, 'wasm');
  assert.deepEqual(s.rangeTest, { startLr: 1e-6, endLr: 1, steps: 300, divergeFactor: null });
  assert.equal(s.defaultFramework, 'keras');
  assert.equal(s.oneCycleFlavor, 'smith');
  assert.equal(s.codeLensEnabled, false);
  assert.equal(s.runsFolder, '.lrscope/runs');
  const bad = readSettings((k) => ({ backend: 'gpu', 'rangeTest.steps': 2.5, 'rangeTest.startLr': -1, 'rangeTest.divergeFactor': 0.5, oneCycleFlavor: 'x' })[k]);
  assert.equal(bad.backend, 'auto');
  assert.equal(bad.rangeTest.steps, DEFAULT_SETTINGS.rangeTest.steps);
  assert.equal(bad.rangeTest.startLr, DEFAULT_SETTINGS.rangeTest.startLr);
  assert.equal(bad.rangeTest.divergeFactor, 4);
  assert.equal(bad.oneCycleFlavor, 'pytorch');
  const swapped = readSettings((k) => ({ 'rangeTest.startLr': 1, 'rangeTest.endLr': 0.1 })[k]);
  assert.ok(swapped.rangeTest.endLr > swapped.rangeTest.startLr, 'endLr is kept above startLr');
  assert.equal(resolveRunsDir('.lrscope/runs', '/w'), '/w/.lrscope/runs');
  assert.equal(resolveRunsDir('/data/runs', '/w'), '/data/runs');
});

test('experiment names: the label, else the file name without its experiment or log extension', () => {
  assert.equal(experimentName(record()), 'digits');
  assert.equal(experimentName(record({ experiment: { path: '/w/lr_find.csv', sha256: '' } })), 'lr_find');
});

test('panel sources: only well-formed ones are restored', () => {
  assert.ok(isPanelSource({ kind: 'records', paths: ['/a.json'] }));
  assert.ok(isPanelSource({ kind: 'schedule', maxLr: null }));
  assert.ok(!isPanelSource({ kind: 'records', paths: [] }));
  assert.ok(!isPanelSource({ kind: 'log' }));
  assert.ok(!isPanelSource({ kind: 'schedule', maxLr: -1 }));
  assert.ok(!isPanelSource('records'));
});

test('panel state from records: one range test, one training run, compare with labels that tell runs apart', () => {
  const ctx = { flavor: 'pytorch' as const, framework: 'pytorch' as const, epochs: 5, stepsPerEpoch: 100 };
  const one = stateFromRecords([record({ options: { stepsPerEpoch: 156 } })], ctx);
  assert.equal(one.view, 'range-test');
  assert.equal(one.view === 'range-test' && one.schedule.stepsPerEpoch, 156);
  assert.ok(isHostMessage({ type: 'state', state: one }));
  const train = stateFromRecords([record({ kind: 'train' })], ctx);
  assert.equal(train.view, 'training');
  const cmp = compareSnapshots([record({ id: 'a', options: { weightDecay: 0 } }), record({ id: 'b', options: { weightDecay: 1e-4 } })]);
  assert.deepEqual(cmp.runs.map((r) => r.label), ['wd=0', 'wd=1e-4']);
  assert.equal(cmp.title, 'digits: weight decay');
  // A TF.js run without a weight decay trained with none: wd=0, not "wd=—".
  assert.deepEqual(compareSnapshots([record({ id: 'a' }), record({ id: 'b', options: { batchSize: 64, weightDecay: 1e-3 } })]).runs.map((r) => r.label), ['wd=0', 'wd=1e-3']);
  const state = stateFromRecords([record({ id: 'a' }), record({ id: 'b' })], ctx);
  assert.equal(state.view, 'compare');
  assert.ok(isHostMessage({ type: 'state', state }));
  assert.equal(stateFromRecords([], ctx).view, 'empty');
});

test('steps per epoch: from the record, or from a completed training run', () => {
  assert.equal(stepsPerEpochOf(record({ options: { stepsPerEpoch: 64 } })), 64);
  assert.equal(stepsPerEpochOf(record()), undefined);
  const points = Array.from({ length: 20 }, (_, i) => ({ step: i, lr: 0.1, loss: 1 }));
  assert.equal(stepsPerEpochOf(record({ kind: 'train', status: 'completed', options: { epochs: 4 }, points })), 5);
  assert.equal(stepsPerEpochOf(record({ kind: 'train', status: 'cancelled', options: { epochs: 4 }, points })), undefined);
});

test('a partial range-test record carries the analysis of the points it got', () => {
  const points = Array.from({ length: 80 }, (_, i) => {
    const lr = 1e-5 * 10 ** (i / 16);
    return { step: i, lr, loss: 2 - Math.min(1.5, i / 40) + (i > 60 ? (i - 60) ** 2 / 10 : 0) };
  });
  const r = buildPartialRecord({
    params: { kind: 'range-test', experimentPath: '/w/x.experiment.ts', backend: 'wasm', runsDir: '/w/runs', options: { steps: 100 } },
    points,
    epochs: [],
    status: 'crashed',
    statusDetail: 'The engine exited with code 3 before finishing the run.',
    startedAt: new Date('2026-11-28T18:00:00Z'),
    endedAt: new Date('2026-11-28T18:01:00Z'),
    experimentSha256: 'abc',
    fallbackId: newRunId('range-test', new Date('2026-11-28T18:00:00.123Z'), () => 0.5),
    lrscopeVersion: '0.1.0',
  });
  assert.equal(r.id, '20261128-180000-123-range-test-8000');
  assert.deepEqual(r.schedule, { policy: 'range', mode: 'exp', startLr: 1e-7, endLr: 10, steps: 100 });
  assert.ok(r.suggestions, 'suggestions computed');
  assert.ok(r.recommendation?.message);
  assert.match(r.notes?.[0] ?? '', /before it reported its environment/);
});

test('crash messages and the output tail', () => {
  assert.match(crashMessage({ code: null, signal: 'SIGKILL' }, false), /SIGKILL/);
  assert.match(crashMessage({ code: 1, signal: null }, true), /out of memory/);
  assert.match(crashMessage({ code: null, signal: null }, false), /could not be started/);
  const tail = new OutputTail(50);
  for (let i = 0; i < 20; i++) tail.push(`line ${i}\n`);
  const lines = tail.lines(3);
  assert.deepEqual(lines, ['line 17', 'line 18', 'line 19']);
  assert.ok(tail.lines(100).every((l) => /^line \d+$/.test(l)), 'no half line at the cut');
});

test('exports: PNG data URLs are decoded, text is written as UTF-8', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
  assert.deepEqual(Buffer.from(exportBytes('png', `data:image/png;base64,${png.toString('base64')}`)), png);
  assert.equal(Buffer.from(exportBytes('csv', 'lr,loss\n1e-3,0.5\n')).toString('utf8'), 'lr,loss\n1e-3,0.5\n');
  assert.throws(() => exportBytes('png', 'data:text/plain,x'));
});
