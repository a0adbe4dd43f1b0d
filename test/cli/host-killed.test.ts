/**
 * A host that dies without a word — the engine child (the extension's trainer process) or the
 * `lrscope` process SIGKILLed, as an out-of-memory killer or a crashed editor would — leaves no probed
 * process behind: each probe sees its link to LR Scope close and ends the script at its next optimizer
 * step, or after its grace period when none comes (a script stalled in an evaluation); ranks under a
 * launcher likewise, and the launcher with them. What was on disk (the run record as it grew) stays.
 * Real torch; each wait below is a bound that catches a hang, not a timing assertion.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readRunRecord } from '../../src/engine/index';
import { forkLauncher } from '../../src/host/engine-process';

const PYTHON = '/usr/bin/python3';
const root = join(__dirname, '..', '..');
const pytorch = join(root, 'test', 'engine', 'fixtures', 'pytorch');
const LAUNCHER = `${PYTHON} ${join(pytorch, 'launch_ranks.py')} --nproc-per-node 2`;
const plainLoop = join(pytorch, 'plain_loop.py');
const ddp = join(pytorch, 'ddp_loop.py');
/** Bound on how long the probed processes may outlive their host (the probe's grace is 5 s). */
const GONE_BOUND_MS = 30_000;
const TIMEOUT = 180_000;
const LONG_RANGE = { steps: 100000, startLr: 1e-6, endLr: 1e-5, divergeFactor: null };

type Line = Record<string, unknown>;

