/**
 * Our kernels called directly, on odd shapes: stride 2, 'same' / explicit padding, dilation 2, batch 1,
 * non-square inputs and filters. Each is compared with the stock cpu kernel where tfjs has one that covers
 * the case, else with a naive loop written from the definition. Also: registration is idempotent and the
 * kernels free their intermediates.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NamedAttrMap, NamedTensorMap } from '@tensorflow/tfjs';
import { registerTrainingKernels } from '../../src/engine/kernels/index';
import { assertClose, assertNonZero, tf, use } from './kernels-support';

type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];

function seeded(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}

/** Runs kernel `name` on `backend` with copies of `inputs` and returns its values. */
async function run(backend: 'wasm' | 'cpu', name: string, inputs: Record<string, tf.Tensor>, attrs: object): Promise<Float32Array> {
  await use(backend);
  const copies: NamedTensorMap = {};
  for (const [k, t] of Object.entries(inputs)) copies[k] = tf.tensor(t.dataSync(), t.shape, t.dtype);
  const out = tf.engine().runKernel(name, copies, attrs as unknown as NamedAttrMap) as tf.Tensor;
  const values = Float32Array.from(out.dataSync());
  tf.dispose([out, ...Object.values(copies)]);
  return values;
}

/** dW[kh,kw,ci,co] = Σ x[b, oh·s + kh·d − top, ow·s + kw·d − left, ci] · dy[b,oh,ow,co], straight from the definition. */
function naiveFilterGrad(
  x: tf.Tensor, dy: tf.Tensor, filterShape: number[], stride: [number, number], dilation: [number, number],
  top: number, left: number, depthwise: boolean,
): Float32Array {
  const [B, H, W, C] = x.shape;
  const [, OH, OW, CO] = dy.shape;
  const [fh, fw, , last] = filterShape;
  const xs = x.dataSync();
  const dys = dy.dataSync();
  const out = new Float32Array(filterShape.reduce((a, b) => a * b, 1));
  for (let kh = 0; kh < fh; kh++) for (let kw = 0; kw < fw; kw++) for (let ci = 0; ci < C; ci++) for (let j = 0; j < last; j++) {
    let s = 0;
    for (let b = 0; b < B; b++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
      const ih = oh * stride[0] + kh * dilation[0] - top;
      const iw = ow * stride[1] + kw * dilation[1] - left;
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
      const co = depthwise ? ci * last + j : j;
      s += xs[((b * H + ih) * W + iw) * C + ci] * dys[((b * OH + oh) * OW + ow) * CO + co];
    }
    out[((kh * fw + kw) * C + ci) * last + j] = s;
  }
  return out;
}

type Shape4 = [number, number, number, number];

/** dx[b, oh·s + kh·d − top, ow·s + kw·d − left, c] += Σ_m dy[b,oh,ow,c·M+m] · W[kh,kw,c,m]. */
function naiveDepthwiseInputGrad(
  dy: tf.Tensor, filter: tf.Tensor, xShape: number[], stride: [number, number], dilation: [number, number], top: number, left: number,
): Float32Array {
  const [B, H, W, C] = xShape;
  const [, OH, OW] = dy.shape;
  const [fh, fw, , M] = filter.shape;
  const dys = dy.dataSync();
  const ws = filter.dataSync();
  const out = new Float32Array(B * H * W * C);
  for (let b = 0; b < B; b++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++)
    for (let kh = 0; kh < fh; kh++) for (let kw = 0; kw < fw; kw++) {
      const ih = oh * stride[0] + kh * dilation[0] - top;
      const iw = ow * stride[1] + kw * dilation[1] - left;
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
      for (let c = 0; c < C; c++) for (let m = 0; m < M; m++) {
        out[((b * H + ih) * W + iw) * C + c] += dys[((b * OH + oh) * OW + ow) * C * M + c * M + m] * ws[((kh * fw + kw) * C + c) * M + m];
      }
    }
  return out;
}

/** tfjs's own cpu depthwise gradient kernels ignore dilations (tfjs refuses dilated gradients anyway). */
function undilated(c: ConvCase): boolean {
  return c.dilations[0] === 1 && c.dilations[1] === 1;
}

