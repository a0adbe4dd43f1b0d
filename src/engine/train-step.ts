/**
 * One optimizer update on one batch, and loss/metric evaluation — the per-batch work shared by
 * the range test and scheduled training. Each call reads its results back from the backend
 * exactly once (one `dataSync` of a small vector), the only synchronisation per batch.
 */
import type { LayersModel, Scalar, Tensor, Variable } from '@tensorflow/tfjs';
import type { OptimizerControl } from './optimizer-control';
import type { HostSplit } from './host-data';
import type { Tf } from './tf-handle';
import { evaluationBatches } from './batches';

type TensorFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

export interface StepperOptions {
  /** Decoupled weight decay (AdamW/fastai): w ← w·(1 − lr·wd) before each update. 0 = off. */
  weightDecay: number;
  /** Compute the experiment's metrics on each training batch (scheduled training does; the range test does not). */
  withMetrics: boolean;
}

/** Loss and metrics of the model as compiled (`model.compile` resolved the names). */
export class Stepper {
  /** Names of the metrics, in the order of the values after the loss (e.g. `acc`). */
  readonly metricNames: string[];
  private readonly lossFn: TensorFn;
  private readonly metricFns: TensorFn[];
  private readonly variables: Variable[];

  constructor(
    private readonly tf: Tf,
    private readonly model: LayersModel,
    private readonly control: OptimizerControl,
    private readonly options: StepperOptions,
  ) {
    // A Sequential compiles an inner LayersModel and copies only some of its fields.
    const inner = (model as { model?: LayersModel }).model;
    const compiled = inner?.lossFunctions ? inner : model;
    const lossFn = compiled.lossFunctions?.[0];
    if (!lossFn) throw new Error('the model is not compiled');
    this.lossFn = lossFn as TensorFn;
    this.metricFns = model.metricsTensors.map(([fn]) => fn as TensorFn);
    this.metricNames = model.metricsNames.slice(1);
    this.variables = model.trainableWeights.map((w) => w.read() as Variable);
  }

  /**
   * Applies one update at learning rate `lr` (already set on the optimizer; used here for the
   * weight decay) and returns `[loss, ...metrics]` measured on the batch before the update.
   */
  train(xs: Tensor, ys: Tensor, lr: number): Float32Array {
    const { tf } = this;
    const decay = this.options.weightDecay * lr;
    if (decay > 0) {
      tf.tidy(() => {
        for (const v of this.variables) v.assign(tf.mul(v, 1 - decay));
      });
    }
    const kept: Tensor[] = [];
    const values = tf.tidy(() => {
      const cost = this.control.optimizer.minimize(
        () => {
          const pred = this.model.apply(xs, { training: true }) as Tensor;
          let loss = tf.mean(this.lossFn(ys, pred)) as Scalar;
          for (const penalty of this.model.calculateLosses()) loss = tf.add(loss, penalty);
          if (this.options.withMetrics) {
            for (const fn of this.metricFns) kept.push(tf.keep(tf.mean(fn(ys, pred))));
          }
          return loss;
        },
        true,
        this.variables,
      );
      return kept.length === 0 ? cost! : tf.stack([cost!, ...kept]);
    });
    const out = values.dataSync() as Float32Array;
    values.dispose();
    for (const t of kept) t.dispose();
    return out;
  }

  /**
   * Mean loss and metrics over `split` (inference mode), or over its first `maxBatches` batches.
   * Returns `[loss, ...metrics]`.
   */
  evaluate(split: HostSplit, batchSize: number, maxBatches = Infinity): Float32Array {
    const { tf } = this;
    let sums: Tensor | null = null;
    let count = 0;
    let batches = 0;
    for (const batch of evaluationBatches(tf, split, batchSize)) {
      if (batches++ >= maxBatches) {
        tf.dispose([batch.xs, batch.ys]);
        break;
      }
      const previous: Tensor | null = sums;
      sums = tf.tidy(() => {
        const pred = this.model.apply(batch.xs, { training: false }) as Tensor;
        let loss: Tensor = tf.mean(this.lossFn(batch.ys, pred));
        for (const penalty of this.model.calculateLosses()) loss = tf.add(loss, penalty);
        const row = tf.mul(tf.stack([loss, ...this.metricFns.map((fn) => tf.mean(fn(batch.ys, pred)))]), batch.size);
        return previous === null ? row : tf.add(previous, row);
      });
      tf.dispose([batch.xs, batch.ys]);
      previous?.dispose();
      count += batch.size;
    }
    const totals = tf.tidy(() => tf.div(sums!, count));
    sums!.dispose();
    const out = totals.dataSync() as Float32Array;
    totals.dispose();
    return out;
  }
}
