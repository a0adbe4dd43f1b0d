// The run manager against the real engine bundle (dist/engine.js, built by `npm run build`) on the
// synthetic example: the path "Run Range Test" takes in VS Code, minus the UI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forkLauncher } from '../../src/host/engine-process';
import { RunManager } from '../../src/host/run-manager';
import { listRecords, writeRecordAtomic } from '../../src/extension/runs/record-file';
import type { StepPoint } from '../../src/core/runs/record';

const root = join(__dirname, '..', '..');
const enginePath = join(root, 'dist', 'engine.js');
const experimentPath = join(root, 'examples', 'synthetic.experiment.ts');

function manager(): RunManager {
  assert.ok(existsSync(enginePath), `${enginePath} is missing: run \`npm run build\` first (npm test does)`);
  return new RunManager({
    launch: forkLauncher({ enginePath }),
    saveRecord: writeRecordAtomic,
    hashFile: async () => '',
    timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
    cancelGraceMs: 20_000, // generous: the test must pass on a loaded machine; the engine stops after one batch
    now: () => new Date(),
    lrscopeVersion: 'test',
  });
}

test('dist/engine.js runs a range test on the synthetic example (wasm): live points, final record on disk', async () => {
  const runsDir = mkdtempSync(join(tmpdir(), 'lrscope-engine-'));
  try {
    const points: StepPoint[] = [];
    let total = 0;
    let backend = '';
    const outcome = await manager().start(
      { kind: 'range-test', experimentPath, backend: 'wasm', runsDir, options: { steps: 30, startLr: 1e-4, endLr: 10 } },
      { started: (s) => ((total = s.totalSteps), (backend = s.backend.backend)), point: (p) => points.push(p) },
    );
    assert.equal(outcome.kind, 'finished', JSON.stringify(outcome).slice(0, 400));
    if (outcome.kind !== 'finished') return;
    assert.equal(backend, 'wasm');
    assert.equal(total, 30);
    assert.ok(['completed', 'diverged'].includes(outcome.record.status));
    assert.equal(points.length, outcome.record.points.length, 'every point was streamed');
    assert.ok(points.every((p, i) => p.step === i && p.lr > 0));
    const saved = await listRecords(runsDir);
    assert.equal(saved.length, 1);
    assert.ok(saved[0]!.ok);
    assert.equal(JSON.parse(readFileSync(saved[0]!.path, 'utf8')).id, outcome.record.id);
  } finally {
    rmSync(runsDir, { recursive: true, force: true });
  }
});

test('dist/engine.js: Stop ends the run after the current batch with a cancelled record (cpu)', async () => {
  const runsDir = mkdtempSync(join(tmpdir(), 'lrscope-engine-'));
  try {
    const m = manager();
    let stoppedAt = -1;
    const outcome = await m.start(
      { kind: 'range-test', experimentPath, backend: 'cpu', runsDir, options: { steps: 100_000 } },
      {
        point: (p) => {
          if (stoppedAt < 0 && p.step >= 2) {
            stoppedAt = p.step;
            m.stop();
          }
        },
      },
    );
    assert.equal(outcome.kind, 'finished', JSON.stringify(outcome).slice(0, 400));
    if (outcome.kind !== 'finished') return;
    assert.equal(outcome.record.status, 'cancelled');
    assert.ok(outcome.record.points.length < 100_000);
    assert.ok(outcome.record.points.length >= stoppedAt + 1, 'the points before the stop are kept');
  } finally {
    rmSync(runsDir, { recursive: true, force: true });
  }
});
