import * as tf from '@tensorflow/tfjs';

// Stand-in data: 1,024 points in 8 dimensions, labelled by the sign of their first two coordinates
// (4 classes). Replace it with your own tensors, or a tf.data.Dataset of {xs, ys}.
function points(count: number, seed: number): { xs: tf.Tensor; ys: tf.Tensor } {
  return tf.tidy(() => {
    const xs = tf.randomNormal([count, 8], 0, 1, 'float32', seed);
    const signs = xs.slice([0, 0], [count, 2]).greater(0).toInt(); // [count, 2] of 0 or 1
    const labels = signs.mul(tf.tensor1d([2, 1], 'int32')).sum(1); // 0 to 3
    return { xs, ys: tf.oneHot(labels, 4).toFloat() };
  });
}

export default {
  name: 'my model',
  model: () => tf.sequential({ layers: [
    tf.layers.dense({ inputShape: [8], units: 32, activation: 'relu' }),
    tf.layers.dense({ units: 4, activation: 'softmax' }),
  ] }),
  async data() { return { train: points(1024, 1), validation: points(256, 2) }; }, // tensors or a tf.data.Dataset of {xs, ys}
  loss: 'categoricalCrossentropy',
  metrics: ['accuracy'],
  optimizer: 'momentum',            // 'sgd' | 'momentum' | 'adam' | 'rmsprop' | ... or { type, momentum, beta1, ... }
  batchSize: 32,
  epochs: 2, weightDecay: 0, seed: 7, // optional
};
