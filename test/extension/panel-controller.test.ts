import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PanelController, type Notice, type PanelActions } from '../../src/extension/panel/panel-controller';
import { LiveRun } from '../../src/host/live-run';
import type { StartedParams } from '../../src/protocol/engine';
import { PointCoalescer, type Scheduler } from '../../src/extension/panel/coalescer';
import { isHostMessage, type HostMessage, type PanelState, type RunSnapshot } from '../../src/protocol/webview';

/** A clock the test moves by hand; timers fire when it passes their due time. */
class FakeClock implements Scheduler {
  time = 0;
  private timers: Array<{ at: number; fn: () => void }> = [];
  now = (): number => this.time;
  setTimeout = (fn: () => void, ms: number): unknown => {
    const t = { at: this.time + ms, fn };
    this.timers.push(t);
    return t;
  };
  clearTimeout = (h: unknown): void => {
    this.timers = this.timers.filter((t) => t !== h);
  };
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = end;
  }
}

const run = (id = 'r1'): RunSnapshot => ({
  id,
  kind: 'range-test',
  label: 'tiny',
  status: 'running',
  schedule: { policy: 'range', mode: 'exp', startLr: 1e-7, endLr: 10, steps: 100 },
  points: [],
  epochs: [],
});
const rangeState = (r = run()): PanelState => ({ view: 'range-test', run: r, schedule: { flavor: 'pytorch', framework: 'pytorch', epochs: 5, stepsPerEpoch: 100 } });
const pt = (step: number) => ({ step, lr: 1e-7 * 1.2 ** step, loss: 2 - step / 100 });

function noActions(log: string[] = []): PanelActions {
  return {
    stop: (id) => log.push(`stop ${id}`),
    insert: async (spec, fw) => ({ level: 'info', message: `inserted ${spec.policy} for ${fw}` }),
    copy: async () => {
      throw new Error('codegen failed');
    },
    export: async (format, name) => ({ level: 'info', message: `saved ${name} (${format})` }),
    pick: (id, lr) => log.push(`pick ${id} ${lr}`),
    log: (level, message) => log.push(`${level}: ${message}`),
  };
}

function harness(initial?: PanelState) {
  const clock = new FakeClock();
  const sent: HostMessage[] = [];
  const log: string[] = [];
  const panel = new PanelController((m) => sent.push(structuredClone(m)), noActions(log), initial, clock);
  return { clock, sent, log, panel };
}

test('coalescer: at most one flush per 100 ms whatever the point rate', () => {
  const clock = new FakeClock();
  const flushes: Array<{ at: number; n: number }> = [];
  const c = new PointCoalescer((b) => flushes.push({ at: clock.time, n: b.points.length }), clock, 100);
  for (let i = 0; i < 1000; i++) {
    c.push('r', pt(i)); // a point every millisecond for one second
    clock.advance(1);
  }
  clock.advance(200);
  assert.equal(flushes.reduce((s, f) => s + f.n, 0), 1000, 'no point lost');
  for (let i = 1; i < flushes.length; i++) assert.ok(flushes[i]!.at - flushes[i - 1]!.at >= 100, 'spacing ≥ 100 ms');
  assert.ok(flushes.length <= 11, `≤ 10 updates per second (+ the trailing one), got ${flushes.length}`);
  assert.equal(flushes[0]!.at, 0, 'the first point after a quiet period goes at once');
});

test('nothing is posted before the webview is ready; ready replays the full state', async () => {
  const { panel, sent } = harness(rangeState());
  panel.appendPoint('r1', pt(0));
  panel.appendPoint('r1', pt(1));
  assert.equal(sent.length, 0);
  await panel.receive({ type: 'ready' });
  assert.equal(sent.length, 1);
  const m = sent[0]!;
  assert.ok(isHostMessage(m), 'valid per the protocol');
  assert.equal(m.type === 'state' && m.state.view === 'range-test' && m.state.run.points.length, 2);
});

test('streamed points are coalesced into points messages; status flushes pending points first', async () => {
  const { panel, sent, clock } = harness(rangeState());
  await panel.receive({ type: 'ready' });
  sent.length = 0;
  for (let i = 0; i < 50; i++) {
    panel.appendPoint('r1', pt(i));
    clock.advance(4); // 250 points/s
  }
  panel.setStatus('r1', 'diverged', 'loss > 4× best');
  const kinds = sent.map((m) => m.type);
  assert.equal(kinds[kinds.length - 1], 'status');
  const streamed = sent.flatMap((m) => (m.type === 'points' ? m.points.map((p) => p.step) : []));
  assert.deepEqual(streamed, Array.from({ length: 50 }, (_, i) => i), 'every point once, in order, before the status');
  assert.ok(sent.filter((m) => m.type === 'points').length <= 3, '200 ms of streaming → ≤ 3 updates');
  assert.ok(sent.every(isHostMessage));
  assert.equal(panel.state.view === 'range-test' && panel.state.run.status, 'diverged');
});

