/**
 * Labels of range tests overlaid in the compare view: what tells the runs apart (the swept value, a
 * weight decay or batch size that differs, else the start time), each label once; the experiment's
 * name once in the title when every run shares it, rather than repeated in every label.
 */
import { parameterShort, parameterText, SWEEP_PARAMETERS, sweepTagOf, formatSweepValue, type SweepParameter } from './plan';

export interface CompareLabelInput {
  /** The experiment (or script, or log) name. */
  name: string;
  options: Record<string, unknown>;
  /** A missing weight decay means 0 (a TF.js run trains without one unless told); unknown otherwise (a script decides). */
  weightDecayDefaultsToZero: boolean;
  /** ISO start time. */
  startedAt: string;
}

export interface CompareLabels {
  title: string;
  labels: string[];
}

/** A run's value of `parameter`: its sweep's value, else its options', else 0 for a TF.js weight decay, else unknown. */
export function parameterValue(run: CompareLabelInput, parameter: SweepParameter): number | undefined {
  const tag = sweepTagOf(run.options);
  if (tag?.parameter === parameter) return tag.value;
  const v = run.options[parameter];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  return parameter === 'weightDecay' && run.weightDecayDefaultsToZero ? 0 : undefined;
}

/** The title and one distinct label per run (see the module comment). */
export function compareLabels(runs: readonly CompareLabelInput[]): CompareLabels {
  const names = new Set(runs.map((r) => r.name));
  const oneName = names.size === 1;
  const varying = SWEEP_PARAMETERS.filter((p) => new Set(runs.map((r) => String(parameterValue(r, p)))).size > 1);
  const sweepIds = new Set(runs.map((r) => sweepTagOf(r.options)?.id));
  const oneSweep = sweepIds.size === 1 && !sweepIds.has(undefined) ? sweepTagOf(runs[0]!.options) : undefined;
  const title = oneName
    ? `${runs[0]?.name ?? ''}${oneSweep ? `: ${parameterText(oneSweep.parameter)} sweep` : varying.length > 0 ? `: ${varying.map(parameterText).join(' and ')}` : ''}`
    : 'Compare range tests';
  const raw = runs.map((run) => {
    const parts = varying.flatMap((p) => {
      const v = parameterValue(run, p);
      return v === undefined ? [] : [`${parameterShort(p)}=${formatSweepValue(v)}`];
    });
    if (!oneName) parts.unshift(run.name);
    return parts.length > 0 ? parts.join(' ') : `${oneName ? '' : `${run.name} `}${run.startedAt.slice(11, 19)}`.trim() || run.name;
  });
  return { title, labels: distinct(raw) };
}

/** The labels, each once: a label that repeats gets ` (2)`, ` (3)` … from its second time on. */
export function distinct(labels: readonly string[]): string[] {
  const seen = new Map<string, number>();
  const taken = new Set(labels);
  return labels.map((label) => {
    const n = (seen.get(label) ?? 0) + 1;
    seen.set(label, n);
    if (n === 1) return label;
    let k = n;
    while (taken.has(`${label} (${k})`)) k++;
    const unique = `${label} (${k})`;
    taken.add(unique);
    return unique;
  });
}
