import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PanelController, type PanelActions } from '../../src/extension/panel/panel-controller';
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

test('webview messages: validated, routed, and answered with notices', async () => {
  const { panel, sent, log } = harness(rangeState());
  await panel.receive({ type: 'ready' });
  sent.length = 0;
  await panel.receive({ type: 'stop', runId: 'r1' });
  await panel.receive({ type: 'pick', runId: 'r1', lr: 0.01 });
  await panel.receive({ type: 'insert', spec: { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.01, totalSteps: 100 }, framework: 'pytorch' });
  await panel.receive({ type: 'copy', spec: { policy: 'constant', lr: 0.1 }, framework: 'keras' });
  await panel.receive({ type: 'export', format: 'csv', fileName: 'run.csv', data: 'lr,loss\n' });
  await panel.receive({ type: 'export', format: 'csv', fileName: '../../etc/passwd', data: 'x' });
  await panel.receive({ type: 'bogus' });
  assert.deepEqual(log.slice(0, 2), ['stop r1', 'pick r1 0.01']);
  assert.equal(log.filter((l) => l.startsWith('warn: results panel: dropped an invalid message')).length, 2);
  assert.deepEqual(
    sent.map((m) => (m.type === 'notice' ? `${m.level}: ${m.message}` : m.type)),
    ['info: inserted onecycle for pytorch', 'error: codegen failed', 'info: saved run.csv (csv)'],
  );
});

test('compare view: points reach the right run; other runs ignore them', async () => {
  const { panel } = harness({ view: 'compare', runs: [run('a'), run('b')] });
  panel.appendPoint('b', pt(0));
  panel.appendPoint('zzz', pt(0));
  assert.equal(panel.state.view === 'compare' && panel.state.runs[1]!.points.length, 1);
  assert.equal(panel.state.view === 'compare' && panel.state.runs[0]!.points.length, 0);
});
