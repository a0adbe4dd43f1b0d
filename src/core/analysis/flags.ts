/**
 * Flags that keep the suggestions honest about the curve under them: a raw loss that exploded while
 * the (lagging) smoothed loss never tripped the stop rule, suggestions past the loss minimum or on the
 * plateau after a divergence, and an analysis run without the divergence test.
 */
import { formatLr } from './format';
import { DEFAULT_DIVERGE_FACTOR } from './stop-rule';
import type { Caveat, SuggestionMethod } from './types';
import { SUGGESTION_METHODS } from './types';

/** Points in the running median that the raw loss's lowest level is read from (one lucky batch is not a minimum). */
export const RAW_MINIMUM_MEDIAN = 5;

export interface CurveFlagInput {
  /** The learning rate and raw loss of every point (columns: long curves are re-analysed per point). */
  lrs: ArrayLike<number>;
  losses: ArrayLike<number>;
  /** Points analysed (up to and including the stop). */
  used: number;
  stopReason: 'diverged' | 'non-finite' | null;
  /** The divergence factor the analysis applied; null: the divergence test was off. */
  divergeFactor: number | null;
  /** fastai's window over the points. */
  window: { start: number; end: number };
  /** The lag-free smoothed loss of every point (NaN past the finite curve). */
  lagFree: readonly number[];
  suggestions: Record<SuggestionMethod, number | null>;
}

/** Where the raw loss first rose above `factor` × its lowest level so far, and by how much it rose. */
export interface RawExplosion {
  index: number;
  lr: number;
  /** The largest raw loss over the analysed points divided by the lowest level before it. */
  ratio: number;
}

/** The median of `losses[from, from + RAW_MINIMUM_MEDIAN)` (an insertion sort in `scratch`: no allocation per point). */
function medianLoss(losses: ArrayLike<number>, from: number, scratch: Float64Array): number {
  for (let k = 0; k < RAW_MINIMUM_MEDIAN; k++) {
    const v = losses[from + k];
    let j = k;
    while (j > 0 && scratch[j - 1] > v) {
      scratch[j] = scratch[j - 1];
      j--;
    }
    scratch[j] = v;
  }
  return scratch[RAW_MINIMUM_MEDIAN >> 1];
}

/**
 * The first of the first `used` points whose raw loss exceeds `factor` × the lowest running median
 * (of `RAW_MINIMUM_MEDIAN` points) before it, or null. Losses ≤ 0 have no multiplicative scale: a curve
 * whose lowest level is ≤ 0 never explodes by this test.
 */
export function rawExplosion(lrs: ArrayLike<number>, losses: ArrayLike<number>, used: number, factor: number): RawExplosion | null {
  const half = RAW_MINIMUM_MEDIAN >> 1;
  const scratch = new Float64Array(RAW_MINIMUM_MEDIAN);
  let lowest = Infinity;
  let found: { index: number; lr: number } | null = null;
  let peak = -Infinity;
  for (let i = 0; i < used; i++) {
    const loss = losses[i];
    if (!Number.isFinite(loss)) break;
    if (found === null && lowest > 0 && Number.isFinite(lowest) && loss > factor * lowest) found = { index: i, lr: lrs[i] };
    if (found !== null) peak = Math.max(peak, loss);
    if (found === null && i >= half * 2) {
      const level = medianLoss(losses, i - half * 2, scratch);
      lowest = Math.min(lowest, level);
    }
  }
  return found === null ? null : { ...found, ratio: peak / lowest };
}

function listed(methods: SuggestionMethod[], suggestions: Record<SuggestionMethod, number | null>): string {
  return methods.map((m) => `${m} ${formatLr(suggestions[m] as number)}`).join(', ');
}

/** The caveats of `CurveFlagInput`'s curve, in the order they are told. */
export function curveFlags(input: CurveFlagInput): Caveat[] {
  const { lrs, losses, used, stopReason, divergeFactor, window, lagFree, suggestions } = input;
  const caveats: Caveat[] = [];
  const factor = divergeFactor ?? DEFAULT_DIVERGE_FACTOR;
  const answered = SUGGESTION_METHODS.filter((m) => suggestions[m] !== null);

  if (divergeFactor === null) {
    caveats.push({
      flag: 'no-divergence-test',
      text:
        'The divergence test was off (diverge factor none): only a non-finite loss ends the curve, ' +
        `so the suggestions see it past any divergence; the flags below judge an explosion at ${factor}× the lowest loss.`,
    });
  }

  const explosion = rawExplosion(lrs, losses, used, factor);
  if (explosion !== null && stopReason !== 'diverged') {
    caveats.push({
      flag: 'raw-exploded',
      text:
        `The raw loss rose to ${explosion.ratio.toPrecision(2)}× its lowest level (above ${factor}× from lr ${formatLr(explosion.lr)} on), ` +
        `but the smoothed loss, which lags, never tripped the stop rule${divergeFactor === null ? ' (it was off)' : ` (${factor}× its best)`}: ` +
        `learning rates from ${formatLr(explosion.lr)} up are past the usable range.`,
    });
  }
  if (explosion !== null) {
    const beyond = answered.filter((m) => (suggestions[m] as number) >= explosion.lr);
    if (beyond.length > 0) {
      caveats.push({
        flag: 'post-divergence',
        text:
          `${listed(beyond, suggestions)} ${beyond.length === 1 ? 'lies' : 'lie'} where the raw loss had already exploded ` +
          `(above ${factor}× its lowest from lr ${formatLr(explosion.lr)} on): on the plateau after the divergence, not a usable rate.`,
      });
    }
  }

  let minIdx = -1;
  for (let i = window.start; i < window.end; i++) if (Number.isFinite(lagFree[i]) && (minIdx < 0 || lagFree[i] < lagFree[minIdx])) minIdx = i;
  if (minIdx >= 0) {
    const minLr = lrs[minIdx];
    const past = answered.filter((m) => (suggestions[m] as number) > minLr && !(explosion !== null && (suggestions[m] as number) >= explosion.lr));
    if (past.length > 0) {
      caveats.push({
        flag: 'past-minimum',
        text:
          `${listed(past, suggestions)} ${past.length === 1 ? 'lies' : 'lie'} past the lowest point of the lag-free smoothed loss ` +
          `(lr ${formatLr(minLr)}), where the loss is already rising: too high for a one-cycle maximum.`,
      });
    }
  }
  return caveats;
}
