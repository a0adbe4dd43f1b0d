/**
 * `lrscope train` in-process on the synthetic example (cpu backend, one epoch of 64 batches):
 * a schedule spec file, one-cycle with --max-lr, one-cycle with the range test run first, the
 * refusal when that test recommends nothing, and input errors.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listRunRecords, readRunRecord } from '../../src/engine/index';
import { runCli } from './run-cli';

const root = join(__dirname, '..', '..');
const synthetic = join(root, 'examples', 'synthetic.experiment.ts');
/** The synthetic example: 2048 training examples in batches of 32. */
const BATCHES_PER_EPOCH = 64;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'lrscope-cli-train-'));
}

function lastJson(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout.trimEnd().split('\n').at(-1) ?? '') as Record<string, unknown>;
}

interface EpochJson {
  epoch: number;
  loss: number;
  valLoss: number | null;
  [metric: string]: number | null;
}

describe('train runs', () => {
  test('--schedule spec.json --json: per-epoch loss, val loss and metrics; record saved; --out copy', async () => {
    const dir = tempDir();
    const spec = { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.1, totalSteps: 2 * BATCHES_PER_EPOCH };
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    const r = await runCli(['train', synthetic, '--schedule', 'spec.json', '--backend', 'cpu', '--runs-dir', 'runs', '--out', 'train.json', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const summary = lastJson(r.stdout);
    assert.deepEqual(Object.keys(summary), ['status', 'backend', 'schedule', 'epochs']);
    assert.equal(summary.status, 'completed');
    assert.equal(summary.backend, 'cpu');
    assert.deepEqual(summary.schedule, spec);
    const epochs = summary.epochs as EpochJson[];
    assert.equal(epochs.length, 2, "the experiment's 2 epochs");
    assert.deepEqual(epochs.map((e) => e.epoch), [1, 2]);
    for (const e of epochs) {
      assert.ok(Number.isFinite(e.loss) && Number.isFinite(e.valLoss));
      const metric = Object.keys(e).find((k) => !['epoch', 'loss', 'valLoss'].includes(k) && !k.startsWith('val_'));
      assert.ok(metric, `a training metric in ${JSON.stringify(e)}`);
      assert.ok(typeof e[`val_${metric}`] === 'number', 'and its validation twin');
    }
    assert.ok(epochs[1]!.loss < epochs[0]!.loss, 'the loss falls');
    // Per-epoch progress lines on stderr.
    assert.match(r.stderr, /epoch 1\/2 +loss \d\.\d{4} +val loss \d\.\d{4}/);
    const records = await listRunRecords(join(dir, 'runs'));
    assert.equal(records.length, 1);
    const record = records[0]!;
    assert.equal(record.kind, 'train');
    assert.equal(record.points.length, 2 * BATCHES_PER_EPOCH);
    assert.ok(Math.abs(Math.max(...record.points.map((p) => p.lr)) - 0.1) < 1e-3, 'the one-cycle peak was applied');
    assert.deepEqual(await readRunRecord(join(dir, 'train.json')), record);
  });

  test('--one-cycle --max-lr --epochs --flavor: a one-cycle over exactly the training run', async () => {
    const dir = tempDir();
    const r = await runCli(['train', synthetic, '--one-cycle', '--max-lr', '0.05', '--epochs', '1', '--flavor', 'fastai', '--backend', 'cpu', '--runs-dir', dir, '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const summary = lastJson(r.stdout);
    assert.deepEqual(summary.schedule, { policy: 'onecycle', flavor: 'fastai', lrMax: 0.05, totalSteps: BATCHES_PER_EPOCH });
    assert.equal((summary.epochs as EpochJson[]).length, 1);
    assert.doesNotMatch(r.stderr, /range test/, 'no range test when --max-lr is given');
    const records = await listRunRecords(dir);
    assert.equal(records.length, 1, 'only the training run is kept');
    assert.equal(records[0]!.points.length, BATCHES_PER_EPOCH);
    assert.ok(Math.abs(records[0]!.points[0]!.lr - 0.05 / 25) < 1e-9, "starts at fastai's lrMax / div");
    assert.ok(records[0]!.points.at(-1)!.lr < 0.05 / 100, 'annealed by the end');
  });

  test('--one-cycle without --max-lr runs the range test first and trains at its recommendation', async () => {
    const dir = tempDir();
    const r = await runCli(['train', synthetic, '--one-cycle', '--epochs', '1', '--backend', 'cpu', '--runs-dir', dir], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /no --max-lr: running a range test first/);
    const records = await listRunRecords(dir);
    assert.equal(records.length, 2);
    const rangeTest = records.find((x) => x.kind === 'range-test')!;
    const training = records.find((x) => x.kind === 'train')!;
    const lr = rangeTest.recommendation?.lr;
    assert.ok(typeof lr === 'number' && lr > 0, 'the range test recommended an LR');
    assert.match(r.stderr, new RegExp(`using the range test's recommendation: max lr ${lr.toExponential(1).replace('+', '\\+')}`));
    assert.deepEqual(training.schedule, { policy: 'onecycle', flavor: 'pytorch', maxLr: lr, totalSteps: BATCHES_PER_EPOCH });
    // Text mode: the range test's reading, then the training summary on stdout.
    assert.match(r.stdout, /▶ .* recommended \(minimum-x2: the min-loss LR \/ 5\)/);
    assert.match(r.stderr, /using the range test's recommendation: max lr .* \(minimum-x2\)/);
    assert.match(r.stdout, /training completed/);
    assert.match(r.stdout, /schedule: one-cycle \(pytorch\), max lr/);
    assert.match(r.stdout, /epoch 1\/1 +loss/);
  });

  test('refuses to train when the range test recommends no LR, quoting why', async () => {
    const dir = tempDir();
    const r = await runCli(['train', synthetic, '--one-cycle', '--range-steps', '12', '--backend', 'cpu', '--runs-dir', dir]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /the range test recommends no learning rate, so there is nothing to train with: No learning rate recommended: too few usable points/);
    assert.match(r.stderr, /Pass --max-lr to choose one yourself/);
    const kinds = (await listRunRecords(dir)).map((x) => x.kind);
    assert.deepEqual(kinds, ['range-test'], 'the range test is kept, no training ran');
  });
});

describe('train input errors exit 2', () => {
  const cases: { args: string[]; message: RegExp }[] = [
    { args: [], message: /give exactly one of --schedule FILE or --one-cycle/ },
    { args: ['--one-cycle', '--schedule', 's.json'], message: /give exactly one of --schedule FILE or --one-cycle/ },
    { args: ['--schedule', 's.json', '--max-lr', '0.1'], message: /--max-lr goes with --one-cycle/ },
    { args: ['--one-cycle', '--flavor', 'keras'], message: /--flavor must be one of pytorch, fastai, optax-cosine, optax-linear, smith, got 'keras'/ },
    { args: ['--one-cycle', '--max-lr', '0'], message: /--max-lr must be > 0, got 0/ },
    { args: ['--one-cycle', '--epochs', '1.5'], message: /--epochs must be a whole number ≥ 1, got 1\.5/ },
    { args: ['--schedule', 'missing.json'], message: /cannot read missing\.json: no such file/ },
  ];
  for (const c of cases) {
    test(c.args.join(' ') || '(no schedule)', async () => {
      const r = await runCli(['train', synthetic, ...c.args]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, c.message);
    });
  }

  test('an invalid schedule spec names the file and the field', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ policy: 'onecycle', flavor: 'pytorch', maxLr: -1, totalSteps: 10 }));
    const r = await runCli(['train', synthetic, '--schedule', 'bad.json', '--runs-dir', dir], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^lrscope train: bad\.json: .*maxLr/);
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'bad.json').length, 0, 'nothing ran');
  });
});
