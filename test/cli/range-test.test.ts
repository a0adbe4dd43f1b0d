/**
 * `lrscope range-test` in-process on the synthetic example (cpu backend, small step counts):
 * the --json summary, the saved record and its --out / --html copies, the text reading, bad
 * options and broken experiments (exit 2 with one clear message), Ctrl-C keeping the partial
 * run, and the progress output itself.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/main';
import { Progress } from '../../src/cli/progress';
import { readRunRecord } from '../../src/engine/index';
import { runCli } from './run-cli';

const root = join(__dirname, '..', '..');
const synthetic = join(root, 'examples', 'synthetic.experiment.ts');
const fixtures = join(root, 'test', 'engine', 'fixtures');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'lrscope-cli-range-'));
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

describe('range-test runs', () => {
  test('--json: the last line of stdout is the summary; the record is saved and --out holds the same record', async () => {
    const dir = tempDir();
    const r = await runCli(
      ['range-test', synthetic, '--backend', 'cpu', '--steps', '40', '--start-lr', '1e-4', '--end-lr', '1', '--runs-dir', 'runs', '--out', 'copy.json', '--json'],
      { cwd: dir },
    );
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(lastLine(r.stdout)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(summary), ['status', 'backend', 'steps', 'suggestions', 'recommendation']);
    assert.ok(summary.status === 'completed' || summary.status === 'diverged', String(summary.status));
    assert.equal(summary.backend, 'cpu');
    assert.equal(typeof summary.steps, 'number');
    assert.ok((summary.steps as number) > 10 && (summary.steps as number) <= 40);
    const suggestions = summary.suggestions as Record<string, unknown>;
    assert.deepEqual(Object.keys(suggestions), ['minimum', 'steep', 'valley', 'slide']);
    for (const v of Object.values(suggestions)) assert.ok(v === null || (typeof v === 'number' && v > 0));
    const rec = summary.recommendation as { method: string; rule: string; lr: number | null; message: string };
    assert.deepEqual([rec.rule, rec.method], ['minimum-x2', 'minimum']);
    assert.equal(typeof rec.message, 'string');

    // One record in the runs folder, valid, matching the summary; --out is a byte-for-byte copy.
    const files = readdirSync(join(dir, 'runs')).filter((f) => f.endsWith('.json'));
    assert.equal(files.length, 1);
    const saved = await readRunRecord(join(dir, 'runs', files[0]!));
    assert.equal(saved.kind, 'range-test');
    assert.equal(saved.status, summary.status);
    assert.equal(saved.points.length, summary.steps);
    assert.deepEqual(saved.suggestions, suggestions);
    assert.equal(saved.recommendation?.lr, rec.lr);
    assert.deepEqual(saved.schedule, { policy: 'range', mode: 'exp', startLr: 1e-4, endLr: 1, steps: 40 });
    assert.equal(readFileSync(join(dir, 'copy.json'), 'utf8'), readFileSync(join(dir, 'runs', files[0]!), 'utf8'));
    // Human output went to stderr: the record path is named there, stdout is the JSON line alone.
    assert.equal(r.stdout.trimEnd().split('\n').length, 1);
    assert.match(r.stderr, new RegExp(`run record: .*${files[0]!.replace(/[.]/g, '\\.')}`));
  });

  test('text mode prints the suggestions, the recommendation, a plot and the paths; --html writes a report', async () => {
    const dir = tempDir();
    const r = await runCli(['range-test', synthetic, '--backend', 'cpu', '--steps', '40', '--mode', 'linear', '--start-lr', '1e-3', '--end-lr', '2', '--diverge-factor', 'none', '--seed', '5', '--html', 'report.html'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    for (const m of ['minimum', 'steep', 'valley', 'slide']) assert.match(r.stdout, new RegExp(`\\b${m}\\b`));
    assert.match(r.stdout, /▶ .* recommended \(minimum-x2: the min-loss LR \/ 5\)/);
    assert.match(r.stdout, /smoothed loss against learning rate/);
    assert.match(r.stdout, /└─+/, 'a plot is drawn');
    assert.match(r.stdout, /run record: .*\.lrscope[\\/]runs[\\/].*range-test.*\.json/, 'default runs folder under the cwd');
    assert.match(r.stdout, /report: +.*report\.html/);
    // Non-TTY progress: a line per tenth, the last one at 100 %.
    assert.match(r.stderr, /range test: 4\/40 steps \(10 %\)/);
    assert.match(r.stderr, /range test: 40\/40 steps \(100 %\)/);
    const runs = readdirSync(join(dir, '.lrscope', 'runs'));
    assert.equal(runs.length, 1);
    const record = await readRunRecord(join(dir, '.lrscope', 'runs', runs[0]!));
    assert.equal(record.options['seed'], 5);
    assert.equal(record.options['divergeFactor'], null);
    assert.equal(record.status, 'completed', 'with --diverge-factor none the test runs every step');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /<svg class="chart"/);
    assert.ok(html.includes(record.id));
  });

  test('Ctrl-C (SIGINT) stops after the current batch: exit 130, the partial run saved as cancelled', async () => {
    const dir = tempDir();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    let interrupted = false;
    // Only the CLI's own listener may see this SIGINT (a test runner may listen too).
    const others = process.listeners('SIGINT');
    process.removeAllListeners('SIGINT');
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    stderr.on('data', (c: Buffer) => {
      err += c.toString();
      // Deterministic: interrupt once the first progress line (10 % of the steps) is out.
      if (!interrupted && /range test: \d+\/1000 steps/.test(err)) {
        interrupted = true;
        process.emit('SIGINT');
      }
    });
    let code: number;
    try {
      code = await main(
        ['range-test', synthetic, '--backend', 'cpu', '--steps', '1000', '--start-lr', '1e-4', '--end-lr', '1e-2', '--diverge-factor', 'none', '--runs-dir', dir, '--json'],
        { stdout, stderr, stdin: Readable.from(['']), cwd: dir },
      );
    } finally {
      for (const l of others) process.on('SIGINT', l);
    }
    assert.ok(interrupted, err);
    assert.equal(code, 130, err);
    assert.equal(process.listenerCount('SIGINT'), others.length, 'the CLI removed its SIGINT listener');
    assert.match(err, /Ctrl-C: stopping after the current batch/);
    const summary = JSON.parse(lastLine(out)) as { status: string; steps: number };
    assert.equal(summary.status, 'cancelled');
    assert.ok(summary.steps >= 100 && summary.steps < 1000, `partial run of ${summary.steps} steps`);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    assert.equal(files.length, 1);
    const record = await readRunRecord(join(dir, files[0]!));
    assert.equal(record.status, 'cancelled');
    assert.equal(record.points.length, summary.steps);
    assert.ok(record.endedAt);
  });
});

test('a real Ctrl-C to the lrscope process: exit code 130 and a cancelled record', async () => {
  const dir = tempDir();
  // 100,000 steps: only the signal can end this run.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'src', 'cli', 'bin.ts'), 'range-test', synthetic, '--backend', 'cpu', '--steps', '100000', '--end-lr', '1e-3', '--diverge-factor', 'none', '--runs-dir', dir, '--json'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
    // Deterministic: signal once the run has started (its first step runs before any signal is read).
    if (/range test on /.test(stderr) && child.exitCode === null && !child.killed) child.kill('SIGINT');
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  assert.equal(code, 130, stderr);
  const summary = JSON.parse(lastLine(stdout)) as { status: string; steps: number };
  assert.equal(summary.status, 'cancelled');
  assert.ok(summary.steps >= 1 && summary.steps < 100000);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.equal(files.length, 1);
  const record = await readRunRecord(join(dir, files[0]!));
  assert.equal(record.status, 'cancelled');
  assert.equal(record.points.length, summary.steps);
});

describe('range-test input errors exit 2 with one clear message', () => {
  const cases: { args: string[]; message: RegExp }[] = [
    { args: ['--steps', 'many'], message: /--steps must be a number, got 'many'/ },
    { args: ['--steps', '1'], message: /--steps must be a whole number ≥ 2, got 1/ },
    { args: ['--start-lr=-1'], message: /--start-lr must be > 0, got -1/ },
    { args: ['--start-lr', '1e-2', '--end-lr', '1e-3'], message: /--end-lr \(0\.001\) must be larger than --start-lr \(0\.01\)/ },
    { args: ['--end-lr', '1e-8'], message: /--end-lr .* must be larger than --start-lr \(1e-7, the default\)/ },
    { args: ['--mode', 'log'], message: /--mode must be exp or linear, got 'log'/ },
    { args: ['--beta', '1'], message: /--beta must be in \[0, 1\), got 1/ },
    { args: ['--diverge-factor', '0.5'], message: /--diverge-factor must be a number > 1 or "none", got 0\.5/ },
    { args: ['--backend', 'gpu'], message: /--backend must be one of auto, tensorflow, wasm, cpu, got 'gpu'/ },
    { args: ['--batch-size', '0'], message: /--batch-size must be a whole number ≥ 1, got 0/ },
    { args: ['--validation-batches', 'x'], message: /--validation-batches must be a number/ },
    { args: ['--lr', '1'], message: /Unknown option '--lr'/ },
  ];
  for (const c of cases) {
    test(c.args.join(' '), async () => {
      const r = await runCli(['range-test', synthetic, ...c.args]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, c.message);
      assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
      assert.equal(r.stdout, '');
    });
  }

  test('no experiment, a missing file and a file of the wrong kind', async () => {
    const none = await runCli(['range-test']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /expected one experiment file/);
    const missing = await runCli(['range-test', 'nope.experiment.ts']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read nope\.experiment\.ts: no such file/);
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'hello\n');
    const other = await runCli(['range-test', 'notes.txt'], { cwd: dir });
    assert.equal(other.code, 2);
    assert.match(other.stderr, /notes\.txt is not an experiment module/);
  });

  test("a broken experiment exits 2 with the engine's message naming the file and field; its failed record is kept", async () => {
    const dir = tempDir();
    const r = await runCli(['range-test', join(fixtures, 'no-default.experiment.ts'), '--backend', 'cpu', '--runs-dir', dir]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^lrscope range-test: .*no-default\.experiment\.ts: default export: missing/);
    assert.match(r.stderr, /the failed run's record: /);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    assert.equal(files.length, 1);
    assert.equal((await readRunRecord(join(dir, files[0]!))).status, 'failed');

    const syntax = await runCli(['range-test', join(fixtures, 'syntax-error.experiment.js'), '--backend', 'cpu', '--runs-dir', dir]);
    assert.equal(syntax.code, 2, syntax.stderr);
    assert.match(syntax.stderr, /syntax-error\.experiment\.js:4:38: /);
  });

  test('a backend that cannot start exits 2 with its reason', async () => {
    const dir = tempDir();
    const r = await runCli(['range-test', synthetic, '--backend', 'tensorflow', '--runs-dir', dir]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^lrscope range-test: .*tfjs-node/);
    assert.ok(!existsSync(join(dir, 'x')));
  });
});

describe('progress output', () => {
  function sink(isTTY: boolean): { stream: { write(s: string): boolean; isTTY: boolean; columns: number }; text: () => string } {
    let text = '';
    return {
      stream: {
        isTTY,
        columns: 60,
        write(s: string) {
          text += s;
          return true;
        },
      },
      text: () => text,
    };
  }

  test('plain lines: one per tenth of the run, never more', () => {
    const s = sink(false);
    const p = new Progress(s.stream, { title: 'range test', total: 25 });
    for (let i = 1; i <= 25; i++) p.update(i, `lr ${i}`);
    p.finish();
    const lines = s.text().trimEnd().split('\n');
    assert.equal(lines.length, 10);
    assert.equal(lines[0], 'range test: 3/25 steps (10 %)  lr 3');
    assert.equal(lines[9], 'range test: 25/25 steps (100 %)  lr 25');
  });

  test('TTY: one bar redrawn in place, throttled, always drawn at the end; lines print above it', () => {
    const s = sink(true);
    let now = 0;
    const p = new Progress(s.stream, { title: 'range test', total: 100, now: () => now });
    for (let i = 1; i <= 100; i++) {
      now += 10; // a step every 10 ms: the 80 ms throttle draws about every 8th
      p.update(i, `lr ${i}`);
      if (i === 50) p.line('note: halfway');
    }
    p.finish();
    const text = s.text();
    const draws = text.split('\r\x1b[2K').length - 1;
    assert.ok(draws >= 12 && draws <= 20, `${draws} redraws`);
    assert.ok(!text.slice(0, text.lastIndexOf('\n')).includes('\n\n'));
    assert.match(text, /note: halfway\n/);
    assert.match(text, /range test █{24} 100\/100  lr 100\n$/);
    for (const chunk of text.split(/\r\x1b\[2K/)) assert.ok(chunk.replace(/\n$/, '').length <= 59 || chunk.includes('\n'), 'fits the terminal');
  });
});
