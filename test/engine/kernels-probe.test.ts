/**
 * The probe that found which kernels to write: train every layer of kernels-layer-cases.ts on a wasm
 * backend with only tfjs's stock kernels and collect each "Kernel '…' not registered" — registering just
 * that one kernel of ours and retrying, until the layer trains. If tfjs changes what it ships, this test
 * says so. (Kernels that exist but are wrong or slow, like MaxPoolGrad, are caught by kernels-layers.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { defaultWasmDir } from '../../src/engine/backend/index';
import { registerTrainingKernels } from '../../src/engine/kernels/index';
import { layerCases } from './kernels-layer-cases';
import { buildCase, tf } from './kernels-support';

test('stock tfjs 4.22 wasm lacks exactly the kernels we fill in', async () => {
  setWasmPaths(`${defaultWasmDir()}/`);
  assert.ok(await tf.setBackend('wasm'));
  await tf.ready();
  const missing = new Map<string, string[]>();
  for (const [name, c] of Object.entries(layerCases)) {
    const { model, x, r } = buildCase(c);
    const input = c.vocab === undefined ? tf.variable(x) : undefined; // weightless layers: the input's gradient
    const vars = [...model.trainableWeights.map((w) => w.read() as tf.Variable), ...(input ? [input] : [])];
    for (let attempt = 0; ; attempt++) {
      assert.ok(attempt < 5, `${name}: still failing after registering ${missing.size} kernels`);
      try {
        const { value, grads } = tf.variableGrads(
          () => tf.sum(tf.mul(model.apply(input ?? x, { training: true }) as tf.Tensor, r)) as tf.Scalar, vars);
        tf.dispose([value, ...Object.values(grads)]);
        break;
      } catch (error) {
        const kernel = /Kernel '(\w+)' not registered for backend 'wasm'/.exec(String(error))?.[1];
        assert.ok(kernel !== undefined, `${name}: ${String(error)}`);
        missing.set(kernel, [...(missing.get(kernel) ?? []), name]);
        assert.equal(registerTrainingKernels('wasm', [kernel]).length, 1, `we have no ${kernel}`);
      }
    }
    tf.dispose([x, r]);
    input?.dispose();
    model.dispose();
  }
  assert.deepEqual([...missing.keys()].sort(), [
    'Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput', 'UnsortedSegmentSum',
  ]);
  assert.ok(missing.get('UnsortedSegmentSum')?.includes('embedding'));
  assert.ok(missing.get('Conv2DBackpropFilter')?.includes('conv1d'));
});
