/**
 * `lrscope sweep`: a real tiny sweep of the synthetic experiment (cpu backend) over weight decay and
 * one of a PyTorch script (real torch) through an argument template: one ordinary run record per
 * value, tagged with the sweep; the table and Smith's reading; bad input refused before anything runs.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRunRecord } from '../../src/engine/index';
import { runCli } from './run-cli';

const root = join(__dirname, '..', '..');
const synthetic = join(root, 'examples', 'synthetic.experiment.ts');
const tinyLoop = join(__dirname, 'fixtures', 'tiny_loop.py');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'lrscope-cli-sweep-'));
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

interface SweepJson {
  sweep: string;
  parameter: string;
  runs: Array<{ label: string; value: number; id: string; record: string; status: string }>;
  reading: { lowestLoss: { runId: string | null; text: string }; largestLr: { runId: string | null; text: string } };
}

describe('lrscope sweep', () => {
  test('an experiment over weight decay: one tagged record per value, the table and the reading', async () => {
    const dir = tempDir();
    const r = await runCli(['sweep', synthetic, '--weight-decay', '0,1e-2', '--backend', 'cpu', '--steps', '30', '--start-lr', '1e-3', '--end-lr', '100', '--runs-dir', 'runs', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(lastLine(r.stdout)) as SweepJson;
    assert.match(summary.sweep, /^sweep-\d{8}-\d{6}-[0-9a-f]{4}$/);
    assert.equal(summary.parameter, 'weightDecay');
    assert.deepEqual(summary.runs.map((x) => [x.label, x.value]), [['wd=0', 0], ['wd=0.01', 0.01]]);
    assert.equal(readdirSync(join(dir, 'runs')).filter((f) => f.endsWith('.json')).length, 2);
    for (const [i, run] of summary.runs.entries()) {
      const record = await readRunRecord(run.record);
      assert.equal(record.kind, 'range-test');
      assert.equal(record.options.weightDecay, run.value);
      assert.deepEqual(record.options.sweep, { id: summary.sweep, parameter: 'weightDecay', value: run.value, index: i, count: 2 });
      assert.equal(record.points.length > 0, true);
    }
    // the table and the reading go to stderr under --json; each finding states a run only with a reason
    assert.match(r.stderr, /run\s+recommended LR\s+lowest loss\s+at LR\s+stopped at LR/);
    assert.match(r.stderr, /^wd=0\b/m);
    assert.match(r.stderr, /lowest loss: {2}\S/);
    assert.match(r.stderr, /largest LR: {3}\S/);
    for (const finding of [summary.reading.lowestLoss, summary.reading.largestLr]) {
      assert.ok(finding.runId === null || summary.runs.some((x) => x.id === finding.runId));
      assert.ok(finding.text.length > 20);
    }
  });

  test('a PyTorch script over weight decay through --arg: the value reaches the script in its arguments', async () => {
    const dir = tempDir();
    const r = await runCli(
      ['sweep', tinyLoop, '--weight-decay', '0 5e-4', '--arg', '--greeting wd={}', '--python', '/usr/bin/python3', '--steps', '20', '--start-lr', '1e-4', '--end-lr', '1', '--runs-dir', 'runs', '--json', '--', '--epochs', '5'],
      { cwd: dir },
    );
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(lastLine(r.stdout)) as SweepJson;
    assert.deepEqual(summary.runs.map((x) => x.label), ['wd=0', 'wd=5e-4']);
    const records = await Promise.all(summary.runs.map((x) => readRunRecord(x.record)));
    assert.deepEqual(records.map((x) => x.options.scriptArgs), [['--epochs', '5', '--greeting', 'wd=0'], ['--epochs', '5', '--greeting', 'wd=5e-4']]);
    assert.deepEqual(records.map((x) => x.environment.backend), ['pytorch', 'pytorch']);
    assert.match(r.stderr, /wd=5e-4\n/, "the script's own output shows the value it got");
    assert.ok(records.every((x) => (x.options.sweep as { id: string }).id === summary.sweep));
  });

  test('bad input: one line naming the option, before anything runs', async () => {
    const dir = tempDir();
    const cases: Array<[string[], RegExp]> = [
      [['sweep', synthetic, '--steps', '20'], /give the values to sweep: --weight-decay 0,1e-4,1e-3 or --batch-size 32,64,128/],
      [['sweep', synthetic, '--weight-decay', '0,1e-4', '--batch-size', '32,64'], /sweep one parameter at a time/],
      [['sweep', synthetic, '--weight-decay', '1e-4'], /values: a sweep needs two or more weight decay values/],
      [['sweep', synthetic, '--batch-size', '32,0'], /values: a batch size must be a whole number ≥ 1, got 0/],
      [['sweep', synthetic, '--weight-decay', '0,1e-4', '--arg', '--wd {}'], /--arg does not apply to an experiment module/],
      [['sweep', tinyLoop, '--weight-decay', '0,1e-4'], /give --arg "TEMPLATE", e.g. --arg "--wd \{\}"/],
      [['sweep', tinyLoop, '--weight-decay', '0,1e-4', '--arg', '--wd'], /--arg: the script argument template must hold \{\} where the value goes/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli([...argv, '--runs-dir', 'runs'], { cwd: dir });
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
    assert.throws(() => readdirSync(join(dir, 'runs')), /ENOENT/, 'nothing ran');
  });

  test('--help is the usage text', async () => {
    const r = await runCli(['sweep', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: lrscope sweep <experiment\.ts\|js\|mjs> \(--weight-decay V,V,… \| --batch-size N,N,…\)/);
    assert.match(r.stdout, /--arg "TEMPLATE"/);
    assert.ok(readFileSync(join(root, 'README.md'), 'utf8').includes('lrscope sweep'), 'README tells of the verb');
  });
});
