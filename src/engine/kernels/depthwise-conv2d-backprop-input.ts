/**
 * `DepthwiseConv2dNativeBackpropInput` — the input gradient of a depthwise convolution — for the wasm
 * backend, where stock tfjs 4.22 has none (any depthwise or separable layer that is not the first one
 * of a model needs it).
 *
 * dx[b, oh·sh + kh·dh − top, ow·sw + kw·dw − left, c] += Σ_m dy[b,oh,ow, c·M + m] · W[kh,kw,c,m]:
 * a scatter over the forward windows, accumulated in float64.
 */
import {
  DepthwiseConv2dNativeBackpropInput, type DepthwiseConv2dNativeBackpropInputAttrs, type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { convGeometry, validRange } from './conv-geometry';
import { tensorStore } from './tensor-store';

export const depthwiseConv2dBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const a = attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  if (dy.dtype !== 'float32' || filter.dtype !== 'float32') {
    throw new Error(`LR Scope DepthwiseConv2dNativeBackpropInput needs float32 tensors, got dy ${dy.dtype}, filter ${filter.dtype}`);
  }
  const filterShape = filter.shape as [number, number, number, number];
  const store = tensorStore(backend);
  const g = convGeometry(a.inputShape, { ...a, filterShape }, true);
  const [fh, fw, C, M] = filterShape;
  const { inHeight: H, inWidth: W, outHeight: OH, outWidth: OW } = g;
  if (dy.shape.length !== 4 || dy.shape[1] !== OH || dy.shape[2] !== OW || dy.shape[3] !== C * M) {
    throw new Error(`LR Scope DepthwiseConv2dNativeBackpropInput: dy shape [${dy.shape}] does not match input [${a.inputShape}] and filter [${filterShape}]`);
  }
  const ranges = Array.from({ length: fw }, (_, kw) =>
    validRange(OW, W, g.strideWidth, kw * g.dilationWidth - g.padLeft));

  return store.produce([...a.inputShape], 'float32', (out, read) => {
    const dys = read(dy);
    const ws = read(filter);
    const acc = new Float64Array(out.length);
    const cm = C * M;
    for (let kh = 0; kh < fh; kh++) {
      const rowOffset = kh * g.dilationHeight - g.padTop;
      const [ohLo, ohHi] = validRange(OH, H, g.strideHeight, rowOffset);
      for (let kw = 0; kw < fw; kw++) {
        const colOffset = kw * g.dilationWidth - g.padLeft;
        const [owLo, owHi] = ranges[kw];
        const wBase = (kh * fw + kw) * cm;
        for (let b = 0; b < g.batch; b++) {
          for (let oh = ohLo; oh < ohHi; oh++) {
            const ih = oh * g.strideHeight + rowOffset;
            for (let ow = owLo; ow < owHi; ow++) {
              const iw = ow * g.strideWidth + colOffset;
              const xi = ((b * H + ih) * W + iw) * C;
              const di = ((b * OH + oh) * OW + ow) * cm;
              for (let c = 0; c < C; c++) {
                let s = 0;
                for (let m = 0; m < M; m++) s += dys[di + c * M + m] * ws[wBase + c * M + m];
                acc[xi + c] += s;
              }
            }
          }
        }
      }
    }
    out.set(acc);
  });
};

export const depthwiseConv2dBackpropInputName = DepthwiseConv2dNativeBackpropInput;
