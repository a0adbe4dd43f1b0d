/**
 * `recommendSchedule`: turn a range test's recommendation into a schedule spec for one flavor.
 *
 * - One-cycle flavors (`pytorch`, `fastai`, `optax-cosine`, `optax-linear`): the recommended LR is the
 *   peak; every other field keeps its reference implementation's default (left out of the spec).
 * - `smith` (Smith, "A disciplined approach…", arXiv 1803.09820): minLr = max/10, one cycle slightly
 *   shorter than training (each half ≈ 45% of the steps), then annihilation far below the lower bound
 *   (finalLr = minLr/100); momentum 0.95 → 0.85 → 0.95. Smith's CIFAR-10 example is 0.08 → 0.8 over 41
 *   epochs, back over 41, then 13 epochs down to 0.008 (cycleFraction 82/95, finalDiv 10).
 * - `cyclic` (Smith, "Cyclical learning rates…", arXiv 1506.01186): triangular between base = max/4 (the
 *   paper: a third or a quarter of the maximum) and max; a half cycle of 2–10 epochs (we aim at 4) and a
 *   whole number of cycles, since the paper advises stopping training at the end of a cycle.
 */
import type { CyclicSpec, OneCycleFlavor, OneCycleSmithSpec, ScheduleSpec } from '../schedules/spec';
import type { RangeAnalysis } from './types';

export type RecommendFlavor = OneCycleFlavor | 'cyclic';
export const RECOMMEND_FLAVORS: readonly RecommendFlavor[] = ['pytorch', 'fastai', 'optax-cosine', 'optax-linear', 'smith', 'cyclic'];

export interface SmithOptions {
  /** Fraction of the steps taken by the whole cycle (both halves). Default 0.9. */
  cycleFraction?: number;
  /** minLr = maxLr / minDiv. Default 10. */
  minDiv?: number;
  /** finalLr = minLr / finalDiv. Default 100. */
  finalDiv?: number;
}

export interface CyclicOptions {
  /** baseLr = maxLr / baseDiv. Default 4 (the CLR paper: 3 to 4). */
  baseDiv?: number;
  /** Target half-cycle length in epochs (the CLR paper: 2 to 10). Default 4. */
  stepEpochs?: number;
}

export interface RecommendScheduleOptions {
  flavor: RecommendFlavor;
  epochs: number;
  stepsPerEpoch: number;
  /** Overrides the analysis' recommendation (required when it has none). */
  maxLr?: number;
  smith?: SmithOptions;
  cyclic?: CyclicOptions;
}

/** A schedule cannot be recommended from these inputs; the message says which and what to do. */
export class RecommendScheduleError extends Error {
  override name = 'RecommendScheduleError';
}

function positiveInteger(name: string, value: number): void {
  if (!(Number.isInteger(value) && value >= 1)) {
    throw new RecommendScheduleError(`${name} must be a whole number ≥ 1 (got ${value})`);
  }
}

function factor(name: string, value: number, min: number, max = Infinity): number {
  if (!(Number.isFinite(value) && value > min && value <= max)) {
    throw new RecommendScheduleError(`${name} must be a number > ${min}${max < Infinity ? ` and ≤ ${max}` : ''} (got ${value})`);
  }
  return value;
}

function smithSpec(maxLr: number, totalSteps: number, options: SmithOptions): OneCycleSmithSpec {
  const cycleFraction = factor('smith.cycleFraction', options.cycleFraction ?? 0.9, 0, 1);
  const minDiv = factor('smith.minDiv', options.minDiv ?? 10, 1);
  const finalDiv = factor('smith.finalDiv', options.finalDiv ?? 100, 1);
  if (totalSteps < 4) {
    throw new RecommendScheduleError(`the smith flavor needs at least 4 steps (got ${totalSteps}): raise epochs or stepsPerEpoch`);
  }
  // Leave at least one step of annihilation: 2·stepSize ≤ totalSteps − 2 (the last index is totalSteps − 1).
  const stepSize = Math.max(1, Math.min(Math.floor((cycleFraction * totalSteps) / 2 + 1e-9), Math.floor((totalSteps - 2) / 2)));
  const minLr = maxLr / minDiv;
  return {
    policy: 'onecycle',
    flavor: 'smith',
    minLr,
    maxLr,
    stepSize,
    totalSteps,
    finalLr: minLr / finalDiv,
    momentum: { max: 0.95, min: 0.85 },
  };
}

