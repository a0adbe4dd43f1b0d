/**
 * The run-record lifecycle every trainer shares (`RunRecordWriter`): the record is on disk as it
 * grows, names its writer and refreshes a heartbeat, is closed without a writer; a `running`
 * record whose writer is dead reads as crashed; the loaders check every point and name the first
 * bad entry; `--runs-dir`-like folders that cannot hold records are refused at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_RECORD_VERSION, type RunRecord } from '../../src/core/runs/record';
import { checkRunRecord, recordAsSeen, RecordError, STALE_HEARTBEAT_MS } from '../../src/core/runs/record-check';
import { checkRunsFolder, localWriterCheck, parseRunRecord, pointsTailPath, readRunRecord, RunRecordWriter } from '../../src/engine/run-store';

function record(over: Partial<RunRecord> = {}): RunRecord {
  return {
    version: RUN_RECORD_VERSION,
    id: `20260101-000000-000-range-test-${Math.random().toString(16).slice(2, 6)}`,
    kind: 'range-test',
    status: 'running',
    startedAt: new Date().toISOString(),
    experiment: { path: '/x/a.experiment.ts', sha256: '' },
    environment: { backend: 'cpu', libraryVersion: '4.22.0', runtime: 'node', threads: 1, lrscopeVersion: 'dev' },
    schedule: { policy: 'range', mode: 'exp', startLr: 1e-7, endLr: 10, steps: 100 },
    options: {},
    points: [],
    epochs: [],
    ...over,
  };
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const done = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(done.stdout);
}

test('RunRecordWriter: on disk from the start with its writer, saved as it grows, closed without a writer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lrscope-writer-'));
  const r = record();
  const writer = await RunRecordWriter.open(dir, r, { saving: { minIntervalMs: 0, maxTimeShare: 0.5 } });
  const first = JSON.parse(readFileSync(writer.path, 'utf8')) as RunRecord;
  assert.equal(first.status, 'running');
  assert.deepEqual(first.writer && { pid: first.writer.pid, host: first.writer.host }, { pid: process.pid, host: hostname() });
  assert.equal((await readRunRecord(writer.path)).status, 'running', 'a live writer: still running');
  for (let step = 0; step < 50; step++) {
    r.points.push({ step, lr: 1e-3, loss: 1 / (step + 1) });
    writer.changed();
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  assert.ok(writer.saves >= 2, `saved while growing (${writer.saves} saves)`);
  const midway = await readRunRecord(writer.path);
  assert.ok(midway.points.length > 0 && midway.points.length <= 50);
  r.status = 'completed';
  await writer.close();
  const closed = await readRunRecord(writer.path);
  assert.equal(closed.status, 'completed');
  assert.equal(closed.points.length, 50);
  assert.equal(closed.writer, undefined);
});

test('between full rewrites a long record saves only its new points (an appended tail); a hard kill keeps them all, a torn line is dropped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lrscope-writer-'));
  const r = record();
  for (let step = 0; step < 200_000; step++) r.points.push({ step, lr: 1e-3, loss: 1 / (step + 1) });
  // a full rewrite of this record is due only after an hour: every save in between appends
  const writer = await RunRecordWriter.open(dir, r, { saving: { minIntervalMs: 0, maxTimeShare: 1e-9 } });
  const tail = pointsTailPath(writer.path);
  for (let step = 200_000; step < 200_030; step++) {
    r.points.push({ step, lr: 1e-3, loss: step === 200_010 ? Number.NaN : 0.5 });
    writer.changed();
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(existsSync(tail), 'the new points went to the tail');
  const file = JSON.parse(readFileSync(writer.path, 'utf8')) as RunRecord;
  assert.equal(file.points.length, 200_000, 'the record file was not rewritten');
  assert.ok(readFileSync(tail, 'utf8').length < 10_000, 'the tail holds only what was added');
  // as after a SIGKILL: the writer is gone and its last line is torn
  writeFileSync(tail, readFileSync(tail, 'utf8') + '{"point":{"step":2000');
  const seen = await readRunRecord(writer.path, { ...localWriterCheck(), isAlive: () => false });
  assert.equal(seen.status, 'crashed');
  assert.ok(seen.points.length >= 200_020, `${seen.points.length} points`);
  assert.ok(seen.points.every((p, i) => p.step === i), 'in order, none twice');
  assert.ok(Number.isNaN(seen.points[200_010]!.loss), 'a NaN loss survives the tail');
  r.status = 'cancelled';
  await writer.close();
  assert.equal(existsSync(tail), false, 'closing folds the tail into the record');
  assert.equal((await readRunRecord(writer.path)).points.length, 200_030);
});

test('a running record whose writer is dead, or silent too long on another host, reads as crashed; a live one stays running', () => {
  const now = new Date();
  const check = localWriterCheck(now);
  const dead = record({ points: [{ step: 0, lr: 1e-7, loss: 2 }], writer: { pid: deadPid(), host: hostname(), heartbeatAt: now.toISOString() } });
  const seen = recordAsSeen(dead, check);
  assert.equal(seen.status, 'crashed');
  assert.match(seen.statusDetail ?? '', /stopped without closing its record.*1 steps were saved/);
  const live = record({ writer: { pid: process.pid, host: hostname(), heartbeatAt: now.toISOString() } });
  assert.equal(recordAsSeen(live, check).status, 'running');
  const elsewhere = (age: number) => record({ writer: { pid: 1, host: 'another-host', heartbeatAt: new Date(now.getTime() - age).toISOString() } });
  assert.equal(recordAsSeen(elsewhere(1000), check).status, 'running');
  assert.equal(recordAsSeen(elsewhere(STALE_HEARTBEAT_MS + 1000), check).status, 'crashed');
  assert.equal(recordAsSeen(record(), check).status, 'crashed', 'running without a writer: an old record whose process died');
  assert.equal(recordAsSeen(record({ status: 'completed' }), check).status, 'completed');
});

test('the loaders check every point and name the record and the first bad entry', () => {
  const good = record({ status: 'completed', points: [{ step: 0, lr: 1e-3, loss: 1 }] });
  assert.doesNotThrow(() => checkRunRecord(structuredClone(good)));
  const cases: [unknown, RegExp][] = [
    [{ ...good, points: [{ step: 0, lr: 1e-3, loss: 1 }, { step: 1, lr: 'x', loss: 1 }] }, /^points\[1\]\.lr must be a finite number > 0, got "x"/],
    [{ ...good, points: [{ step: 0, lr: 1e-3, loss: 'junk' }] }, /^points\[0\]\.loss must be a number/],
    [{ ...good, points: [7] }, /^points\[0\] must be an object/],
    [{ ...good, points: [{ step: -1, lr: 1, loss: 1 }] }, /^points\[0\]\.step must be an integer ≥ 0/],
    [{ ...good, epochs: [{ epoch: 1, loss: 1, metrics: { acc: 'high' } }] }, /^epochs\[0\]\.metrics\.acc must be a number/],
    [{ ...good, schedule: { policy: 'range' } }, /^schedule is not a valid schedule spec/],
    [{ ...good, status: 'exploded' }, /^status must be one of/],
    [{ ...good, suggestions: { minimum: -1 } }, /^suggestions\.minimum must be a learning rate/],
    [{ ...good, id: '../../etc/x' }, /^id must be a run id/],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => checkRunRecord(value), (err: unknown) => err instanceof RecordError && message.test(err.message), String(message));
  }
  // null (how NaN is stored) reads back as NaN.
  const withNull = checkRunRecord({ ...structuredClone(good), points: [{ step: 0, lr: 1e-3, loss: null }] });
  assert.ok(Number.isNaN(withNull.points[0]!.loss));
  assert.throws(() => parseRunRecord(JSON.stringify({ ...good, points: [{ step: 0, lr: 0, loss: 1 }] }), 'r.json'), /^Error: r\.json: not a valid LR Scope run record: points\[0\]\.lr/);
});

test('a folder that cannot hold records is refused at once, naming it (no hang below /proc)', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'lrscope-writer-')), 'a-file');
  writeFileSync(file, '');
  await assert.rejects(checkRunsFolder('/proc/lrscope/runs'), /run records cannot be saved in \/proc\/lrscope\/runs: no such file or folder/);
  await assert.rejects(checkRunsFolder(join(file, 'runs')), /a part of .* is a file, not a folder/);
  await checkRunsFolder(join(mkdtempSync(join(tmpdir(), 'lrscope-writer-')), 'a', 'b'));
});
