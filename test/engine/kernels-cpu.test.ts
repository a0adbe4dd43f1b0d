/**
 * Our cpu replacements (Conv2DBackpropFilter, UnsortedSegmentSum) give the stock kernels' results, and
 * registering them is idempotent. Runs in its own process: it changes the cpu kernel registry.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NamedAttrMap, NamedTensorMap } from '@tensorflow/tfjs';
import { initBackend } from '../../src/engine/backend/index';
import { registerTrainingKernels } from '../../src/engine/kernels/index';
import { assertClose, assertNonZero, tf, use } from './kernels-support';

function runKernel(name: string, inputs: NamedTensorMap, attrs: object): Float32Array {
  const out = tf.engine().runKernel(name, inputs, attrs as unknown as NamedAttrMap) as tf.Tensor;
  const values = Float32Array.from(out.dataSync());
  out.dispose();
  return values;
}

test('cpu: ours match the stock kernels, and registration is idempotent', async () => {
  await use('cpu');
  const x = tf.randomNormal([2, 9, 7, 3], 0, 1, 'float32', 1);
  const dy = tf.randomNormal([2, 5, 4, 4], 0, 1, 'float32', 2);
  const convAttrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] };
  const data = tf.randomNormal([6, 3], 0, 1, 'float32', 3);
  const segmentIds = tf.tensor1d([3, 0, 3, 1, 0, 3], 'int32');
  const stockConv = runKernel('Conv2DBackpropFilter', { x, dy }, convAttrs);
  const stockSum = runKernel('UnsortedSegmentSum', { x: data, segmentIds }, { numSegments: 5 });
  const stockFunc = tf.getKernel('Conv2DBackpropFilter', 'cpu')?.kernelFunc;

  const handle = await initBackend('cpu', { searchFrom: [] });
  assert.match(handle.notes.join('\n'), /kernels: LR Scope's own Conv2DBackpropFilter, UnsortedSegmentSum/);
  assert.notEqual(tf.getKernel('Conv2DBackpropFilter', 'cpu')?.kernelFunc, stockFunc, 'ours replaced the stock kernel');
  assert.deepEqual(registerTrainingKernels('cpu').map((r) => r.outcome), ['already', 'already']);

  assertNonZero(stockConv, 'stock conv');
  assertClose(runKernel('Conv2DBackpropFilter', { x, dy }, convAttrs), stockConv, 'Conv2DBackpropFilter');
  assertClose(runKernel('UnsortedSegmentSum', { x: data, segmentIds }, { numSegments: 5 }), stockSum, 'UnsortedSegmentSum');
  tf.dispose([x, dy, data, segmentIds]);
});
