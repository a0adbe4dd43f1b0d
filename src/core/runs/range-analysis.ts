/** The range-test analysis as a run record keeps it: its suggestions and recommendation. */
import { analyzeRangeTest, type AnalysisOptions } from '../analysis/index';
import type { RunRecord } from './record';

/**
 * Analyses the record's points with `options` (the run's beta, divergence factor and planned steps)
 * and stores the suggestions and the recommendation in the record. A record without points is left as it is.
 */
export function attachRangeAnalysis(record: RunRecord, options: AnalysisOptions): void {
  if (record.points.length === 0) return;
  const analysis = analyzeRangeTest(
    record.points.map((p) => ({ lr: p.lr, loss: p.loss })),
    options,
  );
  const { method, lr, spreadDecades, flags, message } = analysis.recommendation;
  record.suggestions = analysis.suggestions;
  record.recommendation = { method, lr, spreadDecades, flags, message };
}
