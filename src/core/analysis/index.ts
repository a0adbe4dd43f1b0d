/** Range-test analysis: smoothing, the stop rule, fastai's suggestions, the recommendation, schedules. */
export type {
  Agreement,
  AnalysisOptions,
  Caveat,
  LagFreeCurve,
  RangeAnalysis,
  RangeDiagnostics,
  RangeFlag,
  RangePoint,
  Recommendation,
  StopDecision,
  Suggestion,
  SuggestionMarker,
  SuggestionMethod,
} from './types';
export { SUGGESTION_METHODS } from './types';
export { DEFAULT_BETA, createLossSmoother, smoothLosses, type LossSmoother } from './smoothing';
export { DEFAULT_DIVERGE_FACTOR, createStopRule, describeStop, type StopRule, type StopRuleOptions } from './stop-rule';
export {
  fastaiWindow,
  longestDecreasingRuns,
  numpyGradient,
  suggestMinimum,
  suggestSlide,
  suggestSteep,
  suggestValley,
  type SlideOptions,
} from './suggestions';
export {
  AGREEMENT_DECADES,
  DIVERGED_RISE_FRACTION,
  EARLY_STOP_FRACTION,
  FEW_USABLE_POINTS,
  FLAT_RELATIVE_CHANGE,
  MIN_USABLE_POINTS,
  NOISY_RATIO,
  analyzeRangeTest,
  noiseSigma,
} from './analyze';
export { createRangeAnalyzer, type RangeAnalyzer } from './streaming';
export { RunningNoise } from './noise';
export { medianOf, selectKth } from './order-statistics';
export {
  RECOMMEND_FLAVORS,
  RecommendScheduleError,
  recommendSchedule,
  type RecommendFlavor,
  type RecommendScheduleOptions,
} from './recommend-schedule';
export { formatLr, roundLr } from './format';
export { curveFlags, rawExplosion, RAW_MINIMUM_MEDIAN, type CurveFlagInput, type RawExplosion } from './flags';
export { zeroPhaseBeta, zeroPhaseSmooth, ZERO_PHASE_SPAN_FRACTION } from './zero-phase';
export {
  AGREEING_DECADES,
  DEFAULT_RECOMMEND,
  RECOMMEND_CHOICES,
  RECOMMEND_RULES,
  RECOMMEND_RULE_NAMES,
  agreeingMean,
  applyRecommendChoice,
  describeChoice,
  isRecommendChoice,
  isSuggestionChoice,
  type RecommendChoice,
  type RecommendRule,
  type RuleDefinition,
} from './recommend-rule';
