/**
 * LR Scope's control of tfjs optimizers: the LR really reaches every optimizer, momentum cycling
 * really changes SGD-momentum updates (tfjs' own setMomentum does not), β1 reaches Adam, and
 * decoupled weight decay shrinks the weights by lr·wd. On cpu and wasm.
 */
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Variable } from '@tensorflow/tfjs';
import { initBackend, type Tf } from '../../src/engine/tf-handle';
import { createOptimizer, type OptimizerControl } from '../../src/engine/optimizer-control';
import { parseOptimizer } from '../../src/engine/experiment/definition';
import { OPTIMIZER_TYPES } from '../../src/engine/experiment/types';

const INIT = [1, -2, 3];
const TARGET = [0.5, 0.5, 0.5];

function values(v: Variable): number[] {
  return Array.from(v.dataSync());
}

/** One update of `w` towards TARGET on the loss Σ(w − t)²; returns the change of w. */
function step(tf: Tf, control: OptimizerControl, w: Variable): number[] {
  const before = values(w);
  tf.tidy(() => {
    control.optimizer.minimize(() => tf.sum(tf.square(tf.sub(w, tf.tensor1d(TARGET)))), false, [w]);
  });
  return values(w).map((x, i) => x - before[i]!);
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`optimizer control on ${backend}`, () => {
    let tf: Tf;
    before(async () => {
      tf = (await initBackend(backend, { searchFrom: [] })).tf;
    });

    for (const type of OPTIMIZER_TYPES) {
      test(`${type}: the LR set after construction is the one applied (0 freezes, > 0 moves)`, () => {
        const control = createOptimizer(tf, parseOptimizer('test', type), 0.5);
        const w = tf.variable(tf.tensor1d(INIT));
        control.setLearningRate(0);
        const frozen = step(tf, control, w);
        assert.deepEqual(frozen, [0, 0, 0], 'lr 0: no change');
        control.setLearningRate(0.1);
        const moved = step(tf, control, w);
        assert.ok(moved.every((d) => Math.abs(d) > 1e-4), `lr 0.1 moves every weight: ${moved}`);
        control.dispose();
        w.dispose();
      });
    }

    test('sgd: the update is exactly −lr·gradient', () => {
      const control = createOptimizer(tf, parseOptimizer('test', 'sgd'), 1);
      const w = tf.variable(tf.tensor1d(INIT));
      control.setLearningRate(0.01);
      const delta = step(tf, control, w);
      INIT.forEach((x, i) => assert.ok(Math.abs(delta[i]! - -0.01 * 2 * (x - TARGET[i]!)) < 1e-6));
      control.dispose();
      w.dispose();
    });

    test('momentum: setMomentum changes the next update (and plain tfjs setMomentum does not)', () => {
      const lr = 0.1;
      const ours = createOptimizer(tf, parseOptimizer('test', 'momentum'), lr);
      const unchanged = createOptimizer(tf, parseOptimizer('test', 'momentum'), lr);
      const upstream = tf.train.momentum(lr, 0.9);
      const wOurs = tf.variable(tf.tensor1d(INIT));
      const wUnchanged = tf.variable(tf.tensor1d(INIT));
      const wUpstream = tf.variable(tf.tensor1d(INIT));
      const upstreamControl = { optimizer: upstream } as unknown as OptimizerControl;

      // Step 1 at momentum 0.9 everywhere: the accumulators now hold the first gradient g1.
      const g1 = INIT.map((x, i) => 2 * (x - TARGET[i]!));
      step(tf, ours, wOurs);
      step(tf, unchanged, wUnchanged);
      step(tf, upstreamControl, wUpstream);

      ours.setMomentum(0);
      upstream.setMomentum(0); // tfjs 4.22: updates a field nothing reads
      assert.equal(ours.currentMomentum(), 0);
      const w1 = values(wOurs);
      const g2 = w1.map((x, i) => 2 * (x - TARGET[i]!));
      const dOurs = step(tf, ours, wOurs);
      const dUnchanged = step(tf, unchanged, wUnchanged);
      const dUpstream = step(tf, upstreamControl, wUpstream);

      // Momentum 0: the update is −lr·g2 (the accumulated g1 no longer counts).
      dOurs.forEach((d, i) => assert.ok(Math.abs(d - -lr * g2[i]!) < 1e-5, `momentum 0: ${d} vs ${-lr * g2[i]!}`));
      // Momentum 0.9: −lr·(0.9·g1 + g2).
      dUnchanged.forEach((d, i) => assert.ok(Math.abs(d - -lr * (0.9 * g1[i]! + g2[i]!)) < 1e-5));
      // Upstream setMomentum had no effect: same update as the unchanged optimizer.
      dUpstream.forEach((d, i) => assert.ok(Math.abs(d - dUnchanged[i]!) < 1e-6, 'tfjs setMomentum is still a no-op (if this fails, tfjs fixed it)'));
      assert.ok(dOurs.some((d, i) => Math.abs(d - dUnchanged[i]!) > 1e-3), 'cycling momentum changes the update');

      // Back up to 0.9: the optimizer uses the new scalar again, without leaking tensors.
      const count = tf.memory().numTensors;
      ours.setMomentum(0.9);
      ours.setMomentum(0.85);
      assert.equal(tf.memory().numTensors, count, 'replacing the momentum scalar keeps the tensor count');
      ours.dispose();
      unchanged.dispose();
      upstream.dispose();
      tf.dispose([wOurs, wUnchanged, wUpstream]);
    });

    for (const type of ['adam', 'adamax'] as const) {
      test(`${type}: setMomentum sets β1, which changes the update`, () => {
        const a = createOptimizer(tf, parseOptimizer('test', type), 0.1);
        const b = createOptimizer(tf, parseOptimizer('test', type), 0.1);
        assert.equal(a.momentumTarget, 'beta1');
        const wa = tf.variable(tf.tensor1d(INIT));
        const wb = tf.variable(tf.tensor1d(INIT));
        step(tf, a, wa);
        step(tf, b, wb);
        a.setMomentum(0.5);
        assert.equal((a.optimizer as unknown as { beta1: number }).beta1, 0.5);
        const da = step(tf, a, wa);
        const db = step(tf, b, wb);
        assert.ok(da.some((d, i) => Math.abs(d - db[i]!) > 1e-4), `β1 0.5 vs 0.9 differ: ${da} / ${db}`);
        a.dispose();
        b.dispose();
        tf.dispose([wa, wb]);
      });
    }

    test('optimizers without momentum ignore setMomentum', () => {
      for (const type of ['sgd', 'adagrad', 'adadelta'] as const) {
        const control = createOptimizer(tf, parseOptimizer('test', type), 0.1);
        assert.equal(control.momentumTarget, 'none');
        control.setMomentum(0.5);
        assert.equal(control.currentMomentum(), null);
        control.dispose();
      }
    });
  });
}
