import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forkLauncher, forkSettings } from '../../src/host/engine-process';
import { RunInProgressError, RunManager, type RunManagerDeps } from '../../src/host/run-manager';
import { writeRecordAtomic, readRecord } from '../../src/extension/runs/record-file';
import { buildPartialRecord } from '../../src/host/partial-record';
import type { StartParams } from '../../src/protocol/engine';
import type { StepPoint } from '../../src/core/runs/record';

const fakeEngine = join(__dirname, 'fixtures', 'fake-engine.cjs');

/** Timers the test fires by hand: no test depends on elapsed time. */
class ManualTimers {
  pending: Array<{ fn: () => void; ms: number }> = [];
  setTimeout = (fn: () => void, ms: number): unknown => {
    const t = { fn, ms };
    this.pending.push(t);
    return t;
  };
  clearTimeout = (handle: unknown): void => {
    this.pending = this.pending.filter((t) => t !== handle);
  };
  fireAll(): void {
    const due = this.pending;
    this.pending = [];
    for (const t of due) t.fn();
  }
}

function setup(mode: string) {
  const dir = mkdtempSync(join(tmpdir(), 'lrscope-rm-'));
  const timers = new ManualTimers();
  const deps: RunManagerDeps = {
    launch: forkLauncher({ enginePath: fakeEngine, env: { FAKE_ENGINE: mode } }),
    saveRecord: writeRecordAtomic,
    hashFile: async () => 'abc123',
    timers,
    cancelGraceMs: 5000,
    now: () => new Date('2026-11-28T12:00:00Z'),
    lrscopeVersion: 'test',
  };
  const params: StartParams = {
    kind: 'range-test',
    experimentPath: join(dir, 'tiny.experiment.ts'),
    backend: 'cpu',
    runsDir: join(dir, 'runs'),
    options: { steps: 10 },
  };
  return { dir, timers, manager: new RunManager(deps), params, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('a completed run resolves with the engine record and streams its points', async () => {
  const { manager, params, cleanup } = setup('complete');
  try {
    const points: StepPoint[] = [];
    const logs: string[] = [];
    let startedId = '';
    const outcome = await manager.start(params, {
      started: (s) => (startedId = s.runId),
      point: (p) => points.push(p),
      log: (l) => logs.push(l.message),
    });
    assert.equal(outcome.kind, 'finished');
    assert.equal(outcome.kind === 'finished' && outcome.record.status, 'completed');
    assert.equal(startedId, 'fake-run');
    assert.deepEqual(points.map((p) => p.step), [0, 1, 2]);
    assert.deepEqual(logs, ['done']);
    assert.equal(manager.isRunning, false);
  } finally {
    cleanup();
  }
});

test('a second run is refused while one is active; stop() has nothing to do once it ended', async () => {
  const { manager, params, cleanup } = setup('cancellable');
  try {
    let firstPoint!: () => void;
    const sawPoint = new Promise<void>((r) => (firstPoint = r));
    const running = manager.start(params, { point: () => firstPoint() });
    await sawPoint;
    assert.throws(() => manager.start(params), (err: unknown) => {
      assert.ok(err instanceof RunInProgressError);
      assert.equal(err.current.params.experimentPath, params.experimentPath);
      assert.match(err.message, /already running/);
      return true;
    });
    assert.equal(manager.stop(), true);
    const outcome = await running;
    assert.equal(outcome.kind, 'finished');
    assert.equal(manager.isRunning, false);
    assert.equal(manager.stop(), false, 'nothing left to stop');
  } finally {
    cleanup();
  }
});

test('cancel: the engine stops after its batch and answers with a cancelled record; no kill', async () => {
  const { manager, params, timers, cleanup } = setup('cancellable');
  try {
    let count = 0;
    let reachedThree!: () => void;
    const three = new Promise<void>((r) => (reachedThree = r));
    let stopping = false;
    const running = manager.start(params, {
      point: () => {
        if (++count === 3) reachedThree();
      },
      stopping: () => (stopping = true),
    });
    await three;
    manager.stop();
    assert.equal(manager.current?.stopping, true);
    assert.equal(timers.pending.length, 1, 'a kill timer is armed');
    assert.equal(timers.pending[0]?.ms, 5000);
    const outcome = await running;
    assert.equal(outcome.kind, 'finished');
    assert.equal(outcome.kind === 'finished' && outcome.record.status, 'cancelled');
    assert.ok(outcome.kind === 'finished' && outcome.record.points.length >= 3);
    assert.equal(timers.pending.length, 0, 'the kill timer is cleared once the engine answered');
    assert.equal(stopping, true, 'the listener heard that the run is stopping');
  } finally {
    cleanup();
  }
});

test('cancel ignored: the engine is killed after the grace period and the partial run is kept as cancelled', async () => {
  const { manager, params, timers, cleanup } = setup('stubborn');
  try {
    let gotPoint!: () => void;
    const point = new Promise<void>((r) => (gotPoint = r));
    const running = manager.start(params, { point: () => gotPoint() });
    await point;
    manager.stop();
    timers.fireAll(); // the grace period is over
    const outcome = await running;
    assert.equal(outcome.kind, 'killed');
    if (outcome.kind !== 'killed') return;
    assert.match(outcome.message, /did not stop within 5 s/);
    assert.equal(outcome.record.status, 'cancelled');
    assert.equal(outcome.record.points.length, 1);
    const saved = await readRecord(outcome.recordPath);
    assert.ok(saved.ok);
    assert.equal(saved.ok && saved.record.status, 'cancelled');
  } finally {
    cleanup();
  }
});

test('a crash keeps the points received so far as a partial record (status crashed) with the stderr tail', async () => {
  const { manager, params, cleanup } = setup('crash');
  try {
    const outcome = await manager.start(params);
    assert.equal(outcome.kind, 'crashed');
    if (outcome.kind !== 'crashed') return;
    assert.equal(outcome.exit.code, 3);
    assert.match(outcome.message, /exited with code 3/);
    assert.deepEqual(outcome.outputTail, ['loading model', 'Error: tensor shape mismatch']);
    assert.equal(outcome.recordPath, join(params.runsDir, 'fake-run.json'), 'the path the engine announced');
    const saved = JSON.parse(readFileSync(outcome.recordPath, 'utf8'));
    assert.equal(saved.status, 'crashed');
    assert.equal(saved.id, 'fake-run');
    assert.deepEqual(saved.points.map((p: StepPoint) => p.step), [0, 1, 2], 'every point sent before the crash');
    assert.equal(saved.experiment.sha256, 'abc123');
    assert.equal(saved.environment.backend, 'cpu');
    assert.match(saved.notes.join('\n'), /tensor shape mismatch/);
    assert.equal(manager.isRunning, false);
  } finally {
    cleanup();
  }
});

test('out of memory is named as such', async () => {
  const { manager, params, cleanup } = setup('oom');
  try {
    const outcome = await manager.start(params);
    assert.equal(outcome.kind, 'crashed');
    assert.match(outcome.kind === 'crashed' ? outcome.message : '', /ran out of memory/);
  } finally {
    cleanup();
  }
});

test('an experiment error from the engine is a failure with its message and record path', async () => {
  const { manager, params, cleanup } = setup('experiment-error');
  try {
    const outcome = await manager.start(params);
    assert.equal(outcome.kind, 'failed');
    if (outcome.kind !== 'failed') return;
    assert.equal(outcome.code, 'experiment');
    assert.match(outcome.message, /tiny\.experiment\.ts: the default export has no model\(\)/);
    assert.equal(outcome.recordPath, join(params.runsDir, 'fake-run.json'));
  } finally {
    cleanup();
  }
});

test('dispose kills the engine and still saves the partial run', async () => {
  const { manager, params, cleanup } = setup('stubborn');
  try {
    let gotPoint!: () => void;
    const point = new Promise<void>((r) => (gotPoint = r));
    const running = manager.start(params, { point: () => gotPoint() });
    await point;
    await manager.dispose();
    const outcome = await running;
    assert.equal(outcome.kind, 'killed');
    assert.match(outcome.kind === 'killed' ? outcome.message : '', /VS Code closed/);
    assert.ok((await readRecord(join(params.runsDir, 'fake-run.json'))).ok);
  } finally {
    cleanup();
  }
});

test('fork settings: VS Code runtime as node unless lrScope.nodePath is set', () => {
  const own = forkSettings({ enginePath: 'x' }, '/vscode/code');
  assert.equal(own.execPath, '/vscode/code');
  assert.equal(own.env.ELECTRON_RUN_AS_NODE, '1');
  const user = forkSettings({ enginePath: 'x', nodePath: '/usr/bin/node' }, '/vscode/code');
  assert.equal(user.execPath, '/usr/bin/node');
  assert.equal(user.env.ELECTRON_RUN_AS_NODE, undefined);
});

test('records are written atomically: no temp file is left behind', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lrscope-rec-'));
  try {
    const record = buildPartialRecord({
      params: { kind: 'train', experimentPath: '/x.experiment.ts', backend: 'auto', runsDir: dir, options: { schedule: { policy: 'constant', lr: 0.1 } } },
      points: [],
      epochs: [],
      status: 'crashed',
      statusDetail: 'boom',
      startedAt: new Date(0),
      endedAt: new Date(1000),
      experimentSha256: '',
      fallbackId: 'train-1',
      lrscopeVersion: 't',
    });
    assert.equal(record.environment.backend, 'wasm', 'auto reads as the default backend');
    assert.deepEqual(record.schedule, { policy: 'constant', lr: 0.1 });
    await writeRecordAtomic(join(dir, 'train-1.json'), record);
    assert.deepEqual(readdirSync(dir), ['train-1.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
