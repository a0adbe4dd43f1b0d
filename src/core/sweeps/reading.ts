/**
 * Smith's reading of range tests overlaid (a weight-decay or batch-size sweep): which setting reaches
 * the lowest loss, which tolerates the largest learning rate — each stated only when the curves
 * support it, else why not (no run diverged, two runs did not, the difference is within noise).
 *
 * Noise, as measured: the lowest smoothed loss of a run is uncertain by the batch-to-batch noise σ of
 * its raw loss (`diagnostics.noiseSigma`) passed through the EMA, σ·√((1−β)/(1+β)); two minima are told
 * apart when they differ by more than twice the combined uncertainty. Where a run diverges is uncertain
 * by a few steps of its LR grid (the stop rule reads a lagging, noisy EMA): two divergence LRs are told
 * apart when they differ by more than `STOP_STEPS_OF_NOISE` grid steps (and at least
 * `MIN_STOP_DECADES`).
 */
import type { RangeAnalysis } from '../analysis/types';
import { formatLr } from '../analysis/format';

/** Divergence points closer than this many LR-grid steps are within noise. */
export const STOP_STEPS_OF_NOISE = 3;
/** … and closer than this many decades, whatever the grid. */
export const MIN_STOP_DECADES = 0.1;
/** Minima closer than this many combined standard deviations are within noise. */
export const MINIMUM_SIGMAS = 2;

/** What the comparison table shows of a run, and what the reading weighs. */
export interface SweepRow {
  runId: string;
  label: string;
  recommended: number | null;
  /** Lowest smoothed loss before any stop, and the LR where it is reached. */
  minLoss: number | null;
  minLossLr: number | null;
  /** Uncertainty (one σ) of `minLoss`. */
  minLossSigma: number;
  /** LR at which the stop rule fired, if it did. */
  stopLr: number | null;
  /** Largest LR the run reached (its last point's, or the stop's). */
  lastLr: number | null;
  /** One step of the run's LR grid, in decades (median over its points). */
  stepDecades: number;
}

/** The row of one run (`lrs`: its points' learning rates, as analysed; `beta`: the EMA factor of the analysis). */
export function sweepRow(run: { id: string; label: string; lrs: readonly number[] }, analysis: RangeAnalysis, beta: number): SweepRow {
  const end = analysis.stopIndex === null ? analysis.smoothed.length : analysis.stopIndex + 1;
  let best = -1;
  for (let i = 0; i < end; i++) {
    const v = analysis.smoothed[i]!;
    if (Number.isFinite(v) && (best < 0 || v < analysis.smoothed[best]!)) best = i;
  }
  const lastIndex = Math.min(end, run.lrs.length) - 1;
  return {
    runId: run.id,
    label: run.label,
    recommended: analysis.recommendation.lr,
    minLoss: best >= 0 ? analysis.smoothed[best]! : null,
    minLossLr: best >= 0 ? run.lrs[best]! : null,
    minLossSigma: analysis.diagnostics.noiseSigma * Math.sqrt((1 - beta) / (1 + beta)),
    stopLr: analysis.stopIndex === null ? null : (run.lrs[Math.min(analysis.stopIndex, run.lrs.length - 1)] ?? null),
    lastLr: lastIndex >= 0 ? run.lrs[lastIndex]! : null,
    stepDecades: medianStep(run.lrs, end),
  };
}

function medianStep(lrs: readonly number[], end: number): number {
  const steps: number[] = [];
  for (let i = 1; i < Math.min(end, lrs.length); i++) {
    const d = Math.log10(lrs[i]! / lrs[i - 1]!);
    if (Number.isFinite(d) && d > 0) steps.push(d);
  }
  if (steps.length === 0) return 0;
  steps.sort((a, b) => a - b);
  return steps[steps.length >> 1]!;
}

/** One finding: the run it names (null: not stated) and the sentence saying it, or why not. */
export interface SweepFinding {
  runId: string | null;
  text: string;
}

export interface SweepReading {
  lowestLoss: SweepFinding;
  largestLr: SweepFinding;
}

function fmtLoss(x: number): string {
  return x.toPrecision(3);
}