function cyclicSpec(maxLr: number, epochs: number, stepsPerEpoch: number, options: CyclicOptions): CyclicSpec {
  const baseDiv = factor('cyclic.baseDiv', options.baseDiv ?? 4, 1);
  const stepEpochs = factor('cyclic.stepEpochs', options.stepEpochs ?? 4, 0);
  const totalSteps = epochs * stepsPerEpoch;
  if (totalSteps < 2) {
    throw new RecommendScheduleError(`a cyclic schedule needs at least 2 steps (got ${totalSteps}): raise epochs or stepsPerEpoch`);
  }
  const cycles = Math.max(1, Math.round(epochs / (2 * stepEpochs)));
  return {
    policy: 'cyclic',
    mode: 'triangular',
    baseLr: maxLr / baseDiv,
    maxLr,
    stepSizeUp: Math.max(1, Math.floor(totalSteps / (2 * cycles))),
    steps: totalSteps,
  };
}

/**
 * A schedule spec for `flavor` over `epochs × stepsPerEpoch` optimizer steps, peaking at `maxLr` when given,
 * else at the analysis' recommended LR (see the module comment for each flavor's choices). Throws a
 * RecommendScheduleError when there is no LR (the analysis recommends none and none was given) or an
 * option is invalid.
 */
export function recommendSchedule(analysis: RangeAnalysis, options: RecommendScheduleOptions): ScheduleSpec {
  positiveInteger('epochs', options.epochs);
  positiveInteger('stepsPerEpoch', options.stepsPerEpoch);
  let maxLr: number;
  if (options.maxLr !== undefined) {
    if (!(Number.isFinite(options.maxLr) && options.maxLr > 0)) {
      throw new RecommendScheduleError(`maxLr must be a finite number > 0 (got ${options.maxLr})`);
    }
    maxLr = options.maxLr;
  } else if (analysis.recommendation.lr !== null) {
    maxLr = analysis.recommendation.lr;
  } else {
    throw new RecommendScheduleError(
      `no learning rate to build a schedule from — ${analysis.recommendation.message} Pass maxLr to choose one yourself.`,
    );
  }
  const totalSteps = options.epochs * options.stepsPerEpoch;
  const flavor = options.flavor;
  if (flavor !== 'cyclic' && flavor !== 'smith' && totalSteps < 2) {
    throw new RecommendScheduleError(`a one-cycle schedule needs at least 2 steps (got ${totalSteps}): raise epochs or stepsPerEpoch`);
  }
  switch (flavor) {
    case 'pytorch':
      return { policy: 'onecycle', flavor, maxLr, totalSteps };
    case 'fastai':
      return { policy: 'onecycle', flavor, lrMax: maxLr, totalSteps };
    case 'optax-cosine':
    case 'optax-linear':
      return { policy: 'onecycle', flavor, peakValue: maxLr, transitionSteps: totalSteps };
    case 'smith':
      return smithSpec(maxLr, totalSteps, options.smith ?? {});
    case 'cyclic':
      return cyclicSpec(maxLr, options.epochs, options.stepsPerEpoch, options.cyclic ?? {});
    default: {
      const unknown: never = flavor;
      throw new RecommendScheduleError(`flavor must be one of ${RECOMMEND_FLAVORS.join(', ')} (got ${String(unknown)})`);
    }
  }
}
