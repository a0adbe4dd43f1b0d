/**
 * Mini-batches over a data split: a fresh seeded shuffle every epoch, the last partial batch
 * dropped (so every step sees `batchSize` examples — a range test compares losses across
 * steps), and endless: the data repeats when the steps outlast an epoch.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { takeRange, takeRows, type HostSplit } from './host-data';
import type { Tf } from './tf-handle';
import { createRandom, permutation } from './seeded-random';

export interface Batch {
  xs: Tensor;
  ys: Tensor;
  /** 0-based epoch the batch belongs to. */
  epoch: number;
  /** 0-based index of the batch within its epoch. */
  index: number;
}

export class BatchStream {
  /** Full batches per epoch (at least 1: a split smaller than the batch size is one batch). */
  readonly batchesPerEpoch: number;
  readonly batchSize: number;
  private readonly random: () => number;
  private order: Int32Array = new Int32Array(0);
  private epoch = -1;
  private index = 0;

  constructor(
    private readonly tf: Tf,
    private readonly split: HostSplit,
    batchSize: number,
    seed: number,
    private readonly shuffle = true,
  ) {
    this.batchSize = Math.min(batchSize, split.size);
    this.batchesPerEpoch = Math.max(1, Math.floor(split.size / this.batchSize));
    this.random = createRandom(seed ^ 0x5bd1e995);
    this.index = this.batchesPerEpoch;
  }

  /** The next batch; the caller disposes `xs` and `ys`. */
  next(): Batch {
    if (this.index >= this.batchesPerEpoch) {
      this.epoch += 1;
      this.index = 0;
      if (this.shuffle || this.order.length === 0) {
        this.order = this.shuffle ? permutation(this.split.size, this.random) : Int32Array.from({ length: this.split.size }, (_, i) => i);
      }
    }
    const start = this.index * this.batchSize;
    const rows = this.order.subarray(start, start + this.batchSize);
    const result: Batch = {
      xs: takeRows(this.tf, this.split.xs, rows),
      ys: takeRows(this.tf, this.split.ys, rows),
      epoch: this.epoch,
      index: this.index,
    };
    this.index += 1;
    return result;
  }
}

/**
 * Walks a split once in order in batches of `batchSize` (the last one may be smaller), for
 * evaluation. The caller disposes each batch's tensors.
 */
export function* evaluationBatches(tf: Tf, split: HostSplit, batchSize: number): Generator<{ xs: Tensor; ys: Tensor; size: number }> {
  for (let start = 0; start < split.size; start += batchSize) {
    const size = Math.min(batchSize, split.size - start);
    yield { xs: takeRange(tf, split.xs, start, size), ys: takeRange(tf, split.ys, start, size), size };
  }
}
