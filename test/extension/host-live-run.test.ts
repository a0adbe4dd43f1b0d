// The one live model of a run (src/host/live-run.ts): what its subscribers see, alone and through the
// run manager with a real child process (test/extension/fixtures/fake-engine.cjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveRun, type LiveRunChange } from '../../src/host/live-run';
import { summarizeLive } from '../../src/extension/runs-view/live-summary';
import { forkLauncher } from '../../src/host/engine-process';
import { RunManager } from '../../src/host/run-manager';
import { writeRecordAtomic } from '../../src/extension/runs/record-file';
import type { StartParams, StartedParams } from '../../src/protocol/engine';
import type { StepPoint } from '../../src/core/runs/record';

const params = {
  kind: 'range-test' as const,
  experimentPath: '/w/tiny.experiment.ts',
  backend: 'cpu' as const,
  runsDir: '/w/runs',
  options: { steps: 100 },
  runId: 'range-test-1',
};
const started: StartedParams = {
  runId: 'range-test-1',
  recordPath: '/w/runs/range-test-1.json',
  backend: { backend: 'cpu', libraryVersion: '4.22.0', runtime: 'node v20', threads: 1, lrscopeVersion: 'test' },
  totalSteps: 100,
  schedule: { policy: 'range', mode: 'exp', startLr: 1e-7, endLr: 10, steps: 100 },
  notes: [],
};
/** A range test's curve: the loss falls, then blows up. */
const point = (step: number): StepPoint => {
  const lr = 1e-7 * 10 ** (step * 0.08);
  return { step, lr, loss: step < 60 ? 2.3 - step * 0.02 : 1.1 + (step - 60) ** 2 * 0.05 };
};

/** What a subscriber saw: each change with the model's point count and status at that moment. */
function recorder(run: LiveRun): string[] {
  const seen: string[] = [];
  run.subscribe((change: LiveRunChange, model) => seen.push(`${change.kind}:${model.pointCount}:${model.status}`));
  return seen;
}

test('subscribers see one sequence of states; a late subscriber starts from the current state', () => {
  const errors: unknown[] = [];
  const run = new LiveRun(params, new Date('2026-11-28T12:00:00Z'), (e) => errors.push(e));
  assert.equal(run.id, 'range-test-1', 'the id is final from the start');
  assert.equal(run.phase, 'starting');
  const early = recorder(run);
  run.markStarted(started);
  for (let i = 0; i < 3; i++) run.addPoint(point(i));
  const late = recorder(run);
  for (let i = 3; i < 5; i++) run.addPoint(point(i));
  run.markStopping();
  run.markEnded({ status: 'cancelled', statusDetail: 'stopped by the user' });
  run.addPoint(point(5)); // after the end: ignored
  assert.deepEqual(early, [
    'current:0:running',
    'started:0:running',
    'point:1:running',
    'point:2:running',
    'point:3:running',
    'point:4:running',
    'point:5:running',
    'stopping:5:running',
    'ended:5:cancelled',
  ]);
  assert.deepEqual(late, ['current:3:running', ...early.slice(early.indexOf('point:4:running'))], 'the same changes from where it joined');
  assert.equal(run.phase, 'ended');
  assert.equal(run.pointCount, 5, 'the stopped run keeps its partial points');
  assert.equal(run.statusDetail, 'stopped by the user');
  assert.equal(run.recordPath, started.recordPath);
  const after = recorder(run);
  assert.deepEqual(after, ['current:5:cancelled'], 'a subscriber of an ended run gets its final state');
  assert.deepEqual(errors, []);
});

test('a subscriber that throws is reported; the writer and the other subscribers carry on', () => {
  const errors: unknown[] = [];
  const run = new LiveRun(params, new Date(), (e) => errors.push(e));
  run.subscribe((change) => {
    if (change.kind === 'point') throw new Error('status bar broke');
  });
  const other = recorder(run);
  run.addPoint(point(0));
  run.addPoint(point(1));
  assert.equal(errors.length, 2);
  assert.match(String(errors[0]), /status bar broke/);
  assert.deepEqual(other, ['current:0:running', 'point:1:running', 'point:2:running']);
  const sub = run.subscribe(() => undefined);
  sub.dispose();
});

