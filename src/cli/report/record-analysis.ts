/** The full range-test analysis of a run record, with the options the run used. */
import { analyzeRangeTest, type AnalysisOptions, type RangeAnalysis, type RangePoint } from '../../core/analysis/index';
import type { RunRecord } from '../../core/runs/record';
import { endedAs, rangeAnalysisInput } from '../../core/runs/range-analysis';

/** The record's (lr, loss) points as the analysis reads them (`rangeAnalysisInput`). */
export function rangePoints(record: RunRecord): RangePoint[] {
  return rangeAnalysisInput(record);
}

/** The analysis options a range-test record was run with: its beta, divergence factor, planned steps, method and how it ended. */
export function recordAnalysisOptions(record: RunRecord): AnalysisOptions {
  const options: AnalysisOptions = {};
  if (record.schedule.policy === 'range') options.requestedSteps = record.schedule.steps;
  const beta = record.options['beta'];
  const divergeFactor = record.options['divergeFactor'];
  if (typeof beta === 'number') options.beta = beta;
  if (typeof divergeFactor === 'number' || divergeFactor === null) options.divergeFactor = divergeFactor;
  if (record.recommendation) options.recommend = record.recommendation.rule ?? record.recommendation.method;
  const ended = endedAs(record.status);
  if (ended) options.ended = ended;
  return options;
}

/**
 * Re-runs the core's analysis on a range-test record with the record's own options: the same
 * suggestions the engine saved, plus what the record does not keep (smoothed curve, stop index,
 * caveats, markers).
 */
export function analyzeRecord(record: RunRecord): RangeAnalysis {
  return analyzeRangeTest(rangePoints(record), recordAnalysisOptions(record));
}
