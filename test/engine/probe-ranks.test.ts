/**
 * The probe under a launcher, on real torch with 2 gloo ranks on CPU: a DistributedDataParallel
 * job (DistributedSampler, DDP model) range-tested and trained with a schedule, every rank probed.
 * The ranks are started by the tests' own launcher (fixtures/pytorch/launch_ranks.py), which keeps
 * torchrun's environment contract and, like torchrun, starts its workers in sessions of their own
 * without LR Scope's descriptors: the `launcher` code path is the one real torchrun takes. Every
 * run is bounded: an AbortSignal cancels it (and the probe kills what it started) well before the
 * test's own timeout. Also: a script that forges events on every descriptor, and hogwild workers.
 */
import { strict as assert } from 'node:assert';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { sampleSchedule, type ScheduleSpec } from '../../src/core/schedules/index';
import { ProbeError, runPythonRangeTest, runPythonSchedule } from '../../src/engine/probe/index';
import { parseLauncher } from '../../src/engine/probe/launcher';
import { RANGE_LOOKAHEAD_MAX } from '../../src/engine/probe/lookahead';
import { Collected, fixture, PYTHON, readFixtureLog, stepLines, tempDir, withTorch, type FixtureLine } from './probe-support';

const LAUNCHER = `${PYTHON} ${fixture('launch_ranks.py')} --nproc-per-node 2`;
/** A run's bound; the test's timeout is above it, so a hang fails the test after the run was killed. */
const RUN_BOUND_MS = 150_000;
const TEST_TIMEOUT_MS = RUN_BOUND_MS + 30_000;

function setup(label: string): { dir: string; runsDir: string; log: string; env: Record<string, string> } {
  const dir = tempDir(label);
  const log = join(dir, 'fixture.jsonl');
  return { dir, runsDir: join(dir, 'runs'), log, env: { LRSCOPE_FIXTURE_LOG: log } };
}

