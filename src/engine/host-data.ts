/**
 * The experiment's data, held in plain typed arrays. Each mini-batch is copied out in JS and
 * uploaded as a fresh tensor: measured here, that is far cheaper per batch than `tf.gather` or
 * `tf.slice` on a large tensor on the wasm backend (milliseconds per batch), and it lets the
 * experiment's own tensors be freed once loaded.
 */
import type { DataType, Tensor } from '@tensorflow/tfjs';
import type { Tf } from './tf-handle';

type Values = Float32Array | Int32Array | Uint8Array;

/** One tensor's values by example: `rowSize` values per example, `rowShape` the example's shape. */
export interface HostArray {
  values: Values;
  dtype: DataType;
  rowShape: number[];
  rowSize: number;
}

/** A data split on the host: `size` examples of inputs and targets. */
export interface HostSplit {
  size: number;
  xs: HostArray;
  ys: HostArray;
}

/** Copies a tensor to the host (one read). */
export function toHostArray(tensor: Tensor): HostArray {
  const rowShape = tensor.shape.slice(1);
  const rowSize = rowShape.reduce((a, b) => a * b, 1);
  return { values: tensor.dataSync() as Values, dtype: tensor.dtype, rowShape, rowSize };
}

/** A batch tensor of the given example indices. The caller disposes it. */
export function takeRows(tf: Tf, array: HostArray, rows: ArrayLike<number>): Tensor {
  const { values, rowSize } = array;
  const out = new (values.constructor as new (n: number) => Values)(rows.length * rowSize);
  for (let r = 0; r < rows.length; r++) {
    const from = rows[r]! * rowSize;
    out.set(values.subarray(from, from + rowSize), r * rowSize);
  }
  return tf.tensor(out, [rows.length, ...array.rowShape], array.dtype);
}

/** A batch tensor of the examples `start … start+count−1`. The caller disposes it. */
export function takeRange(tf: Tf, array: HostArray, start: number, count: number): Tensor {
  const { values, rowSize } = array;
  return tf.tensor(values.slice(start * rowSize, (start + count) * rowSize), [count, ...array.rowShape], array.dtype);
}
