/**
 * Bad input gets a clear message and nothing is lost (issue 5 §3): each failure of a probe run,
 * on real interpreters and real torch.
 */
import { strict as assert } from 'node:assert';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ProbeError, runPythonRangeTest, runPythonSchedule, type ProbeErrorKind } from '../../src/engine/probe/index';
import { readRunRecord } from '../../src/engine/run-store';
import { Collected, fixture, INSTALL_HINT, PYTHON, tempDir } from './probe-support';

/** The ProbeError `run` rejects with; fails when it resolves or rejects with something else. */
async function probeError(run: () => Promise<unknown>, kind: ProbeErrorKind): Promise<ProbeError> {
  try {
    await run();
  } catch (err) {
    assert.ok(err instanceof ProbeError, `a ProbeError, got ${String(err)}`);
    if (kind !== 'no-torch' && kind !== 'no-python' && (err.kind === 'no-torch' || err.kind === 'no-python')) {
      throw new Error(`${INSTALL_HINT}\n${err.message}`);
    }
    assert.equal(err.kind, kind, err.message);
    return err;
  }
  assert.fail(`expected a ProbeError (${kind})`);
}

const quick = { startLr: 1e-4, endLr: 1e-2, steps: 10 };

describe('PyTorch probe: clear messages', { concurrency: 2 }, () => {
  test('no Python found: says which interpreter and how to choose one', async () => {
    const err = await probeError(
      () => runPythonRangeTest({ scriptPath: fixture('plain_loop.py'), python: '/nonexistent/bin/python3', runsDir: tempDir('nopy'), options: quick }),
      'no-python',
    );
    assert.match(err.message, /"\/nonexistent\/bin\/python3" was not found/);
    assert.match(err.message, /--python PATH/);
    assert.match(err.message, /lrScope\.pythonPath/);
    assert.equal(err.recordPath, undefined, 'no record for a run that never started');
  });

  test('torch not importable: says which interpreter and how to install it', async () => {
    const dir = tempDir('notorch');
    const python = join(dir, 'python-without-torch');
    writeFileSync(python, `#!/bin/sh\n# an interpreter whose site-packages (and so torch) are out of reach\nexec ${PYTHON} -S "$@"\n`);
    chmodSync(python, 0o755);
    const err = await probeError(() => runPythonRangeTest({ scriptPath: fixture('plain_loop.py'), python, runsDir: join(dir, 'runs'), options: quick }), 'no-torch');
    assert.ok(err.message.startsWith(`${python} (${PYTHON}) cannot import torch (ModuleNotFoundError: No module named 'torch')`), err.message);
    assert.ok(err.message.includes(`\`${python} -m pip install torch\``));
    assert.match(err.message, /apt-get install python3-torch/);
    assert.ok(!existsSync(join(dir, 'runs')), 'no record written');
  });

  test('the probe package missing: the interpreter says why', async () => {
    const err = await probeError(
      () => runPythonRangeTest({ scriptPath: fixture('plain_loop.py'), python: PYTHON, probeDir: tempDir('empty'), runsDir: tempDir('noprobe'), options: quick }),
      'probe-failed',
    );
    assert.match(err.message, /did not start under \/usr\/bin\/python3 \(it exited with status 1\)/);
    assert.match(err.message, /No module named lrscope_probe/);
  });

  test('script not found, bad options: refused before anything runs', async () => {
    const runsDir = join(tempDir('refused'), 'runs');
    const missing = await probeError(() => runPythonRangeTest({ scriptPath: '/nowhere/train.py', python: PYTHON, runsDir, options: quick }), 'script-not-found');
    assert.equal(missing.message, '/nowhere/train.py: no such file');
    const range = await probeError(() => runPythonRangeTest({ scriptPath: fixture('plain_loop.py'), python: PYTHON, runsDir, options: { startLr: 1, endLr: 0.1 } }), 'options');
    assert.match(range.message, /^range test options: range: field "endLr"/);
    const factor = await probeError(() => runPythonRangeTest({ scriptPath: fixture('plain_loop.py'), python: PYTHON, runsDir, options: { divergeFactor: 1 } }), 'options');
    assert.match(factor.message, /divergeFactor must be a number > 1/);
    const schedule = await probeError(
      () => runPythonSchedule({ scriptPath: fixture('plain_loop.py'), python: PYTHON, runsDir, options: { schedule: { policy: 'constant', lr: -1 } } }),
      'options',
    );
    assert.match(schedule.message, /^schedule: constant: field "lr"/);
    const steps = await probeError(
      () => runPythonSchedule({ scriptPath: fixture('plain_loop.py'), python: PYTHON, runsDir, options: { schedule: { policy: 'constant', lr: 0.1 }, steps: 0 } }),
      'options',
    );
    assert.match(steps.message, /steps must be a whole number > 0, got 0/);
    assert.ok(!existsSync(runsDir), 'no record for a refused run');
  });

  test('the script fails before its first optimizer step: its traceback tail and the line where it stopped', async () => {
    const runsDir = tempDir('fails');
    const err = await probeError(() => runPythonRangeTest({ scriptPath: fixture('fails_early.py'), python: PYTHON, runsDir, options: quick }), 'script-failed');
    const script = fixture('fails_early.py');
    assert.ok(
      err.message.startsWith(`${script} failed before its first optimizer step, at line 9 (in forward_pass: \`return model(x)  # the line where it fails\`): RuntimeError: mat1 and mat2 shapes cannot be multiplied`),
      err.message,
    );
    assert.match(err.message, /\nTraceback \(most recent call last\):\n {2}File ".*fails_early\.py", line 15, in <module>/);
    assert.ok(!/runpy|lrscope_probe/.test(err.details.traceback ?? ''), 'the probe and runpy frames are left out of the tail');
    assert.deepEqual(err.details.where && { line: err.details.where.line, function: err.details.where.function }, { line: 9, function: 'forward_pass' });
    assert.ok(err.recordPath && err.record);
    const saved = await readRunRecord(err.recordPath);
    assert.equal(saved.status, 'failed');
    assert.equal(saved.statusDetail, err.message);
  });

  test('no optimizer step within the timeout: stopped, and told what to check', async () => {
    const events = new Collected();
    const err = await probeError(
      () => runPythonRangeTest({ scriptPath: fixture('never_steps.py'), python: PYTHON, runsDir: tempDir('nostep'), firstStepTimeoutMs: 300, graceMs: 2000, options: quick }, events),
      'no-step',
    );
    assert.match(err.message, /never_steps\.py made no optimizer step within 0\.3 s of starting \(it was stopped\)/);
    assert.match(err.message, /Raise the first-step timeout/);
    assert.equal(err.record?.status, 'failed');
    assert.ok(events.logs.includes('info: waiting for data that never comes'));
  });

  test('no loss captured: no backward() at all', async () => {
    const err = await probeError(() => runPythonRangeTest({ scriptPath: fixture('no_backward.py'), python: PYTHON, runsDir: tempDir('noloss'), options: quick }), 'no-loss');
    assert.match(err.message, /no_backward\.py: no loss was captured for optimizer step 0: nothing was back-propagated since the previous step\./);
    assert.match(err.message, /torch\.autograd\.grad/);
  });

  test('no loss captured: backward on a non-scalar', async () => {
    const err = await probeError(() => runPythonSchedule({ scriptPath: fixture('nonscalar_backward.py'), python: PYTHON, runsDir: tempDir('vector'), options: { schedule: { policy: 'constant', lr: 0.1 } } }), 'no-loss');
    assert.match(err.message, /backward\(\) was called on a non-scalar tensor of shape \[64\]/);
    assert.match(err.message, /loss\.mean\(\)/);
  });

  test('NaN at the very first step is broken data, not a divergence', async () => {
    const err = await probeError(
      () => runPythonRangeTest({ scriptPath: fixture('plain_loop.py'), scriptArgs: ['--poison'], python: PYTHON, runsDir: tempDir('nan'), env: {}, options: quick }),
      'nan-at-start',
    );
    assert.match(err.message, /the loss is NaN at the very first optimizer step/);
  });

  test('cancel while the script is busy elsewhere: killed after the grace period, record kept', async () => {
    const controller = new AbortController();
    const events = new Collected();
    // cancelled once the script itself runs (its own output): a stop that reaches the probe before the
    // script starts ends it at once, with exit 0, instead
    const collect = events.onLog.bind(events);
    events.onLog = (log) => {
      collect(log);
      if (log.message === 'waiting for data that never comes') controller.abort();
    };
    const record = await runPythonRangeTest(
      { scriptPath: fixture('never_steps.py'), python: PYTHON, runsDir: tempDir('kill'), graceMs: 200, options: quick },
      events,
      controller.signal,
    );
    assert.equal(record.status, 'cancelled');
    assert.equal(record.points.length, 0);
    assert.ok(events.logs.includes(`info: ${PYTHON} was killed (SIGKILL) after 0 optimizer steps`), events.logs.join('\n'));
  });
});
