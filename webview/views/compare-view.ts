/**
 * Compare: several range tests overlaid (e.g. a weight-decay sweep, Smith's procedure), each
 * labelled, each with its recommended LR starred (where the recommendation rule puts it), a table,
 * and Smith's reading — which run reaches the lowest loss, which tolerates the largest learning
 * rate — stated only when the curves support it (`core/sweeps/reading.ts`), else why not.
 */
import type { RunSnapshot } from '../../src/protocol/webview';
import { SeriesChart, type Series } from '../charts/series-chart';
import { formatLr, sweepReading, sweepRow, type RangeAnalysis, type SweepReading, type SweepRow } from '../core';
import { h, setChildren } from '../dom';
import { runsToCsv, runsToJson } from '../export-data';
import { yRange } from '../clip';
import { decimateCurve, logGrid } from '../decimate';
import { analyzeRun, effectiveBeta } from '../run-analysis';
import { curveOf, type RunCurve } from '../run-curve';
import { timePhase } from '../profile';
import { formatShort } from '../schedule-form';
import type { Palette } from '../theme';
import type { View, ViewContext, ViewExport } from './context';
import { markerPoint } from './range-test-view';

/** The table rows (the core's sweep rows), from the runs and their analyses. */
export function compareRows(runs: readonly RunSnapshot[], analyses: readonly RangeAnalysis[], betas: readonly number[]): SweepRow[] {
  return runs.map((run, k) => sweepRow({ id: run.id, label: run.label, lrs: run.points.map((p) => p.lr) }, analyses[k]!, betas[k]!));
}

export class CompareView implements View {
  readonly root: HTMLElement;
  private readonly chart: SeriesChart;
  private readonly table: HTMLTableElement;
  private readonly title: HTMLElement;
  private readonly reading: HTMLElement;
  private analyses: RangeAnalysis[] = [];
  private rows: SweepRow[] = [];

  constructor(
    private readonly ctx: ViewContext,
    private readonly runs: () => RunSnapshot[],
    private readonly titleText: () => string | undefined = () => undefined,
  ) {
    const canvas = h('canvas', { id: 'compare-chart', attrs: { role: 'img', 'aria-label': 'Range tests overlaid: smoothed loss against learning rate' } });
    this.chart = new SeriesChart(canvas, { x: { title: 'learning rate', type: 'logarithmic' }, y: { title: 'smoothed loss', type: 'linear' }, xFormat: formatLr }, ctx.palette());
    this.table = h('table', { class: 'compare', id: 'compare-table' });
    this.title = h('h1', { id: 'compare-title', text: 'Compare range tests' });
    this.reading = h('ul', { class: 'reading', id: 'sweep-reading' });
    const clip = h('input', {
      id: 'clip',
      attrs: { type: 'checkbox' },
      on: {
        change: () => {
          ctx.ui.clip = clip.checked;
          ctx.saveUi();
          ctx.requestRender();
        },
      },
    });
    clip.checked = ctx.ui.clip;
    this.root = h(
      'div',
      { class: 'view view--compare' },
      h('header', { class: 'row' }, this.title, h('label', { class: 'check' }, clip, 'Clip y')),
      h('div', { class: 'chart-box' }, canvas),
      this.reading,
      this.table,
    );
  }

  update(): void {
    const runs = this.runs();
    const ui = this.ctx.ui;
    const betas = runs.map((r) => effectiveBeta(r, ui.beta));
    this.analyses = timePhase('analysis', () => runs.map((r, k) => analyzeRun(r, betas[k]!)));
    const curves = runs.map((r) => curveOf(r));
    timePhase('chart', () => this.draw(runs, curves));
    this.rows = compareRows(runs, this.analyses, betas);
    timePhase('text', () => {
      const reading = sweepReading(this.rows);
      this.title.textContent = this.titleText() ?? 'Compare range tests';
      this.renderReading(reading);
      this.renderTable(this.rows, reading);
    });
  }

