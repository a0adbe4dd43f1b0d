/**
 * `analyzeRangeTest`: from recorded (lr, loss) points to suggestions and an honest recommendation.
 *
 * Pipeline, as fastai's `lr_find`: smooth (bias-corrected EMA), replay the stop rule (the batch that
 * trips it is the last one analysed, like the one fastai records before it cancels the fit), trim to
 * `[num_it//10 : -5]`, cut at the first non-finite smoothed loss, run the four suggestion functions.
 * Then judge the curve: flags with their caveats, and no number where the curve cannot support one.
 */
import type {
  AnalysisOptions,
  Agreement,
  Caveat,
  RangeAnalysis,
  RangeDiagnostics,
  RangeFlag,
  RangePoint,
  Suggestion,
  SuggestionMarker,
  SuggestionMethod,
} from './types';
import { SUGGESTION_METHODS } from './types';
import { checkBeta, DEFAULT_BETA } from './smoothing';
import { createStopRule, DEFAULT_DIVERGE_FACTOR } from './stop-rule';
import { fastaiWindow, suggestMinimum, suggestSlide, suggestSteep, suggestValley } from './suggestions';
import { formatLr } from './format';
import { curveFlags } from './flags';
import { zeroPhaseBeta, zeroPhaseSmooth } from './zero-phase';
import { applyRecommendChoice, DEFAULT_RECOMMEND, describeChoice, isRecommendChoice, isSuggestionChoice, RECOMMEND_CHOICES, type RecommendChoice } from './recommend-rule';

/** Below this many usable points there is no recommendation at all. */
export const MIN_USABLE_POINTS = 10;
/** Below this many usable points a recommendation carries the `too-few-points` caveat. */
export const FEW_USABLE_POINTS = 50;
/** A curve whose smoothed loss drops (and rises) by less than this fraction is `flat`. */
export const FLAT_RELATIVE_CHANGE = 0.02;
/** `noisy` when the raw loss' batch-to-batch σ exceeds this multiple of the loss drop. */
export const NOISY_RATIO = 1;
/** `never-diverged` when no stop fired and the loss climbed back less than this fraction of its drop. */
export const DIVERGED_RISE_FRACTION = 0.5;
/** `stopped-early` when the stop rule fired within this fraction of the planned steps. */
export const EARLY_STOP_FRACTION = 1 / 3;
/**
 * Agreement thresholds on the spread of the suggestions, in decades. The methods read different features
 * (steep: the steepest descent, by design below the usable maximum; minimum: a tenth of the lowest point;
 * valley and slide in between), so about a decade of spread is normal on a clean curve.
 */
export const AGREEMENT_DECADES = { good: 1, fair: 1.5 } as const;

const SUGGESTERS: Record<SuggestionMethod, (lrs: readonly number[], losses: readonly number[]) => Suggestion | null> = {
  minimum: suggestMinimum,
  steep: suggestSteep,
  valley: suggestValley,
  slide: (lrs, losses) => suggestSlide(lrs, losses),
};

function checkPoints(points: readonly RangePoint[]): void {
  points.forEach((p, i) => {
    if (!(Number.isFinite(p.lr) && p.lr > 0)) {
      throw new RangeError(`point ${i}: lr must be a finite number > 0 (got ${p.lr})`);
    }
  });
}

function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort(); // typed arrays sort numerically
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Robust σ of white noise on top of a smooth trend: second differences cancel the trend (to first order)
 * and turn noise of σ into noise of σ·√6; the MAD, scaled by 1.4826, estimates that σ·√6 robustly.
 */
export function noiseSigma(raw: readonly number[]): number {
  if (raw.length < 3) return 0;
  const d2: number[] = [];
  for (let i = 1; i + 1 < raw.length; i++) d2.push(raw[i + 1] - 2 * raw[i] + raw[i - 1]);
  const m = median(d2);
  return (1.4826 * median(d2.map((d) => Math.abs(d - m)))) / Math.sqrt(6);
}

function agreementOf(spread: number | null): Agreement {
  if (spread === null) return 'poor';
  if (spread <= AGREEMENT_DECADES.good) return 'good';
  if (spread <= AGREEMENT_DECADES.fair) return 'fair';
  return 'poor';
}