test('hidden: nothing posted, buffered points dropped; visible again: one state replay with everything', async () => {
  const { panel, sent, clock } = harness(rangeState());
  await panel.receive({ type: 'ready' });
  panel.appendPoint('r1', pt(0));
  panel.setVisible(false);
  sent.length = 0;
  for (let i = 1; i < 10; i++) panel.appendPoint('r1', pt(i));
  panel.setStatus('r1', 'completed');
  clock.advance(1000);
  assert.equal(sent.length, 0);
  panel.setVisible(true);
  assert.equal(sent.length, 1);
  const m = sent[0]!;
  assert.equal(m.type, 'state');
  if (m.type === 'state' && m.state.view === 'range-test') {
    assert.equal(m.state.run.points.length, 10);
    assert.equal(m.state.run.status, 'completed');
  }
  clock.advance(1000);
  assert.equal(sent.length, 1, 'no stale points message after the replay');
});

test('webview messages: validated, routed; every request answered by one reply with its id', async () => {
  const { panel, sent, log } = harness(rangeState());
  await panel.receive({ type: 'ready' });
  sent.length = 0;
  await panel.receive({ type: 'stop', runId: 'r1' });
  await panel.receive({ type: 'pick', runId: 'r1', lr: 0.01 });
  await panel.receive({ type: 'insert', requestId: 'req-1', spec: { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.01, totalSteps: 100 }, framework: 'pytorch' });
  await panel.receive({ type: 'copy', requestId: 'req-2', spec: { policy: 'constant', lr: 0.1 }, framework: 'keras' });
  await panel.receive({ type: 'export', requestId: 'req-3', format: 'csv', fileName: 'run.csv', data: 'lr,loss\n' });
  await panel.receive({ type: 'export', requestId: 'req-4', format: 'csv', fileName: '../../etc/passwd', data: 'x' });
  await panel.receive({ type: 'insert', spec: { policy: 'constant', lr: 0.1 }, framework: 'keras' });
  await panel.receive({ type: 'bogus' });
  assert.deepEqual(log.slice(0, 2), ['stop r1', 'pick r1 0.01']);
  assert.equal(log.filter((l) => l.startsWith('warn: results panel: dropped an invalid message')).length, 3);
  assert.ok(sent.every(isHostMessage));
  assert.deepEqual(
    sent.map((m) => (m.type === 'reply' ? `${m.requestId} ${m.ok ? 'ok' : 'error'}: ${m.message ?? ''}` : m.type)),
    [
      'req-1 ok: inserted onecycle for pytorch',
      'req-2 error: codegen failed',
      'req-3 ok: saved run.csv (csv)',
      'req-4 error: The panel sent a request LR Scope cannot read (see the LR Scope log); reopen the panel and try again.',
    ],
    'one reply per request, the thrown error included; a message without a request id gets none',
  );
});

test('a request whose action answers nothing (a cancelled question) still gets its one reply; hidden panels get it too', async () => {
  const clock = new FakeClock();
  const sent: HostMessage[] = [];
  let finish!: (n: Notice | undefined) => void;
  const actions: PanelActions = { ...noActions(), insert: () => new Promise((r) => (finish = r)), export: async () => undefined };
  const panel = new PanelController((m) => sent.push(structuredClone(m)), actions, rangeState(), clock);
  await panel.receive({ type: 'ready' });
  sent.length = 0;
  await panel.receive({ type: 'export', requestId: 'req-7', format: 'json', fileName: 'a.json', data: '{}' });
  const pending = panel.receive({ type: 'insert', requestId: 'req-8', spec: { policy: 'constant', lr: 0.1 }, framework: 'pytorch' });
  panel.setVisible(false); // the editor took the panel's place while the insertion asks a question
  finish(undefined);
  await pending;
  assert.deepEqual(sent, [
    { type: 'reply', requestId: 'req-7', ok: true },
    { type: 'reply', requestId: 'req-8', ok: true },
  ]);
});

