/** The core's range-test analysis of a run snapshot (streaming: a new point costs little), and run facts. */
import type { RunSnapshot } from '../src/protocol/webview';
import { DEFAULT_BETA, type RangeAnalysis } from './core';
import { curveOf } from './run-curve';
import { endedAs } from './core';

/** The β used for a run: the slider's when set, else the run's, else the default 0.98. */
export function effectiveBeta(run: RunSnapshot, sliderBeta: number | null): number {
  return sliderBeta ?? run.beta ?? DEFAULT_BETA;
}

/**
 * Analyses the run's points (non-finite losses stay in, as NaN: the core's stop rule sees them), with
 * the run's planned steps (at least its points) and how it ended; the same object until points are
 * added, β changes or the run ends.
 */
export function analyzeRun(run: RunSnapshot, beta: number): RangeAnalysis {
  const requestedSteps = plannedSteps(run);
  return curveOf(run).analysis(beta, run.divergeFactor, requestedSteps === undefined ? undefined : Math.max(requestedSteps, run.points.length), endedAs(run.status));
}

/** The LR range a run's plot should span: the range spec's when it has one, else (and for a log) the data's. */
export function lrExtent(run: RunSnapshot): { min: number; max: number } | null {
  if (run.schedule.policy === 'range' && run.log === undefined) {
    const { startLr, endLr } = run.schedule;
    return { min: Math.min(startLr, endLr), max: Math.max(startLr, endLr) };
  }
  const curve = curveOf(run);
  if (curve.count === 0) return null;
  // One LR (a log's first point) spans no axis: half a decade either side of it.
  return curve.lrMax > curve.lrMin ? { min: curve.lrMin, max: curve.lrMax } : { min: curve.lrMin / Math.sqrt(10), max: curve.lrMax * Math.sqrt(10) };
}

/** The run's planned number of steps: its own, else its range spec's; undefined when unknown (a log has none). */
export function plannedSteps(run: RunSnapshot): number | undefined {
  if (run.log !== undefined) return undefined;
  return run.totalSteps ?? (run.schedule.policy === 'range' ? run.schedule.steps : undefined);
}

/**
 * Status line of a run: "running · 120 / 300 steps · wasm"; "starting… · 300 steps planned" before its
 * first step; a watched log "watching · 120 steps"; then " — " and the status detail unless `withDetail`
 * is false (a view that shows it elsewhere).
 */
export function statusText(run: RunSnapshot, withDetail = true): string {
  const total = plannedSteps(run);
  const watching = run.status === 'running' && run.log === 'watched';
  const starting = run.status === 'running' && run.points.length === 0 && !watching;
  const parts: string[] = [watching ? 'watching' : starting ? 'starting…' : run.status];
  if (starting) {
    if (total) parts.push(`${total} steps planned`);
  } else {
    parts.push(total ? `${run.points.length} / ${total} steps` : `${run.points.length} steps`);
  }
  if (run.epochs.length) parts.push(`${run.epochs.length} epochs`);
  if (run.backend && run.log === undefined) parts.push(run.backend);
  const line = parts.join(' · ');
  return withDetail && run.statusDetail ? `${line} — ${run.statusDetail}` : line;
}
