/**
 * `Conv2DBackpropFilter` — the gradient of conv2d with respect to its filter — for the wasm backend
 * (stock tfjs 4.22 has none: tensorflow/tfjs#8474) and a fast replacement for the cpu backend's naive loop.
 *
 * dW[kh,kw,ci,co] = Σ_{b,oh,ow} x[b, oh·sh + kh·dh − top, ow·sw + kw·dw − left, ci] · dy[b,oh,ow,co],
 * computed as one matrix product colT[K, N] · dy[N, CO] (K = kh·kw·ci, N = b·oh·ow) by the backend's own
 * BatchMatMul (XNNPACK on wasm). The transposed im2col layout is deliberate: on wasm a product with
 * `transposeA` is ~15× slower than a plain one.
 */
import {
  Conv2DBackpropFilter, getKernel, type Conv2DBackpropFilterAttrs, type KernelFunc, type TensorInfo,
} from '@tensorflow/tfjs';
import { convGeometry, im2colTransposed } from './conv-geometry';
import { tensorStore } from './tensor-store';

/** tfjs 4.22 passes no dilations to this kernel; we honour them when a caller does. */
type Attrs = Conv2DBackpropFilterAttrs & { dilations?: number | [number, number] };

export const conv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const a = attrs as unknown as Attrs;
  if (a.dataFormat === 'NCHW') {
    throw new Error("LR Scope Conv2DBackpropFilter supports dataFormat 'NHWC' (channelsLast) only");
  }
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(`LR Scope Conv2DBackpropFilter needs float32 tensors, got x ${x.dtype}, dy ${dy.dtype}`);
  }
  const store = tensorStore(backend);
  const g = convGeometry(x.shape, a, false);
  const outChannels = a.filterShape[3];
  const k = g.filterHeight * g.filterWidth * g.inChannels;
  const n = g.batch * g.outHeight * g.outWidth;
  if (dy.shape.length !== 4 || dy.shape[0] * dy.shape[1] * dy.shape[2] !== n || dy.shape[3] !== outChannels) {
    throw new Error(`LR Scope Conv2DBackpropFilter: dy shape [${dy.shape}] does not match x [${x.shape}] and filter [${a.filterShape}]`);
  }

  const colT = store.produce([1, k, n], 'float32', (out, read) => im2colTransposed(read(x), g, out));
  const matMul = getKernel('BatchMatMul', store.backendName);
  if (matMul === undefined) throw new Error(`LR Scope Conv2DBackpropFilter: no BatchMatMul on '${store.backendName}'`);
  const dyAsMatrix: TensorInfo = { dataId: dy.dataId, shape: [1, n, outChannels], dtype: 'float32' };
  try {
    const product = matMul.kernelFunc({
      inputs: { a: colT, b: dyAsMatrix }, backend, attrs: { transposeA: false, transposeB: false },
    }) as TensorInfo;
    return { dataId: product.dataId, shape: [...a.filterShape], dtype: 'float32' };
  } finally {
    store.dispose(colT);
  }
};

export const conv2dBackpropFilterName = Conv2DBackpropFilter;