interface ConvCase {
  x: Shape4;
  filter: Shape4;
  strides: [number, number];
  dilations: [number, number];
  pad: Pad;
}

function outShape(c: ConvCase, depthwise: boolean): number[] {
  const y = depthwise
    ? tf.depthwiseConv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, c.strides, c.pad, 'NHWC', c.dilations)
    : tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, c.strides, c.pad, 'NHWC', c.dilations);
  const shape = y.shape;
  y.dispose();
  return shape;
}

const convCases: Record<string, ConvCase> = {
  'stride 2, same, odd sizes': { x: [2, 7, 5, 3], filter: [3, 3, 3, 4], strides: [2, 2], dilations: [1, 1], pad: 'same' },
  'stride 2, valid, non-square filter': { x: [2, 9, 6, 2], filter: [3, 2, 2, 3], strides: [2, 2], dilations: [1, 1], pad: 'valid' },
  'batch 1, 1×1 filter': { x: [1, 4, 3, 5], filter: [1, 1, 5, 2], strides: [1, 1], dilations: [1, 1], pad: 'valid' },
  'strides (1, 3), same, even filter': { x: [2, 6, 10, 2], filter: [2, 4, 2, 3], strides: [1, 3], dilations: [1, 1], pad: 'same' },
  'explicit padding': { x: [1, 5, 6, 2], filter: [3, 3, 2, 2], strides: [1, 2], dilations: [1, 1], pad: [[0, 0], [2, 1], [0, 3], [0, 0]] },
};

const dilatedCases: Record<string, ConvCase & { top: number; left: number }> = {
  'dilation 2, valid': { x: [2, 8, 7, 2], filter: [3, 3, 2, 3], strides: [1, 1], dilations: [2, 2], pad: 'valid', top: 0, left: 0 },
  'dilation (2, 1), explicit padding': {
    x: [1, 7, 6, 3], filter: [2, 3, 3, 2], strides: [1, 1], dilations: [2, 1], pad: [[0, 0], [1, 2], [1, 1], [0, 0]], top: 1, left: 1,
  },
};

describe('Conv2DBackpropFilter', () => {
  for (const [name, c] of Object.entries(convCases)) {
    test(`wasm matches stock cpu: ${name}`, async () => {
      await use('cpu');
      const x = seeded(c.x, 1);
      const dy = seeded(outShape(c, false), 2);
      const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter };
      const want = await run('cpu', 'Conv2DBackpropFilter', { x, dy }, attrs);
      const got = await run('wasm', 'Conv2DBackpropFilter', { x, dy }, attrs);
      assertNonZero(want, name);
      assertClose(got, want, name);
    });
  }
  for (const [name, c] of Object.entries(dilatedCases)) {
    test(`wasm matches the definition: ${name}`, async () => {
      await use('cpu');
      const x = seeded(c.x, 3);
      const dy = seeded(outShape(c, false), 4);
      const attrs = { strides: c.strides, dilations: c.dilations, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter };
      const got = await run('wasm', 'Conv2DBackpropFilter', { x, dy }, attrs);
      assertClose(got, naiveFilterGrad(x, dy, c.filter, c.strides, c.dilations, c.top, c.left, false), name);
    });
  }
  test('NCHW is refused with a clear message', async () => {
    await use('wasm');
    const x = tf.zeros([1, 2, 4, 4]);
    const dy = tf.zeros([1, 2, 2, 2]);
    assert.throws(
      () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'valid', dataFormat: 'NCHW', filterShape: [3, 3, 2, 2] } as unknown as NamedAttrMap),
      /supports dataFormat 'NHWC'/);
    tf.dispose([x, dy]);
  });
});

describe('Conv2DBackpropInput (conv2d input gradient, conv2dTranspose forward)', () => {
  for (const [name, c] of Object.entries(convCases)) {
    test(`wasm matches stock cpu: ${name}`, async () => {
      await use('cpu');
      const filter = seeded(c.filter, 13);
      const dy = seeded(outShape(c, false), 14);
      const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x };
      const want = await run('cpu', 'Conv2DBackpropInput', { dy, filter }, attrs);
      const got = await run('wasm', 'Conv2DBackpropInput', { dy, filter }, attrs);
      assertNonZero(want, name);
      assertClose(got, want, name);
    });
  }
});

