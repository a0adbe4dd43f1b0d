/**
 * A fast synthetic experiment: 4 Gaussian blobs in 8 dimensions, classified by a 2-layer MLP.
 * Deterministic (the data come from a fixed-seed generator), trains in milliseconds per batch:
 * used by the tests and as the smallest complete example of an experiment module.
 */
import * as tf from '@tensorflow/tfjs';

const FEATURES = 8;
const CLASSES = 4;

/** A small seeded generator so the data never depend on anything but this file. */
function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function blobs(count: number, seed: number): { xs: tf.Tensor; ys: tf.Tensor } {
  const random = generator(seed);
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centres = Array.from({ length: CLASSES }, (_, c) => Array.from({ length: FEATURES }, (_, f) => ((c * 7 + f * 3) % 5) - 2));
  const xs = new Float32Array(count * FEATURES);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const c = i % CLASSES;
    labels[i] = c;
    for (let f = 0; f < FEATURES; f++) xs[i * FEATURES + f] = centres[c]![f]! + 1.2 * gaussian();
  }
  return tf.tidy(() => ({ xs: tf.tensor2d(xs, [count, FEATURES]), ys: tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES).toFloat() }));
}

export default {
  name: 'synthetic blobs (MLP)',
  model(): tf.LayersModel {
    return tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [FEATURES], units: 32, activation: 'relu' }),
        tf.layers.dense({ units: CLASSES, activation: 'softmax' }),
      ],
    });
  },
  async data() {
    return { train: blobs(2048, 1), validation: blobs(512, 2) };
  },
  loss: 'categoricalCrossentropy',
  metrics: ['accuracy'],
  optimizer: 'momentum',
  batchSize: 32,
  epochs: 2,
  seed: 7,
};
