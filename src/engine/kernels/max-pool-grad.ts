/**
 * `MaxPoolGrad` for the wasm backend. Stock tfjs 4.22 wasm has one, but it is wrong whenever a window's
 * maximum is negative (it then routes no gradient at all — measured: a 2×2 window of
 * [−0.256, −0.926, −0.700, −0.618] gets dx = 0 instead of dy at −0.256), which breaks max pooling
 * after any layer that is not a ReLU. Ours matches the cpu backend: each output's gradient goes to the
 * first maximum of its window in row-major order; padding never wins.
 */
import { backend_util, MaxPoolGrad, type KernelFunc, type MaxPoolGradAttrs, type TensorInfo } from '@tensorflow/tfjs';
import { tensorStore } from './tensor-store';

export const maxPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const a = attrs as unknown as MaxPoolGradAttrs;
  if (input.shape.length !== 4) throw new Error(`LR Scope MaxPoolGrad: input must be rank 4 (NHWC), got [${input.shape}]`);
  if (dy.dtype !== 'float32' || input.dtype !== 'float32') {
    throw new Error(`LR Scope MaxPoolGrad needs float32 tensors, got dy ${dy.dtype}, input ${input.dtype}`);
  }
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const fh = info.effectiveFilterHeight;
  const fw = info.effectiveFilterWidth;
  const store = tensorStore(backend);

  return store.produce([...input.shape], 'float32', (out, read) => {
    const xs = read(input);
    const dys = read(dy);
    // Channels innermost, so every read is contiguous: the running max and its position per channel.
    const best = new Float32Array(C);
    const at = new Int32Array(C);
    for (let b = 0; b < batchSize; b++) {
      for (let oh = 0; oh < OH; oh++) {
        const h0 = oh * info.strideHeight - info.padInfo.top;
        const hLo = Math.max(0, h0);
        const hHi = Math.min(H, h0 + fh);
        for (let ow = 0; ow < OW; ow++) {
          const w0 = ow * info.strideWidth - info.padInfo.left;
          const wLo = Math.max(0, w0);
          const wHi = Math.min(W, w0 + fw);
          best.fill(-Infinity);
          at.fill(-1);
          for (let h = hLo; h < hHi; h++) {
            for (let w = wLo; w < wHi; w++) {
              const base = ((b * H + h) * W + w) * C;
              for (let c = 0; c < C; c++) {
                const v = xs[base + c];
                if (v > best[c]) { best[c] = v; at[c] = base + c; }
              }
            }
          }
          const di = ((b * OH + oh) * OW + ow) * C;
          for (let c = 0; c < C; c++) if (at[c] >= 0) out[at[c]] += dys[di + c];
        }
      }
    }
  });
};

export const maxPoolGradName = MaxPoolGrad;