describe('BatchMatMul with transposed operands', () => {
  const cases: Array<[string, number[], number[], boolean, boolean]> = [
    ['aᵀ·b', [5, 3], [5, 4], true, false],
    ['a·bᵀ', [3, 5], [4, 5], false, true],
    ['aᵀ·bᵀ, batched', [2, 5, 3], [2, 4, 5], true, true],
    ['aᵀ·b, batch broadcast', [3, 6, 2], [1, 6, 4], true, false],
    ['plain (passed through)', [2, 3, 5], [2, 5, 4], false, false],
  ];
  for (const [name, aShape, bShape, transposeA, transposeB] of cases) {
    test(`wasm matches cpu: ${name}`, async () => {
      await use('cpu');
      const a = seeded(aShape, 15);
      const b = seeded(bShape, 16);
      const attrs = { transposeA, transposeB };
      const want = await run('cpu', 'BatchMatMul', { a, b }, attrs);
      const got = await run('wasm', 'BatchMatMul', { a, b }, attrs);
      assertNonZero(want, name);
      assertClose(got, want, name);
    });
  }
});

describe('DepthwiseConv2dNativeBackpropFilter / BackpropInput', () => {
  const cases: Record<string, ConvCase & { top: number; left: number }> = {
    'multiplier 2, valid': { x: [2, 6, 5, 3], filter: [3, 3, 3, 2], strides: [1, 1], dilations: [1, 1], pad: 'valid', top: 0, left: 0 },
    'stride 2, same, non-square': { x: [1, 7, 6, 2], filter: [3, 2, 2, 1], strides: [2, 2], dilations: [1, 1], pad: 'same', top: 1, left: 0 },
    'dilation 2, valid': { x: [2, 7, 7, 2], filter: [2, 3, 2, 3], strides: [1, 1], dilations: [2, 2], pad: 'valid', top: 0, left: 0 },
  };
  for (const [name, c] of Object.entries(cases)) {
    test(`filter gradient, wasm matches the definition (and cpu): ${name}`, async () => {
      await use('cpu');
      const x = seeded(c.x, 5);
      const dy = seeded(outShape(c, true), 6);
      const attrs = { strides: c.strides, dilations: c.dilations, pad: c.pad, filterShape: c.filter };
      const got = await run('wasm', 'DepthwiseConv2dNativeBackpropFilter', { x, dy }, attrs);
      const want = naiveFilterGrad(x, dy, c.filter, c.strides, c.dilations, c.top, c.left, true);
      assertNonZero(want, name);
      assertClose(got, want, `${name} (definition)`);
      if (undilated(c)) assertClose(got, await run('cpu', 'DepthwiseConv2dNativeBackpropFilter', { x, dy }, attrs), `${name} (cpu)`);
    });
    test(`input gradient, wasm matches the definition (and cpu): ${name}`, async () => {
      await use('cpu');
      const filter = seeded(c.filter, 7);
      const dy = seeded(outShape(c, true), 8);
      const attrs = { strides: c.strides, dilations: c.dilations, pad: c.pad, inputShape: c.x };
      const got = await run('wasm', 'DepthwiseConv2dNativeBackpropInput', { dy, filter }, attrs);
      const want = naiveDepthwiseInputGrad(dy, filter, c.x, c.strides, c.dilations, c.top, c.left);
      assertNonZero(want, name);
      assertClose(got, want, `${name} (definition)`);
      if (undilated(c)) assertClose(got, await run('cpu', 'DepthwiseConv2dNativeBackpropInput', { dy, filter }, attrs), `${name} (cpu)`);
    });
  }
});

