/** Run records on disk: atomic writes, reading back, listing newest first, skipping strangers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listRunRecords, newRunId, readRunRecord, recordProblem, runRecordPath, runsDirFor, writeRunRecord } from '../../src/engine/run-store';
import { RUN_RECORD_VERSION, type RunRecord } from '../../src/core/runs/record';

function record(id: string, startedAt: string): RunRecord {
  return {
    version: RUN_RECORD_VERSION,
    id,
    kind: 'range-test',
    status: 'running',
    startedAt,
    experiment: { path: '/x/a.experiment.ts', sha256: 'ab' },
    environment: { backend: 'cpu', libraryVersion: '4.22.0', runtime: 'node', threads: 1, lrscopeVersion: 'dev' },
    schedule: { policy: 'range', mode: 'exp', startLr: 1e-7, endLr: 10, steps: 100 },
    options: {},
    points: [{ step: 0, lr: 1e-7, loss: 2.3, smoothed: 2.3 }],
    epochs: [],
  };
}

test('runsDirFor puts records under .lrscope/runs', () => {
  assert.equal(runsDirFor('/ws'), join('/ws', '.lrscope', 'runs'));
});

test('run ids sort by time and name the kind', () => {
  const a = newRunId('range-test', new Date('2026-11-28T18:15:02.123Z'));
  const b = newRunId('train', new Date('2026-11-28T18:15:03.000Z'));
  assert.match(a, /^20261128-181502-123-range-test-[0-9a-f]{4}$/);
  assert.ok(a < b);
});

test('write is atomic (no temp file left), overwrites in place, reads back equal', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'lrscope-store-')), 'nested', 'runs');
  const r = record('r1', '2026-11-28T18:00:00.000Z');
  const path = await writeRunRecord(dir, r);
  assert.equal(path, runRecordPath(dir, 'r1'));
  r.status = 'completed';
  r.points.push({ step: 1, lr: 1e-6, loss: Number.NaN });
  await writeRunRecord(dir, r);
  assert.deepEqual(readdirSync(dir), ['r1.json'], 'only the record, no temp files');
  const back = await readRunRecord(path);
  assert.equal(back.status, 'completed');
  assert.match(readFileSync(path, 'utf8'), /"loss": null/, 'non-finite numbers are written as null');
  assert.ok(Number.isNaN(back.points[1]!.loss), 'and read back as NaN');
});

test('list: newest first, unreadable or foreign files skipped, missing folder empty', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lrscope-store-'));
  await writeRunRecord(dir, record('old', '2026-11-28T17:00:00.000Z'));
  await writeRunRecord(dir, record('new', '2026-11-28T19:00:00.000Z'));
  writeFileSync(join(dir, 'garbage.json'), '{ not json');
  writeFileSync(join(dir, 'other.json'), JSON.stringify({ version: 99 }));
  const list = await listRunRecords(dir);
  assert.deepEqual(list.map((r) => r.id), ['new', 'old']);
  assert.deepEqual(await listRunRecords(join(dir, 'nope')), []);
  await assert.rejects(readRunRecord(join(dir, 'other.json')), /not a valid LR Scope run record: version must be 1 .*got 99/);
});

test('recordProblem names what is missing', () => {
  const at = '2026-11-28T18:00:00.000Z';
  assert.equal(recordProblem(record('a', at)), null);
  assert.match(recordProblem({ ...record('a', at), kind: 'nope' }) ?? '', /^kind must be "range-test" or "train", got "nope"/);
  assert.match(recordProblem(record('a', 'x')) ?? '', /^startedAt must be an ISO date/);
  assert.match(recordProblem(null) ?? '', /must be a JSON object/);
});

test('recordProblem: a recommendation names its rule, if it does, among the known ones', () => {
  const at = '2026-11-28T18:00:00.000Z';
  const rec = { method: 'minimum' as const, lr: 0.02, spreadDecades: 0.5, flags: [], message: 'Use 2.0e-2.' };
  assert.equal(recordProblem({ ...record('a', at), recommendation: rec }), null, 'records written before rules existed');
  assert.equal(recordProblem({ ...record('a', at), recommendation: { ...rec, rule: 'minimum-x2' } }), null);
  assert.match(recordProblem({ ...record('a', at), recommendation: { ...rec, rule: 'median' } }) ?? '', /^recommendation\.rule must be one of minimum, steep, valley, slide, minimum-x2, /);
});
