/** The range-test analysis as a run record keeps it: its suggestions and recommendation. */
import { analyzeRangeTest, type AnalysisOptions, type RangePoint } from '../analysis/index';
import { compileSchedule } from '../schedules/compile';
import type { RunRecord, RunStatus } from './record';

/**
 * The (lr, loss) points a range-test record is analysed on. A run that diverged on a NaN or
 * infinite loss does not record that step (it has no loss to plot); it is put back here, at the
 * LR of the step after the last point, so the analysis sees the same stop as the run did and does
 * not call the curve incomplete.
 */
export function rangeAnalysisInput(record: RunRecord): RangePoint[] {
  const points: RangePoint[] = record.points.map((p) => ({ lr: p.lr, loss: p.loss }));
  const last = record.points[record.points.length - 1];
  if (record.status === 'diverged' && last && record.schedule.policy === 'range' && last.step + 1 < record.schedule.steps) {
    points.push({ lr: compileSchedule(record.schedule).lr(last.step + 1), loss: Number.NaN });
  }
  return points;
}

/** How a record's run ended, as the analysis words a run stopped short (`AnalysisOptions.ended`). */
export function endedAs(status: RunStatus): AnalysisOptions['ended'] {
  if (status === 'cancelled') return 'cancelled';
  if (status === 'crashed' || status === 'failed') return 'crashed';
  return undefined;
}

/**
 * Analyses the record's points with `options` (the run's beta, divergence factor and planned steps;
 * how it ended is read from its status) and stores the suggestions and the recommendation in the
 * record. A record without points is left as it is.
 */
export function attachRangeAnalysis(record: RunRecord, options: AnalysisOptions): void {
  if (record.points.length === 0) return;
  const ended = endedAs(record.status);
  const analysis = analyzeRangeTest(rangeAnalysisInput(record), { ...options, ...(ended ? { ended } : {}) });
  const { method, rule, lr, spreadDecades, flags, message } = analysis.recommendation;
  record.suggestions = analysis.suggestions;
  record.recommendation = { method, rule, lr, spreadDecades, flags, message };
}
