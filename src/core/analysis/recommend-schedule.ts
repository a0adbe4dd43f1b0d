/**
 * `recommendSchedule`: turn a range test's recommendation into a schedule spec for one flavor — the
 * flavor's own `fromMaxLr` (see each module under core/schedules/flavors for the choices it makes)
 * at the recommended LR, or at the LR the caller gives.
 */
import { RecommendScheduleError } from '../schedules/errors';
import { FLAVOR_IDS, findFlavor, type FlavorId } from '../schedules/flavors/index';
import type { Tuning } from '../schedules/flavors/flavor';
import type { ScheduleSpec } from '../schedules/spec';
import type { RangeAnalysis } from './types';

export { RecommendScheduleError } from '../schedules/errors';

export type RecommendFlavor = FlavorId;
export const RECOMMEND_FLAVORS: readonly RecommendFlavor[] = FLAVOR_IDS;

export interface RecommendScheduleOptions {
  flavor: RecommendFlavor;
  epochs: number;
  stepsPerEpoch: number;
  /** Overrides the analysis' recommendation (required when it has none). */
  maxLr?: number;
  /** How the flavor derives its other fields (e.g. Smith's `cycleFraction`, cyclic's `baseDiv`); see its module. */
  tuning?: Tuning;
}

/**
 * A schedule spec for `flavor` over `epochs × stepsPerEpoch` optimizer steps, peaking at `maxLr` when given,
 * else at the analysis' recommended LR. Throws a RecommendScheduleError when there is no LR (the analysis
 * recommends none and none was given), the flavor is unknown, or an option is invalid.
 */
export function recommendSchedule(analysis: RangeAnalysis, options: RecommendScheduleOptions): ScheduleSpec {
  const flavor = findFlavor(options.flavor);
  if (!flavor) {
    throw new RecommendScheduleError(`flavor must be one of ${RECOMMEND_FLAVORS.join(', ')} (got ${String(options.flavor)})`);
  }
  const length = { epochs: options.epochs, stepsPerEpoch: options.stepsPerEpoch };
  let maxLr = options.maxLr;
  if (maxLr === undefined) {
    if (analysis.recommendation.lr === null) {
      throw new RecommendScheduleError(
        `no learning rate to build a schedule from — ${analysis.recommendation.message} Pass maxLr to choose one yourself.`,
      );
    }
    maxLr = analysis.recommendation.lr;
  }
  return flavor.fromMaxLr(maxLr, length, options.tuning);
}