/** Each rank's step lines, in order. */
function byRank(lines: FixtureLine[]): FixtureLine[][] {
  const ranks: FixtureLine[][] = [[], []];
  for (const line of stepLines(lines)) ranks[(line as { rank?: number }).rank ?? 0]!.push(line);
  return ranks;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('PyTorch probe under a launcher: 2 gloo ranks', { concurrency: 1 }, () => {
  test('DDP range test: one curve, the range LR on every rank at every step, the divergence stops both ranks at the same step, launcher exit 0', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { runsDir, log, env } = setup('ddp-range');
    const events = new Collected();
    const options = { startLr: 1e-3, endLr: 100, steps: 60 };
    const record = await withTorch(() =>
      runPythonRangeTest({ scriptPath: fixture('ddp_loop.py'), python: PYTHON, launcher: LAUNCHER, runsDir, env, options }, events, AbortSignal.timeout(RUN_BOUND_MS)),
    );

    assert.equal(record.status, 'diverged', `${record.statusDetail}\n${events.logs.join('\n')}`);
    const n = record.points.length;
    assert.ok(n > 5 && n < 60, `stopped by the stop rule: ${n} points`);
    const lines = readFixtureLog(log);
    const [rank0, rank1] = byRank(lines);
    assert.equal(rank1!.length, rank0!.length, 'both ranks stopped at the same step');
    // fast steps go in batches: the stop takes effect at the first step not yet given values, within the lookahead
    assert.ok(rank0!.length >= n && rank0!.length <= n + RANGE_LOOKAHEAD_MAX, `${rank0!.length} steps made, ${n} recorded`);
    assert.ok(!lines.some((line) => line.done), 'both ranks were stopped, not run to their end');
    assert.ok(events.logs.includes(`info: ${PYTHON} exited with status 0 after ${n} optimizer steps`), events.logs.join('\n'));

    const spec = sampleSchedule({ policy: 'range', mode: 'exp', ...options });
    for (const rank of [rank0!, rank1!]) rank.forEach((line, i) => assert.equal(line.lrs![0], spec.lr[i], `lr of step ${i}`));
    record.points.forEach((point, i) => {
      assert.equal(point.lr, spec.lr[i]);
      assert.equal(point.loss, (rank0![i]!.loss! + rank1![i]!.loss!) / 2, `loss of step ${i} is the mean over the ranks`);
    });
    assert.notEqual(rank0![0]!.loss, rank1![0]!.loss, 'the ranks see different shards (DistributedSampler)');
    assert.equal(record.options.ranks, 2);
    assert.equal(record.options.launcher, LAUNCHER);
    assert.ok(record.notes?.some((note) => note.startsWith('2 ranks under')), JSON.stringify(record.notes));
    assert.equal(events.starts, 1, 'one run, one curve');
    assert.deepEqual(events.points, record.points);
    assert.ok(record.suggestions && record.recommendation);
  });

  test('DDP schedule trial: one-cycle LR and momentum on every rank, both ranks stop after N steps, the checkpoint of rank 0 suppressed', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { dir, runsDir, log, env } = setup('ddp-train');
    const checkpoint = join(dir, 'model.pt');
    const spec: ScheduleSpec = { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.1, totalSteps: 30 };
    const record = await withTorch(() =>
      runPythonSchedule(
        { scriptPath: fixture('ddp_loop.py'), scriptArgs: ['--checkpoint', checkpoint], python: PYTHON, launcher: LAUNCHER, runsDir, env, options: { schedule: spec, steps: 30 } },
        {},
        AbortSignal.timeout(RUN_BOUND_MS),
      ),
    );
    assert.equal(record.status, 'completed', record.statusDetail);
    assert.equal(record.points.length, 30);
    const [rank0, rank1] = byRank(readFixtureLog(log));
    const expected = sampleSchedule(spec);
    for (const rank of [rank0!, rank1!]) {
      assert.equal(rank.length, 30, 'each rank stopped right before step 30');
      rank.forEach((line, i) => {
        assert.equal(line.lrs![0], expected.lr[i], `lr of step ${i}`);
        assert.equal(line.momentum![0], expected.momentum![i], `momentum of step ${i}`);
      });
    }
    assert.ok(!existsSync(checkpoint), 'no checkpoint written while probing');
    assert.ok(record.notes?.some((note) => note.includes(checkpoint)), JSON.stringify(record.notes));
  });

  test('ranks that never join a process group: probed all the same, and told so', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { runsDir, env } = setup('no-group');
    const record = await withTorch(() =>
      runPythonRangeTest(
        { scriptPath: fixture('plain_loop.py'), scriptArgs: ['--epochs', '1'], python: PYTHON, launcher: LAUNCHER, runsDir, env, options: { startLr: 1e-4, endLr: 1e-2, steps: 20 } },
        {},
        AbortSignal.timeout(RUN_BOUND_MS),
      ),
    );
    assert.equal(record.status, 'completed', record.statusDetail);
    assert.equal(record.points.length, 8);
    assert.ok(record.notes?.some((note) => note.includes('without a torch.distributed process group')), JSON.stringify(record.notes));
  });

  test('cancel under the launcher: every rank and the launcher are gone when the run resolves', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { runsDir, log, env } = setup('ddp-cancel');
    const controller = new AbortController();
    const events = new Collected();
    events.onPoint = function (point) {
      this.points.push(point);
      if (this.points.length === 3) controller.abort();
    };
    const bound = AbortSignal.timeout(RUN_BOUND_MS);
    bound.addEventListener('abort', () => controller.abort());
    const record = await withTorch(() =>
      runPythonRangeTest(
        { scriptPath: fixture('ddp_loop.py'), python: PYTHON, launcher: LAUNCHER, runsDir, env, options: { startLr: 1e-5, endLr: 1e-3, steps: 60, divergeFactor: null } },
        events,
        controller.signal,
      ),
    );
    assert.equal(record.status, 'cancelled');
    const lines = readFixtureLog(log);
    const [rank0, rank1] = byRank(lines);
    assert.equal(rank0!.length, rank1!.length, 'both ranks stopped at the same step');
    const pids = lines.filter((line) => (line as { pid?: number }).pid !== undefined).map((line) => (line as { pid: number }).pid);
    assert.equal(pids.length, 2);
    for (const pid of pids) assert.ok(!pidAlive(pid), `rank process ${pid} is gone`);
  });
});

