/**
 * Compare: several range tests overlaid (e.g. a weight-decay sweep, Smith's procedure), each
 * labelled, each with its recommended LR marked, and a table saying which run tolerates the
 * largest learning rate.
 */
import type { RunSnapshot } from '../../src/protocol/webview';
import { SeriesChart, type Series } from '../charts/series-chart';
import { formatLr, type RangeAnalysis } from '../core';
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

/** Per-run figures of the comparison table. */
export interface CompareRow {
  runId: string;
  label: string;
  recommended: number | null;
  /** Lowest smoothed loss and the LR where it is reached (before any stop). */
  minLoss: number | null;
  minLossLr: number | null;
  /** LR at which the stop rule fired, if it did. */
  stopLr: number | null;
}

/** The table rows, from the runs and their analyses. */
export function compareRows(runs: readonly RunSnapshot[], analyses: readonly RangeAnalysis[]): CompareRow[] {
  return runs.map((run, k) => {
    const a = analyses[k]!;
    const end = a.stopIndex === null ? a.smoothed.length : a.stopIndex + 1;
    let best = -1;
    for (let i = 0; i < end; i++) {
      const v = a.smoothed[i]!;
      if (Number.isFinite(v) && (best < 0 || v < a.smoothed[best]!)) best = i;
    }
    return {
      runId: run.id,
      label: run.label,
      recommended: a.recommendation.lr,
      minLoss: best >= 0 ? a.smoothed[best]! : null,
      minLossLr: best >= 0 ? run.points[best]!.lr : null,
      stopLr: a.stopIndex === null ? null : run.points[a.stopIndex]!.lr,
    };
  });
}

export class CompareView implements View {
  readonly root: HTMLElement;
  private readonly chart: SeriesChart;
  private readonly table: HTMLTableElement;
  private analyses: RangeAnalysis[] = [];

  constructor(
    private readonly ctx: ViewContext,
    private readonly runs: () => RunSnapshot[],
  ) {
    const canvas = h('canvas', { id: 'compare-chart', attrs: { role: 'img', 'aria-label': 'Range tests overlaid: smoothed loss against learning rate' } });
    this.chart = new SeriesChart(canvas, { x: { title: 'learning rate', type: 'logarithmic' }, y: { title: 'smoothed loss', type: 'linear' }, xFormat: formatLr }, ctx.palette());
    this.table = h('table', { class: 'compare', id: 'compare-table' });
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
      h('header', { class: 'row' }, h('h1', { text: 'Compare range tests' }), h('label', { class: 'check' }, clip, 'Clip y')),
      h('div', { class: 'chart-box' }, canvas),
      this.table,
    );
  }

  update(): void {
    const runs = this.runs();
    const ui = this.ctx.ui;
    this.analyses = timePhase('analysis', () => runs.map((r) => analyzeRun(r, effectiveBeta(r, ui.beta))));
    const curves = runs.map((r) => curveOf(r));
    timePhase('chart', () => this.draw(runs, curves));
    timePhase('text', () => this.renderTable(compareRows(runs, this.analyses)));
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
      const marker = rec.lr !== null ? a.markers[rec.method] : null;
      // The stop point and the marker stay in the decimated curve, exactly.
      const keep = [a.stopIndex ?? -1, marker?.index ?? -1];
      series.push({ label: run.label, data: grid ? decimateCurve(curves[k]!.columns(curves[k]!.smoothed()), grid, keep) : [], color: k, width: 2 });
      if (marker && rec.lr !== null) {
        series.push({ label: `${run.label}: ${formatLr(rec.lr)}`, data: [{ x: marker.lr, y: marker.loss }], color: k, markers: { radius: 6, style: 'star' }, noLegend: true });
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
      json: () => runsToJson(runs, { comparison: compareRows(runs, this.analyses) }),
    };
  }

  charts(): Record<string, SeriesChart> {
    return { compare: this.chart };
  }

  dispose(): void {
    this.chart.destroy();
  }

  private renderTable(rows: CompareRow[]): void {
    let widest = -1;
    rows.forEach((r, i) => {
      if (r.minLossLr !== null && (widest < 0 || r.minLossLr > rows[widest]!.minLossLr!)) widest = i;
    });
    const head = h('tr', {}, ...['run', 'recommended LR', 'lowest loss', 'at LR', 'stopped at LR'].map((t) => h('th', { text: t, attrs: { scope: 'col' } })));
    const body = rows.map((r, i) =>
      h(
        'tr',
        { class: i === widest ? 'best' : '', attrs: { 'data-run': r.runId } },
        h('td', { text: r.label + (i === widest && rows.length > 1 ? ' ★ tolerates the largest LR' : '') }),
        h('td', { text: r.recommended === null ? '—' : formatLr(r.recommended) }),
        h('td', { text: r.minLoss === null ? '—' : formatShort(r.minLoss) }),
        h('td', { text: r.minLossLr === null ? '—' : formatLr(r.minLossLr) }),
        h('td', { text: r.stopLr === null ? 'did not diverge' : formatLr(r.stopLr) }),
      ),
    );
    setChildren(this.table, h('thead', {}, head), h('tbody', {}, ...body));
  }
}
