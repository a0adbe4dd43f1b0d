/**
 * Hard stops of a real `lrscope` process and experiments that misbehave: the record keeps the
 * curve (SIGTERM closes it as cancelled, SIGKILL leaves it to the engine, which closes it as
 * crashed), an experiment that exits, runs out of memory or loops forever is a crashed (or, when
 * stopped, cancelled) run with one message, and nothing is left running after the CLI exits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RunRecord } from '../../src/core/runs/record';
import { readRunRecord } from '../../src/engine/index';

const root = join(__dirname, '..', '..');
const bin = join(root, 'src', 'cli', 'bin.ts');
const synthetic = join(root, 'examples', 'synthetic.experiment.ts');
const fixtures = join(__dirname, 'fixtures');
const tsx = pathToFileURL(require.resolve('tsx')).href;

interface Cli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when stderr matches `pattern`. */
  seen(pattern: RegExp): Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startCli(args: string[], options: { cwd: string; env?: Record<string, string>; detached?: boolean }): Cli {
  const child = spawn(process.execPath, ['--import', tsx, bin, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; resolve(): void }[] = [];
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
    for (const w of waiters.splice(0)) {
      if (w.pattern.test(err)) w.resolve();
      else waiters.push(w);
    }
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    seen: (pattern) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(err)) return resolve();
        waiters.push({ pattern, resolve });
        void exit.then(() => reject(new Error(`the CLI exited before printing ${pattern}:\n${err}`)));
      }),
    exit,
  };
}

function onlyRecord(dir: string): string {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.equal(files.length, 1, `one record in ${dir}: ${files.join(', ')}`);
  return join(dir, files[0]!);
}

/** Reads the record until `done` holds (the engine closes it a batch after its parent died); at most `tries` reads 100 ms apart. */
async function recordWhen(path: string, done: (r: RunRecord) => boolean, tries = 600): Promise<RunRecord> {
  let last: RunRecord | undefined;
  for (let i = 0; i < tries; i++) {
    if (existsSync(path)) {
      last = await readRunRecord(path);
      if (done(last)) return last;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`the record never got there: ${JSON.stringify(last?.status)}`);
}

function assertNoStack(text: string): void {
  assert.doesNotMatch(text, /^\s+at .+:\d+:\d+\)?$/m, `no stack trace:\n${text}`);
  assert.doesNotMatch(text, /Last few GCs|node::Abort|FATAL ERROR/, `no V8 dump:\n${text}`);
}

const longRun = ['range-test', synthetic, '--backend', 'cpu', '--steps', '100000', '--end-lr', '1e-3', '--diverge-factor', 'none', '--json'];

test('SIGTERM to the CLI: exit 143, the record closed as cancelled with every point streamed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lrscope-faults-'));
  const cli = startCli([...longRun, '--runs-dir', dir], { cwd: root });
  await cli.seen(/range test on /);
  cli.child.kill('SIGTERM');
  const { code } = await cli.exit;
  assert.equal(code, 143, cli.stderr());
  assert.match(cli.stderr(), /SIGTERM: stopping after the current batch/);
  const summary = JSON.parse(cli.stdout().trimEnd().split('\n').at(-1)!) as { status: string; steps: number };
  const record = await readRunRecord(onlyRecord(dir));
  assert.equal(record.status, 'cancelled');
  assert.equal(summary.steps, record.points.length);
  assert.ok(record.points.length >= 1);
  assert.equal(record.writer, undefined, 'a closed record names no writer');
});

test('SIGKILL of the CLI: the engine closes the record as crashed, keeping every point', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lrscope-faults-'));
  const cli = startCli([...longRun, '--runs-dir', dir], { cwd: root });
  await cli.seen(/range test on /);
  const path = onlyRecord(dir);
  // The record is on disk and growing while the run goes (saved about once a second).
  const growing = await recordWhen(path, (r) => r.points.length > 0);
  assert.equal(growing.status, 'running');
  assert.ok(growing.writer && growing.writer.pid !== cli.child.pid, 'the engine child writes it');
  cli.child.kill('SIGKILL');
  await cli.exit;
  const record = await recordWhen(path, (r) => r.status !== 'running');
  assert.equal(record.status, 'crashed');
  assert.match(record.statusDetail ?? '', /the process that started the run went away/);
  assert.ok(record.points.length >= growing.points.length);
  assert.ok(record.points.every((p, i) => p.step === i), 'no step lost in the middle');
});

