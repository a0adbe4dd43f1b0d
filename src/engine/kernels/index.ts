/**
 * Gradient kernels of our own, so that every common Keras-style layer trains on the tfjs wasm backend
 * (and conv2d trains fast on cpu). Stock tfjs 4.22 wasm lacks four kernels that training needs and gets a
 * fifth wrong (found by probing every layer with `optimizer.minimize` and comparing its gradients with
 * cpu's, see test/engine/kernels-layers.test.ts):
 *
 * | kernel | needed by | stock wasm |
 * |---|---|---|
 * | Conv2DBackpropFilter | conv1d, conv2d, conv2dTranspose, separableConv2d (pointwise half) | missing |
 * | DepthwiseConv2dNativeBackpropFilter | depthwiseConv2d, separableConv2d | missing |
 * | DepthwiseConv2dNativeBackpropInput | the same, when not the model's first layer | missing |
 * | UnsortedSegmentSum | embedding (the gradient of gather) | missing |
 * | MaxPoolGrad | maxPooling1d/2d | wrong when a window's max is negative |
 *
 * Two more replace slow stock wasm kernels: Conv2DBackpropInput (a direct loop; ours is a matrix product +
 * col2im, ~5× faster) and BatchMatMul with transposed operands (ours transposes first: 5–15× faster, and
 * every dense layer's gradient is one).
 *
 * On cpu, ours replace two stock kernels that are slow: Conv2DBackpropFilter (a naive 7-deep loop; ours is
 * im2col + the backend's matrix product) and UnsortedSegmentSum (one pass over x per segment; ours is one pass).
 *
 * Written against tfjs 4.22.0 (`KERNELS_WRITTEN_FOR`): they read kernel attributes as that version passes them.
 */
import { getKernel, registerKernel, unregisterKernel, type KernelFunc } from '@tensorflow/tfjs';
import { batchMatMulWithoutTransposes } from './batch-mat-mul';
import { conv2dBackpropFilter, conv2dBackpropFilterName } from './conv2d-backprop-filter';
import { conv2dBackpropInput, conv2dBackpropInputName } from './conv2d-backprop-input';
import { depthwiseConv2dBackpropFilter, depthwiseConv2dBackpropFilterName } from './depthwise-conv2d-backprop-filter';
import { depthwiseConv2dBackpropInput, depthwiseConv2dBackpropInputName } from './depthwise-conv2d-backprop-input';
import { maxPoolGrad, maxPoolGradName } from './max-pool-grad';
import { unsortedSegmentSum, unsortedSegmentSumName } from './unsorted-segment-sum';
import type { BackendName } from './tensor-store';

/** The tfjs-core version these kernels were written and tested for. */
export const KERNELS_WRITTEN_FOR = '4.22.0';

/**
 * `fill-gap`: register only when the backend has no such kernel (a newer tfjs may bring its own).
 * `replace`: take the place of the stock kernel (ours is correct or much faster).
 * `wrap`: stand in front of the stock kernel, which ours calls.
 */
type Policy = 'fill-gap' | 'replace' | 'wrap';

interface OwnKernel {
  kernelName: string;
  backendName: BackendName;
  policy: Policy;
  /** Our kernel function; `stock` is the kernel registered before ours (for `wrap`). */
  make: (stock: KernelFunc | undefined) => KernelFunc;
}

const fixed = (f: KernelFunc) => (): KernelFunc => f;

const OWN_KERNELS: readonly OwnKernel[] = [
  { kernelName: conv2dBackpropFilterName, backendName: 'wasm', policy: 'fill-gap', make: fixed(conv2dBackpropFilter) },
  { kernelName: depthwiseConv2dBackpropFilterName, backendName: 'wasm', policy: 'fill-gap', make: fixed(depthwiseConv2dBackpropFilter) },
  { kernelName: depthwiseConv2dBackpropInputName, backendName: 'wasm', policy: 'fill-gap', make: fixed(depthwiseConv2dBackpropInput) },
  { kernelName: unsortedSegmentSumName, backendName: 'wasm', policy: 'fill-gap', make: fixed(unsortedSegmentSum) },
  { kernelName: maxPoolGradName, backendName: 'wasm', policy: 'replace', make: fixed(maxPoolGrad) },
  { kernelName: conv2dBackpropInputName, backendName: 'wasm', policy: 'replace', make: fixed(conv2dBackpropInput) },
  {
    kernelName: 'BatchMatMul', backendName: 'wasm', policy: 'wrap',
    make: (stock) => {
      if (stock === undefined) throw new Error('LR Scope: the wasm backend has no BatchMatMul to wrap');
      return batchMatMulWithoutTransposes(stock);
    },
  },
  { kernelName: conv2dBackpropFilterName, backendName: 'cpu', policy: 'replace', make: fixed(conv2dBackpropFilter) },
  { kernelName: unsortedSegmentSumName, backendName: 'cpu', policy: 'replace', make: fixed(unsortedSegmentSum) },
];

/** Every kernel function we registered, to recognise ours (registration is idempotent). */
const ours = new WeakSet<KernelFunc>();

export interface KernelRegistration {
  kernelName: string;
  backendName: BackendName;
  /** `registered`: ours is now in place; `already`: ours was in place; `kept-stock`: the backend had its own. */
  outcome: 'registered' | 'already' | 'kept-stock';
}

/**
 * Registers our kernels for `backendName` (all, or those named in `only`) into the tfjs kernel registry
 * (global to the tfjs-core copy this module was bundled with). Idempotent: a kernel of ours already in
 * place is left alone. Call before training; safe before or after `tf.setBackend`.
 */
export function registerTrainingKernels(backendName: BackendName, only?: readonly string[]): KernelRegistration[] {
  const wanted = (k: OwnKernel): boolean => k.backendName === backendName && (only === undefined || only.includes(k.kernelName));
  return OWN_KERNELS.filter(wanted).map((k) => {
    const existing = getKernel(k.kernelName, k.backendName);
    const base = { kernelName: k.kernelName, backendName: k.backendName };
    if (existing !== undefined && ours.has(existing.kernelFunc)) return { ...base, outcome: 'already' };
    if (existing !== undefined) {
      if (k.policy === 'fill-gap') return { ...base, outcome: 'kept-stock' };
      unregisterKernel(k.kernelName, k.backendName);
    }
    const kernelFunc = k.make(existing?.kernelFunc);
    ours.add(kernelFunc);
    // Keep the stock kernel's setup (wasm kernels bind their C++ functions there); ours need none.
    registerKernel({ kernelName: k.kernelName, backendName: k.backendName, kernelFunc, setupFunc: existing?.setupFunc });
    return { ...base, outcome: 'registered' };
  });
}

/** The kernels of ours for a backend (names), whether registered yet or not. */
export function ownKernelNames(backendName: BackendName): string[] {
  return OWN_KERNELS.filter((k) => k.backendName === backendName).map((k) => k.kernelName);
}

export { batchMatMulWithoutTransposes } from './batch-mat-mul';
export { conv2dBackpropFilter } from './conv2d-backprop-filter';
export { conv2dBackpropInput } from './conv2d-backprop-input';
export { depthwiseConv2dBackpropFilter } from './depthwise-conv2d-backprop-filter';
export { depthwiseConv2dBackpropInput } from './depthwise-conv2d-backprop-input';
export { maxPoolGrad } from './max-pool-grad';
export { unsortedSegmentSum } from './unsorted-segment-sum';
export type { BackendName } from './tensor-store';
