/**
 * `--launcher` on the command line, with real torch and 2 gloo ranks (the tests' own torchrun
 * stand-in, test/engine/fixtures/pytorch/launch_ranks.py): a DDP job range-tested, then trained
 * with `--one-cycle` (its range test first); a bad launcher refused; and SIGTERM / a second signal
 * to the `lrscope` process leaving no probed process behind. Every run is bounded by its test's timeout.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleSchedule } from '../../src/core/schedules/index';
import { readRunRecord } from '../../src/engine/index';
import { runCli } from './run-cli';

const PYTHON = '/usr/bin/python3';
const pytorch = join(__dirname, '..', 'engine', 'fixtures', 'pytorch');
const LAUNCHER = `${PYTHON} ${join(pytorch, 'launch_ranks.py')} --nproc-per-node 2`;
const ddp = join(pytorch, 'ddp_loop.py');
const TIMEOUT = 240_000;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'lrscope-cli-launcher-'));
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

function fixtureLines(path: string): Record<string, unknown>[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('--launcher: every rank of a DDP job probed', { concurrency: 1 }, () => {
  test('range-test --launcher: exit 0, one curve of the 2 ranks, diverged', { timeout: TIMEOUT }, async () => {
    const dir = tempDir();
    const log = join(dir, 'log.jsonl');
    process.env.LRSCOPE_FIXTURE_LOG = log;
    try {
      const result = await runCli(['range-test', ddp, '--launcher', LAUNCHER, '--start-lr', '1e-3', '--end-lr', '100', '--steps', '60', '--runs-dir', dir, '--json']);
      assert.equal(result.code, 0, result.stderr);
      const summary = JSON.parse(lastLine(result.stdout)) as { status: string; steps: number; backend: string };
      assert.equal(summary.status, 'diverged');
      assert.equal(summary.backend, 'pytorch');
      const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
      assert.equal(files.length, 1);
      const record = await readRunRecord(join(dir, files[0]!));
      assert.equal(record.options.ranks, 2);
      const steps = fixtureLines(log).filter((line) => line.lrs !== undefined);
      const made = [0, 1].map((rank) => steps.filter((line) => line.rank === rank).length);
      assert.equal(made[0], made[1], 'both ranks stopped at the same step');
      assert.ok(made[0]! >= record.points.length, `each rank made the ${record.points.length} recorded steps (${made[0]} in all)`);
    } finally {
      delete process.env.LRSCOPE_FIXTURE_LOG;
    }
  });

  test('train --one-cycle --launcher on the same job: its range test, then the one-cycle LR on every rank', { timeout: TIMEOUT }, async () => {
    const dir = tempDir();
    const log = join(dir, 'log.jsonl');
    process.env.LRSCOPE_FIXTURE_LOG = log;
    try {
      const result = await runCli(['train', ddp, '--launcher', LAUNCHER, '--one-cycle', '--steps', '24', '--range-steps', '60', '--runs-dir', dir, '--json']);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /using the range test's recommendation: max lr/);
      const summary = JSON.parse(lastLine(result.stdout)) as { status: string; schedule: { policy: string; totalSteps: number } };
      assert.equal(summary.status, 'completed');
      assert.equal(summary.schedule.totalSteps, 24);
      const records = await Promise.all(readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => readRunRecord(join(dir, f))));
      const train = records.find((r) => r.kind === 'train')!;
      assert.equal(train.options.ranks, 2);
      const expected = sampleSchedule(train.schedule);
      const lines = fixtureLines(log).filter((line) => line.lrs !== undefined);
      const trainLines = lines.slice(lines.length - 48); // the last 48 step lines: 24 per rank
      for (const rank of [0, 1]) {
        const mine = trainLines.filter((line) => line.rank === rank);
        assert.equal(mine.length, 24, `rank ${rank} stopped after 24 steps`);
        mine.forEach((line, i) => assert.equal((line.lrs as number[])[0], expected.lr[i], `rank ${rank}, lr of step ${i}`));
      }
    } finally {
      delete process.env.LRSCOPE_FIXTURE_LOG;
    }
  });

  test('a launcher that names the script: exit 2, says what to give', async () => {
    const result = await runCli(['range-test', ddp, '--launcher', `torchrun --nproc-per-node 2 ${ddp}`]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--launcher "torchrun --nproc-per-node 2 .*ddp_loop\.py": give the launcher and its own options only/);
  });
});

describe('signals to lrscope while it probes', { concurrency: 1 }, () => {
  /** Starts `lrscope range-test` on the DDP job in a process of its own; resolves with it once both ranks logged a step. */
  function startCli(dir: string): Promise<{ child: ReturnType<typeof spawn>; pids: number[]; exit: Promise<number | null> }> {
    const log = join(dir, 'log.jsonl');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, '..', '..', 'src', 'cli', 'bin.ts'), 'range-test', ddp, '--launcher', LAUNCHER, '--steps', '100000', '--diverge-factor', 'none', '--start-lr', '1e-6', '--end-lr', '1e-5', '--runs-dir', dir, '--', '--epochs', '100000'],
      { env: { ...process.env, LRSCOPE_FIXTURE_LOG: log }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
    return new Promise((resolve, reject) => {
      const poll = setInterval(() => {
        const lines = fixtureLines(log);
        const pids = lines.filter((line) => typeof line.pid === 'number').map((line) => line.pid as number);
        if (pids.length === 2 && lines.filter((line) => line.lrs !== undefined).length >= 4) {
          clearInterval(poll);
          resolve({ child, pids, exit });
        }
      }, 100);
      void exit.then((code) => {
        clearInterval(poll);
        reject(new Error(`lrscope ended (${code}) before the ranks stepped:\n${stderr}`));
      });
    });
  }

  for (const [label, signals, code] of [
    ['SIGTERM: stops the ranks before their next step, exit 143 (128 + SIGTERM), nothing left behind', ['SIGTERM'], 143],
    ['Ctrl-C twice: exits at once with 130, the launcher and every rank killed', ['SIGINT', 'SIGINT'], 130],
  ] as const) {
    test(label, { timeout: TIMEOUT }, async () => {
      const dir = tempDir();
      const { child, pids, exit } = await startCli(dir);
      try {
        for (const signal of signals) {
          child.kill(signal);
          await new Promise((r) => setTimeout(r, 50));
        }
        assert.equal(await exit, code);
        const deadline = Date.now() + 5_000;
        while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        for (const pid of pids) assert.ok(!alive(pid), `rank ${pid} is gone`);
      } finally {
        child.kill('SIGKILL');
        for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
      }
    });
  }
});
