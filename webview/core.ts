/**
 * The pure core helpers the webview uses, in one place (the layer rule allows webview -> core).
 */
import { analyzeRangeTest, recommendSchedule, RecommendScheduleError } from '../src/core/analysis';
import type { RangeAnalysis, RecommendFlavor } from '../src/core/analysis';
import { SpecError, validateSpec } from '../src/core/schedules';
import type { ScheduleSpec } from '../src/core/schedules';

export { analyzeRangeTest, createRangeAnalyzer, DEFAULT_BETA, formatLr, roundLr, isSuggestionChoice, selectKth, smoothLosses, SUGGESTION_METHODS } from '../src/core/analysis';
export type { Caveat, RangeAnalysis, RangeAnalyzer, SuggestionMethod } from '../src/core/analysis';
export { compileSchedule, specLength, withDefaults } from '../src/core/schedules';
export { endedAs } from '../src/core/runs/range-analysis';

/** The core's objection to a spec (`field` as a path like `moms[1]`), or null when it is valid. */
export function specProblem(spec: unknown): { field: string; message: string } | null {
  try {
    validateSpec(spec);
    return null;
  } catch (e) {
    if (e instanceof SpecError) return { field: e.field, message: e.message };
    return { field: 'spec', message: e instanceof Error ? e.message : String(e) };
  }
}

let emptyAnalysis: RangeAnalysis | null = null;

/**
 * The core's schedule for a flavor peaking at `maxLr` over `epochs × stepsPerEpoch` steps
 * (`recommendSchedule`, so the panel proposes what the CLI and the CodeLens propose), or the
 * core's message when these inputs cannot make one.
 */
export function proposeSchedule(
  flavor: RecommendFlavor,
  maxLr: number,
  epochs: number,
  stepsPerEpoch: number,
): { spec: ScheduleSpec; error: null } | { spec: null; error: string } {
  // maxLr is always given, so the analysis is not consulted: an empty one stands in.
  emptyAnalysis ??= analyzeRangeTest([]);
  try {
    return { spec: recommendSchedule(emptyAnalysis, { flavor, maxLr, epochs, stepsPerEpoch }), error: null };
  } catch (e) {
    if (e instanceof RecommendScheduleError || e instanceof SpecError) return { spec: null, error: e.message };
    throw e;
  }
}
