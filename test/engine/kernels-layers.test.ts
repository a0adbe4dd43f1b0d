/**
 * Every common layer trains on wasm, and its gradients (w.r.t. each trainable weight and the input) match
 * the stock cpu backend's on the same seeded weights and inputs. Stock tfjs 4.22 wasm fails most of these
 * with "Kernel '…' not registered": our kernels (src/engine/kernels) make them pass.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { layerCases as cases } from './kernels-layer-cases';
import { assertClose, assertNonZero, buildCase, gradients, tf, use } from './kernels-support';

const L = tf.layers;

describe('every common layer: wasm gradients match cpu', () => {
  for (const [name, c] of Object.entries(cases)) {
    test(name, async () => {
      await use('cpu');
      const { model, x, r } = buildCase(c);
      const withInput = c.vocab === undefined;
      const expected = await gradients('cpu', model, x, r, withInput);
      const actual = await gradients('wasm', model, x, r, withInput);
      assert.deepEqual([...actual.keys()], [...expected.keys()]);
      assert.equal(expected.size, 1 + model.trainableWeights.length + (withInput ? 1 : 0), 'loss, every weight, the input');
      for (const [key, want] of expected) {
        assertNonZero(want, `${name} ${key} (cpu)`);
        assertClose(actual.get(key) ?? [], want, `${name} d/d${key}`);
      }
      tf.dispose([x, r]);
      model.dispose();
    });
  }

  test('an optimizer step trains a small CNN on wasm (loss goes down)', async () => {
    await use('wasm');
    const model = tf.sequential({
      layers: [
        L.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] }),
        L.maxPooling2d({ poolSize: 2 }),
        L.separableConv2d({ filters: 4, kernelSize: 2, activation: 'relu' }),
        L.flatten(),
        L.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const xs = tf.randomNormal([16, 8, 8, 1], 0, 1, 'float32', 5);
    const ys = tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 3), 'int32'), 3);
    const first = (await model.trainOnBatch(xs, ys)) as number;
    let last = first;
    for (let i = 0; i < 20; i++) last = (await model.trainOnBatch(xs, ys)) as number;
    assert.ok(last < first, `loss ${first} → ${last}`);
    assert.equal(tf.getBackend(), 'wasm');
    tf.dispose([xs, ys]);
    model.dispose();
  });
});