/** Which run reaches the lowest loss, when that is more than noise. */
export function lowestLossFinding(rows: readonly SweepRow[]): SweepFinding {
  const withMin = rows.filter((r) => r.minLoss !== null).sort((a, b) => a.minLoss! - b.minLoss!);
  if (rows.length < 2) return { runId: null, text: 'Comparing needs two or more runs.' };
  if (withMin.length < 2) return { runId: null, text: 'Fewer than two runs have a loss to compare: no setting can be said to reach the lowest loss.' };
  const [best, next] = [withMin[0]!, withMin[1]!];
  const gap = next.minLoss! - best.minLoss!;
  const noise = MINIMUM_SIGMAS * Math.hypot(best.minLossSigma, next.minLossSigma);
  if (!(gap > noise)) {
    return {
      runId: null,
      text: `No setting reaches a clearly lower loss: the lowest losses of ${best.label} (${fmtLoss(best.minLoss!)}) and ${next.label} (${fmtLoss(next.minLoss!)}) differ by ${fmtLoss(gap)}, within the noise (±${fmtLoss(noise)}).`,
    };
  }
  return {
    runId: best.runId,
    text: `${best.label} reaches the lowest loss: ${fmtLoss(best.minLoss!)} at LR ${formatLr(best.minLossLr!)} (next: ${next.label}, ${fmtLoss(next.minLoss!)}).`,
  };
}

/** Which run tolerates the largest LR (diverges last), when the curves show it. */
export function largestLrFinding(rows: readonly SweepRow[]): SweepFinding {
  if (rows.length < 2) return { runId: null, text: 'Comparing needs two or more runs.' };
  const diverged = rows.filter((r) => r.stopLr !== null);
  if (diverged.length === 0) {
    return { runId: null, text: 'No run diverged within its LR range, so none is shown to tolerate a larger LR: raise the end LR until the loss blows up.' };
  }
  const open = rows.filter((r) => r.stopLr === null && r.lastLr !== null);
  // A run that did not diverge tolerates at least the largest LR it reached.
  const tolerance = (r: SweepRow): number => r.stopLr ?? r.lastLr ?? 0;
  const ranked = [...diverged, ...open].sort((a, b) => tolerance(b) - tolerance(a));
  const best = ranked[0]!;
  const next = ranked[1];
  if (best.stopLr === null && open.length > 1) {
    return {
      runId: null,
      text: `${open.map((r) => r.label).join(' and ')} did not diverge within their LR range: which of them tolerates the larger LR is not known; raise the end LR.`,
    };
  }
  if (best.stopLr !== null && open.length > 0) {
    return {
      runId: null,
      text: `${open.map((r) => `${r.label} stopped at ${formatLr(r.lastLr!)} without diverging`).join(', ')}: whether it tolerates more than ${best.label} (diverges at ${formatLr(best.stopLr)}) is not known.`,
    };
  }
  if (!next) return { runId: null, text: 'Only one run has an LR range to compare.' };
  const margin = Math.log10(tolerance(best) / tolerance(next));
  const noise = Math.max(MIN_STOP_DECADES, STOP_STEPS_OF_NOISE * Math.max(best.stepDecades, next.stepDecades));
  const where = (r: SweepRow): string => (r.stopLr === null ? `did not diverge up to ${formatLr(r.lastLr!)}` : `diverges at ${formatLr(r.stopLr)}`);
  if (!(margin > noise)) {
    return {
      runId: null,
      text: `No setting tolerates a clearly larger LR: ${best.label} ${where(best)} and ${next.label} ${where(next)}, ${margin.toFixed(2)} decades apart, within the noise of where a run stops (${noise.toFixed(2)} decades).`,
    };
  }
  return { runId: best.runId, text: `${best.label} tolerates the largest LR: it ${where(best)}; next ${next.label} ${where(next)} (${margin.toFixed(2)} decades lower).` };
}

/** Both findings. */
export function sweepReading(rows: readonly SweepRow[]): SweepReading {
  return { lowestLoss: lowestLossFinding(rows), largestLr: largestLrFinding(rows) };
}
