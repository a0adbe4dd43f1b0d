/**
 * `DepthwiseConv2dNativeBackpropFilter` — the filter gradient of a depthwise convolution (and of the
 * depthwise half of a separable one) — for the wasm backend, where stock tfjs 4.22 has none.
 *
 * dW[kh,kw,ci,m] = Σ_{b,oh,ow} x[b, oh·sh + kh·dh − top, ow·sw + kw·dw − left, ci] · dy[b,oh,ow, ci·M + m].
 * Each channel is its own small product, so a direct loop over contiguous rows (accumulated in float64)
 * beats an im2col + batched product here.
 */
import {
  DepthwiseConv2dNativeBackpropFilter, type DepthwiseConv2dNativeBackpropFilterAttrs, type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { convGeometry, validRange } from './conv-geometry';
import { tensorStore } from './tensor-store';

export const depthwiseConv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const a = attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(`LR Scope DepthwiseConv2dNativeBackpropFilter needs float32 tensors, got x ${x.dtype}, dy ${dy.dtype}`);
  }
  const store = tensorStore(backend);
  const g = convGeometry(x.shape, a, true);
  const [fh, fw, C, M] = a.filterShape;
  const { inHeight: H, inWidth: W, outHeight: OH, outWidth: OW } = g;
  if (dy.shape.length !== 4 || dy.shape[1] !== OH || dy.shape[2] !== OW || dy.shape[3] !== C * M) {
    throw new Error(`LR Scope DepthwiseConv2dNativeBackpropFilter: dy shape [${dy.shape}] does not match x [${x.shape}] and filter [${a.filterShape}]`);
  }
  const ranges = Array.from({ length: fw }, (_, kw) =>
    validRange(OW, W, g.strideWidth, kw * g.dilationWidth - g.padLeft));

  return store.produce([...a.filterShape], 'float32', (out, read) => {
    const xs = read(x);
    const dys = read(dy);
    const acc = new Float64Array(out.length);
    const cm = C * M;
    for (let kh = 0; kh < fh; kh++) {
      const rowOffset = kh * g.dilationHeight - g.padTop;
      const [ohLo, ohHi] = validRange(OH, H, g.strideHeight, rowOffset);
      for (let kw = 0; kw < fw; kw++) {
        const colOffset = kw * g.dilationWidth - g.padLeft;
        const [owLo, owHi] = ranges[kw];
        const base = (kh * fw + kw) * cm;
        for (let b = 0; b < g.batch; b++) {
          for (let oh = ohLo; oh < ohHi; oh++) {
            const ih = oh * g.strideHeight + rowOffset;
            for (let ow = owLo; ow < owHi; ow++) {
              const iw = ow * g.strideWidth + colOffset;
              const xi = ((b * H + ih) * W + iw) * C;
              const di = ((b * OH + oh) * OW + ow) * cm;
              for (let c = 0; c < C; c++) {
                const xv = xs[xi + c];
                if (xv === 0) continue;
                const d = di + c * M;
                const o = base + c * M;
                for (let m = 0; m < M; m++) acc[o + m] += xv * dys[d + m];
              }
            }
          }
        }
      }
    }
    out.set(acc);
  });
};

export const depthwiseConv2dBackpropFilterName = DepthwiseConv2dNativeBackpropFilter;
