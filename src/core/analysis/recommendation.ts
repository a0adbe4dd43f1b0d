/**
 * The recommendation: the one-cycle maximum LR offered from a range test (the chosen method's
 * suggestion), or none with the reason, and an honest caveat for every way the curve can mislead.
 */
import type { Agreement, AnalysisOptions, Caveat, RangeDiagnostics, RangeFlag, Recommendation, SuggestionMethod } from './types';
import { SUGGESTION_METHODS } from './types';
import { formatLr } from './format';
import { describeChoice, isSuggestionChoice, type RecommendChoice } from './recommend-rule';

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

function agreementOf(spread: number | null): Agreement {
  if (spread === null) return 'poor';
  if (spread <= AGREEMENT_DECADES.good) return 'good';
  if (spread <= AGREEMENT_DECADES.fair) return 'fair';
  return 'poor';
}

/** How a run that stopped short of its planned steps ended, when the caller knows. */
export type ShortEnd = NonNullable<AnalysisOptions['ended']>;

/**
 * The `incomplete` caveat's text: a run that ended after `pointCount` of `requestedSteps` planned steps
 * without diverging, worded by how it ended when that is known (a log's reader does not know).
 */
export function incompleteText(pointCount: number, requestedSteps: number, ended?: ShortEnd): string {
  const steps = `${pointCount} of ${requestedSteps} planned steps`;
  const how = ended === 'cancelled' ? `The run was cancelled after ${steps}` : ended === 'crashed' ? `The run crashed after ${steps}` : `The run ended after ${steps} without diverging (cancelled or crashed?)`;
  return `${how}: the curve may be missing its upper end.`;
}

/** What the recommendation reads from an analysed curve. */
export interface RecommendInput {
  /** Number of points given. */
  pointCount: number;
  /** The lr of point i. */
  lrAt: (i: number) => number;
  /** Points analysed: up to and including the one where the stop rule fired. */
  used: number;
  /** First index i in [1, used) whose lr is not above the one before, or -1. */
  notIncreasing: number;
  stopIndex: number | null;
  stopReason: 'diverged' | 'non-finite' | null;
  requestedSteps: number;
  method: RecommendChoice;
  suggestions: Record<SuggestionMethod, number | null>;
  diagnostics: RangeDiagnostics;
  /** Largest |smoothed loss| in fastai's window (0 when it is empty). */
  lossScale: number;
  /** How the run ended, when it stopped short and the caller knows (`AnalysisOptions.ended`). */
  ended?: ShortEnd;
  /** Caveats from `curveFlags` (`flags.ts`), told after the others. */
  flagged: readonly Caveat[];
  /** What the recommendation rule gives, and the suggestion it is read from. */
  chosen: { basis: SuggestionMethod; lr: number | null };
}

/** The recommendation for the one-cycle maximum, with every caveat the curve deserves, in words. */
export function recommend(input: RecommendInput): Recommendation {
  const { pointCount, lrAt, used, notIncreasing, stopIndex, stopReason, requestedSteps, method, suggestions, diagnostics: d, ended } = input;
  const incomplete = stopIndex === null && pointCount < requestedSteps;
  /** Stopped short by a known cause: more steps or a wider range is not the advice. */
  const cutShort = incomplete && ended !== undefined;
  const caveats: Caveat[] = [];
  const add = (flag: RangeFlag, text: string): void => {
    caveats.push({ flag, text });
  };
  const firstLr = pointCount > 0 ? lrAt(0) : NaN;
  const lastLr = used > 0 ? lrAt(used - 1) : NaN;
  const scale = input.lossScale;
  const relativeRise = scale > 0 ? d.rise / scale : 0;
  let unusable: string | null = null;

  if (d.usablePoints < FEW_USABLE_POINTS) {
    if (!cutShort) {
      add(
        'too-few-points',
        `Only ${d.usablePoints} point${d.usablePoints === 1 ? ' was' : 's were'} usable after trimming (fastai skips the ` +
          `first tenth of the ${requestedSteps} planned steps and the last five, and stops at the first non-finite loss); ` +
          `fewer than ${FEW_USABLE_POINTS} make an unreliable reading: run more steps (100 or more; small CNNs need about 300).`,
      );
    }
    if (d.usablePoints < MIN_USABLE_POINTS) unusable = `too few usable points (${d.usablePoints}; at least ${MIN_USABLE_POINTS} are needed)`;
  }
  if (notIncreasing > 0) {
    add(
      'lr-not-increasing',
      `The learning rates stop increasing at point ${notIncreasing} (${formatLr(lrAt(notIncreasing - 1))} then ` +
        `${formatLr(lrAt(notIncreasing))}): this does not look like one range test (concatenated or restarted log?), ` +
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
  if (!flatOrRising && !cutShort && !rawExploded && stopIndex === null && d.usablePoints > 0 && d.rise < DIVERGED_RISE_FRACTION * d.drop) {
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
      `${what} after only ${stopIndex + 1} of ${requestedSteps} planned steps, at lr ${formatLr(lrAt(stopIndex))}: ` +
        `the range may start too high, or one bad batch tripped the rule. Lower startLr, or raise divergeFactor.`,
    );
  }
  if (incomplete) add('incomplete', incompleteText(pointCount, requestedSteps, ended));

  caveats.push(...input.flagged);

  const answered = SUGGESTION_METHODS.filter((m) => suggestions[m] !== null).map((m) => suggestions[m] as number);
  const spreadDecades = answered.length >= 2 ? Math.log10(answered.reduce((a, b) => Math.max(a, b)) / answered.reduce((a, b) => Math.min(a, b))) : null;
  const agreement = agreementOf(spreadDecades);
  const chosen = input.chosen.lr;
  if (unusable === null && chosen === null) {
    unusable = `the ${method} ${isSuggestionChoice(method) ? 'method' : 'rule'} gives no suggestion on ${d.usablePoints} usable points` + (method === 'slide' ? ' (it needs at least 16)' : '');
  }
  const lr = unusable === null ? chosen : null;

  const listed = SUGGESTION_METHODS.map((m) => `${m} ${suggestions[m] === null ? '—' : formatLr(suggestions[m] as number)}`).join(', ');
  let message: string;
  let summary: string;
  if (lr === null) {
    summary = `No learning rate recommended: ${unusable}.`;
    message = [summary, ...caveats.map((c) => c.text), `For reference only: ${listed}.`].join(' ');
  } else {
    const agreementText =
      spreadDecades === null
        ? `Fewer than two methods gave a suggestion, so their agreement cannot be judged (${listed}).`
        : `The methods span ${spreadDecades.toFixed(2)} decades (${agreement} agreement): ${listed}.`;
    summary = `Use ${formatLr(lr)} as the one-cycle maximum learning rate (${describeChoice(method)}). ${agreementText}`;
    message = [summary, ...caveats.map((c) => c.text)].join(' ');
  }
  return { method: input.chosen.basis, rule: method, lr, spreadDecades, agreement, flags: caveats.map((c) => c.flag), caveats, summary, message };
}
