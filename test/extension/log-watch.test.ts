import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogWatch } from '../../src/extension/logs/log-watch';
import { closeLogRecord, logRangeSpec, logRecord } from '../../src/core/logs/log-record';
import { checkRunRecord } from '../../src/core/runs/record-check';
import { snapshotFromRecord } from '../../src/protocol/webview';
import { FileTail } from '../../src/extension/logs/file-tail';
import type { StepPoint } from '../../src/core/runs/record';
import { isHostMessage } from '../../src/protocol/webview';

function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'lrscope-log-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function watcher(path: string) {
  const got: StepPoint[] = [];
  const errors: Array<{ message: string; fatal: boolean }> = [];
  let resets = 0;
  const watch = new LogWatch(path, {
    points: (p) => got.push(...p),
    reset: () => {
      resets++;
      got.length = 0;
    },
    error: (e, fatal) => errors.push({ message: e.message, fatal }),
  });
  return { watch, got, errors, resets: () => resets };
}

test('a growing CSV is followed: appended rows become points, a partial last line waits for its line break', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'lr_log.csv');
    writeFileSync(path, 'lr,loss\n1e-5,2.30\n');
    const { watch, got } = watcher(path);
    await watch.poll();
    assert.deepEqual(got, [{ step: 0, lr: 1e-5, loss: 2.3 }]);
    appendFileSync(path, '1e-4,2.10\n1e-3,1.');
    await watch.poll();
    assert.deepEqual(got.map((p) => p.step), [0, 1], 'the half-written row is not read yet');
    appendFileSync(path, '50\n');
    await watch.poll();
    assert.deepEqual(got[2], { step: 2, lr: 1e-3, loss: 1.5 });
    appendFileSync(path, '1e-2,0.9');
    await watch.stop();
    assert.deepEqual(got[3], { step: 3, lr: 1e-2, loss: 0.9 }, 'stop reads the last line without a break');
    assert.equal(watch.pointCount, 4);
  } finally {
    cleanup();
  }
});

test('a rewritten (shorter) file starts over; JSON Lines works the same', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'log.jsonl');
    writeFileSync(path, '{"lr":1e-5,"loss":2}\n{"lr":1e-4,"loss":1.9}\n{"lr":1e-3,"loss":1.5}\n');
    const w = watcher(path);
    await w.watch.poll();
    assert.equal(w.got.length, 3);
    writeFileSync(path, '{"lr":1e-6,"loss":3}\n');
    await w.watch.poll();
    assert.equal(w.resets(), 1);
    assert.deepEqual(w.got, [{ step: 0, lr: 1e-6, loss: 3 }]);
  } finally {
    cleanup();
  }
});

test('a bad row stops the watch with the row number; a missing file is reported once and not fatal', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'log.csv');
    const w = watcher(path);
    await w.watch.poll();
    await w.watch.poll();
    assert.equal(w.errors.length, 1);
    assert.equal(w.errors[0]!.fatal, false);
    writeFileSync(path, 'lr,loss\n0.001,2\n0.01,abc\n');
    await w.watch.poll();
    assert.equal(w.got.length, 1);
    const fatal = w.errors.find((e) => e.fatal);
    assert.ok(fatal, 'a fatal error was reported');
    assert.match(fatal.message, /log\.csv: row 3/);
    appendFileSync(path, '0.1,1\n');
    await w.watch.poll();
    assert.equal(w.got.length, 1, 'nothing is read after a fatal error');
  } finally {
    cleanup();
  }
});

test('the tail decodes UTF-8 split across reads', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'x.txt');
    const bytes = Buffer.from('héllo→ok', 'utf8');
    writeFileSync(path, bytes.subarray(0, 2)); // "h" + first byte of "é"
    let text = '';
    const tail = new FileTail(path, { chunk: (t) => (text += t), reset: () => undefined });
    await tail.poll();
    appendFileSync(path, bytes.subarray(2));
    await tail.poll();
    assert.equal(text, 'héllo→ok');
    assert.equal(tail.position, bytes.length);
  } finally {
    cleanup();
  }
});

test('a log is a run record: valid, analysed, its LR span as schedule; smoothed logs are not smoothed twice', () => {
  const record = logRecord({
    id: '20260101-000000-000-range-test-abcd',
    path: '/tmp/find_lr.csv',
    sha256: 'f'.repeat(64),
    label: 'find_lr.csv',
    startedAt: '2026-01-01T00:00:00.000Z',
    points: Array.from({ length: 60 }, (_, i) => ({ lr: 1e-4 * 1.1 ** i, loss: 2 - Math.sin(i / 20) })),
    smoothedLoss: true,
    format: 'csv',
    source: 'imported',
    lrscopeVersion: 'test',
  });
  assert.equal(record.status, 'running');
  closeLogRecord(record, 'completed', 'imported 60 points', '2026-01-01T00:00:01.000Z');
  const read = checkRunRecord(JSON.parse(JSON.stringify(record)));
  assert.equal(read.environment.backend, 'log');
  assert.equal(read.options.beta, 0);
  assert.equal(read.status, 'completed');
  assert.equal(read.points.length, 60);
  assert.ok(read.suggestions && read.recommendation, 'the analysis is attached');
  assert.equal(read.schedule.policy === 'range' && read.schedule.startLr, 1e-4);
  const snap = snapshotFromRecord(read);
  assert.equal(snap.beta, 0);
  assert.equal(snap.log, 'imported');
  assert.equal(snap.label, 'find_lr.csv');
  const msg = { type: 'state', state: { view: 'range-test', run: snap, schedule: { flavor: 'pytorch', framework: 'pytorch', epochs: 1, stepsPerEpoch: 1 } } };
  assert.ok(isHostMessage(msg));
  assert.deepEqual(logRangeSpec([]).policy, 'range');
});
