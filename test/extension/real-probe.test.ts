// The run manager against the real engine bundle (dist/engine.js, built by `npm run build`) on a
// tiny PyTorch script with /usr/bin/python3: the path "▶ Find LR (run this script)" takes in VS
// Code, minus the UI — the child finds the probe package beside the bundle and runs the script.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forkLauncher } from '../../src/host/engine-process';
import { RunManager } from '../../src/host/run-manager';
import { listRecords, writeRecordAtomic } from '../../src/extension/runs/record-file';
import type { LogParams } from '../../src/protocol/engine';
import type { StepPoint } from '../../src/core/runs/record';

const root = join(__dirname, '..', '..');
const enginePath = join(root, 'dist', 'engine.js');
const scriptPath = join(__dirname, 'fixtures', 'tiny_train.py');
const python = '/usr/bin/python3';

function manager(): RunManager {
  assert.ok(existsSync(enginePath), `${enginePath} is missing: run \`npm run build\` first (npm test does)`);
  return new RunManager({
    launch: forkLauncher({ enginePath }),
    saveRecord: writeRecordAtomic,
    hashFile: async () => '',
    timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
    cancelGraceMs: 20_000,
    now: () => new Date(),
    lrscopeVersion: 'test',
  });
}

test('dist/engine.js runs a range test on a PyTorch script: points streamed, script output logged, pytorch record saved', async () => {
  const runsDir = mkdtempSync(join(tmpdir(), 'lrscope-probe-'));
  try {
    const points: StepPoint[] = [];
    const logs: LogParams[] = [];
    let total = 0;
    let backend = '';
    const outcome = await manager().start(
      { kind: 'range-test', experimentPath: scriptPath, backend: 'auto', runsDir, python, options: { steps: 40, startLr: 1e-5, endLr: 10 } },
      { started: (s) => ((total = s.totalSteps), (backend = s.backend.backend)), point: (p) => points.push(p), log: (l) => logs.push(l) },
    );
    assert.equal(outcome.kind, 'finished', JSON.stringify(outcome).slice(0, 600));
    if (outcome.kind !== 'finished') return;
    const record = outcome.record;
    assert.equal(backend, 'pytorch');
    assert.equal(total, 40);
    assert.equal(record.environment.backend, 'pytorch');
    assert.equal(record.experiment.path, scriptPath);
    assert.ok(['completed', 'diverged'].includes(record.status), record.status);
    assert.ok(record.points.length >= 5, `${record.points.length} points`);
    assert.equal(points.length, record.points.length, 'every point was streamed');
    assert.ok(points.every((p, i) => p.step === i && p.lr > 0 && Number.isFinite(p.lr)));
    assert.ok(points[points.length - 1]!.lr > points[0]!.lr, 'the LR grows');
    assert.ok(logs.some((l) => l.message.includes('tiny_train: starting')), "the script's stdout reaches the log");
    const saved = await listRecords(runsDir);
    assert.equal(saved.length, 1);
    assert.ok(saved[0]!.ok && saved[0]!.record.id === record.id);
  } finally {
    rmSync(runsDir, { recursive: true, force: true });
  }
});

test('dist/engine.js: a probe error (no such interpreter) is a failed run saying which interpreter and the setting', async () => {
  const runsDir = mkdtempSync(join(tmpdir(), 'lrscope-probe-'));
  try {
    const outcome = await manager().start({ kind: 'range-test', experimentPath: scriptPath, backend: 'auto', runsDir, python: '/nonexistent/python3', options: { steps: 10 } });
    assert.equal(outcome.kind, 'failed', JSON.stringify(outcome).slice(0, 600));
    if (outcome.kind !== 'failed') return;
    assert.equal(outcome.code, 'experiment');
    assert.match(outcome.message, /\/nonexistent\/python3/);
    assert.match(outcome.message, /lrScope\.pythonPath/);
  } finally {
    rmSync(runsDir, { recursive: true, force: true });
  }
});

test('dist/engine.js: Stop ends a PyTorch range test before the next update, with a cancelled record', async () => {
  const runsDir = mkdtempSync(join(tmpdir(), 'lrscope-probe-'));
  try {
    const m = manager();
    let stoppedAt = -1;
    const outcome = await m.start(
      // More steps than the script has: only the stop can end it early.
      { kind: 'range-test', experimentPath: scriptPath, backend: 'auto', runsDir, python, options: { steps: 100_000, divergeFactor: null } },
      {
        point: (p) => {
          if (stoppedAt < 0 && p.step >= 2) {
            stoppedAt = p.step;
            m.stop();
          }
        },
      },
    );
    assert.equal(outcome.kind, 'finished', JSON.stringify(outcome).slice(0, 600));
    if (outcome.kind !== 'finished') return;
    assert.equal(outcome.record.status, 'cancelled');
    assert.equal(outcome.record.environment.backend, 'pytorch');
    assert.ok(outcome.record.points.length >= stoppedAt + 1, 'the points before the stop are kept');
    assert.ok(outcome.record.points.length < 400, `stopped early (${outcome.record.points.length} of the script's 400 steps)`);
  } finally {
    rmSync(runsDir, { recursive: true, force: true });
  }
});
