/**
 * `lrscope range-test train.py` and `lrscope train train.py` through the PyTorch probe, with real
 * torch (Debian's python3-torch through /usr/bin/python3) on a tiny plain loop: the --json
 * summaries, the saved records, the script's arguments and output, the one-cycle LRs per step,
 * every way a script cannot be probed (exit 2 with the probe's message), options that do not apply
 * to a script (or only to one), and Ctrl-C keeping the partial run.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/main';
import { sampleSchedule, type ScheduleSpec } from '../../src/core/schedules/index';
import { readRunRecord } from '../../src/engine/index';
import { runCli } from './run-cli';

const PYTHON = '/usr/bin/python3';
const fixtures = join(__dirname, 'fixtures');
const tinyLoop = join(fixtures, 'tiny_loop.py');
const failsEarly = join(fixtures, 'fails_early.py');
const raisesAtHighLr = join(fixtures, 'raises_at_high_lr.py');
const synthetic = join(__dirname, '..', '..', 'examples', 'synthetic.experiment.ts');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'lrscope-cli-py-'));
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

function records(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(dir, f));
}

describe('range-test on a PyTorch script', () => {
  test('--json: the summary is the only line on stdout (backend pytorch), the record is saved, args after -- reach the script, its output goes to stderr', async () => {
    const dir = tempDir();
    const argvFile = join(dir, 'argv.json');
    const r = await runCli(
      ['range-test', tinyLoop, '--python', PYTHON, '--steps', '40', '--start-lr', '1e-4', '--end-lr', '10', '--seed', '3', '--runs-dir', 'runs', '--json', '--', '--argv-out', argvFile, '--greeting', 'hi there'],
      { cwd: dir },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trimEnd().split('\n').length, 1, `stdout holds only the summary:\n${r.stdout}`);
    const summary = JSON.parse(lastLine(r.stdout)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(summary), ['status', 'backend', 'steps', 'suggestions', 'recommendation']);
    assert.equal(summary.backend, 'pytorch');
    assert.ok(summary.status === 'completed' || summary.status === 'diverged', String(summary.status));
    assert.ok((summary.steps as number) > 10 && (summary.steps as number) <= 40, String(summary.steps));
    assert.deepEqual(Object.keys(summary.suggestions as object), ['minimum', 'steep', 'valley', 'slide']);
    assert.equal((summary.recommendation as { rule: string }).rule, 'minimum-x2');

    // The script saw exactly the arguments after --; its stdout and stderr lines are on stderr, as they are.
    assert.deepEqual((JSON.parse(readFileSync(argvFile, 'utf8')) as string[]).slice(1), ['--argv-out', argvFile, '--greeting', 'hi there']);
    assert.match(r.stderr, /^hi there$/m);
    assert.match(r.stderr, /^a line on stderr from the script$/m);
    assert.match(r.stderr, /range test on .*tiny_loop\.py: 40 steps, lr 1\.0e-4 → 1\.0e\+1 \(exp\), torch /);

    const files = records(join(dir, 'runs'));
    assert.equal(files.length, 1);
    const record = await readRunRecord(files[0]!);
    assert.equal(record.kind, 'range-test');
    assert.equal(record.environment.backend, 'pytorch');
    assert.equal(record.status, summary.status);
    assert.equal(record.points.length, summary.steps);
    assert.deepEqual(record.options.scriptArgs, ['--argv-out', argvFile, '--greeting', 'hi there']);
    assert.equal(record.options.seed, 3);
    assert.deepEqual(record.schedule, { policy: 'range', mode: 'exp', startLr: 1e-4, endLr: 10, steps: 40 });
    assert.match(r.stderr, new RegExp(`run record: ${files[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  test('a missing interpreter: exit 2, the message names it and how to choose another', async () => {
    const dir = tempDir();
    const r = await runCli(['range-test', tinyLoop, '--python', '/nonexistent/bin/python9', '--steps', '10', '--runs-dir', dir]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^lrscope range-test: Python interpreter "\/nonexistent\/bin\/python9" was not found\. .*--python PATH/m);
    assert.equal(r.stdout, '');
    assert.deepEqual(records(dir), [], 'no record: the interpreter never started');
  });

  test('an interpreter without torch: exit 2, the message names it and how to install torch', async () => {
    const dir = tempDir();
    // Debian's torch lives in dist-packages, which `-S` (no site module) leaves off sys.path.
    const python = join(dir, 'python-without-torch');
    writeFileSync(python, `#!/bin/sh\nexec ${PYTHON} -S "$@"\n`, { mode: 0o755 });
    const r = await runCli(['range-test', tinyLoop, '--python', python, '--steps', '10', '--runs-dir', dir]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^lrscope range-test: .*python-without-torch.* cannot import torch \(ModuleNotFoundError: No module named 'torch'\)\. Install PyTorch for this interpreter/m);
    assert.equal(r.stdout, '');
  });

  test('a script that fails before its first step: exit 2, where it stopped and its traceback tail, the failed record kept', async () => {
    const dir = tempDir();
    const r = await runCli(['range-test', failsEarly, '--python', PYTHON, '--steps', '10', '--runs-dir', dir, '--json']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^lrscope range-test: .*fails_early\.py failed before its first optimizer step, at line 7 \(in forward_pass: `return model\(x\)/m);
    assert.match(r.stderr, /RuntimeError: mat1 and mat2 shapes cannot be multiplied/);
    assert.match(r.stderr, /Traceback|File ".*fails_early\.py", line 7/);
    assert.match(r.stderr, /\(the failed run's record: .*\.json\)/);
    assert.equal(r.stdout, '', 'no summary on a failure');
    const files = records(dir);
    assert.equal(files.length, 1);
    assert.equal((await readRunRecord(files[0]!)).status, 'failed');
  });

  test('a script that raises at a high LR after many steps: a range test that stopped, its suggestions printed, --out and --json written, exit 0', async () => {
    const dir = tempDir();
    const out = join(dir, 'copy.json');
    const r = await runCli(['range-test', raisesAtHighLr, '--python', PYTHON, '--steps', '100', '--start-lr', '1e-3', '--end-lr', '1e6', '--diverge-factor', 'none', '--runs-dir', 'runs', '--out', out, '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(lastLine(r.stdout)) as { status: string; steps: number; suggestions: Record<string, number | null>; recommendation: { lr: number | null } };
    assert.equal(summary.status, 'diverged');
    assert.ok(summary.steps > 30 && summary.steps < 100, String(summary.steps));
    assert.ok(summary.suggestions.minimum !== null && summary.suggestions.valley !== null, JSON.stringify(summary.suggestions));
    const record = await readRunRecord(out);
    assert.equal(record.status, 'diverged');
    assert.equal(record.points.length, summary.steps);
    assert.match(
      record.statusDetail ?? '',
      new RegExp(`^the script raised RuntimeError: all elements of input should be between 0 and 1 after ${summary.steps} optimizer steps \\(last lr [0-9.e+-]+\\): the range test ends there$`),
    );
    assert.ok(record.notes?.includes(`${record.statusDetail} (at line 37 (in <module>: \`bce = F.binary_cross_entropy(recon, xb, reduction="sum")\`))`), JSON.stringify(record.notes));
    assert.deepEqual(record.suggestions, summary.suggestions);
    // the reading is printed (on stderr under --json), and the note says where the script raised
    assert.match(r.stderr, /^ {4}valley {3}\d/m);
    assert.match(r.stderr, /^the script raised RuntimeError: all elements of input should be between 0 and 1 after \d+ optimizer steps .* \(at line 37 /m);
    assert.equal(records(join(dir, 'runs')).length, 1);
  });

  test('Ctrl-C (SIGINT) stops before the next optimizer step: exit 130, the partial run saved as cancelled', async () => {
    const dir = tempDir();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    let interrupted = false;
    const others = process.listeners('SIGINT');
    process.removeAllListeners('SIGINT');
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    stderr.on('data', (c: Buffer) => {
      err += c.toString();
      if (!interrupted && /range test: \d+\/1000 steps/.test(err)) {
        interrupted = true;
        process.emit('SIGINT');
      }
    });
    let code: number;
    try {
      code = await main(
        ['range-test', tinyLoop, '--python', PYTHON, '--steps', '1000', '--start-lr', '1e-5', '--end-lr', '1e-3', '--diverge-factor', 'none', '--runs-dir', dir, '--json', '--', '--epochs', '1000'],
        { stdout, stderr, stdin: Readable.from(['']), cwd: dir },
      );
    } finally {
      for (const l of others) process.on('SIGINT', l);
    }
    assert.ok(interrupted, err);
    assert.equal(code, 130, err);
    assert.match(err, /Ctrl-C: stopping before the next optimizer step/);
    const summary = JSON.parse(lastLine(out)) as { status: string; steps: number };
    assert.equal(summary.status, 'cancelled');
    assert.ok(summary.steps >= 100 && summary.steps < 1000, `partial run of ${summary.steps} steps`);
    const files = records(dir);
    assert.equal(files.length, 1);
    const record = await readRunRecord(files[0]!);
    assert.equal(record.status, 'cancelled');
    assert.equal(record.points.length, summary.steps);
  });
});

describe('train on a PyTorch script', () => {
  test('--one-cycle --max-lr 0.05 --steps 40: completed; the recorded LR of every step is the one-cycle spec', async () => {
    const dir = tempDir();
    const r = await runCli(['train', tinyLoop, '--one-cycle', '--max-lr', '0.05', '--steps', '40', '--python', PYTHON, '--runs-dir', dir, '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trimEnd().split('\n').length, 1, `stdout holds only the summary:\n${r.stdout}`);
    const summary = JSON.parse(lastLine(r.stdout)) as { status: string; backend: string; schedule: ScheduleSpec; epochs: unknown[] };
    assert.deepEqual(Object.keys(summary), ['status', 'backend', 'schedule', 'epochs']);
    assert.equal(summary.status, 'completed');
    assert.equal(summary.backend, 'pytorch');
    assert.deepEqual(summary.schedule, { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.05, totalSteps: 40 });
    assert.deepEqual(summary.epochs, []);
    assert.match(r.stderr, /^hello from the script$/m);

    const files = records(dir);
    assert.equal(files.length, 1);
    const record = await readRunRecord(files[0]!);
    assert.equal(record.kind, 'train');
    assert.equal(record.status, 'completed');
    assert.equal(record.points.length, 40, 'the script was stopped after --steps optimizer steps');
    const expected = sampleSchedule(summary.schedule, 40);
    record.points.forEach((p, i) => {
      assert.equal(p.step, i);
      assert.ok(Math.abs(p.lr - expected.lr[i]!) <= 1e-12 * expected.lr[i]!, `step ${i}: lr ${p.lr} vs ${expected.lr[i]}`);
      if (expected.momentum) assert.ok(Math.abs((p.momentum ?? NaN) - expected.momentum[i]!) < 1e-9, `step ${i}: momentum ${p.momentum}`);
    });
  });

  test('--schedule FILE without --steps runs the whole script, its stdout on stdout', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'constant.json'), JSON.stringify({ policy: 'constant', lr: 0.01 }));
    const r = await runCli(['train', tinyLoop, '--schedule', 'constant.json', '--python', PYTHON, '--runs-dir', dir, '--', '--epochs', '2'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^hello from the script$/m);
    assert.match(r.stdout, /^training completed$/m);
    assert.match(r.stderr, /^a line on stderr from the script$/m);
    const files = records(dir).filter((f) => !f.endsWith('constant.json'));
    assert.equal(files.length, 1);
    const record = await readRunRecord(files[0]!);
    assert.equal(record.points.length, 16, 'two epochs of 8 batches');
    assert.ok(record.points.every((p) => p.lr === 0.01));
  });
});

describe('options for a PyTorch script, and for an experiment module', () => {
  for (const [argv, pattern] of [
    [['range-test', tinyLoop, '--batch-size', '64'], /--batch-size does not apply to a PyTorch script/],
    [['range-test', tinyLoop, '--backend', 'cpu'], /--backend does not apply to a PyTorch script/],
    [['range-test', tinyLoop, '--validation-batches', '2'], /--validation-batches does not apply to a PyTorch script/],
    [['range-test', tinyLoop, '--first-step-timeout', '0'], /--first-step-timeout must be > 0/],
    [['train', tinyLoop, '--one-cycle', '--max-lr', '0.1'], /--one-cycle on a PyTorch script needs --steps N/],
    [['train', tinyLoop, '--one-cycle', '--steps', '40', '--epochs', '3'], /--epochs does not apply to a PyTorch script: .*Give --steps N/],
    [['train', tinyLoop, '--schedule', 'x.json', '--save-model', 'out'], /--save-model does not apply to a PyTorch script/],
    [['range-test', synthetic, '--python', PYTHON], /--python does not apply to an experiment module/],
    [['range-test', synthetic, '--', '--epochs', '2'], /arguments after -- go to a PyTorch script/],
    [['train', synthetic, '--one-cycle', '--steps', '40'], /--steps does not apply to an experiment module/],
    [['range-test', 'missing.py'], /cannot read missing\.py: no such file/],
    [['range-test', 'notes.txt'], /notes\.txt is not an experiment module/],
  ] as const) {
    test(`${argv.slice(2).join(' ')} (${argv[0]}): exit 2 naming the option`, async () => {
      const r = await runCli([...argv], { cwd: fixtures });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
      assert.equal(r.stdout, '');
    });
  }

  test('the help texts show the .py usage', async () => {
    for (const verb of ['range-test', 'train']) {
      const r = await runCli([verb, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`lrscope ${verb} <train\\.py>`));
      assert.match(r.stdout, /--python PATH/);
      assert.match(r.stdout, new RegExp(`lrscope ${verb} train\\.py .*-- `));
    }
  });
});
