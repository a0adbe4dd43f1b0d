/**
 * Which columns (CSV) or keys (JSON) hold the learning rate and the loss.
 *
 * Accepted names, compared case-insensitively with spaces and dashes read as underscores, in order of
 * preference:
 * - learning rate: `lr` (ours, pytorch-lr-finder's `history`, Lightning's `lr_finder.results`, Keras),
 *   `learning_rate` (Keras 3, TF), `learningrate`, `lrs` (fastai `Recorder.lrs`);
 * - loss: `loss`, `train_loss`, then the smoothed ones: `smooth_loss`, `smoothed_loss`, `losses`.
 * fastai's `Recorder` keeps `lrs` and `losses`, and its `losses` are the smoothed values (`AvgSmoothLoss`);
 * `smooth_loss` is only a scalar on fastai's Learner, accepted here as a common spelling.
 * Raw losses are preferred when both are present, since the analysis smooths them itself.
 * pytorch-lr-finder's `history["loss"]` and Lightning's `results["loss"]` are smoothed too, but their
 * name does not say so: `smoothedLoss` can only report what the name tells.
 */

export const LR_NAMES: readonly string[] = ['lr', 'learning_rate', 'learningrate', 'lrs'];
export const LOSS_NAMES: readonly string[] = ['loss', 'train_loss', 'smooth_loss', 'smoothed_loss', 'losses'];
const SMOOTHED_NAMES = new Set(['smooth_loss', 'smoothed_loss', 'losses']);

/** The columns a log was read from, as spelled in the file. */
export interface LogColumns {
  lr: string;
  loss: string;
}

export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

function pick(names: readonly string[], accepted: readonly string[]): number {
  const normalized = names.map(normalizeName);
  for (const want of accepted) {
    const i = normalized.indexOf(want);
    if (i >= 0) return i;
  }
  return -1;
}

export interface ColumnChoice {
  lrIndex: number;
  lossIndex: number;
  /** True when the loss column's name says it holds smoothed values (e.g. fastai's `losses`). */
  smoothedLoss: boolean;
}

/** Finds the lr and loss columns among `names`; -1 for a missing one. */
export function chooseColumns(names: readonly string[]): ColumnChoice {
  const lrIndex = pick(names, LR_NAMES);
  const lossIndex = pick(names, LOSS_NAMES);
  return { lrIndex, lossIndex, smoothedLoss: lossIndex >= 0 && SMOOTHED_NAMES.has(normalizeName(names[lossIndex])) };
}

/** The message for a header or object without the needed columns. */
export function missingColumnsMessage(names: readonly string[], choice: ColumnChoice, noun: 'columns' | 'keys'): string {
  const missing = [choice.lrIndex < 0 ? 'learning-rate' : null, choice.lossIndex < 0 ? 'loss' : null].filter((m) => m !== null);
  const found = names.length === 0 ? 'none' : names.map((n) => `"${n}"`).join(', ');
  return (
    `no ${missing.join(' or ')} ${noun.slice(0, -1)} found (${noun} found: ${found}); ` +
    `accepted names for the learning rate: ${LR_NAMES.join(', ')}; for the loss: ${LOSS_NAMES.join(', ')} (any case)`
  );
}
