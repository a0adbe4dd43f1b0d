/**
 * The range test end to end on tiny experiments: points and record, divergence and the stop
 * rule, cancellation after the current batch, seeded determinism, flat tensor count, the user's
 * files untouched, experiments outside any node_modules, datasets and `(tf) => object` modules.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listRunRecords, readRunRecord, runRangeTest, type RangeTestOptions } from '../../src/engine/index';
import { initBackend } from '../../src/engine/tf-handle';
import type { RunRecord, StepPoint } from '../../src/core/runs/record';

const fixtures = join(__dirname, 'fixtures');
const good = join(fixtures, 'good.experiment.ts');

function freshRunsDir(): string {
  return mkdtempSync(join(tmpdir(), 'lrscope-range-'));
}

function run(backend: 'cpu' | 'wasm', options: RangeTestOptions, file = good, runsDir = freshRunsDir()): Promise<RunRecord> {
  return runRangeTest({ experimentPath: file, backend, runsDir, options });
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`range test on ${backend}`, () => {
    test('streams one point per step with the range LRs and saves the analysed record', async () => {
      const runsDir = freshRunsDir();
      const streamed: StepPoint[] = [];
      let started = 0;
      const record = await runRangeTest(
        { experimentPath: good, backend, runsDir, options: { startLr: 1e-4, endLr: 1e-1, steps: 40, divergeFactor: null } },
        { onStart: (info) => (started = info.totalSteps), onPoint: (p) => streamed.push(p) },
      );
      assert.equal(started, 40);
      assert.equal(record.status, 'completed');
      assert.equal(record.points.length, 40);
      assert.deepEqual(streamed, record.points);
      assert.ok(Math.abs(record.points[0]!.lr - 1e-4) < 1e-12);
      assert.ok(Math.abs(record.points[39]!.lr - 1e-1) < 1e-9);
      for (let i = 1; i < 40; i++) assert.ok(record.points[i]!.lr > record.points[i - 1]!.lr, 'LR increases');
      assert.ok(record.points.every((p) => Number.isFinite(p.smoothed)));
      assert.equal(record.environment.backend, backend);
      assert.equal(record.environment.libraryVersion, '4.22.0');
      assert.match(record.experiment.sha256, /^[0-9a-f]{64}$/);
      assert.equal(record.options.seed, 3, 'the experiment seed is recorded');
      assert.ok(record.suggestions && 'valley' in record.suggestions);
      assert.ok(record.recommendation && typeof record.recommendation.message === 'string');
      // The record on disk is the one returned.
      const saved = await readRunRecord(join(runsDir, `${record.id}.json`));
      assert.deepEqual(saved, JSON.parse(JSON.stringify(record)));
      assert.equal((await listRunRecords(runsDir)).length, 1);
      // The data set (256 examples / 16 = 16 batches) repeated to make 40 steps.
      assert.ok(record.notes?.some((n) => /data repeats/.test(n)));
    });

    test('stops on the stop rule when the loss diverges', async () => {
      const record = await run(backend, { startLr: 1e-3, endLr: 10, steps: 60 }, join(fixtures, 'diverge.experiment.ts'));
      assert.equal(record.status, 'diverged');
      assert.ok(record.points.length < 60, `stopped early (${record.points.length} points)`);
      assert.match(record.statusDetail ?? '', /diverged|became/);
      const last = record.points.at(-1)!;
      const best = Math.min(...record.points.map((p) => p.smoothed!));
      assert.ok(last.smoothed! > 4 * best || record.statusDetail!.includes('became'));
    });

    test('cancellation stops after the current batch and keeps the points', async () => {
      const controller = new AbortController();
      const runsDir = freshRunsDir();
      let afterAbort = 0;
      const record = await runRangeTest(
        { experimentPath: good, backend, runsDir, options: { steps: 50 } },
        {
          onPoint: (p) => {
            if (controller.signal.aborted) afterAbort++;
            if (p.step === 4) controller.abort();
          },
        },
        controller.signal,
      );
      assert.equal(afterAbort, 0, 'no batch starts after the abort');
      assert.equal(record.status, 'cancelled');
      assert.equal(record.points.length, 5);
      const saved = await readRunRecord(join(runsDir, `${record.id}.json`));
      assert.equal(saved.status, 'cancelled');
      assert.equal(saved.points.length, 5);
    });

    test('the same seed gives the same curve, another seed another (dropout included)', async () => {
      const dropout = join(fixtures, 'dropout.experiment.ts');
      const options = { startLr: 1e-3, endLr: 1, steps: 20, divergeFactor: null };
      const a = await run(backend, { ...options, seed: 11 }, dropout);
      const b = await run(backend, { ...options, seed: 11 }, dropout);
      const c = await run(backend, { ...options, seed: 12 }, dropout);
      assert.deepEqual(a.points, b.points);
      assert.notDeepEqual(a.points.map((p) => p.loss), c.points.map((p) => p.loss));
    });

    test('no tensor leaks: the tensor count is flat over steps, and back to where it was after the run', async () => {
      const { tf } = await initBackend(backend, { searchFrom: [] });
      const before = tf.memory().numTensors;
      const counts = new Map<number, number>();
      await runRangeTest(
        { experimentPath: good, backend, runsDir: freshRunsDir(), options: { steps: 60, divergeFactor: null, weightDecay: 1e-4, validationBatches: 2 } },
        { onPoint: (p) => counts.set(p.step, tf.memory().numTensors) },
      );
      assert.equal(counts.get(50), counts.get(5), `tensors at step 5 and 50: ${counts.get(5)} / ${counts.get(50)}`);
      assert.equal(tf.memory().numTensors, before, 'everything freed at the end');
    });
  });
}

describe('experiments and files', () => {
  test("the user's files are never modified", async () => {
    const hash = (): string[] =>
      readdirSync(fixtures, { withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => entry.name)
        .sort()
        .map((name) => `${name}:${createHash('sha256').update(readFileSync(join(fixtures, name))).digest('hex')}`);
    const before = hash();
    await run('cpu', { steps: 10 });
    assert.deepEqual(hash(), before);
  });

  test('an experiment in a folder without node_modules still gets the engine tf', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lrscope-lonely-'));
    const file = join(dir, 'mine.experiment.ts');
    copyFileSync(join(__dirname, '..', '..', 'examples', 'synthetic.experiment.ts'), file);
    const record = await run('cpu', { steps: 10 }, file);
    assert.equal(record.status, 'completed');
    assert.equal(record.experiment.path, file);
    assert.equal(record.experiment.label, 'synthetic blobs (MLP)');
    assert.equal(record.options.stepsPerEpoch, 2048 / 32, 'batches per epoch, for sizing a one-cycle schedule');
  });

  test('a JS module exporting (tf) => object, with a tf.data.Dataset of examples and Adam', async () => {
    const record = await run('cpu', { steps: 12, divergeFactor: null }, join(fixtures, 'factory.experiment.mjs'));
    assert.equal(record.status, 'completed');
    assert.equal(record.points.length, 12);
    assert.equal(record.options.batchSize, 8);
    assert.equal(record.experiment.label, 'factory in fixtures', 'import.meta.url is the file URL');
  });

  test('imports of tfjs-node, -core, -layers, -data all reach the engine tf', async () => {
    const record = await run('cpu', { steps: 6, divergeFactor: null }, join(fixtures, 'tfjs-node.experiment.js'));
    assert.equal(record.experiment.label, 'one tf');
    assert.equal(record.points.length, 6);
  });

  test('validationBatches uses the validation loss', async () => {
    const options = { startLr: 1e-3, endLr: 1e-2, steps: 5, divergeFactor: null };
    const trainLoss = await run('cpu', options);
    const valLoss = await run('cpu', { ...options, validationBatches: 2 });
    assert.notDeepEqual(trainLoss.points.map((p) => p.loss), valLoss.points.map((p) => p.loss));
    assert.equal(valLoss.options.validationBatches, 2);
  });
});