/**
 * Analyses a range test: smoothed losses, where the stop rule fired, fastai's four suggestions (with the
 * points they mark), and a recommendation for the one-cycle maximum with its caveats.
 *
 * Throws a RangeError for an lr that is not a finite number > 0, or for invalid options; a loss may be
 * anything (non-finite losses end the usable curve).
 */
export function analyzeRangeTest(points: readonly RangePoint[], options: AnalysisOptions = {}): RangeAnalysis {
  const beta = options.beta ?? DEFAULT_BETA;
  checkBeta(beta);
  const divergeFactor = options.divergeFactor === undefined ? DEFAULT_DIVERGE_FACTOR : options.divergeFactor;
  const method = options.recommend ?? DEFAULT_RECOMMEND;
  if (!isRecommendChoice(method)) {
    throw new RangeError(`recommend must be one of ${RECOMMEND_CHOICES.join(', ')} (got ${String(method)})`);
  }
  const requestedSteps = options.requestedSteps ?? points.length;
  if (!(Number.isInteger(requestedSteps) && requestedSteps >= 0)) {
    throw new RangeError(`requestedSteps must be a whole number ≥ 0 (got ${requestedSteps})`);
  }
  checkPoints(points);

  // Smooth and replay the stop rule.
  const rule = createStopRule({ beta, divergeFactor });
  const smoothed: number[] = [];
  let stopIndex: number | null = null;
  let stopReason: 'diverged' | 'non-finite' | null = null;
  for (let i = 0; i < points.length; i++) {
    const { smoothed: s, decision } = rule.push(points[i].loss);
    smoothed.push(s); // smoothed values after the stop are kept for plotting, not analysed
    if (decision.stop && stopIndex === null) {
      stopIndex = i;
      stopReason = decision.reason;
    }
  }
  const used = stopIndex === null ? points.length : stopIndex + 1;

  // fastai's window and suggestions. fastai does not stop on NaN: it records NaN losses up to num_it and
  // cuts at the first one, so the last five finite points before a NaN stay in its window. Pad our
  // stopped curve the same way. (An infinite loss does trip fastai's divergence test and is trimmed.)
  const curve = smoothed.slice(0, used);
  if (stopIndex !== null && Number.isNaN(smoothed[stopIndex])) {
    while (curve.length < requestedSteps) curve.push(NaN);
  }
  const window = fastaiWindow(curve, requestedSteps);
  const lrs = points.slice(window.start, window.end).map((p) => p.lr);
  const losses = smoothed.slice(window.start, window.end);
  const suggestions = {} as Record<SuggestionMethod, number | null>;
  const markers = {} as Record<SuggestionMethod, SuggestionMarker | null>;
  for (const m of SUGGESTION_METHODS) {
    const s = SUGGESTERS[m](lrs, losses);
    suggestions[m] = s === null ? null : s.lr;
    markers[m] = s === null ? null : { index: window.start + s.index, lr: s.markerLr, loss: s.markerLoss };
  }

  const lagFreeBeta = zeroPhaseBeta(requestedSteps);
  const lagFreeCurve = zeroPhaseSmooth(points.slice(0, used).map((p) => p.loss), lagFreeBeta);
  while (lagFreeCurve.length < points.length) lagFreeCurve.push(Number.NaN);
  const lagFreeSuggestions = {} as Record<SuggestionMethod, number | null>;
  for (const m of SUGGESTION_METHODS) lagFreeSuggestions[m] = SUGGESTERS[m](lrs, lagFreeCurve.slice(window.start, window.end))?.lr ?? null;
  const flagged = curveFlags({ points, used, stopReason, divergeFactor, window, lagFree: lagFreeCurve, suggestions });

  const diagnostics = diagnose(points, smoothed, used, window, requestedSteps);
  const recommendation = recommend({
    points,
    used,
    stopIndex,
    stopReason,
    requestedSteps,
    method,
    suggestions,
    diagnostics,
    lrs,
    losses,
    flagged,
    chosen: applyRecommendChoice(method, { suggestions, lagFree: { beta: lagFreeBeta, smoothed: lagFreeCurve, suggestions: lagFreeSuggestions } }),
  });
  return {
    pointCount: points.length,
    smoothed,
    stopIndex,
    stopReason,
    suggestions,
    markers,
    recommendation,
    diagnostics,
    stopRule: { beta, divergeFactor },
    lagFree: { beta: lagFreeBeta, smoothed: lagFreeCurve, suggestions: lagFreeSuggestions },
  };
}