function lines(path: string): Line[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Line);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pids whose parent is `pid` and whose command line holds `word` (Linux /proc). */
function childrenOf(pid: number, word: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== pid) return false;
        return readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(word);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function until<T>(what: string, bound: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + bound;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${bound} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const stalled = (log: Line[]): boolean => log.some((line) => line.stalled);
const stepping = (log: Line[]): boolean => log.filter((line) => line.lrs !== undefined).length >= 4;

/** A run under way: the host to kill, the probed processes (one, or a rank each), where its record goes. */
class Run {
  readonly dir = mkdtempSync(join(tmpdir(), 'lrscope-host-killed-'));
  readonly log = join(this.dir, 'log.jsonl');
  readonly runsDir = join(this.dir, 'runs');
  /** Every process this test started, killed at the end whatever happened. */
  private readonly started = new Set<number>();

  own(...pids: number[]): void {
    for (const pid of pids) this.started.add(pid);
  }

  /** The probed processes, once `ranks` of them logged their pid and `ready` holds, and the record on disk has points. */
  async probed(ranks: number, ready: (log: Line[]) => boolean, hostEnded: () => string | null): Promise<number[]> {
    const pids = await until('the script stepping', 120_000, () => {
      const ended = hostEnded();
      if (ended !== null) throw new Error(`the host ended before the script stepped:\n${ended}`);
      const seen = lines(this.log);
      const pids = [...new Set(seen.filter((line) => typeof line.pid === 'number').map((line) => line.pid as number))];
      return pids.length === ranks && ready(seen) ? pids : undefined;
    });
    this.own(...pids);
    await until('the record on disk with points', 30_000, async () => ((await this.points()) > 0 ? true : undefined));
    return pids;
  }

  async points(): Promise<number> {
    const file = existsSync(this.runsDir) ? readdirSync(this.runsDir).find((f) => f.endsWith('.json')) : undefined;
    const record = file ? await readRunRecord(join(this.runsDir, file)).catch(() => null) : null;
    return record?.points.length ?? 0;
  }

  /** Every process in `pids` ends within the bound; the record on disk keeps its points. Kills what is left either way. */
  async allGone(pids: number[]): Promise<void> {
    try {
      await until('the probed processes gone', GONE_BOUND_MS, () => (pids.some(alive) ? undefined : true));
    } finally {
      for (const pid of this.started) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
    assert.ok((await this.points()) > 0, 'the record on disk keeps its points');
  }
}

/** `lrscope range-test` in a process of its own (the CLI runs the probe itself). */
function startCli(run: Run, script: string, args: string[], scriptArgs: string[]): { pid: number; ended: () => string | null } {
  const cli = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'src', 'cli', 'bin.ts'), 'range-test', script, ...args, '--python', PYTHON, '--steps', String(LONG_RANGE.steps), '--diverge-factor', 'none', '--start-lr', '1e-6', '--end-lr', '1e-5', '--runs-dir', run.runsDir, '--', ...scriptArgs],
    { env: { ...process.env, LRSCOPE_FIXTURE_LOG: run.log }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  run.own(cli.pid!);
  let stderr = '';
  let ended = false;
  cli.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  cli.once('exit', () => (ended = true));
  return { pid: cli.pid!, ended: () => (ended ? stderr : null) };
}

/** An engine child (the one the extension forks), from the sources through tsx, running a range test of `script`. */
function startEngine(run: Run, script: string, scriptArgs: string[], launcher?: string): { pid: number; ended: () => string | null } {
  const before = new Set(childrenOf(process.pid, join('engine', 'child', 'main.ts')));
  const tsx = pathToFileURL(createRequire(__filename).resolve('tsx')).href;
  const child = forkLauncher({ enginePath: join(root, 'src', 'engine', 'child', 'main.ts'), execArgv: ['--import', tsx], env: { LRSCOPE_FIXTURE_LOG: run.log } })(() => undefined);
  let ended: string | null = null;
  child
    .start(
      { kind: 'range-test', experimentPath: script, backend: 'auto', runsDir: run.runsDir, python: PYTHON, scriptArgs, ...(launcher ? { launcher } : {}), options: LONG_RANGE },
      { started: () => undefined, point: () => undefined, epoch: () => undefined, log: () => undefined },
    )
    .then(
      (record) => (ended = `ended: ${record.status}`),
      (err: unknown) => (ended = String(err)),
    );
  const pids = childrenOf(process.pid, join('engine', 'child', 'main.ts')).filter((pid) => !before.has(pid));
  assert.equal(pids.length, 1, 'one engine child started');
  run.own(pids[0]!);
  return { pid: pids[0]!, ended: () => ended };
}

describe('a host SIGKILLed while it probes leaves nothing running', { concurrency: 1 }, () => {
  test('engine child SIGKILLed while the script is stalled between steps: the probe ends it after its grace', { timeout: TIMEOUT }, async () => {
    const run = new Run();
    const engine = startEngine(run, plainLoop, ['--epochs', '100000', '--stall-after', '6']);
    const pids = await run.probed(1, stalled, engine.ended);
    process.kill(engine.pid, 'SIGKILL');
    await run.allGone(pids);
  });

  test('engine child SIGKILLed under a launcher: both ranks stop at their next step, the launcher exits', { timeout: TIMEOUT }, async () => {
    const run = new Run();
    const engine = startEngine(run, ddp, ['--epochs', '100000'], LAUNCHER);
    const pids = await run.probed(2, stepping, engine.ended);
    const launcher = childrenOf(engine.pid, 'launch_ranks.py');
    assert.equal(launcher.length, 1, 'the launcher runs under the engine');
    run.own(...launcher);
    process.kill(engine.pid, 'SIGKILL');
    await run.allGone([...pids, ...launcher]);
  });

  test('lrscope SIGKILLed while the script is stalled between steps: the probe ends it after its grace', { timeout: TIMEOUT }, async () => {
    const run = new Run();
    const cli = startCli(run, plainLoop, [], ['--epochs', '100000', '--stall-after', '6']);
    const pids = await run.probed(1, stalled, cli.ended);
    process.kill(cli.pid, 'SIGKILL');
    await run.allGone(pids);
  });

  test('lrscope SIGKILLed under a launcher: the launcher and both ranks are gone', { timeout: TIMEOUT }, async () => {
    const run = new Run();
    const cli = startCli(run, ddp, ['--launcher', LAUNCHER], ['--epochs', '100000']);
    const pids = await run.probed(2, stepping, cli.ended);
    const launcher = childrenOf(cli.pid, 'launch_ranks.py');
    assert.equal(launcher.length, 1, 'the launcher runs under lrscope');
    run.own(...launcher);
    process.kill(cli.pid, 'SIGKILL');
    await run.allGone([...pids, ...launcher]);
  });
});