/** A live range test of `n` points, announced. */
function liveRun(): LiveRun {
  const run = new LiveRun(
    { kind: 'range-test', experimentPath: '/w/tiny.experiment.ts', backend: 'cpu', runsDir: '/w/runs', options: { steps: 100 }, runId: 'live-1' },
    new Date('2026-11-28T12:00:00Z'),
    (e) => assert.fail(String(e)),
  );
  return run;
}
const liveView = { label: 'tiny', schedule: () => ({ flavor: 'pytorch' as const, framework: 'pytorch' as const, epochs: 5, stepsPerEpoch: 100 }) };
const announced: StartedParams = {
  runId: 'live-1',
  recordPath: '/w/runs/live-1.json',
  backend: { backend: 'cpu', libraryVersion: '4.22.0', runtime: 'node v20', threads: 1, lrscopeVersion: 'test' },
  totalSteps: 100,
  schedule: { policy: 'range', mode: 'exp', startLr: 1e-7, endLr: 10, steps: 100 },
  notes: [],
};

test('a live run: the panel reads its model (no copy of the points), streams its points at the host pace, follows it to the end', async () => {
  const { panel, sent, clock } = harness();
  await panel.receive({ type: 'ready' });
  const run = liveRun();
  run.markStarted(announced);
  run.addPoint(pt(0));
  sent.length = 0;
  panel.showLive(run, liveView);
  assert.equal(sent.length, 1, 'the current state at once');
  const first = sent[0]!;
  assert.ok(first.type === 'state' && first.state.view === 'range-test');
  assert.equal(first.state.run.id, 'live-1', 'the final id from the first message: nothing to patch');
  assert.equal(first.state.run.totalSteps, 100);
  assert.equal(first.state.run.points.length, 1);
  sent.length = 0;
  for (let i = 1; i < 30; i++) {
    run.addPoint(pt(i));
    clock.advance(10); // 100 points/s
  }
  const streamed = sent.flatMap((m) => (m.type === 'points' ? m.points.map((p) => p.step) : []));
  assert.ok(sent.filter((m) => m.type === 'points').length <= 4, '300 ms of streaming → ≤ 4 updates');
  clock.advance(100);
  const all = sent.flatMap((m) => (m.type === 'points' ? m.points.map((p) => p.step) : []));
  assert.ok(streamed.length >= 20, `the panel keeps up: ${streamed.length} of 29 points sent while streaming`);
  assert.deepEqual(all, Array.from({ length: 29 }, (_, i) => i + 1), 'every point once, in order');
  assert.equal(panel.state.view === 'range-test' && panel.state.run.points.length, 30, 'the state is read from the model');
  sent.length = 0;
  run.markStopping();
  run.markEnded({ status: 'cancelled', statusDetail: 'stopped by the user' });
  assert.deepEqual(sent.map((m) => (m.type === 'status' ? `status ${m.status} ${m.detail}` : m.type)), ['status running stopping after the current batch…', 'status cancelled stopped by the user']);
  assert.equal(panel.state.view === 'range-test' && panel.state.run.points.length, 30, 'a stopped run keeps its partial points');
  run.addPoint(pt(31));
  clock.advance(1000);
  assert.equal(sent.length, 2, 'nothing after the end');
});

test('a live run that ends with a record is shown as saved; showing something else stops following the model', async () => {
  const { panel, sent, clock } = harness();
  await panel.receive({ type: 'ready' });
  const run = liveRun();
  panel.showLive(run, liveView);
  run.markStarted(announced);
  run.addPoint(pt(0));
  const record = {
    version: 1 as const,
    id: 'live-1',
    kind: 'range-test' as const,
    status: 'completed' as const,
    statusDetail: 'completed 1 of 1 steps',
    startedAt: '2026-11-28T12:00:00.000Z',
    experiment: { path: '/w/tiny.experiment.ts', sha256: 'x' },
    environment: announced.backend,
    schedule: announced.schedule,
    options: { beta: 0.9 },
    points: [pt(0)],
    epochs: [],
  };
  sent.length = 0;
  run.markEnded({ status: 'completed', record, recordPath: announced.recordPath });
  const last = sent.at(-1)!;
  assert.ok(last.type === 'state' && last.state.view === 'range-test');
  assert.equal(last.state.run.beta, 0.9, 'the record\'s analysis options');
  assert.equal(last.state.run.statusDetail, 'completed 1 of 1 steps');
  const other = liveRun();
  panel.showLive(other, liveView);
  panel.show(rangeState());
  sent.length = 0;
  other.addPoint(pt(0));
  clock.advance(1000);
  assert.deepEqual(sent, [], 'a run the panel no longer shows sends nothing');
});

test('compare view: points reach the right run; other runs ignore them', async () => {
  const { panel } = harness({ view: 'compare', runs: [run('a'), run('b')] });
  panel.appendPoint('b', pt(0));
  panel.appendPoint('zzz', pt(0));
  assert.equal(panel.state.view === 'compare' && panel.state.runs[1]!.points.length, 1);
  assert.equal(panel.state.view === 'compare' && panel.state.runs[0]!.points.length, 0);
});