function diagnose(
  points: readonly RangePoint[],
  smoothed: readonly number[],
  used: number,
  window: { start: number; end: number },
  requestedSteps: number,
): RangeDiagnostics {
  const usablePoints = window.end - window.start;
  const base: RangeDiagnostics = {
    window,
    usablePoints,
    requestedSteps,
    drop: 0,
    relativeDrop: 0,
    rise: 0,
    noiseSigma: 0,
    noiseRatio: Infinity,
  };
  if (usablePoints === 0) return base;
  let minIdx = window.start;
  for (let i = window.start; i < window.end; i++) if (smoothed[i] < smoothed[minIdx]) minIdx = i;
  const min = smoothed[minIdx];
  let peak = -Infinity;
  for (let i = window.start; i <= minIdx; i++) peak = Math.max(peak, smoothed[i]);
  const drop = peak - min;
  const scale = Math.max(Math.abs(peak), Math.abs(min));
  let lastFinite = used - 1;
  while (lastFinite > 0 && !Number.isFinite(smoothed[lastFinite])) lastFinite--;
  const rise = Math.max(0, smoothed[lastFinite] - min);
  const sigma = noiseSigma(points.slice(window.start, window.end).map((p) => p.loss));
  return {
    ...base,
    drop,
    relativeDrop: scale > 0 ? drop / scale : 0,
    rise,
    noiseSigma: sigma,
    noiseRatio: drop > 0 ? sigma / drop : Infinity,
  };
}

interface RecommendInput {
  points: readonly RangePoint[];
  used: number;
  stopIndex: number | null;
  stopReason: 'diverged' | 'non-finite' | null;
  requestedSteps: number;
  method: RecommendChoice;
  suggestions: Record<SuggestionMethod, number | null>;
  diagnostics: RangeDiagnostics;
  lrs: readonly number[];
  losses: readonly number[];
  /** Caveats from `curveFlags`, told after the others. */
  flagged: readonly Caveat[];
  /** What the recommendation rule gives, and the suggestion it is read from. */
  chosen: { basis: SuggestionMethod; lr: number | null };
}

