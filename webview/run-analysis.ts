/** The core's range-test analysis of a run snapshot (streaming: a new point costs little), and run facts. */
import type { RunSnapshot } from '../src/protocol/webview';
import { DEFAULT_BETA, type RangeAnalysis } from './core';
import { curveOf } from './run-curve';

/** The β used for a run: the slider's when set, else the run's, else the default 0.98. */
export function effectiveBeta(run: RunSnapshot, sliderBeta: number | null): number {
  return sliderBeta ?? run.beta ?? DEFAULT_BETA;
}

/**
 * Analyses the run's points (non-finite losses stay in, as NaN: the core's stop rule sees them), with
 * the run's planned steps (at least its points); the same object until points are added or β changes.
 */
export function analyzeRun(run: RunSnapshot, beta: number): RangeAnalysis {
  const requestedSteps = run.totalSteps ?? (run.schedule.policy === 'range' ? run.schedule.steps : undefined);
  return curveOf(run).analysis(beta, run.divergeFactor, requestedSteps === undefined ? undefined : Math.max(requestedSteps, run.points.length));
}

/** The LR range a run's plot should span: the range spec's when it has one, else the data's. */
export function lrExtent(run: RunSnapshot): { min: number; max: number } | null {
  if (run.schedule.policy === 'range') {
    const { startLr, endLr } = run.schedule;
    return { min: Math.min(startLr, endLr), max: Math.max(startLr, endLr) };
  }
  const curve = curveOf(run);
  return curve.count === 0 ? null : { min: curve.lrMin, max: curve.lrMax };
}

/** Status line of a run: "running · 120 / 300 steps · wasm". */
export function statusText(run: RunSnapshot): string {
  const parts: string[] = [run.status];
  const total = run.totalSteps ?? (run.schedule.policy === 'range' ? run.schedule.steps : undefined);
  parts.push(total ? `${run.points.length} / ${total} steps` : `${run.points.length} steps`);
  if (run.epochs.length) parts.push(`${run.epochs.length} epochs`);
  if (run.backend) parts.push(run.backend);
  const line = parts.join(' · ');
  return run.statusDetail ? `${line} — ${run.statusDetail}` : line;
}
