/**
 * What the range-test panel says about a run, by where the run is: starting, running (progress, and a
 * provisional number at most: no caveats about a curve that is still growing), or ended (the error
 * first for a failed or crashed run, then the reading and its caveats, which the core words by how the
 * run stopped: `analyzeRun` tells it).
 */
import type { RunSnapshot } from '../src/protocol/webview';
import { formatLr, type Caveat, type RangeAnalysis } from './core';
import { plannedSteps } from './run-analysis';

export interface RunReading {
  /** The run's own error, shown before anything else; null unless it failed or crashed. */
  error: string | null;
  /** One line: the progress while the run goes, the recommendation (or why there is none) once it ended. */
  headline: string;
  /** The caveats about the curve, each once; none while the run goes. */
  caveats: Caveat[];
  /** Whether the four suggestions are worth listing (there are points), and their agreement (the run ended). */
  suggestions: boolean;
  agreement: boolean;
}

/** The panel's reading of `run`, analysed as `analysis`. */
export function readRun(run: RunSnapshot, analysis: RangeAnalysis): RunReading {
  const rec = analysis.recommendation;
  const n = run.points.length;
  const planned = plannedSteps(run);
  const progress = planned ? `${n} of ${planned} steps` : `${n} steps`;
  switch (run.status) {
    case 'running': {
      if (n === 0) return { error: null, headline: 'Starting… waiting for the first step.', caveats: [], suggestions: false, agreement: false };
      const provisional = rec.lr !== null ? ` Provisional suggestion: ${formatLr(rec.lr)} (${rec.rule}).` : '';
      return { error: null, headline: `Running: ${progress}.${provisional} The reading comes when the run ends.`, caveats: [], suggestions: true, agreement: false };
    }
    case 'failed':
    case 'crashed': {
      const detail = run.statusDetail?.trim() || 'no error message was received';
      const error = run.status === 'failed' ? `The run failed: ${detail}` : `The run crashed after ${progress}: ${detail}`;
      if (rec.lr === null) {
        const headline = n === 0 ? 'No learning rate: no step was recorded before the error.' : `No learning rate can be read from the ${n} step${n === 1 ? '' : 's'} recorded before the error.`;
        return { error, headline, caveats: [], suggestions: n > 0, agreement: false };
      }
      return { error, headline: rec.summary, caveats: rec.caveats, suggestions: true, agreement: true };
    }
    case 'cancelled':
    case 'completed':
    case 'diverged':
      return { error: null, headline: rec.summary, caveats: rec.caveats, suggestions: n > 0, agreement: n > 0 };
  }
}
