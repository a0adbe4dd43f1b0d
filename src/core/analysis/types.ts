/** Range-test analysis types (DESIGN.md, "Range test analysis"). */
import type { RecommendChoice } from './recommend-rule';

/** One recorded mini-batch of a range test. */
export interface RangePoint {
  lr: number;
  loss: number;
}

export type SuggestionMethod = 'minimum' | 'steep' | 'valley' | 'slide';
export const SUGGESTION_METHODS: readonly SuggestionMethod[] = ['minimum', 'steep', 'valley', 'slide'];

/** Why a run stopped, as far as the analysis is concerned. */
export type StopDecision = { stop: false } | { stop: true; reason: 'diverged' | 'non-finite' };

/**
 * The point fastai plots for a suggestion (`lr_find`'s second return value), located in the
 * analysed points. For `minimum` that is the minimum-loss point, whose lr is ten times the suggestion.
 */
export interface SuggestionMarker {
  /** Index into the points given to `analyzeRangeTest`. */
  index: number;
  lr: number;
  /** Smoothed loss at the marker (for `slide`, interpolated in log lr, as fastai does). */
  loss: number;
}

/** A suggestion function's answer on already trimmed arrays: the LR and the marker's index in them. */
export interface Suggestion {
  lr: number;
  index: number;
  markerLr: number;
  markerLoss: number;
}

/**
 * Honest caveats about a range-test curve.
 * - `too-few-points`: fewer usable points than a trustworthy reading needs.
 * - `never-diverged`: the loss never turned up; the range was too narrow (raise endLr).
 * - `flat`: the loss barely changes over the range.
 * - `no-descent`: the loss only rises; the range starts too high.
 * - `noisy`: batch-to-batch noise is large compared with the loss drop.
 * - `stopped-early`: the stop rule fired within the first third of the planned steps.
 * - `incomplete`: the run ended before its planned steps without the stop rule firing (cancelled, crashed).
 * - `lr-not-increasing`: the learning rates are not strictly increasing (e.g. concatenated logs).
 * - `raw-exploded`: the raw loss rose above the divergence factor × its lowest level, but the lagging
 *   smoothed loss never tripped the stop rule.
 * - `post-divergence`: a suggestion lies where the raw loss had already exploded (the plateau after it).
 * - `past-minimum`: a suggestion lies past the lowest point of the lag-free smoothed loss.
 * - `no-divergence-test`: the analysis ran without the divergence test (diverge factor none).
 */
export type RangeFlag =
  | 'too-few-points'
  | 'never-diverged'
  | 'flat'
  | 'no-descent'
  | 'noisy'
  | 'stopped-early'
  | 'incomplete'
  | 'lr-not-increasing'
  | 'raw-exploded'
  | 'post-divergence'
  | 'past-minimum'
  | 'no-divergence-test';

/** How well the suggestion methods agree: spread ≤ 1 decade good, ≤ 1.5 decades fair, else poor. */
export type Agreement = 'good' | 'fair' | 'poor';

export interface Caveat {
  flag: RangeFlag;
  /** One or two sentences for the user: what it means and what to do. */
  text: string;
}

export interface Recommendation {
  /** The suggestion the number is read from (its marker is the recommended one). */
  method: SuggestionMethod;
  /** What gave the number: one of the four suggestions as it is, or a rule of `recommend-rule.ts`. */
  rule: RecommendChoice;
  /** The LR to use as the one-cycle maximum; null when the curve cannot support one (`message` says why). */
  lr: number | null;
  /** log10(max / min) over the non-null suggestions; null when fewer than two methods answered. */
  spreadDecades: number | null;
  agreement: Agreement;
  flags: RangeFlag[];
  caveats: Caveat[];
  /** The number (or why there is none) and the agreement, without the caveats: for a display that lists them. */
  summary: string;
  /** The whole reading in plain words: the number (or why there is none), the agreement, every caveat. */
  message: string;
}

/** Figures behind the flags, for display and tests. */
export interface RangeDiagnostics {
  /** fastai's window over the analysed points, `[start, end)` after trimming and the non-finite cut. */
  window: { start: number; end: number };
  /** Points in the window (what the suggestion functions saw). */
  usablePoints: number;
  /** Planned number of steps used for fastai's trimming (`num_it`). */
  requestedSteps: number;
  /** Largest smoothed loss before the minimum minus the minimum, within the window (≥ 0). */
  drop: number;
  /** `drop` relative to the larger magnitude of that peak and the minimum. */
  relativeDrop: number;
  /** Smoothed loss at the end of the finite curve minus the window minimum (≥ 0 when it rose). */
  rise: number;
  /**
   * Batch-to-batch noise of the raw loss over the window, as a robust standard deviation estimated from
   * second differences (insensitive to the curve's trend): 1.4826·MAD(Δ²loss)/√6.
   */
  noiseSigma: number;
  /** `noiseSigma / drop` (Infinity when drop is 0). */
  noiseRatio: number;
}

export interface RangeAnalysis {
  /** Number of points given. */
  pointCount: number;
  /** Bias-corrected EMA of every given loss (NaN once a non-finite loss entered the average). */
  smoothed: number[];
  /** Index of the point at which the stop rule fired, or null; points after it are not analysed. */
  stopIndex: number | null;
  stopReason: 'diverged' | 'non-finite' | null;
  suggestions: Record<SuggestionMethod, number | null>;
  markers: Record<SuggestionMethod, SuggestionMarker | null>;
  recommendation: Recommendation;
  diagnostics: RangeDiagnostics;
  /** The stop rule the analysis replayed: its EMA factor and divergence factor (null: the divergence test was off). */
  stopRule: { beta: number; divergeFactor: number | null };
  /**
   * The zero-phase (forward-backward EMA) smoothing of the analysed curve (`zero-phase.ts`), which does
   * not lag, with its factor and fastai's four functions run on it over the same window.
   */
  lagFree: LagFreeCurve;
}

export interface LagFreeCurve {
  beta: number;
  /** One value per given point; NaN from the first non-finite loss or past the stop. */
  smoothed: number[];
  suggestions: Record<SuggestionMethod, number | null>;
}

export interface AnalysisOptions {
  /** EMA factor in [0, 1); 0 means no smoothing (for losses that were smoothed already). Default 0.98. */
  beta?: number;
  /** Stop when smoothed > divergeFactor·best. Default 4; null disables the divergence test. */
  divergeFactor?: number | null;
  /** Which suggestion, or rule over them (`recommend-rule.ts`), gives the recommendation. Default `DEFAULT_RECOMMEND`. */
  recommend?: RecommendChoice;
  /** fastai's `num_it` (the planned number of steps), which sets the trimming. Default: points.length. */
  requestedSteps?: number;
  /**
   * How the run ended when it stopped before its planned steps and the caller knows (a run record's
   * status; a log's reader does not): the `incomplete` caveat says so, and the advice that fits only a
   * run that went its whole way (`too-few-points`' "run more steps", `never-diverged`) is left out.
   */
  ended?: 'cancelled' | 'crashed';
}
