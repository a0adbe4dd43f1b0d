import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Recommendations } from '../../src/extension/runs/recommendations';
import type { RunRecord } from '../../src/core/runs/record';

function record(id: string, path: string, lr: number | undefined, over: Partial<RunRecord> = {}): RunRecord {
  return {
    version: 1,
    id,
    kind: 'range-test',
    status: 'diverged',
    startedAt: '2026-11-28T18:15:02.123Z',
    experiment: { path, sha256: 'x' },
    environment: { backend: 'wasm', libraryVersion: '4.22.0', runtime: 'node v20', threads: 1, lrscopeVersion: '0.1.0' },
    schedule: { policy: 'range', mode: 'exp', startLr: 1e-7, endLr: 10, steps: 100 },
    options: { stepsPerEpoch: 80 },
    points: [],
    epochs: [],
    ...(lr === undefined ? {} : { recommendation: { method: 'valley', lr, spreadDecades: 0.3, flags: [], message: '' } }),
    ...over,
  };
}

test('the newest recommended range test, of the experiment when one is named; none without runs', async () => {
  const runs = [record('b', '/w/b.py', 0.02), record('a', '/w/a.experiment.ts', 0.003), record('c', '/w/a.experiment.ts', undefined)];
  const r = new Recommendations(async () => runs);
  assert.deepEqual(await r.latest(), { lr: 0.02, origin: 'recommended', runId: 'b', experimentPath: '/w/b.py', stepsPerEpoch: 80 });
  assert.equal((await r.latest('/w/a.experiment.ts'))?.runId, 'a');
  assert.equal(await r.latest('/w/none.py'), undefined);
  assert.equal(await new Recommendations(async () => []).latest(), undefined);
});

test('an LR picked on a curve wins for its experiment until it is cleared', async () => {
  const runs = [record('b', '/w/b.py', 0.02), record('a', '/w/a.experiment.ts', 0.003)];
  const r = new Recommendations(async () => runs);
  r.pick('a', 0.001);
  assert.deepEqual(await r.latest(), { lr: 0.001, origin: 'picked', runId: 'a', experimentPath: '/w/a.experiment.ts', stepsPerEpoch: 80 });
  assert.equal((await r.latest('/w/b.py'))?.origin, 'recommended', 'a pick on another experiment does not apply');
  r.pick('log:/w/run.csv', 0.05);
  assert.deepEqual(await r.latest('/w/run.csv'), { lr: 0.05, origin: 'picked', runId: 'log:/w/run.csv', experimentPath: '/w/run.csv' });
  r.pick('a', null);
  assert.equal((await r.latest())?.runId, 'b');
});
