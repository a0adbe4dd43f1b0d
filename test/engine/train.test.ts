/**
 * Training under a schedule: the schedule's LR and momentum reach every batch, epochs carry
 * loss, validation loss and metrics, cancellation keeps the partial run, the model can be saved.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExperimentError, readRunRecord, runTraining, type TrainOptions } from '../../src/engine/index';
import { compileSchedule } from '../../src/core/schedules/index';
import type { EpochPoint } from '../../src/core/runs/record';

const fixtures = join(__dirname, 'fixtures');
const good = join(fixtures, 'good.experiment.ts');
const runsDir = mkdtempSync(join(tmpdir(), 'lrscope-train-'));

function train(backend: 'cpu' | 'wasm', options: TrainOptions, file = good) {
  return runTraining({ experimentPath: file, backend, runsDir, options });
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`training on ${backend}`, () => {
    test('one-cycle: every step gets the schedule LR and momentum; epochs report loss, val loss and accuracy', async () => {
      // 256 examples / batch 16 = 16 batches per epoch; totalSteps 32 = 2 epochs.
      const schedule = { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.2, totalSteps: 32 } as const;
      const expected = compileSchedule(schedule);
      const epochs: EpochPoint[] = [];
      const record = await runTraining({ experimentPath: good, backend, runsDir, options: { schedule } }, { onEpoch: (e) => epochs.push(e) });
      assert.equal(record.status, 'completed');
      assert.equal(record.options.epochs, 2, 'epochs derived from the schedule length');
      assert.equal(record.points.length, 32);
      record.points.forEach((p, i) => {
        assert.equal(p.step, i);
        assert.equal(p.lr, expected.lr(i));
        assert.ok(Math.abs(p.momentum! - expected.momentum!(i)) < 1e-12);
      });
      assert.deepEqual(record.epochs, epochs);
      assert.deepEqual(epochs.map((e) => e.epoch), [1, 2]);
      for (const e of epochs) {
        assert.ok(Number.isFinite(e.loss) && Number.isFinite(e.valLoss!));
        assert.ok(e.metrics.acc! >= 0 && e.metrics.acc! <= 1);
        assert.ok(e.metrics.val_acc! >= 0 && e.metrics.val_acc! <= 1);
      }
      assert.ok(epochs[1]!.loss < epochs[0]!.loss, 'it learns');
      const saved = await readRunRecord(join(runsDir, `${record.id}.json`));
      assert.equal(saved.status, 'completed');
      assert.deepEqual(saved.schedule, schedule);
    });

    test('cancellation keeps the partial run', async () => {
      const controller = new AbortController();
      const record = await runTraining(
        { experimentPath: good, backend, runsDir, options: { schedule: { policy: 'constant', lr: 0.05 }, epochs: 3 } },
        { onPoint: (p) => p.step === 20 && controller.abort() },
        controller.signal,
      );
      assert.equal(record.status, 'cancelled');
      assert.equal(record.points.length, 21);
      assert.equal(record.epochs.length, 1, 'the first epoch (16 steps) completed');
    });
  });
}

describe('training options', () => {
  test('a constant schedule with no momentum cycling records no momentum', async () => {
    const record = await train('cpu', { schedule: { policy: 'constant', lr: 0.05 }, epochs: 1 });
    assert.equal(record.points.length, 16);
    assert.ok(record.points.every((p) => p.lr === 0.05 && p.momentum === undefined));
  });

  test('Adam gets β1 from a cycling schedule', async () => {
    const file = join(fixtures, 'factory.experiment.mjs'); // adam, 64 examples / batch 8
    const schedule = { policy: 'onecycle', flavor: 'fastai', lrMax: 0.01, totalSteps: 8 } as const;
    const record = await train('cpu', { schedule }, file);
    assert.deepEqual(record.points.map((p) => p.momentum), Array.from({ length: 8 }, (_, i) => compileSchedule(schedule).momentum!(i)));
  });

  test('weight decay changes the run, and the trained model can be saved', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'lrscope-model-'));
    const options = { schedule: { policy: 'constant', lr: 0.1 } as const, epochs: 1, seed: 5 };
    const plain = await train('cpu', options);
    const decayed = await train('cpu', { ...options, weightDecay: 0.5, saveModelTo: folder });
    assert.notDeepEqual(plain.points.map((p) => p.loss), decayed.points.map((p) => p.loss));
    assert.equal(decayed.options.weightDecay, 0.5);
    assert.ok(existsSync(join(folder, 'weights.bin')));
    const modelJson = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as { weightsManifest: Array<{ weights: unknown[] }> };
    assert.equal(modelJson.weightsManifest[0]!.weights.length, 4, 'two dense layers: 2 kernels + 2 biases');
  });

  test('an invalid schedule is refused with the core message', async () => {
    await assert.rejects(
      train('cpu', { schedule: { policy: 'onecycle', flavor: 'pytorch', maxLr: -1, totalSteps: 10 } as never }),
      (err: unknown) => err instanceof ExperimentError && err.field === 'options' && /maxLr/.test(err.message),
    );
  });

  test('a loss that becomes NaN mid-training ends the run as diverged', async () => {
    const record = await train('cpu', { schedule: { policy: 'constant', lr: 50 }, epochs: 20 }, join(fixtures, 'diverge.experiment.ts'));
    assert.equal(record.status, 'diverged');
    assert.ok(record.points.length > 0 && record.points.length < 80);
    assert.ok(record.points.every((p) => Number.isFinite(p.loss)));
  });
});