describe('PyTorch probe: what it does not take', { concurrency: 2 }, () => {
  test('a script writing forged events to every descriptor (and its children): none reaches the record', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { runsDir, log, env } = setup('forge');
    const events = new Collected();
    const record = await withTorch(() =>
      runPythonRangeTest({ scriptPath: fixture('forges_events.py'), python: PYTHON, runsDir, env, options: { startLr: 1e-4, endLr: 1e-2, steps: 16, divergeFactor: null } }, events, AbortSignal.timeout(RUN_BOUND_MS)),
    );
    assert.equal(record.status, 'completed', record.statusDetail);
    const steps = stepLines(readFixtureLog(log));
    assert.equal(record.points.length, 16);
    record.points.forEach((point, i) => assert.equal(point.loss, steps[i]!.loss, `loss of step ${i} is the script's own`));
    assert.ok(!record.points.some((point) => point.loss === 12345), 'no forged loss');
    assert.ok(events.logs.some((line) => line.includes('sprayed 16 steps')), 'the script ran to its end');
    assert.ok(events.logs.some((line) => line.includes('not a signed probe event')), 'the forged lines that reached the link were refused');
  });

  test('hogwild-style workers (torch.multiprocessing, no process group): a clear message of what is and is not supported', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { runsDir, env } = setup('hogwild');
    await assert.rejects(
      withTorch(() => runPythonRangeTest({ scriptPath: fixture('hogwild.py'), python: PYTHON, runsDir, env, options: { steps: 20 } }, {}, AbortSignal.timeout(RUN_BOUND_MS))),
      (err: unknown) => {
        assert.ok(err instanceof ProbeError);
        assert.equal(err.kind, 'no-step');
        assert.match(err.message, /started 2 processes of its own/);
        assert.match(err.message, /Hogwild-style workers .* are not supported/);
        assert.match(err.message, /--launcher "torchrun --nproc-per-node N"/);
        return true;
      },
    );
  });

  test('launcher command lines: words as a shell splits them; a script inside is refused', () => {
    assert.deepEqual(parseLauncher('torchrun --standalone --nproc-per-node 2'), ['torchrun', '--standalone', '--nproc-per-node', '2']);
    assert.deepEqual(parseLauncher(`"/opt/my env/bin/torchrun" --rdzv-endpoint='127.0.0.1:29400' a\\ b`), ['/opt/my env/bin/torchrun', '--rdzv-endpoint=127.0.0.1:29400', 'a b']);
    assert.throws(() => parseLauncher('  '), /empty command/);
    assert.throws(() => parseLauncher('torchrun "--nproc'), /unclosed " quote/);
    assert.throws(() => parseLauncher('torchrun --nproc-per-node 2 train.py'), /LR Scope appends "-m lrscope_probe … -- train.py args" itself/);
    assert.deepEqual(parseLauncher('python3 -m torch.distributed.run --nproc-per-node 2'), ['python3', '-m', 'torch.distributed.run', '--nproc-per-node', '2']);
  });

  test('a launcher that is not there: says so and how to give one', async () => {
    const { runsDir } = setup('no-launcher');
    const script = join(tempDir('script'), 'train.py');
    writeFileSync(script, 'print(1)\n');
    await assert.rejects(runPythonRangeTest({ scriptPath: script, launcher: 'no-such-torchrun --nproc-per-node 2', runsDir, options: {} }), /launcher "no-such-torchrun --nproc-per-node 2" was not found.*--launcher/s);
  });
});
