/**
 * Shared by the kernels*.test.ts files: start the wasm backend the way the engine does (with our kernels),
 * compare arrays within a relative tolerance, and compute gradients of a layer on one backend.
 *
 * tfjs backends are global state: every helper here sets the backend it needs before it computes, and
 * reads results with dataSync() right away. Tests compare against the *stock* cpu kernels, so nothing here
 * registers our cpu replacements.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/engine/backend/index';

export { tf };

let wasmReady: Promise<unknown> | undefined;

/** Starts wasm once per process (with our kernels), then leaves the backend as the caller sets it. */
export async function ensureWasm(): Promise<void> {
  wasmReady ??= initBackend('wasm', { searchFrom: [] });
  await wasmReady;
}

export async function use(backend: 'wasm' | 'cpu'): Promise<void> {
  if (backend === 'wasm') await ensureWasm();
  assert.ok(await tf.setBackend(backend), `setBackend(${backend})`);
  await tf.ready();
  assert.equal(tf.getBackend(), backend);
}

/**
 * Asserts |actual − expected| ≤ rtol · max(1, max|expected|) element-wise: a relative error measured
 * against the tensor's scale, so that sums in a different order (float32) pass and real mistakes do not.
 */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, rtol = 1e-4): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= worst)) { worst = err; at = i; }
  }
  assert.ok(worst <= rtol * scale,
    `${what}: max abs error ${worst} at [${at}] (got ${actual[at]}, want ${expected[at]}), scale ${scale}, rtol ${rtol}`);
}

/** Any non-zero entry: a gradient of all zeros would pass a comparison for the wrong reason. */
export function assertNonZero(values: ArrayLike<number>, what: string): void {
  assert.ok(Array.from(values).some((v) => v !== 0 && Number.isFinite(v)), `${what}: all zero or non-finite`);
}

export interface LayerCase {
  /** The layers of a tiny sequential model; the first one carries `inputShape`. */
  layers: () => tf.layers.Layer[];
  /** Integer input in [0, vocab) (embedding) instead of a float one. */
  vocab?: number;
  batch?: number;
}

export type Gradients = Map<string, Float32Array>;

/** Builds the model (on cpu) with seeded trainable weights and returns it with a seeded input and loss weights. */
export function buildCase(c: LayerCase, seed = 1): { model: tf.Sequential; x: tf.Tensor; r: tf.Tensor } {
  const model = tf.sequential({ layers: c.layers() });
  model.trainableWeights.forEach((w, i) => w.write(tf.randomNormal(w.shape as number[], 0, 0.5, 'float32', seed * 100 + i)));
  const batch = c.batch ?? 2;
  const inShape: number[] = [batch, ...(model.inputs[0].shape.slice(1) as number[])];
  const x = c.vocab !== undefined
    ? tf.randomUniform(inShape, 0, c.vocab, 'int32', seed + 7)
    : tf.randomNormal(inShape, 0, 1, 'float32', seed + 7);
  const outShape: number[] = [batch, ...(model.outputs[0].shape.slice(1) as number[])];
  const r = tf.randomNormal(outShape, 0, 1, 'float32', seed + 11);
  return { model, x, r };
}

/**
 * Gradients of Σ(model(x)·r) with respect to every trainable weight and (for float inputs) the input,
 * computed on `backend`. Keys: weight names, and 'input'.
 */
export async function gradients(
  backend: 'wasm' | 'cpu', model: tf.Sequential, x: tf.Tensor, r: tf.Tensor, withInput: boolean,
): Promise<Gradients> {
  await use(backend);
  const input = withInput ? tf.variable(x.clone()) : undefined;
  const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const vars = input ? [...weights, input] : weights;
  const { value, grads } = tf.variableGrads(() => {
    const out = model.apply(input ?? x, { training: true }) as tf.Tensor;
    return tf.sum(tf.mul(out, r)) as tf.Scalar;
  }, vars);
  const result: Gradients = new Map();
  result.set('loss', value.dataSync() as Float32Array);
  model.trainableWeights.forEach((w, i) => result.set(w.name, grads[weights[i].name].dataSync() as Float32Array));
  if (input) result.set('input', grads[input.name].dataSync() as Float32Array);
  tf.dispose([value, ...Object.values(grads)]);
  input?.dispose();
  return result;
}
