/**
 * The Runs view: runs grouped by experiment, script or log (newest first), rows that say what a run
 * found, how it ended and when, and Re-run's start parameters from a record (same file, same options).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { groupDescription, groupRuns, summarizeRun } from '../../src/extension/runs-view/run-summary';
import { rerunParams } from '../../src/extension/runs-view/rerun';
import type { RunRecord } from '../../src/core/runs/record';

const now = new Date('2026-11-28T20:00:00Z');

function record(over: Partial<RunRecord> = {}): RunRecord {
  return {
    version: 1,
    id: '20261128-181502-123-range-test-ab12',
    kind: 'range-test',
    status: 'diverged',
    startedAt: '2026-11-28T18:15:02.123Z',
    endedAt: '2026-11-28T19:55:30.000Z',
    experiment: { path: '/w/models/digits.experiment.ts', sha256: 'x' },
    environment: { backend: 'wasm', libraryVersion: '4.22.0', runtime: 'node v20', threads: 1, lrscopeVersion: '0.1.0' },
    schedule: { policy: 'range', mode: 'exp', startLr: 1e-6, endLr: 1, steps: 300 },
    options: { startLr: 1e-6, endLr: 1, steps: 300, divergeFactor: null, beta: 0.98, batchSize: 64, seed: 3 },
    points: [{ step: 0, lr: 1e-6, loss: 2.3 }],
    epochs: [],
    recommendation: { method: 'valley', lr: 0.0032, spreadDecades: 0.3, flags: [], message: 'Use 3.2e-3.' },
    ...over,
  };
}

describe('runs view rows', () => {
  test('a range test: what it found in the label; status, age and backend in the description; the id and options in the tooltip', () => {
    const s = summarizeRun(record(), now);
    assert.equal(s.label, 'range test · lr 3.2e-3');
    assert.equal(s.description, 'diverged · 4 min ago · wasm');
    assert.equal(s.contextValue, 'lrScope.run.range-test');
    assert.equal(s.icon, 'graph-line');
    assert.match(s.tooltip, /^digits — range test 20261128-181502-123-range-test-ab12\n\/w\/models\/digits\.experiment\.ts\nStarted 2026-11-28 18:15 UTC, ended 2026-11-28 19:55 \(1 h ago\)/);
    assert.match(s.tooltip, /Steps: 1 · startLr 0\.000001 · endLr 1 · steps 300 · divergeFactor null · batchSize 64 · seed 3\nUse 3\.2e-3\.$/);
  });

  test('a training run, a cancelled test without an LR, a running one', () => {
    const t = summarizeRun(record({ kind: 'train', status: 'completed', recommendation: undefined, epochs: [{ epoch: 1, loss: 0.25, metrics: {} }, { epoch: 2, loss: 0.125, metrics: {} }] }), now);
    assert.equal(t.label, 'training · 2 epochs, loss 0.125');
    assert.equal(t.description, 'completed · 4 min ago · wasm');
    const c = summarizeRun(record({ status: 'cancelled', recommendation: { method: 'valley', lr: null, spreadDecades: null, flags: [], message: 'too short' } }), now);
    assert.equal(c.label, 'range test · no LR suggested');
    assert.equal(c.icon, 'circle-slash');
    const r = summarizeRun(record({ status: 'running', endedAt: undefined, recommendation: undefined, startedAt: '2026-11-28T19:59:40Z', points: [{ step: 0, lr: 1, loss: 1 }, { step: 1, lr: 1, loss: 1 }] }), now);
    assert.equal(r.label, 'range test');
    assert.equal(r.description, 'running · 2 steps so far · just now · wasm');
  });
});

describe('runs view groups', () => {
  test('one group per experiment, script or log, the group with the newest run first, runs newest first', () => {
    const rows = [
      { path: 'a', record: record({ id: 'a', startedAt: '2026-11-28T10:00:00Z' }) },
      { path: 'b', record: record({ id: 'b', startedAt: '2026-11-28T12:00:00Z', experiment: { path: '/w/train.py', sha256: '' }, environment: { ...record().environment, backend: 'pytorch' } }) },
      { path: 'c', record: record({ id: 'c', startedAt: '2026-11-28T11:00:00Z', experiment: { path: '/w/models/digits.experiment.ts', sha256: '', label: 'digits wd=1e-4' } }) },
      { path: 'd', record: record({ id: 'd', startedAt: '2026-11-28T09:00:00Z', experiment: { path: '/w/logs/lr_find.csv', sha256: '' } }) },
    ];
    const groups = groupRuns(rows);
    assert.deepEqual(groups.map((g) => [g.label, g.source, g.runs.map((r) => r.record.id)]), [
      ['train.py', 'script', ['b']],
      ['digits', 'experiment', ['c', 'a']],
      ['lr_find.csv', 'log', ['d']],
    ]);
    assert.equal(groupDescription(groups[1]!, 'models/digits.experiment.ts'), 'models/digits.experiment.ts · 2 runs');
    assert.equal(groupDescription(groups[0]!, 'train.py'), 'train.py · 1 run');
  });
});

describe('re-run', () => {
  const target = { runsDir: '/w/.lrscope/runs', searchFrom: ['/w'], backend: 'auto' as const };

  test('a range test: the same experiment, its options and backend', () => {
    const rerun = rerunParams(record(), target);
    assert.ok(rerun.ok);
    assert.deepEqual(rerun.params, {
      kind: 'range-test',
      experimentPath: '/w/models/digits.experiment.ts',
      backend: 'wasm',
      runsDir: '/w/.lrscope/runs',
      searchFrom: ['/w'],
      options: { startLr: 1e-6, endLr: 1, steps: 300, beta: 0.98, batchSize: 64, seed: 3, divergeFactor: null },
    });
  });

  test('a PyTorch script: its interpreter, arguments and launcher again; the backend setting', () => {
    const rerun = rerunParams(
      record({ experiment: { path: '/w/train.py', sha256: '' }, environment: { ...record().environment, backend: 'pytorch' }, options: { steps: 200, divergeFactor: 4, python: '/usr/bin/python3', scriptArgs: ['--wd', '1e-4'], launcher: 'torchrun --nproc-per-node 2' } }),
      target,
    );
    assert.ok(rerun.ok);
    assert.deepEqual(rerun.params, { kind: 'range-test', experimentPath: '/w/train.py', backend: 'auto', runsDir: '/w/.lrscope/runs', python: '/usr/bin/python3', scriptArgs: ['--wd', '1e-4'], launcher: 'torchrun --nproc-per-node 2', options: { steps: 200, divergeFactor: 4 } });
  });

  test('a training run follows the schedule it recorded, for the same epochs', () => {
    const schedule = { policy: 'onecycle' as const, flavor: 'pytorch' as const, maxLr: 0.1, totalSteps: 300 };
    const rerun = rerunParams(record({ kind: 'train', schedule, options: { schedule, epochs: 3, seed: 7 } }), target);
    assert.ok(rerun.ok);
    assert.deepEqual(rerun.params.kind === 'train' && rerun.params.options, { schedule, epochs: 3, seed: 7 });
  });

  test('refuses a log, and a record whose options are not what a run takes, naming the field', () => {
    const log = rerunParams(record({ experiment: { path: '/w/lr_find.csv', sha256: '' } }), target);
    assert.equal(log.ok, false);
    assert.match(!log.ok ? log.message : '', /lr_find\.csv is a log.*Import LR Log/);
    const bad = rerunParams(record({ options: { steps: 'many' } }), target);
    assert.match(!bad.ok ? bad.message : '', /options\.steps "many", not a number/);
    const args = rerunParams(record({ experiment: { path: '/w/t.py', sha256: '' }, options: { scriptArgs: '--x' } }), target);
    assert.match(!args.ok ? args.message : '', /options\.scriptArgs "--x", not a list of arguments/);
  });
});