  private draw(runs: readonly RunSnapshot[], curves: readonly RunCurve[]): void {
    const ui = this.ctx.ui;
    let lo = Infinity;
    let hi = -Infinity;
    for (const c of curves) {
      if (c.lrMin < lo) lo = c.lrMin;
      if (c.lrMax > hi) hi = c.lrMax;
    }
    const grid = Number.isFinite(lo) ? logGrid(lo, hi, this.chart.plotColumns()) : null;
    const series: Series[] = [];
    runs.forEach((run, k) => {
      const a = this.analyses[k]!;
      const rec = a.recommendation;
      // The star sits at the recommended LR (the rule's, e.g. the min-loss LR / 5), on the curve.
      const marker = rec.lr !== null ? markerPoint(curves[k]!, a, rec.method, rec.lr) : null;
      // The stop point and the marker stay in the decimated curve, exactly.
      const keep = [a.stopIndex ?? -1, marker?.index ?? -1];
      series.push({ label: run.label, data: grid ? decimateCurve(curves[k]!.columns(curves[k]!.smoothed()), grid, keep) : [], color: k, width: 2 });
      if (marker && rec.lr !== null) {
        series.push({ label: `${run.label}: ${formatLr(rec.lr)} (${rec.rule})`, data: [marker.at], color: k, markers: { radius: 6, style: 'star' }, noLegend: true });
      }
    });
    // Clip per run, then take the widest: one run's divergence must not flatten the others.
    let yr: { min: number; max: number } | null = null;
    for (const c of curves) {
      const r = yRange(new Float64Array(0), c.smoothed(), ui.clip);
      if (r) yr = yr ? { min: Math.min(yr.min, r.min), max: Math.max(yr.max, r.max) } : r;
    }
    this.chart.render(series, { yRange: yr, xRange: grid ? { min: lo, max: hi } : null });
  }

  setPalette(palette: Palette): void {
    this.chart.setPalette(palette);
  }

  exports(): ViewExport {
    const runs = this.runs();
    return {
      label: 'compare',
      chart: this.chart,
      csv: () => runsToCsv(runs, new Map(runs.map((r, k) => [r.id, this.analyses[k]?.smoothed ?? []]))),
      json: () => runsToJson(runs, { comparison: this.rows, reading: sweepReading(this.rows) }),
    };
  }

  charts(): Record<string, SeriesChart> {
    return { compare: this.chart };
  }

  dispose(): void {
    this.chart.destroy();
  }

  private renderReading(reading: SweepReading): void {
    const item = (finding: SweepReading['lowestLoss'], kind: string) =>
      h('li', { class: finding.runId === null ? 'not-stated' : 'stated', text: finding.text, attrs: { 'data-finding': kind } });
    setChildren(this.reading, item(reading.lowestLoss, 'lowest-loss'), item(reading.largestLr, 'largest-lr'));
  }

  private renderTable(rows: readonly SweepRow[], reading: SweepReading): void {
    const head = h('tr', {}, ...['run', 'recommended LR', 'lowest loss', 'at LR', 'stopped at LR'].map((t) => h('th', { text: t, attrs: { scope: 'col' } })));
    const body = rows.map((r) => {
      const marks = [
        ...(reading.largestLr.runId === r.runId ? ['★ tolerates the largest LR'] : []),
        ...(reading.lowestLoss.runId === r.runId ? ['▼ lowest loss'] : []),
      ];
      return h(
        'tr',
        { class: reading.largestLr.runId === r.runId ? 'best' : '', attrs: { 'data-run': r.runId } },
        h('td', { text: [r.label, ...marks].join(' ') }),
        h('td', { text: r.recommended === null ? '—' : formatLr(r.recommended) }),
        h('td', { text: r.minLoss === null ? '—' : formatShort(r.minLoss) }),
        h('td', { text: r.minLossLr === null ? '—' : formatLr(r.minLossLr) }),
        h('td', { text: r.stopLr === null ? 'did not diverge' : formatLr(r.stopLr) }),
      );
    });
    setChildren(this.table, h('thead', {}, head), h('tbody', {}, ...body));
  }
}
