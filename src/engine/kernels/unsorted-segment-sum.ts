/**
 * `UnsortedSegmentSum` — out[s] = Σ_{i: ids[i] = s} x[i] — for the wasm backend, where stock tfjs 4.22
 * has none. tfjs needs it for the gradient of `gather`, that is of every embedding layer.
 *
 * `segmentIds` may cover the first k axes of `x` (as in TensorFlow); ids outside [0, numSegments) are
 * dropped, as TensorFlow does.
 */
import { UnsortedSegmentSum, type KernelFunc, type TensorInfo, type UnsortedSegmentSumAttrs } from '@tensorflow/tfjs';
import { tensorStore } from './tensor-store';

export const unsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
  const idsRank = segmentIds.shape.length;
  if (segmentIds.shape.some((d, i) => d !== x.shape[i])) {
    throw new Error(`LR Scope UnsortedSegmentSum: segmentIds shape [${segmentIds.shape}] must be a prefix of x shape [${x.shape}]`);
  }
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new Error(`LR Scope UnsortedSegmentSum supports float32 and int32, got ${x.dtype}`);
  }
  const inner = x.shape.slice(idsRank);
  const width = inner.reduce((p, d) => p * d, 1);
  const store = tensorStore(backend);
  return store.produce([numSegments, ...inner], x.dtype, (out, read) => {
    const xs = read(x);
    const ids = read(segmentIds);
    for (let i = 0; i < ids.length; i++) {
      const s = ids[i];
      if (s < 0 || s >= numSegments) continue;
      const src = i * width;
      const dst = s * width;
      for (let j = 0; j < width; j++) out[dst + j] += xs[src + j];
    }
  });
};

export const unsortedSegmentSumName = UnsortedSegmentSum;
