/**
 * The experiment module as the engine sees it once loaded and validated (DESIGN.md,
 * "Experiment module"). The raw user shape is loose; these types are what the rest of the
 * engine relies on.
 */
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import type { HostSplit } from '../host-data';

export const OPTIMIZER_TYPES = ['sgd', 'momentum', 'adam', 'rmsprop', 'adagrad', 'adadelta', 'adamax'] as const;
export type OptimizerType = (typeof OPTIMIZER_TYPES)[number];

/** The optimizer an experiment asks for; hyper-parameters other than the LR, tfjs defaults when absent. */
export interface OptimizerConfig {
  type: OptimizerType;
  /** momentum (SGD with momentum, RMSProp). */
  momentum?: number;
  nesterov?: boolean;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** rmsprop decay. */
  decay?: number;
  centered?: boolean;
  /** adadelta. */
  rho?: number;
  /** adagrad. */
  initialAccumulatorValue?: number;
}

/** A loss or metric given as a function of (yTrue, yPred). */
export type TensorFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** The experiment's declaration, validated, before `model()`/`data()` are called. */
export interface ExperimentDefinition {
  file: string;
  sha256: string;
  /** Optional label from the module (`name`). */
  label?: string;
  model: () => unknown;
  data: () => unknown;
  loss: string | TensorFn;
  metrics: Array<string | TensorFn>;
  optimizer: OptimizerConfig;
  batchSize: number;
  epochs?: number;
  weightDecay?: number;
  seed?: number;
}

/** One split of the data, as two tensors whose first dimension is the example index. */
export interface DataSplit {
  xs: Tensor;
  ys: Tensor;
  size: number;
}

/**
 * A ready-to-train experiment: the model and the data it returned, checked against each other.
 * The data now live on the host (the experiment's tensors are freed).
 */
export interface InstantiatedExperiment {
  definition: ExperimentDefinition;
  model: LayersModel;
  train: HostSplit;
  validation?: HostSplit;
  /** Frees the model. */
  dispose(): void;
}