function recommend(input: RecommendInput): RangeAnalysis['recommendation'] {
  const { points, used, stopIndex, stopReason, requestedSteps, method, suggestions, diagnostics: d } = input;
  const caveats: Caveat[] = [];
  const add = (flag: RangeFlag, text: string): void => {
    caveats.push({ flag, text });
  };
  const firstLr = points.length > 0 ? points[0].lr : NaN;
  const lastLr = used > 0 ? points[used - 1].lr : NaN;
  let scale = 0;
  for (const loss of input.losses) scale = Math.max(scale, Math.abs(loss));
  const relativeRise = scale > 0 ? d.rise / scale : 0;
  let unusable: string | null = null;

  if (d.usablePoints < FEW_USABLE_POINTS) {
    add(
      'too-few-points',
      `Only ${d.usablePoints} point${d.usablePoints === 1 ? ' was' : 's were'} usable after trimming (fastai skips the ` +
        `first tenth of the ${requestedSteps} planned steps and the last five, and stops at the first non-finite loss); ` +
        `fewer than ${FEW_USABLE_POINTS} make an unreliable reading: run more steps (100 or more; small CNNs need about 300).`,
    );
    if (d.usablePoints < MIN_USABLE_POINTS) unusable = `too few usable points (${d.usablePoints}; at least ${MIN_USABLE_POINTS} are needed)`;
  }
  const notIncreasing = points.slice(0, used).findIndex((p, i) => i > 0 && !(p.lr > points[i - 1].lr));
  if (notIncreasing > 0) {
    add(
      'lr-not-increasing',
      `The learning rates stop increasing at point ${notIncreasing} (${formatLr(points[notIncreasing - 1].lr)} then ` +
        `${formatLr(points[notIncreasing].lr)}): this does not look like one range test (concatenated or restarted log?), ` +
        `and the suggestions assume a single increasing sweep.`,
    );
  }
  if (d.usablePoints >= 2 && d.relativeDrop < FLAT_RELATIVE_CHANGE) {
    if (relativeRise < FLAT_RELATIVE_CHANGE && stopIndex === null) {
      add(
        'flat',
        `The smoothed loss changes by less than ${FLAT_RELATIVE_CHANGE * 100}% across the whole range ` +
          `(${formatLr(firstLr)} to ${formatLr(lastLr)}): the model is not learning at any of these rates. Check the ` +
          `data, labels and loss, or widen the range.`,
      );
      unusable ??= 'the loss is flat over the whole range';
    } else {
      add(
        'no-descent',
        `The loss never decreases; it only rises from the first learning rate tried (${formatLr(firstLr)}): the range ` +
          `starts too high. Lower startLr (e.g. 100× lower) and run again.`,
      );
      unusable ??= 'the loss never decreases over the tested range';
    }
  }
  const flatOrRising = caveats.some((c) => c.flag === 'flat' || c.flag === 'no-descent');
  const rawExploded = input.flagged.some((c) => c.flag === 'raw-exploded');
  if (!flatOrRising && !rawExploded && stopIndex === null && d.usablePoints > 0 && d.rise < DIVERGED_RISE_FRACTION * d.drop) {
    add(
      'never-diverged',
      `The loss never turned up: at the largest learning rate tried (${formatLr(lastLr)}) it was still near its ` +
        `lowest, so the range was too narrow and the real upper bound is unknown. Raise endLr (e.g. to ` +
        `${formatLr(lastLr * 10)}) and run again; until then the suggestion is a lower bound.`,
    );
  }
  if (!flatOrRising && d.usablePoints > 0 && d.drop > 0 && d.noiseRatio > NOISY_RATIO) {
    add(
      'noisy',
      `The batch-to-batch noise of the loss (σ ≈ ${d.noiseSigma.toPrecision(2)}) is larger than its whole drop ` +
        `(${d.drop.toPrecision(2)}), so the suggestions move with the noise. Use a larger batch, more steps, or ` +
        `compare a few runs.`,
    );
  }
  if (stopIndex !== null && stopIndex + 1 < EARLY_STOP_FRACTION * requestedSteps) {
    const what = stopReason === 'non-finite' ? 'The loss became NaN or infinite' : 'The stop rule fired (loss diverged)';
    add(
      'stopped-early',
      `${what} after only ${stopIndex + 1} of ${requestedSteps} planned steps, at lr ${formatLr(points[stopIndex].lr)}: ` +
        `the range may start too high, or one bad batch tripped the rule. Lower startLr, or raise divergeFactor.`,
    );
  }
  if (stopIndex === null && points.length < requestedSteps) {
    add(
      'incomplete',
      `The run ended after ${points.length} of ${requestedSteps} planned steps without diverging (cancelled or ` +
        `crashed?): the curve may be missing its upper end.`,
    );
  }

  caveats.push(...input.flagged);

  const answered = SUGGESTION_METHODS.filter((m) => suggestions[m] !== null).map((m) => suggestions[m] as number);
  const spreadDecades = answered.length >= 2 ? Math.log10(Math.max(...answered) / Math.min(...answered)) : null;
  const agreement = agreementOf(spreadDecades);
  const chosen = input.chosen.lr;
  if (unusable === null && chosen === null) {
    unusable = `the ${method} ${isSuggestionChoice(method) ? 'method' : 'rule'} gives no suggestion on ${d.usablePoints} usable points` + (method === 'slide' ? ' (it needs at least 16)' : '');
  }
  const lr = unusable === null ? chosen : null;

  const listed = SUGGESTION_METHODS.map((m) => `${m} ${suggestions[m] === null ? '—' : formatLr(suggestions[m] as number)}`).join(', ');
  let message: string;
  if (lr === null) {
    message = [`No learning rate recommended: ${unusable}.`, ...caveats.map((c) => c.text), `For reference only: ${listed}.`].join(' ');
  } else {
    const agreementText =
      spreadDecades === null
        ? `Fewer than two methods gave a suggestion, so their agreement cannot be judged (${listed}).`
        : `The methods span ${spreadDecades.toFixed(2)} decades (${agreement} agreement): ${listed}.`;
    message = [`Use ${formatLr(lr)} as the one-cycle maximum learning rate (${describeChoice(method)}).`, agreementText, ...caveats.map((c) => c.text)].join(' ');
  }
  return { method: input.chosen.basis, rule: method, lr, spreadDecades, agreement, flags: caveats.map((c) => c.flag), caveats, message };
}