test('an experiment that calls process.exit(0) mid-run: a crashed run with its partial curve, exit 1, one message', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'lrscope-faults-'));
  const cli = startCli(['range-test', join(fixtures, 'exits.experiment.ts'), '--backend', 'cpu', '--steps', '100000', '--diverge-factor', 'none', '--runs-dir', 'runs'], { cwd });
  await cli.seen(/range test on /);
  writeFileSync(join(cwd, 'EXIT_NOW'), '');
  const { code } = await cli.exit;
  assert.equal(code, 1, cli.stderr());
  const crashLines = cli.stderr().split('\n').filter((l) => /the run crashed/.test(l));
  assert.equal(crashLines.length, 1, cli.stderr());
  assert.match(crashLines[0]!, /exited \(code 0\) before finishing the run: does the experiment call process\.exit\(\)\?/);
  assertNoStack(cli.stderr());
  const record = await readRunRecord(onlyRecord(join(cwd, 'runs')));
  assert.equal(record.status, 'crashed');
  assert.ok(record.points.length >= 1, 'the partial curve is kept');
  assert.match(cli.stdout(), /range test .*crashed/, 'the reading of the partial curve is printed');
});

test('an experiment that exhausts the JS heap: a crashed run, exit 1, one message, no V8 dump', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'lrscope-faults-'));
  const cli = startCli(['range-test', join(fixtures, 'out-of-memory.experiment.ts'), '--backend', 'cpu', '--steps', '100000', '--diverge-factor', 'none', '--runs-dir', 'runs'], {
    cwd,
    env: { NODE_OPTIONS: '--max-old-space-size=384' },
  });
  await cli.seen(/range test on /);
  writeFileSync(join(cwd, 'EXIT_NOW'), '');
  const { code } = await cli.exit;
  assert.equal(code, 1, cli.stderr());
  assert.match(cli.stderr(), /the run crashed: The engine ran out of memory/);
  assertNoStack(cli.stderr());
  const record = await readRunRecord(onlyRecord(join(cwd, 'runs')));
  assert.equal(record.status, 'crashed');
  assert.ok(record.points.length >= 1);
});

test('an experiment that loops forever in data(): one Ctrl-C stops it after the grace period, a second at once', async () => {
  for (const presses of [1, 2]) {
    const cwd = mkdtempSync(join(tmpdir(), 'lrscope-faults-'));
    const cli = startCli(['range-test', join(fixtures, 'loops.experiment.ts'), '--backend', 'cpu', '--runs-dir', 'runs', '--json'], { cwd });
    await cli.seen(/data\(\) is looping/);
    cli.child.kill('SIGINT');
    if (presses === 2) {
      await cli.seen(/Ctrl-C: stopping/);
      cli.child.kill('SIGINT');
    }
    const { code } = await cli.exit;
    assert.equal(code, 130, cli.stderr());
    if (presses === 2) assert.match(cli.stderr(), /stopping now/);
    assertNoStack(cli.stderr());
    const record = await readRunRecord(onlyRecord(join(cwd, 'runs')));
    assert.equal(record.status, 'cancelled', record.statusDetail);
    assert.equal(record.points.length, 0);
  }
});

test('no process is left in the CLI process group after it exits', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lrscope-faults-'));
  const cli = startCli(['range-test', synthetic, '--backend', 'cpu', '--steps', '20', '--runs-dir', dir, '--json'], { cwd: root, detached: true });
  const { code } = await cli.exit;
  assert.equal(code, 0, cli.stderr());
  const group = cli.child.pid!;
  const left = execFileSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.trim().split(/\s+/)[1] === String(group));
  assert.deepEqual(left, []);
});

test('SIGKILL of the CLI probing a PyTorch script: the record on disk has the curve so far and reads as crashed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lrscope-faults-'));
  const script = join(fixtures, 'tiny_loop.py');
  const cli = startCli(
    ['range-test', script, '--python', '/usr/bin/python3', '--steps', '100000', '--end-lr', '1e-3', '--diverge-factor', 'none', '--runs-dir', dir, '--', '--epochs', '100000'],
    { cwd: root, detached: true },
  );
  try {
    await cli.seen(/range test on /);
    // the record is written once the script's torch says hello
    for (let i = 0; i < 600 && !readdirSync(dir).some((f) => f.endsWith('.json')); i++) await new Promise((r) => setTimeout(r, 100));
    const path = onlyRecord(dir);
    const growing = await recordWhen(path, (r) => r.points.length >= 3);
    assert.equal(growing.status, 'running');
    assert.equal(growing.writer?.pid, cli.child.pid, 'the CLI writes the record of a probed script');
    process.kill(-cli.child.pid!, 'SIGKILL');
    await cli.exit;
    const record = await readRunRecord(path);
    assert.equal(record.status, 'crashed', 'a running record whose writer is gone reads as crashed');
    assert.ok(record.points.length >= growing.points.length);
    assert.ok(record.points.every((p, i) => p.step === i), 'no step lost in the middle');
  } finally {
    try {
      process.kill(-cli.child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
