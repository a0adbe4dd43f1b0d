/**
 * LR Scope owns the learning rate (and the momentum when a schedule cycles it). tfjs 4.22's
 * optimizers do not agree on how to change them mid-training:
 *
 * - SGD and Momentum multiply by a scalar tensor `c = -lr` made by `setLearningRate`;
 *   assigning the `learningRate` field alone changes nothing.
 * - Adam, Adamax, RMSProp, Adagrad and Adadelta read the `learningRate` field at every step
 *   and have no setter.
 * - Momentum multiplies by a scalar tensor `m` made once in its constructor;
 *   `setMomentum` only updates a number nothing reads, so cycling momentum through it has no
 *   effect. We replace `m` itself.
 * - Adam and Adamax read the `beta1` field at every step (their bias correction multiplies the
 *   running product by the current β1, which stays correct when β1 changes).
 * - RMSProp reads its `momentum` field at every step.
 * - MomentumOptimizer.dispose does not free the LR scalar `c`; we do.
 */
import type { MomentumOptimizer, Optimizer, Scalar, SGDOptimizer } from '@tensorflow/tfjs';
import type { OptimizerConfig } from './experiment/types';
import type { Tf } from './tf-handle';

/** What a cycled "momentum" value drives in this optimizer, if anything. */
export type MomentumTarget = 'momentum' | 'beta1' | 'none';

export interface OptimizerControl {
  readonly optimizer: Optimizer;
  readonly momentumTarget: MomentumTarget;
  /** Sets the LR for the next update. */
  setLearningRate(lr: number): void;
  /** Sets momentum (SGD momentum, RMSProp momentum) or β1 (Adam, Adamax); no-op when `momentumTarget` is 'none'. */
  setMomentum(value: number): void;
  /** The momentum/β1 the next update uses, or null when the optimizer has none. */
  currentMomentum(): number | null;
  dispose(): void;
}

/** Creates the optimizer an experiment asks for, at `initialLr`, and the handle to steer it. */
export function createOptimizer(tf: Tf, config: OptimizerConfig, initialLr: number): OptimizerControl {
  const optimizer = build(tf, config, initialLr);
  const fields = optimizer as unknown as { learningRate: number; momentum: number; beta1: number; m: Scalar };
  const momentumTarget = targetOf(config);
  let lr = initialLr;
  let momentum: number | null =
    momentumTarget === 'beta1' ? (config.beta1 ?? null) : momentumTarget === 'momentum' ? (config.momentum ?? null) : null;

  return {
    optimizer,
    momentumTarget,
    setLearningRate(value: number): void {
      if (value === lr) return;
      lr = value;
      // (tfjs' optimizer classes answer `instanceof` by duck typing, so go by the configured type.)
      if (config.type === 'sgd' || config.type === 'momentum') (optimizer as SGDOptimizer).setLearningRate(value);
      else fields.learningRate = value;
    },
    setMomentum(value: number): void {
      if (momentumTarget === 'none' || value === momentum) return;
      momentum = value;
      if (momentumTarget === 'beta1') {
        fields.beta1 = value;
      } else if (config.type === 'momentum') {
        // The fix: tfjs' setMomentum leaves the scalar `m` the update multiplies by untouched.
        (optimizer as MomentumOptimizer).setMomentum(value);
        const old = fields.m;
        fields.m = tf.keep(tf.scalar(value));
        old.dispose();
      } else {
        fields.momentum = value; // RMSProp reads the field
      }
    },
    currentMomentum: () => momentum,
    dispose(): void {
      optimizer.dispose();
      // tfjs 4.22's MomentumOptimizer.dispose skips SGD's, leaking the LR scalar `c`.
      if (config.type === 'momentum') (optimizer as unknown as { c?: Scalar }).c?.dispose();
    },
  };
}

function targetOf(config: OptimizerConfig): MomentumTarget {
  switch (config.type) {
    case 'momentum':
      return 'momentum';
    case 'rmsprop':
      return (config.momentum ?? 0) > 0 ? 'momentum' : 'none';
    case 'adam':
    case 'adamax':
      return 'beta1';
    case 'sgd':
    case 'adagrad':
    case 'adadelta':
      return 'none';
  }
}

function build(tf: Tf, c: OptimizerConfig, lr: number): Optimizer {
  switch (c.type) {
    case 'sgd':
      return tf.train.sgd(lr);
    case 'momentum':
      return tf.train.momentum(lr, c.momentum ?? 0.9, c.nesterov ?? false);
    case 'adam':
      return tf.train.adam(lr, c.beta1, c.beta2, c.epsilon);
    case 'adamax':
      return tf.train.adamax(lr, c.beta1, c.beta2, c.epsilon);
    case 'rmsprop':
      return tf.train.rmsprop(lr, c.decay, c.momentum, c.epsilon, c.centered);
    case 'adagrad':
      return tf.train.adagrad(lr, c.initialAccumulatorValue);
    case 'adadelta':
      return tf.train.adadelta(lr, c.rho, c.epsilon);
  }
}
