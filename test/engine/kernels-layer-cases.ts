/**
 * The layers LR Scope promises to train on wasm, each in a tiny model (shared by kernels-layers.test.ts and
 * kernels-probe.test.ts). Shapes are small and odd on purpose: stride 2, 'same' padding, non-square, batch 1.
 */
import { tf, type LayerCase } from './kernels-support';

const L = tf.layers;

export const layerCases: Record<string, LayerCase> = {
  dense: { layers: () => [L.dense({ units: 3, inputShape: [5], activation: 'tanh' })] },
  conv1d: { layers: () => [L.conv1d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', inputShape: [9, 2] })] },
  conv2d: { layers: () => [L.conv2d({ filters: 4, kernelSize: 3, inputShape: [6, 5, 2] })] },
  'conv2d stride 2 same, non-square': {
    layers: () => [L.conv2d({ filters: 3, kernelSize: [3, 2], strides: 2, padding: 'same', inputShape: [7, 6, 3] })],
  },
  'conv2d batch 1': { batch: 1, layers: () => [L.conv2d({ filters: 2, kernelSize: 2, inputShape: [4, 4, 3] })] },
  conv2dTranspose: {
    layers: () => [L.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', inputShape: [4, 3, 3] })],
  },
  depthwiseConv2d: {
    layers: () => [L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, inputShape: [6, 5, 3] })],
  },
  'depthwiseConv2d stride 2 same': {
    layers: () => [L.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same', inputShape: [7, 6, 2] })],
  },
  'depthwiseConv2d after conv (input gradient too)': {
    layers: () => [
      L.conv2d({ filters: 3, kernelSize: 1, inputShape: [5, 5, 2] }),
      L.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2, strides: 2, padding: 'same' }),
    ],
  },
  separableConv2d: {
    layers: () => [L.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, padding: 'same', inputShape: [5, 5, 3] })],
  },
  maxPooling2d: {
    layers: () => [L.conv2d({ filters: 2, kernelSize: 1, inputShape: [6, 6, 2] }), L.maxPooling2d({ poolSize: 2 })],
  },
  'maxPooling2d stride 2 same 3×3': {
    layers: () => [L.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', inputShape: [7, 5, 2] })],
  },
  averagePooling2d: {
    layers: () => [L.conv2d({ filters: 2, kernelSize: 1, inputShape: [6, 6, 2] }), L.averagePooling2d({ poolSize: 2 })],
  },
  'averagePooling2d stride 2 same 3×3': {
    layers: () => [L.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same', inputShape: [7, 5, 2] })],
  },
  maxPooling1d: { layers: () => [L.conv1d({ filters: 2, kernelSize: 2, inputShape: [8, 2] }), L.maxPooling1d({ poolSize: 2 })] },
  averagePooling1d: { layers: () => [L.conv1d({ filters: 2, kernelSize: 2, inputShape: [8, 2] }), L.averagePooling1d({ poolSize: 2 })] },
  globalAveragePooling2d: { layers: () => [L.conv2d({ filters: 3, kernelSize: 2, inputShape: [5, 5, 2] }), L.globalAveragePooling2d({})] },
  globalMaxPooling2d: { layers: () => [L.conv2d({ filters: 3, kernelSize: 2, inputShape: [5, 5, 2] }), L.globalMaxPooling2d({})] },
  batchNormalization: { batch: 4, layers: () => [L.dense({ units: 3, inputShape: [4] }), L.batchNormalization()] },
  'batchNormalization after conv': {
    batch: 3, layers: () => [L.conv2d({ filters: 2, kernelSize: 2, inputShape: [4, 4, 2] }), L.batchNormalization()],
  },
  layerNormalization: { layers: () => [L.dense({ units: 4, inputShape: [3] }), L.layerNormalization()] },
  embedding: { vocab: 7, layers: () => [L.embedding({ inputDim: 7, outputDim: 3, inputLength: 5 })] },
  simpleRNN: { layers: () => [L.simpleRNN({ units: 3, inputShape: [4, 2] })] },
  lstm: { layers: () => [L.lstm({ units: 3, returnSequences: true, inputShape: [4, 2] })] },
  gru: { layers: () => [L.gru({ units: 3, inputShape: [4, 2] })] },
  'embedding → lstm': { vocab: 9, layers: () => [L.embedding({ inputDim: 9, outputDim: 4, inputLength: 3 }), L.lstm({ units: 2 })] },
  dropout: { batch: 3, layers: () => [L.dense({ units: 6, inputShape: [4] }), L.dropout({ rate: 0.5, seed: 3 })] },
};