test('the recommendation is provisional while the range test streams and the record\'s once it ended', () => {
  const run = new LiveRun(params, new Date(), (e) => assert.fail(String(e)));
  const before = run.recommendation;
  assert.equal(before, undefined, 'nothing before the first point');
  run.markStarted(started);
  for (let i = 0; i < 80; i++) run.addPoint(point(i));
  const provisional = run.recommendation;
  assert.equal(provisional?.final, false);
  assert.equal(typeof provisional?.message, 'string');
  run.markEnded({
    status: 'diverged',
    record: {
      version: 1,
      id: 'range-test-1',
      kind: 'range-test',
      status: 'diverged',
      startedAt: '2026-11-28T12:00:00.000Z',
      experiment: { path: params.experimentPath, sha256: 'x' },
      environment: started.backend,
      schedule: started.schedule,
      options: {},
      points: [...run.points],
      epochs: [],
      recommendation: { method: 'valley', lr: 3.2e-3, spreadDecades: 0.3, flags: [], message: 'Use 3.2e-3.' },
    },
  });
  assert.deepEqual(run.recommendation, { lr: 3.2e-3, message: 'Use 3.2e-3.', final: true });
  const training = new LiveRun({ ...params, kind: 'train', options: { schedule: { policy: 'constant', lr: 0.1 }, epochs: 1 } }, new Date(), () => undefined);
  training.addPoint(point(0));
  assert.equal(training.recommendation, undefined, 'a training run recommends nothing');
});

function managerFor(mode: string) {
  const dir = mkdtempSync(join(tmpdir(), 'lrscope-live-'));
  const manager = new RunManager({
    launch: forkLauncher({ enginePath: join(__dirname, 'fixtures', 'fake-engine.cjs'), env: { FAKE_ENGINE: mode } }),
    saveRecord: writeRecordAtomic,
    hashFile: async () => 'abc123',
    timers: { setTimeout: () => undefined, clearTimeout: () => undefined },
    cancelGraceMs: 5000,
    now: () => new Date('2026-11-28T12:00:00Z'),
    lrscopeVersion: 'test',
    reportError: (e) => assert.fail(String(e)),
  });
  const start: StartParams = { kind: 'range-test', experimentPath: join(dir, 'tiny.experiment.ts'), backend: 'cpu', runsDir: join(dir, 'runs'), options: { steps: 10 } };
  return { manager, start, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('through the run manager: a stopped run\'s model keeps its partial points and ends with the record', async () => {
  const { manager, start, cleanup } = managerFor('cancellable');
  try {
    let reachedThree!: () => void;
    const three = new Promise<void>((r) => (reachedThree = r));
    const outcome = manager.start(start);
    const model = manager.current;
    assert.ok(model, 'the model exists from the start');
    const seen = recorder(model);
    model.subscribe((c, m) => c.kind === 'point' && m.pointCount === 3 && reachedThree());
    await three;
    manager.stop();
    assert.equal(model.phase, 'stopping');
    const ended = await outcome;
    assert.equal(manager.current, undefined);
    assert.equal(ended.kind, 'finished');
    assert.equal(model.phase, 'ended');
    assert.equal(model.status, 'cancelled');
    assert.ok(model.pointCount >= 3);
    assert.deepEqual(model.points.map((p) => p.step), ended.kind === 'finished' ? ended.record.points.map((p) => p.step) : [], 'the same points as the record');
    assert.equal(model.record, ended.kind === 'finished' ? ended.record : undefined);
    assert.deepEqual(seen.slice(0, 2), ['current:0:running', 'started:0:running']);
    assert.equal(seen.at(-1), `ended:${model.pointCount}:cancelled`);
    assert.equal(seen.filter((s) => s.startsWith('stopping')).length, 1);
  } finally {
    cleanup();
  }
});

test('through the run manager: a crashed run\'s model ends crashed with the points received', async () => {
  const { manager, start, cleanup } = managerFor('crash');
  try {
    const outcome = manager.start(start);
    const model = manager.current!;
    const ended = await outcome;
    assert.equal(ended.kind, 'crashed');
    assert.equal(model.status, 'crashed');
    assert.deepEqual(model.points.map((p) => p.step), [0, 1, 2]);
    assert.match(model.statusDetail ?? '', /exited with code 3/);
    assert.equal(model.recordPath, ended.kind === 'crashed' ? ended.recordPath : undefined);
  } finally {
    cleanup();
  }
});

test('the runs view reads the run going now from its model', () => {
  const run = new LiveRun(params, new Date('2026-11-28T12:00:00Z'), (e) => assert.fail(String(e)));
  assert.equal(summarizeLive(run).description, 'starting…');
  run.markStarted(started);
  for (let i = 0; i < 3; i++) run.addPoint(point(i));
  const s = summarizeLive(run);
  assert.equal(s.label, 'tiny (range test)');
  assert.match(s.description, /^running · 3\/100 steps · cpu/);
  assert.equal(s.icon, 'sync~spin');
  run.markStopping();
  assert.match(summarizeLive(run).description, /^stopping · 3\/100 steps/);
  run.markEnded({ status: 'cancelled' });
  assert.match(summarizeLive(run).description, /^cancelled · 3\/100 steps/);
});
