/**
 * The geometry of a 2-D convolution (NHWC) as our gradient kernels need it, and the im2col gather that
 * turns a filter gradient into one matrix product.
 */
import { backend_util } from '@tensorflow/tfjs';

export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
}

type Pad = Parameters<typeof backend_util.computeConv2DInfo>[4];
type Pair = number | [number, number];

export interface ConvAttrs {
  strides: Pair;
  dilations?: Pair;
  pad: Pad;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

function asRank4(shape: number[], what: string): [number, number, number, number] {
  if (shape.length !== 4) throw new Error(`LR Scope kernels: ${what} must be rank 4 (NHWC), got shape [${shape}]`);
  return [shape[0], shape[1], shape[2], shape[3]];
}

/**
 * Resolves strides, dilations and padding ('same', 'valid', a number or explicit pairs) exactly as tfjs
 * does for the forward op, so the gradient lines up with it. `depthwise` reads the filter as
 * [h, w, inChannels, multiplier].
 */
export function convGeometry(xShape: number[], attrs: ConvAttrs, depthwise: boolean): ConvGeometry {
  const info = backend_util.computeConv2DInfo(
    asRank4(xShape, 'x'), attrs.filterShape, attrs.strides, attrs.dilations ?? 1, attrs.pad,
    attrs.dimRoundingMode, depthwise, 'channelsLast');
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** The output positions `o` in [0, outSize) whose input coordinate `o·stride + offset` is inside [0, inSize). */
export function validRange(outSize: number, inSize: number, stride: number, offset: number): [number, number] {
  const lo = Math.max(0, Math.ceil(-offset / stride));
  const hi = Math.min(outSize, Math.floor((inSize - 1 - offset) / stride) + 1);
  return [lo, Math.max(lo, hi)];
}

/**
 * Writes the transposed im2col matrix of `x` into `colT` (length K·N, zero-initialised):
 * row (kh, kw, ci) — the filter's own memory order — and column (b, oh, ow), so that
 * `colT · dy[N, outChannels]` is the filter gradient laid out as [kh, kw, ci, co].
 * Positions that fall into the padding stay zero.
 */
export function im2colTransposed(x: ArrayLike<number>, g: ConvGeometry, colT: { [i: number]: number }): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const n = batch * OH * OW;
  const step = g.strideWidth * C;
  for (let kh = 0; kh < g.filterHeight; kh++) {
    const rowOffset = kh * g.dilationHeight - g.padTop;
    const [ohLo, ohHi] = validRange(OH, H, g.strideHeight, rowOffset);
    for (let kw = 0; kw < g.filterWidth; kw++) {
      const colOffset = kw * g.dilationWidth - g.padLeft;
      const [owLo, owHi] = validRange(OW, W, g.strideWidth, colOffset);
      const iw0 = owLo * g.strideWidth + colOffset;
      for (let ci = 0; ci < C; ci++) {
        const row = ((kh * g.filterWidth + kw) * C + ci) * n;
        for (let b = 0; b < batch; b++) {
          for (let oh = ohLo; oh < ohHi; oh++) {
            const ih = oh * g.strideHeight + rowOffset;
            let i = ((b * H + ih) * W + iw0) * C + ci;
            const o = row + (b * OH + oh) * OW;
            for (let ow = owLo; ow < owHi; ow++, i += step) colT[o + ow] = x[i];
          }
        }
      }
    }
  }
}
