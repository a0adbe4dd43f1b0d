/**
 * `analyzeRangeTest`: from recorded (lr, loss) points to suggestions and an honest recommendation.
 *
 * Pipeline, as fastai's `lr_find`: smooth (bias-corrected EMA), replay the stop rule (the batch that
 * trips it is the last one analysed, like the one fastai records before it cancels the fit), trim to
 * `[num_it//10 : -5]`, cut at the first non-finite smoothed loss, run the four suggestion functions.
 * Then judge the curve: flags with their caveats, and no number where the curve cannot support one
 * (`recommendation.ts`). The work is done by the streaming analyser (`streaming.ts`), fed every point:
 * one pipeline for a finished curve and a growing one.
 */
import type { AnalysisOptions, RangeAnalysis, RangePoint } from './types';
import { SUGGESTION_METHODS } from './types';
import { checkBeta, DEFAULT_BETA } from './smoothing';
import { createRangeAnalyzer } from './streaming';
import { DEFAULT_RECOMMEND, isRecommendChoice, RECOMMEND_CHOICES } from './recommend-rule';

export {
  AGREEMENT_DECADES,
  DIVERGED_RISE_FRACTION,
  EARLY_STOP_FRACTION,
  FEW_USABLE_POINTS,
  FLAT_RELATIVE_CHANGE,
  MIN_USABLE_POINTS,
  NOISY_RATIO,
} from './recommendation';
export { noiseSigma } from './noise';

function checkPoints(points: readonly RangePoint[]): void {
  points.forEach((p, i) => {
    if (!(Number.isFinite(p.lr) && p.lr > 0)) {
      throw new RangeError(`point ${i}: lr must be a finite number > 0 (got ${p.lr})`);
    }
  });
}

/**
 * Analyses a range test: smoothed losses, where the stop rule fired, fastai's four suggestions (with the
 * points they mark), and a recommendation for the one-cycle maximum with its caveats.
 *
 * Throws a RangeError for an lr that is not a finite number > 0, or for invalid options; a loss may be
 * anything (non-finite losses end the usable curve).
 */
export function analyzeRangeTest(points: readonly RangePoint[], options: AnalysisOptions = {}): RangeAnalysis {
  checkBeta(options.beta ?? DEFAULT_BETA);
  const method = options.recommend ?? DEFAULT_RECOMMEND;
  if (!isRecommendChoice(method)) {
    throw new RangeError(`recommend must be one of ${RECOMMEND_CHOICES.join(', ')} (got ${String(method)})`);
  }
  const requestedSteps = options.requestedSteps ?? points.length;
  if (!(Number.isInteger(requestedSteps) && requestedSteps >= 0)) {
    throw new RangeError(`requestedSteps must be a whole number ≥ 0 (got ${requestedSteps})`);
  }
  checkPoints(points);
  const { requestedSteps: _planned, ended, ...rest } = options;
  if (ended !== undefined && ended !== 'cancelled' && ended !== 'crashed') throw new RangeError(`ended must be "cancelled" or "crashed" (got ${String(ended)})`);
  const analyzer = createRangeAnalyzer(rest);
  analyzer.push(points);
  return analyzer.analysis(requestedSteps, ended);
}
