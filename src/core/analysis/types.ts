/** Range-test analysis types (DESIGN.md, "Range test analysis"). */

/** One recorded mini-batch of a range test. */
export interface RangePoint {
  lr: number;
  loss: number;
}

export type SuggestionMethod = 'minimum' | 'steep' | 'valley' | 'slide';
export const SUGGESTION_METHODS: readonly SuggestionMethod[] = ['minimum', 'steep', 'valley', 'slide'];

/** Why a run stopped, as far as the analysis is concerned. */
export type StopDecision = { stop: false } | { stop: true; reason: 'diverged' | 'non-finite' };
