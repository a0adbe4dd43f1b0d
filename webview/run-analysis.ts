/** The core's range-test analysis of a run snapshot, memoised per (run, point count, β). */
import type { RunSnapshot } from '../src/protocol/webview';
import { analyzeRangeTest, DEFAULT_BETA, type RangeAnalysis } from './core';

const cache = new WeakMap<RunSnapshot, { key: string; analysis: RangeAnalysis }>();

/** The β used for a run: the slider's when set, else the run's, else the default 0.98. */
export function effectiveBeta(run: RunSnapshot, sliderBeta: number | null): number {
  return sliderBeta ?? run.beta ?? DEFAULT_BETA;
}

/** Analyses the run's points (non-finite losses stay in, as NaN: the core's stop rule sees them). */
export function analyzeRun(run: RunSnapshot, beta: number): RangeAnalysis {
  const key = `${run.points.length}|${beta}|${run.totalSteps ?? ''}`;
  const hit = cache.get(run);
  if (hit && hit.key === key) return hit.analysis;
  const requestedSteps = run.totalSteps ?? (run.schedule.policy === 'range' ? run.schedule.steps : undefined);
  const analysis = analyzeRangeTest(
    run.points.map((p) => ({ lr: p.lr, loss: typeof p.loss === 'number' ? p.loss : NaN })),
    {
      beta,
      ...(run.divergeFactor !== undefined ? { divergeFactor: run.divergeFactor } : {}),
      ...(requestedSteps !== undefined ? { requestedSteps: Math.max(requestedSteps, run.points.length) } : {}),
    },
  );
  cache.set(run, { key, analysis });
  return analysis;
}

/** The LR range a run's plot should span: the range spec's when it has one, else the data's. */
export function lrExtent(run: RunSnapshot): { min: number; max: number } | null {
  if (run.schedule.policy === 'range') {
    const { startLr, endLr } = run.schedule;
    return { min: Math.min(startLr, endLr), max: Math.max(startLr, endLr) };
  }
  if (run.points.length === 0) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const p of run.points) {
    if (p.lr < min) min = p.lr;
    if (p.lr > max) max = p.lr;
  }
  return { min, max };
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
