/**
 * The pure core helpers the webview uses, in one place (the layer rule allows webview -> core).
 */
import { flavorById, RecommendScheduleError, SpecError, validateSpec } from '../src/core/schedules';
import type { FlavorId, ScheduleSpec } from '../src/core/schedules';

export { analyzeRangeTest, createRangeAnalyzer, DEFAULT_BETA, formatLr, roundLr, isSuggestionChoice, selectKth, smoothLosses, SUGGESTION_METHODS } from '../src/core/analysis';
export type { Caveat, RangeAnalysis, RangeAnalyzer, SuggestionMethod } from '../src/core/analysis';
export { compileSchedule, flavorById, specLength, withDefaults } from '../src/core/schedules';
export type { FieldKind, FlavorField } from '../src/core/schedules';
export { endedAs } from '../src/core/runs/range-analysis';
export { sweepReading, sweepRow, type SweepReading, type SweepRow } from '../src/core/sweeps/reading';

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

/**
 * The flavor's schedule peaking at `maxLr` over `epochs × stepsPerEpoch` steps (its `fromMaxLr`, so the
 * panel proposes what the CLI and the CodeLens propose), or the core's message when these inputs cannot
 * make one.
 */
export function proposeSchedule(
  flavor: FlavorId,
  maxLr: number,
  epochs: number,
  stepsPerEpoch: number,
): { spec: ScheduleSpec; error: null } | { spec: null; error: string } {
  try {
    return { spec: flavorById(flavor).fromMaxLr(maxLr, { epochs, stepsPerEpoch }), error: null };
  } catch (e) {
    if (e instanceof RecommendScheduleError || e instanceof SpecError) return { spec: null, error: e.message };
    throw e;
  }
}
