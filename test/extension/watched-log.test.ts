import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WatchEndRule } from '../../src/core/logs/watch-end';
import { readRunRecord } from '../../src/engine/run-store';
import { WatchedLog, type WatchClock, type WatchedLogEnd } from '../../src/extension/logs/watched-log';
import type { StepPoint } from '../../src/core/runs/record';

/** A clock the test moves; `every` registers ticks the test fires by hand. */
function fakeClock(start = 1_000_000): WatchClock & { advance(ms: number): void; ticks: number } {
  let now = start;
  const clock = {
    ticks: 0,
    now: () => now,
    every: () => {
      clock.ticks++;
      return { cancel: () => undefined };
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
  return clock;
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'lrscope-watch-'));
  const log = join(dir, 'lr_log.csv');
  const runsDir = join(dir, 'runs');
  return { dir, log, runsDir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function open(log: string, runsDir: string, clock: WatchClock, idleMs: number | null) {
  const got: StepPoint[] = [];
  const ends: WatchedLogEnd[] = [];
  const watch = await WatchedLog.open(log, { runsDir, idleMs, lrscopeVersion: 'test', clock }, { points: (p) => got.push(...p), reset: () => (got.length = 0), warn: () => undefined, ended: (e) => ends.push(e) });
  return { watch, got, ends };
}

const rows = (from: number, to: number, loss: (i: number) => number = (i) => 2 - i / 100) =>
  Array.from({ length: to - from }, (_, k) => `${1e-5 * 1.1 ** (from + k)},${loss(from + k)}\n`).join('');

test('a watched log is a run record on disk from the start; Stop closes it, with the last unterminated line and the analysis', async () => {
  const { log, runsDir, cleanup } = setup();
  try {
    writeFileSync(log, 'lr,loss\n' + rows(0, 30));
    const clock = fakeClock();
    const { watch, got, ends } = await open(log, runsDir, clock, 60_000);
    assert.ok(existsSync(watch.recordPath), 'the record is written when the watch starts');
    assert.equal((await readRunRecord(watch.recordPath)).status, 'running');
    await watch.poll();
    assert.equal(got.length, 30);
    appendFileSync(log, rows(30, 40) + '1e-2,1.5'); // the last line has no line break yet
    await watch.poll();
    assert.equal(got.length, 40);
    const end = await watch.stop();
    assert.equal(end.reason, 'stopped');
    assert.equal(ends.length, 1);
    const saved = await readRunRecord(end.path);
    assert.equal(saved.status, 'completed');
    assert.equal(saved.statusDetail, 'stopped watching after 41 points');
    assert.equal(saved.points.length, 41);
    assert.equal(saved.environment.backend, 'log');
    assert.equal(saved.options.log, 'watched');
    assert.match(saved.experiment.sha256, /^[0-9a-f]{64}$/);
    assert.ok(saved.recommendation, 'analysed like any range test');
    assert.equal(saved.writer, undefined);
  } finally {
    cleanup();
  }
});

test('a watched log ends on its own when it stops growing for the idle time (the clock is moved, nothing waits)', async () => {
  const { log, runsDir, cleanup } = setup();
  try {
    writeFileSync(log, 'lr,loss\n' + rows(0, 10));
    const clock = fakeClock();
    const { watch, ends } = await open(log, runsDir, clock, 60_000);
    await watch.poll();
    clock.advance(59_000);
    assert.equal(await watch.check(), null, 'not idle for 60 s yet');
    appendFileSync(log, rows(10, 12));
    await watch.poll(); // the log grew: the idle time starts again
    clock.advance(59_000);
    assert.equal(await watch.check(), null);
    appendFileSync(log, '1e-3,'); // part of a line is growth too
    await watch.poll();
    clock.advance(59_999);
    assert.equal(await watch.check(), null);
    clock.advance(1);
    const end = await watch.check();
    assert.equal(end?.reason, 'idle');
    assert.equal(end?.detail, 'the log stopped growing for 60 s after 12 points');
    assert.equal(ends.length, 1);
    assert.equal((await readRunRecord(end!.path)).status, 'completed');
    assert.equal(await watch.check(), null, 'ends once');
    assert.equal((await watch.stop()).reason, 'idle', 'a later Stop returns how it ended');
  } finally {
    cleanup();
  }
});

test('a watched log ends when its curve diverges (the stop rule), saved as diverged; idle null never ends on time', async () => {
  const { log, runsDir, cleanup } = setup();
  try {
    writeFileSync(log, 'lr,loss\n');
    const clock = fakeClock();
    const { watch, got } = await open(log, runsDir, clock, null);
    appendFileSync(log, rows(0, 60, (i) => (i < 40 ? 1 : 1 + (i - 40) ** 2)));
    clock.advance(3_600_000);
    assert.equal(await watch.check(), null, 'no idle end');
    await watch.poll();
    const end = await watch.stop();
    assert.equal(end.reason, 'diverged');
    assert.match(end.detail, /^the log's curve diverged at step \d+ \(lr .*\): the smoothed loss exceeded 4× its best$/);
    assert.ok(got.length < 60, 'points after the end are not taken');
    const saved = await readRunRecord(end.path);
    assert.equal(saved.status, 'diverged');
  } finally {
    cleanup();
  }
});

test('the watch end rule: growth resets the idle time, a rewrite starts over', () => {
  const rule = new WatchEndRule({ idleMs: 1000, beta: 0.98, divergeFactor: 4 }, 0);
  assert.equal(rule.idle(999), null);
  assert.equal(rule.points([{ step: 0, lr: 1e-3, loss: 1 }], 900), null);
  assert.equal(rule.idle(1899), null);
  assert.equal(rule.idle(1900)?.reason, 'idle');
  rule.reset(5000);
  assert.equal(rule.idle(5999), null);
  assert.equal(rule.points([{ step: 0, lr: 1e-3, loss: Number.NaN }], 6000)?.reason, 'diverged');
});
