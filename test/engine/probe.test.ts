/**
 * The PyTorch probe on real torch (Debian's python3-torch under /usr/bin/python3): one fixture per
 * script style; the LR each step used is read back from inside the script and compared with the spec.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { sampleSchedule, type ScheduleSpec } from '../../src/core/schedules/index';
import { runPythonRangeTest, runPythonSchedule } from '../../src/engine/probe/index';
import { RANGE_LOOKAHEAD_MAX } from '../../src/engine/probe/lookahead';
import { readRunRecord } from '../../src/engine/run-store';
import { Collected, FIXTURES, fixture, PYTHON, readFixtureLog, stepLines, tempDir, withTorch } from './probe-support';

function setup(label: string): { runsDir: string; log: string; env: Record<string, string> } {
  const dir = tempDir(label);
  const log = join(dir, 'fixture.jsonl');
  return { runsDir: join(dir, 'runs'), log, env: { LRSCOPE_FIXTURE_LOG: log } };
}

describe('PyTorch probe on real torch', { concurrency: 2 }, () => {
  test('plain loop: every step gets the spec LR, the stop rule ends the script with exit 0, the record is saved', async () => {
    const { runsDir, log, env } = setup('plain');
    const events = new Collected();
    const options = { startLr: 1e-3, endLr: 30, steps: 30 };
    const record = await withTorch(() => runPythonRangeTest({ scriptPath: fixture('plain_loop.py'), python: PYTHON, runsDir, env, options }, events));

    assert.equal(record.status, 'diverged', record.statusDetail);
    assert.match(record.statusDetail ?? '', /^diverged at step \d+/);
    const steps = stepLines(readFixtureLog(log));
    assert.ok(record.points.length > 5 && record.points.length < 30, `stopped early: ${record.points.length} points`);
    // fast steps go in batches: the stop lands within the lookahead (the steps after it are not recorded)
    assert.ok(steps.length >= record.points.length && steps.length <= record.points.length + RANGE_LOOKAHEAD_MAX, `${steps.length} steps made`);
    assert.ok(!readFixtureLog(log).some((line) => line.done), 'the script was stopped, not run to its end');
    assert.ok(events.logs.includes(`info: ${PYTHON} exited with status 0 after ${record.points.length} optimizer steps`), events.logs.join('\n'));

    const spec = sampleSchedule({ policy: 'range', mode: 'exp', ...options });
    steps.forEach((line, i) => assert.equal(line.lrs![0], spec.lr[i], `lr of step ${i}`));
    record.points.forEach((point, i) => {
      assert.equal(point.step, i);
      assert.equal(point.lr, spec.lr[i]);
      assert.equal(point.loss, steps[i]!.loss, `loss of step ${i} is the one the script computed`);
      assert.ok(Number.isFinite(point.smoothed));
    });
    assert.equal(steps[0]!.momentum![0], 0.9, 'a range test leaves momentum alone');

    assert.equal(events.starts, 1);
    assert.deepEqual(events.points, record.points);
    assert.ok(events.logs.some((line) => line.startsWith('info: epoch 0: loss')), "the script's stdout reaches the log");
    assert.equal(record.kind, 'range-test');
    assert.equal(record.environment.backend, 'pytorch');
    assert.match(record.environment.libraryVersion, /^\d+\.\d+/);
    assert.match(record.environment.runtime, /^python 3\.\d+/);
    assert.ok(record.suggestions && record.recommendation);
    assert.equal(record.experiment.path, fixture('plain_loop.py'));
    assert.equal(record.experiment.sha256, createHash('sha256').update(readFileSync(fixture('plain_loop.py'))).digest('hex'));
    const saved = await readRunRecord(join(runsDir, `${record.id}.json`));
    assert.equal(saved.status, 'diverged');
    assert.equal(saved.points.length, record.points.length);
  });

  test('slow steps (0.25 s) go in lock-step: the stop rule stops the script before its next update', async () => {
    const { runsDir, log, env } = setup('lock-step');
    const options = { startLr: 1e-3, endLr: 30, steps: 30 };
    const record = await withTorch(() =>
      runPythonRangeTest({ scriptPath: fixture('plain_loop.py'), scriptArgs: ['--step-seconds', '0.25'], python: PYTHON, runsDir, env, options }),
    );
    assert.equal(record.status, 'diverged', record.statusDetail);
    const steps = stepLines(readFixtureLog(log));
    assert.ok(record.points.length > 5 && record.points.length < 30, `stopped early: ${record.points.length} points`);
    assert.equal(steps.length, record.points.length, 'the script made no update after the stop');
    const spec = sampleSchedule({ policy: 'range', mode: 'exp', ...options });
    steps.forEach((line, i) => assert.equal(line.lrs![0], spec.lr[i], `lr of step ${i}`));
  });

  test('the script ends before the range test finished: partial curve kept, completed, flagged incomplete', async () => {
    const { runsDir, log, env } = setup('short');
    const record = await withTorch(() =>
      runPythonRangeTest({ scriptPath: fixture('plain_loop.py'), scriptArgs: ['--epochs', '1'], python: PYTHON, runsDir, env, options: { startLr: 1e-4, endLr: 1e-2, steps: 20 } }),
    );
    assert.equal(record.status, 'completed');
    assert.equal(record.points.length, 8, 'one epoch of 8 batches');
    assert.match(record.statusDetail ?? '', /ended after 8 of 20 planned steps/);
    assert.ok(record.notes?.some((n) => n.includes('8 of 20')));
    assert.ok(record.recommendation?.flags.includes('incomplete'), JSON.stringify(record.recommendation?.flags));
    const lines = readFixtureLog(log);
    assert.equal(lines[0]!.argv, 1, 'script arguments reach argparse');
    assert.ok(lines.some((line) => line.done));
  });

  test('AMP + gradient accumulation: one point per optimizer step (mean of its losses), GradScaler skips not counted', async () => {
    const { runsDir, log, env } = setup('amp');
    const options = { startLr: 1e-5, endLr: 1e-2, steps: 10, divergeFactor: null };
    const record = await withTorch(() => runPythonRangeTest({ scriptPath: fixture('amp_accumulation.py'), python: PYTHON, runsDir, env, options }));
    assert.equal(record.status, 'completed', record.statusDetail);
    const lines = readFixtureLog(log);
    const steps = stepLines(lines);
    assert.equal(lines.filter((line) => line.skipped).length, 1, 'the fixture skipped one step');
    assert.equal(steps.length, 10);
    const spec = sampleSchedule({ policy: 'range', mode: 'exp', startLr: 1e-5, endLr: 1e-2, steps: 10 });
    steps.forEach((line, i) => {
      assert.equal(line.lrs![0], spec.lr[i], `step ${i} after the skipped one still gets the next LR`);
      assert.equal(line.losses!.length, 2);
      assert.equal(record.points[i]!.loss, (line.losses![0]! + line.losses![1]!) / 2, `loss of step ${i} is the mean of its micro-batches`);
    });
    assert.ok(record.notes?.some((n) => /GradScaler skipped 1 update/.test(n)), JSON.stringify(record.notes));
  });

  test('loop in its own function, DataLoader, __main__ guard, an optimizer subclass: schedule trial cycles LR and momentum for N steps', async () => {
    const { runsDir, log, env } = setup('function');
    const schedule: ScheduleSpec = { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.05, totalSteps: 12 };
    const record = await withTorch(() =>
      runPythonSchedule({ scriptPath: fixture('loop_in_function.py'), scriptArgs: ['0.01'], python: PYTHON, runsDir, env, options: { schedule, steps: 12 } }),
    );
    assert.equal(record.status, 'completed', record.statusDetail);
    assert.equal(record.kind, 'train');
    const lines = readFixtureLog(log);
    assert.equal(lines[0]!.cwd, FIXTURES, "cwd is the script's folder");
    assert.deepEqual(lines[0]!.argv, ['0.01']);
    assert.equal(lines[0]!.name, '__main__');
    const steps = stepLines(lines);
    assert.equal(steps.length, 12, 'stopped after the 12 steps asked for (the script had 24)');
    const expected = sampleSchedule(schedule, 12);
    steps.forEach((line, i) => {
      assert.equal(line.lrs![0], expected.lr[i], `lr ${i}`);
      assert.equal(line.momentum![0], expected.momentum![i], `momentum ${i}`);
      assert.equal(record.points[i]!.momentum, expected.momentum![i]);
    });
  });

  test('two param groups: the ratio between their LRs is kept, Adam betas[0] follows the momentum', async () => {
    const { runsDir, log, env } = setup('groups');
    const schedule: ScheduleSpec = { policy: 'cyclic', baseLr: 1e-4, maxLr: 1e-2, stepSizeUp: 4 };
    const record = await withTorch(() => runPythonSchedule({ scriptPath: fixture('param_groups.py'), python: PYTHON, runsDir, env, options: { schedule, steps: 10 } }));
    assert.equal(record.status, 'completed', record.statusDetail);
    const steps = stepLines(readFixtureLog(log));
    const expected = sampleSchedule(schedule, 10);
    assert.equal(steps.length, 10);
    steps.forEach((line, i) => {
      assert.equal(line.lrs![0], expected.lr[i]);
      assert.equal(line.lrs![1], expected.lr[i]! * (1e-3 / 1e-4), 'the head keeps its 10x');
      assert.deepEqual(line.momentum, [expected.momentum![i], expected.momentum![i]]);
    });
  });

  test("an existing per-epoch scheduler is paused (and said so); the script's stdout reaches the log", async () => {
    const { runsDir, log, env } = setup('scheduler');
    const events = new Collected();
    const options = { startLr: 1e-3, endLr: 1, steps: 12, divergeFactor: null };
    const record = await withTorch(() => runPythonRangeTest({ scriptPath: fixture('epoch_scheduler.py'), python: PYTHON, runsDir, env, options }, events));
    const steps = stepLines(readFixtureLog(log));
    const spec = sampleSchedule({ policy: 'range', mode: 'exp', startLr: 1e-3, endLr: 1, steps: 12 });
    assert.equal(steps.length, 12, 'three epochs of 4 batches');
    steps.forEach((line, i) => assert.equal(line.lrs![0], spec.lr[i], `lr ${i} (StepLR would have divided it by 10 every epoch)`));
    assert.ok(record.notes?.some((n) => /StepLR is paused/.test(n)), JSON.stringify(record.notes));
    assert.ok(events.logs.some((line) => line.startsWith('info: epoch 0: scheduler says lr')));
  });

  test('checkpoints every epoch: nothing written, the existing one untouched, the paths reported', async () => {
    const { runsDir, log, env } = setup('checkpoints');
    const work = tempDir('checkpoint-script');
    for (const name of ['checkpoint_every_epoch.py', 'fixture_log.py']) copyFileSync(fixture(name), join(work, name));
    writeFileSync(join(work, 'last.pt'), 'the checkpoint of a week-long run');
    const before = createHash('sha256').update(readFileSync(join(work, 'last.pt'))).digest('hex');

    const record = await withTorch(() =>
      runPythonSchedule({ scriptPath: join(work, 'checkpoint_every_epoch.py'), python: PYTHON, runsDir, env, options: { schedule: { policy: 'constant', lr: 0.05 } } }),
    );
    assert.equal(record.status, 'completed', 'the whole script ran');
    assert.equal(record.points.length, 12);
    assert.equal(createHash('sha256').update(readFileSync(join(work, 'last.pt'))).digest('hex'), before);
    assert.deepEqual(readdirSync(join(work, 'checkpoints')), [], 'no epoch checkpoint written');
    const note = record.notes?.find((n) => n.startsWith('checkpoint writes suppressed'));
    assert.ok(note, JSON.stringify(record.notes));
    for (const path of ['checkpoints/epoch_0.pt', 'checkpoints/epoch_2.pt', 'last.pt']) assert.ok(note.includes(join(work, path)), `${path} in ${note}`);
    const lines = readFixtureLog(log);
    assert.ok(lines.filter((line) => (line.in_memory_bytes ?? 0) > 0).length === 3, 'saving into memory still works');
    assert.ok(lines.some((line) => line.done));
    assert.ok(stepLines(lines).every((line) => line.lrs![0] === 0.05));
    assert.ok(!existsSync(join(work, 'checkpoints', 'epoch_0.pt')));
  });

  test('cancel: the script stops before its next update; partial record kept', async () => {
    const { runsDir, log, env } = setup('cancel');
    const controller = new AbortController();
    const events = new Collected();
    events.onPoint = (point) => {
      events.points.push(point);
      if (point.step === 2) controller.abort();
    };
    const record = await withTorch(() =>
      runPythonRangeTest({ scriptPath: fixture('plain_loop.py'), python: PYTHON, runsDir, env, options: { startLr: 1e-4, endLr: 1e-2, steps: 30 } }, events, controller.signal),
    );
    assert.equal(record.status, 'cancelled');
    assert.equal(record.points.length, 3);
    assert.equal(stepLines(readFixtureLog(log)).length, 3);
    assert.ok(events.logs.some((line) => line.includes('exited with status 0')), events.logs.join('\n'));
  });

  test('cancel a schedule trial: values run ahead and steps come in batches, the stop overtakes them; the record keeps what was judged', async () => {
    const { runsDir, log, env } = setup('cancel-schedule');
    const controller = new AbortController();
    const events = new Collected();
    events.onPoint = (point) => {
      events.points.push(point);
      if (point.step === 2) controller.abort();
    };
    const record = await withTorch(() =>
      runPythonSchedule(
        { scriptPath: fixture('plain_loop.py'), scriptArgs: ['--epochs', '200'], python: PYTHON, runsDir, env, options: { schedule: { policy: 'constant', lr: 0.01 } } },
        events,
        controller.signal,
      ),
    );
    assert.equal(record.status, 'cancelled');
    assert.equal(record.statusDetail, 'cancelled after 3 steps');
    assert.deepEqual(record.points.map((p) => p.step), [0, 1, 2], 'steps the script made after the cancel are not recorded');
    const lines = readFixtureLog(log);
    const made = stepLines(lines).length;
    assert.ok(made >= 3 && made < 1600, `the script stopped early (${made} of its 1600 steps)`);
    assert.ok(!lines.some((line) => line.done));
  });
});
