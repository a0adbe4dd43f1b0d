/** The probe's line protocol and the Node side's small pure pieces (no Python needed). */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultProbeDir, isPythonScript, PYTHON_RANGE_TEST_DEFAULTS } from '../../src/engine/probe/index';
import { Lookahead, RANGE_LOOKAHEAD_MAX, SCHEDULE_LOOKAHEAD } from '../../src/engine/probe/lookahead';
import { encodeControl, parseProbeEvent, parseProbeFrame } from '../../src/engine/probe/wire';
import { RANGE_TEST_DEFAULTS } from '../../src/engine/range-test';

test('events parse into their typed shapes; non-finite losses arrive as NaN/Infinity', () => {
  assert.deepEqual(parseProbeEvent('{"event": "hello", "protocol": 1, "probe": "0.1.0", "python": "3.11.2", "torch": "1.13.0", "threads": 2, "executable": "/usr/bin/python3"}'), {
    event: 'hello',
    protocol: 1,
    python: '3.11.2',
    torch: '1.13.0',
    threads: 2,
    executable: '/usr/bin/python3',
  });
  assert.deepEqual(parseProbeEvent('{"event": "step", "step": 3, "lr": 0.01, "loss": 1.5, "momentum": 0.9}'), { event: 'step', step: 3, lr: 0.01, loss: 1.5, momentum: 0.9 });
  assert.ok(Number.isNaN((parseProbeEvent('{"event": "step", "step": 0, "lr": 0.1, "loss": "NaN"}') as { loss: number }).loss));
  assert.equal((parseProbeEvent('{"event": "step", "step": 0, "lr": 0.1, "loss": "-Infinity"}') as { loss: number }).loss, -Infinity);
  assert.deepEqual(parseProbeEvent('{"event": "step", "step": 0, "lr": 0.1, "loss": null, "lossProblem": "non-scalar", "shape": [8, 2]}'), {
    event: 'step',
    step: 0,
    lr: 0.1,
    loss: null,
    lossProblem: { kind: 'non-scalar', shape: [8, 2] },
  });
  assert.deepEqual(parseProbeEvent('{"event": "suppressed", "writer": "torch.save", "path": "/w/a.pt"}'), { event: 'suppressed', writer: 'torch.save', path: '/w/a.pt' });
  assert.deepEqual(parseProbeEvent('{"event": "stop", "reason": "stopped", "detail": "diverged", "steps": 7}'), { event: 'stop', reason: 'stopped', detail: 'diverged', steps: 7 });
  assert.deepEqual(parseProbeEvent('{"event": "error", "kind": "script", "type": "ValueError", "message": "x", "steps": 0, "where": null, "traceback": "T"}'), {
    event: 'error',
    kind: 'script',
    type: 'ValueError',
    message: 'x',
    steps: 0,
    traceback: 'T',
  });
});

test('a line that is not a probe event is refused with the line quoted', () => {
  assert.throws(() => parseProbeEvent('epoch 1: loss 0.3'), /not JSON: epoch 1/);
  assert.throws(() => parseProbeEvent('{"event": "step", "step": "3", "lr": 0.1, "loss": 1}'), /event step: bad step/);
  assert.throws(() => parseProbeEvent('{"event": "step", "step": 3, "lr": 0.1, "loss": "lots"}'), /event step: bad loss/);
  assert.throws(() => parseProbeEvent('{"event": "stop", "reason": "tired", "steps": 3}'), /bad reason/);
  assert.throws(() => parseProbeEvent('{"event": "dance"}'), /unknown event/);
});

test('a steps frame is one step event per row, in order; a bad row refuses the frame', () => {
  const events = parseProbeFrame('{"event": "steps", "steps": [[4, 0.01, 1.5], [5, 0.02, "NaN", 0.9]]}');
  assert.equal(events.length, 2);
  assert.deepEqual(events[0], { event: 'step', step: 4, lr: 0.01, loss: 1.5 });
  assert.equal((events[1] as { momentum?: number }).momentum, 0.9);
  assert.ok(Number.isNaN((events[1] as { loss: number }).loss));
  assert.deepEqual(parseProbeFrame('{"event": "note", "text": "hi"}'), [{ event: 'note', text: 'hi' }]);
  assert.throws(() => parseProbeFrame('{"event": "steps", "steps": [[4, 0.01]]}'), /event steps: bad row \[4,0.01\]/);
  assert.throws(() => parseProbeFrame('{"event": "steps", "steps": [[4, 0.01, null]]}'), /bad row/);
  assert.throws(() => parseProbeFrame('{"event": "steps", "steps": [["4", 0.01, 1]]}'), /event step: bad step/);
  assert.throws(() => parseProbeFrame('{"event": "steps", "steps": 3}'), /event steps: bad steps/);
  assert.throws(() => parseProbeFrame('[1, 2]'), /not an event/);
});

test('lookahead: a schedule runs 64 ahead; a range test goes in lock-step on slow steps and covers ~0.2 s of fast ones', () => {
  const schedule = new Lookahead('schedule');
  assert.equal(schedule.initial, SCHEDULE_LOOKAHEAD);
  assert.equal(schedule.after(10, 1000), SCHEDULE_LOOKAHEAD);
  const judged = (msPerStep: number, steps: number): number[] => {
    const range = new Lookahead('range');
    return Array.from({ length: steps }, (_, step) => range.after(step, 5000 + step * msPerStep));
  };
  assert.equal(new Lookahead('range').initial, 1);
  assert.deepEqual(judged(250, 6), [1, 1, 1, 1, 1, 1], 'steps of 0.25 s: lock-step');
  assert.deepEqual(judged(100, 4).slice(2), [2, 2]);
  assert.deepEqual(judged(10, 4).slice(2), [20, 20]);
  assert.deepEqual(judged(0.5, 4).slice(2), [RANGE_LOOKAHEAD_MAX, RANGE_LOOKAHEAD_MAX], 'capped');
});

test('control lines are one JSON object per line', () => {
  assert.equal(encodeControl({ lr: 0.1, momentum: 0.9 }), '{"lr":0.1,"momentum":0.9}\n');
  assert.equal(encodeControl({ stop: 'diverged' }), '{"stop":"diverged"}\n');
});

test("the probe's range-test defaults are the TF.js engine's", () => {
  assert.deepEqual(PYTHON_RANGE_TEST_DEFAULTS, RANGE_TEST_DEFAULTS);
});

test('.py targets go to the probe; the probe package is found in the repository', () => {
  assert.equal(isPythonScript('train.py'), true);
  assert.equal(isPythonScript('/a/b/Train.PY'), true);
  assert.equal(isPythonScript('my.experiment.ts'), false);
  assert.equal(defaultProbeDir(), join(__dirname, '..', '..', 'python'));
  assert.ok(existsSync(join(defaultProbeDir(), 'lrscope_probe', '__main__.py')));
});