describe('UnsortedSegmentSum', () => {
  test('repeated ids sum, unused segments are zero, ids out of range are dropped', async () => {
    await use('wasm');
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]);
    const ids = tf.tensor1d([2, 0, 2, 7, -1], 'int32');
    const out = tf.unsortedSegmentSum(x, ids, 4);
    assert.deepEqual(out.shape, [4, 2]);
    assert.deepEqual(Array.from(out.dataSync()), [3, 4, 0, 0, 6, 8, 0, 0]);
    tf.dispose([x, ids, out]);
  });
  test('int32 values, rank-2 ids over the first two axes (as TensorFlow allows)', async () => {
    await use('wasm');
    const x = tf.tensor3d(Array.from({ length: 24 }, (_, i) => i - 5), [2, 3, 4], 'int32');
    const segmentIds = tf.tensor2d([[1, 0, 1], [2, 2, 0]], [2, 3], 'int32');
    const got = tf.engine().runKernel('UnsortedSegmentSum', { x, segmentIds }, { numSegments: 3 }) as tf.Tensor;
    assert.equal(got.dtype, 'int32');
    assert.deepEqual(got.shape, [3, 4]);
    // (cpu's stock kernel throws for rank-2 ids, so check against the definition)
    const xs = x.arraySync() as number[][][];
    const ids = segmentIds.arraySync() as number[][];
    const expected = Array.from({ length: 3 }, () => [0, 0, 0, 0]);
    ids.forEach((row, i) => row.forEach((s, j) => xs[i][j].forEach((v, k) => { expected[s][k] += v; })));
    assert.deepEqual(Array.from(got.dataSync()), expected.flat());
    tf.dispose([x, segmentIds, got]);
  });
});

describe('MaxPoolGrad', () => {
  test('routes the gradient to a negative maximum (stock wasm 4.22 does not)', async () => {
    await use('wasm');
    const x = tf.tensor4d([0, 0.99, -0.26, -0.93, 0.49, 0.8, -0.7, -0.62, 0.86, 0.4, -0.96, -0.15, 1, -0.11, -0.97, 0.36], [1, 4, 4, 1]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid'), tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]))))(x);
    assert.deepEqual(Array.from(g.dataSync()), [0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 4]);
    tf.dispose([x, g]);
  });
  for (const [name, filterSize, strides, pad] of [
    ['3×3 stride 2 same', [3, 3], [2, 2], 'same'],
    ['2×3 stride (1, 2) valid', [2, 3], [1, 2], 'valid'],
  ] as const) {
    test(`wasm matches cpu: ${name}`, async () => {
      await use('cpu');
      const input = seeded([2, 7, 6, 3], 9);
      const output = tf.maxPool(input as tf.Tensor4D, [...filterSize], [...strides], pad);
      const dy = seeded(output.shape, 10);
      const attrs = { filterSize, strides, pad };
      const want = await run('cpu', 'MaxPoolGrad', { dy, input, output }, attrs);
      const got = await run('wasm', 'MaxPoolGrad', { dy, input, output }, attrs);
      assertNonZero(want, name);
      assertClose(got, want, name);
    });
  }
});

describe('registration', () => {
  test('is idempotent and reports what it did', async () => {
    await use('wasm'); // initBackend('wasm') already registered ours
    const again = registerTrainingKernels('wasm');
    assert.deepEqual(again.map((r) => r.outcome), again.map(() => 'already'));
    assert.deepEqual(again.map((r) => r.kernelName).sort(), [
      'BatchMatMul', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput', 'MaxPoolGrad', 'UnsortedSegmentSum',
    ]);
  });
  test('kernels free their intermediates (wasm data buffers back to where they were)', async () => {
    await use('wasm');
    const x = seeded([2, 6, 6, 3], 11);
    const dy = seeded([2, 4, 4, 5], 12);
    const filter = seeded([3, 3, 3, 5], 17);
    const calls: Array<[string, NamedTensorMap, object]> = [
      ['Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 3, 5] }],
      ['Conv2DBackpropInput', { dy, filter }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', inputShape: [2, 6, 6, 3] }],
      ['BatchMatMul', { a: x.reshape([12, 18]), b: x.reshape([12, 18]) }, { transposeA: true, transposeB: false }],
      ['BatchMatMul', { a: x.reshape([12, 18]), b: x.reshape([12, 18]) }, { transposeA: false, transposeB: true }],
    ];
    for (const [name, inputs, attrs] of calls) {
      const before = tf.engine().backend.numDataIds();
      const out = tf.engine().runKernel(name, inputs, attrs as unknown as NamedAttrMap) as tf.Tensor;
      assert.equal(tf.engine().backend.numDataIds(), before + 1, name);
      out.dispose();
      assert.equal(tf.engine().backend.numDataIds(), before, name);
    }
    tf.dispose([x, dy, filter]);
  });
});
