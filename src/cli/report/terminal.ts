/**
 * The range-test reading for a terminal: the four suggestions (the recommended one marked), the
 * recommendation with its caveats, and a text plot of the smoothed loss against the LR with the
 * suggestions as vertical lines. The same layout `lrscope suggest` prints.
 */
import { SUGGESTION_METHODS, describeChoice, formatLr, isSuggestionChoice, type RangeAnalysis, type RangePoint } from '../../core/analysis/index';
import { renderPlot } from '../terminal-plot';
import { maxOf, minOf } from '../../core/extent';

/** Plot width for a terminal of `columns` (80 when unknown). */
export function plotWidth(columns: number | undefined): number {
  return Math.min(100, Math.max(40, (columns ?? 80) - 14));
}

/** What the plotted smoothed curve is: the causal EMA the stop rule and the suggestions read. */
export function smoothingLabel(beta: number): string {
  return `smoothed loss (causal EMA, β ${beta})`;
}

/** The stop rule an analysis replayed, in words. */
export function stopRuleText(rule: RangeAnalysis['stopRule']): string {
  return rule.divergeFactor === null
    ? `a non-finite loss only (diverge factor none: the divergence test was off; EMA β ${rule.beta})`
    : `the smoothed loss (EMA β ${rule.beta}) above ${rule.divergeFactor}× its best, or a non-finite loss`;
}

/** The reading as lines of text (no trailing newline); `source` says where the points came from. */
export function renderAnalysisReport(analysis: RangeAnalysis, points: readonly RangePoint[], source: string, width: number): string {
  const { recommendation: rec, suggestions } = analysis;
  const lines = [
    `${points.length} points from ${source}${analysis.stopReason ? `; stop rule fired at point ${analysis.stopIndex} (${analysis.stopReason})` : ''}`,
    `stop rule applied: ${stopRuleText(analysis.stopRule)}`,
    '',
  ];
  for (const m of SUGGESTION_METHODS) {
    const v = suggestions[m];
    lines.push(`  ${m === rec.rule ? '▶' : ' '} ${m.padEnd(8)} ${v === null ? '—   (no answer on this curve)' : formatLr(v)}`);
  }
  if (!isSuggestionChoice(rec.rule)) lines.push(`  ▶ ${(rec.lr === null ? '—' : formatLr(rec.lr)).padEnd(8)} recommended (${describeChoice(rec.rule)})`);
  lines.push('', rec.message, '');
  const end = analysis.stopIndex ?? points.length - 1;
  const shown = points.slice(0, end + 1);
  const smoothed = analysis.smoothed.slice(0, end + 1);
  const finite = smoothed.filter(Number.isFinite);
  if (finite.length === 0) return [...lines, '(no finite loss to plot)'].join('\n');
  const lo = minOf(finite);
  const first = finite[0] ?? lo;
  const markers = SUGGESTION_METHODS.flatMap((m) => {
    const v = suggestions[m];
    return v === null ? [] : [{ x: v, mark: m === rec.rule ? '┃' : '┊' }];
  });
  if (rec.lr !== null && !isSuggestionChoice(rec.rule)) markers.push({ x: rec.lr, mark: '┃' });
  lines.push(
    'smoothed loss against learning rate (log scale); ┃ recommended, ┊ other suggestions',
    renderPlot([{ label: smoothingLabel(analysis.stopRule.beta), mark: '•', x: shown.map((p) => p.lr), y: smoothed }], {
      width,
      logX: true,
      yRange: [lo, Math.max(lo + 1e-12, Math.min(maxOf(finite), lo + 1.5 * (first - lo) + 1e-12))],
      markers,
    }),
  );
  return lines.join('\n');
}
