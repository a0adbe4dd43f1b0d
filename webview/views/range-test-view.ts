/**
 * Range test: raw and smoothed loss against LR (log axis), live while streaming; a marker per
 * suggestion, the recommended one ringed; the reading (agreement, caveats) in words; click or
 * drag to pick another LR; y clipping; smoothing slider; Stop; the schedule section below.
 */
import type { RunSnapshot, ScheduleDefaults } from '../../src/protocol/webview';
import { SeriesChart, type Series, type XY } from '../charts/series-chart';
import { formatLr, isSuggestionChoice, roundLr, SUGGESTION_METHODS, type RangeAnalysis, type SuggestionMethod } from '../core';
import { h, setChildren, setText, show } from '../dom';
import { runsToCsv, runsToJson } from '../export-data';
import { yRange } from '../clip';
import { timePhase } from '../profile';
import { decimateCurve, logGrid } from '../decimate';
import { analyzeRun, effectiveBeta, lrExtent, statusText } from '../run-analysis';
import { readRun } from '../run-reading';
import { curveOf, type RunCurve } from '../run-curve';
import type { Palette } from '../theme';
import type { View, ViewContext, ViewExport } from './context';
import { ScheduleSection, type MaxLrSource } from './schedule-section';

const MARKER_STYLE: Record<SuggestionMethod, { color: number; style: 'circle' | 'triangle' | 'rectRot' | 'rect' }> = {
  minimum: { color: 2, style: 'circle' },
  steep: { color: 3, style: 'triangle' },
  valley: { color: 1, style: 'rectRot' },
  slide: { color: 4, style: 'rect' },
};

/**
 * Where a suggestion's marker goes: at the suggested LR on the smoothed curve. The core's marker
 * is that point for every method but `minimum`, whose marker (fastai's) sits at the minimum, ten
 * times the suggestion; the panel marks the LR it suggests, on the curve at the nearest point.
 * Returns the point and the index of the curve point it sits on (or null).
 */
export function markerPoint(curve: RunCurve, analysis: RangeAnalysis, method: SuggestionMethod, lr: number): { at: XY; index: number } | null {
  const marker = analysis.markers[method];
  if (marker && Math.abs(Math.log10(marker.lr / lr)) < 1e-6) return { at: { x: marker.lr, y: marker.loss }, index: marker.index };
  const smoothed = curve.smoothed();
  const best = curve.nearest(lr, smoothed);
  return best < 0 ? null : { at: { x: lr, y: smoothed[best]! }, index: best };
}

export class RangeTestView implements View {
  readonly root: HTMLElement;
  private readonly chart: SeriesChart;
  private readonly canvas: HTMLCanvasElement;
  private readonly status: HTMLElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly betaInput: HTMLInputElement;
  private readonly betaValue: HTMLElement;
  private readonly clipInput: HTMLInputElement;
  private readonly rawInput: HTMLInputElement;
  private readonly error: HTMLElement;
  /** The controls and the chart: hidden for a run that ended without a point (nothing to plot). */
  private readonly plot: HTMLElement;
  private readonly hint: HTMLElement;
  private readonly reading: HTMLElement;
  private readonly suggestionList: HTMLElement;
  private readonly caveats: HTMLElement;
  private readonly pickedLine: HTMLElement;
  private readonly schedule: ScheduleSection;
  private analysis: RangeAnalysis | null = null;
  private dragging = false;

  constructor(
    private readonly ctx: ViewContext,
    private readonly run: () => RunSnapshot,
    scheduleDefaults: () => ScheduleDefaults,
  ) {
    const ui = ctx.ui;
    this.status = h('p', { class: 'status', id: 'run-status' });
    this.stopButton = h('button', {
      id: 'stop',
      class: 'danger',
      text: 'Stop',
      title: 'Stop the run after the current batch',
      on: {
        click: () => {
          this.stopButton.disabled = true;
          ctx.post({ type: 'stop', runId: this.run().id });
        },
      },
    });
    this.betaInput = h('input', {
      id: 'beta',
      attrs: { type: 'range', min: '0', max: '0.995', step: '0.005', 'aria-label': 'Smoothing β' },
      on: {
        input: () => {
          ui.beta = Number(this.betaInput.value);
          ctx.saveUi();
          ctx.requestRender();
        },
      },
    });
    this.betaValue = h('output', { id: 'beta-value', attrs: { for: 'beta' } });
    this.clipInput = h('input', { id: 'clip', attrs: { type: 'checkbox' }, on: { change: () => this.toggle('clip', this.clipInput.checked) } });
    this.rawInput = h('input', { id: 'show-raw', attrs: { type: 'checkbox' }, on: { change: () => this.toggle('showRaw', this.rawInput.checked) } });

    // Focusable: the arrow keys move the pick (`pickByKey`).
    const canvas = h('canvas', {
      id: 'range-chart',
      attrs: { role: 'slider', tabindex: '0', 'aria-label': 'Loss against learning rate (log scale): the arrow keys move the picked learning rate', 'aria-orientation': 'horizontal' },
    });
    this.canvas = canvas;
    this.chart = new SeriesChart(canvas, { x: { title: 'learning rate', type: 'logarithmic' }, y: { title: 'loss', type: 'linear' }, xFormat: formatLr }, ctx.palette());
    canvas.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      if (this.pickAt(e.offsetX)) {
        this.dragging = true;
        canvas.setPointerCapture(e.pointerId);
      }
    });
    canvas.addEventListener('pointermove', (e) => {
      if (this.dragging) this.pickAt(e.offsetX);
    });
    const endDrag = () => {
      if (!this.dragging) return;
      this.dragging = false;
      ctx.post({ type: 'pick', runId: this.run().id, lr: ctx.ui.picked?.lr ?? null });
    };
    canvas.addEventListener('pointerup', endDrag);
    canvas.addEventListener('pointercancel', endDrag);
    canvas.addEventListener('keydown', (e) => {
      if (this.pickByKey(e.key, e.shiftKey)) e.preventDefault();
    });

    this.error = h('p', { class: 'error run-error', id: 'run-error', attrs: { role: 'alert' } });
    this.plot = h(
      'div',
      { id: 'range-plot' },
      h(
        'div',
        { class: 'row controls' },
        h('label', { attrs: { for: 'beta' }, text: 'Smoothing β' }),
        this.betaInput,
        this.betaValue,
        h('label', { class: 'check' }, this.clipInput, 'Clip y'),
        h('label', { class: 'check' }, this.rawInput, 'Raw losses'),
      ),
      h('div', { class: 'chart-box' }, canvas),
    );
    this.hint = h('p', { class: 'hint', id: 'pick-hint', text: 'Click or drag on the curve, or focus it and use the arrow keys (Shift: larger steps), to pick another learning rate; or click a suggestion.' });
    this.reading = h('p', { class: 'reading', id: 'recommendation' });
    this.suggestionList = h('ul', { class: 'suggestions', id: 'suggestions' });
    this.caveats = h('ul', { class: 'caveats', id: 'caveats' });
    this.pickedLine = h('p', { class: 'picked', id: 'picked' });
    this.schedule = new ScheduleSection(ctx, scheduleDefaults, () => this.maxLrSource());

    this.root = h(
      'div',
      { class: 'view view--range-test' },
      h('header', { class: 'row' }, h('h1', { id: 'title' }), this.status, this.stopButton),
      this.error,
      this.plot,
      this.hint,
      this.reading,
      this.suggestionList,
      this.caveats,
      this.pickedLine,
      this.schedule.root,
    );
  }

  update(): void {
    const run = this.run();
    const ui = this.ctx.ui;
    const beta = effectiveBeta(run, ui.beta);
    const analysis = timePhase('analysis', () => analyzeRun(run, beta));
    this.analysis = analysis;

    setText(this.root.querySelector('#title')!, run.label);
    // A failed or crashed run's detail is its error, shown on its own line (describe).
    setText(this.status, statusText(run, run.status !== 'failed' && run.status !== 'crashed'));
    show(this.stopButton, run.status === 'running');
    this.stopButton.title = run.log === 'watched' ? 'Stop watching the log (its run record is kept)' : 'Stop the run after the current batch';
    if (run.status !== 'running') this.stopButton.disabled = false;
    if (document.activeElement !== this.betaInput) this.betaInput.value = String(beta);
    setText(this.betaValue, beta.toFixed(3));
    this.clipInput.checked = ui.clip;
    this.rawInput.checked = ui.showRaw;

    const current = this.pickedLr() ?? analysis.recommendation.lr;
    this.canvas.setAttribute('aria-valuetext', current === null ? 'no learning rate picked' : `${this.pickedLr() === null ? 'recommended' : 'picked'} ${formatLr(current)}`);
    timePhase('chart', () => this.drawChart(run, analysis));
    timePhase('text', () => this.describe(run, analysis));
    timePhase('schedule', () => this.schedule.update());
  }

  setPalette(palette: Palette): void {
    this.chart.setPalette(palette);
    this.schedule.setPalette(palette);
  }

  exports(): ViewExport {
    const run = this.run();
    return {
      label: run.label,
      chart: this.chart,
      csv: () => runsToCsv([run], new Map([[run.id, this.analysis?.smoothed ?? []]])),
      json: () =>
        runsToJson([run], {
          analysis: this.analysis && { beta: effectiveBeta(run, this.ctx.ui.beta), suggestions: this.analysis.suggestions, recommendation: this.analysis.recommendation },
          pickedLr: this.pickedLr(),
          schedule: this.schedule.spec,
        }),
    };
  }

  charts(): Record<string, SeriesChart> {
    return { range: this.chart, schedule: this.schedule.previewChart };
  }

  dispose(): void {
    this.chart.destroy();
    this.schedule.dispose();
  }

  private pickedLr(): number | null {
    const picked = this.ctx.ui.picked;
    return picked && picked.runId === this.run().id ? picked.lr : null;
  }

  private maxLrSource(): MaxLrSource {
    const picked = this.pickedLr();
    if (picked !== null) return { lr: picked, from: 'picked on the curve' };
    const rec = this.analysis?.recommendation;
    if (rec && rec.lr !== null) return { lr: rec.lr, from: `recommended (${rec.rule})` };
    const run = this.run();
    if (run.status === 'running') return { lr: null, from: 'no recommendation yet: type one or pick on the curve' };
    return { lr: null, from: `no recommendation from this run: type one${run.points.length > 0 ? ' or pick on the curve' : ''}` };
  }

  private toggle(key: 'clip' | 'showRaw', value: boolean): void {
    this.ctx.ui[key] = value;
    this.ctx.saveUi();
    this.ctx.requestRender();
  }

  /** Picks the LR under pixel `x`; false when `x` is outside the plot. */
  private pickAt(x: number): boolean {
    const lr = this.chart.valueAtPixel(x);
    if (lr === null || lr <= 0) return false;
    const extent = lrExtent(this.run());
    const clamped = extent ? Math.min(extent.max, Math.max(extent.min, lr)) : lr;
    this.pickLr(roundLr(clamped));
    return true;
  }

  /**
   * Moves the pick with a key: ← ↓ to a lower LR, → ↑ to a higher one, by a hundredth of the plotted
   * range in decades (a tenth with Shift), from the pick, else the recommendation, else the middle;
   * Home and End go to the ends. Tells the host. False for any other key (or nothing plotted).
   */
  private pickByKey(key: string, large: boolean): boolean {
    const extent = lrExtent(this.run());
    if (!extent) return false;
    const from = this.pickedLr() ?? this.analysis?.recommendation.lr ?? Math.sqrt(extent.min * extent.max);
    const decades = Math.max(Math.log10(extent.max / extent.min), 1e-3) / (large ? 10 : 100);
    const clamp = (lr: number) => Math.min(extent.max, Math.max(extent.min, lr));
    let lr: number;
    if (key === 'Home') lr = roundLr(extent.min);
    else if (key === 'End') lr = roundLr(extent.max);
    else {
      const sign = key === 'ArrowRight' || key === 'ArrowUp' ? 1 : key === 'ArrowLeft' || key === 'ArrowDown' ? -1 : 0;
      if (sign === 0) return false;
      // Two significant digits can round a small step back to where it started: step on until it moves.
      lr = roundLr(clamp(from * 10 ** (sign * decades)));
      for (let k = 2; lr === roundLr(from) && k <= 10; k++) lr = roundLr(clamp(from * 10 ** (sign * decades * k)));
    }
    this.setPick(lr);
    return true;
  }

  /** Takes `lr` as the pick and tells the host (a drag tells it when the drag ends). */
  private setPick(lr: number): void {
    this.pickLr(lr);
    this.ctx.post({ type: 'pick', runId: this.run().id, lr });
  }

  private pickLr(lr: number): void {
    this.ctx.ui.picked = { runId: this.run().id, lr };
    this.ctx.ui.maxLr = null; // the schedule follows the pick
    this.ctx.saveUi();
    this.ctx.requestRender();
  }

  private drawChart(run: RunSnapshot, analysis: RangeAnalysis): void {
    const ui = this.ctx.ui;
    const curve = curveOf(run);
    const extent = lrExtent(run);
    const rec = analysis.recommendation;
    const recommended = rec.lr !== null ? rec.rule : null;
    const markers: Series[] = [];
    // The stop point and every marker stay in the decimated curves, exactly.
    const keep: number[] = analysis.stopIndex !== null ? [analysis.stopIndex] : [];
    for (const method of SUGGESTION_METHODS) {
      const lr = analysis.suggestions[method];
      const marker = lr === null ? null : markerPoint(curve, analysis, method, lr);
      if (lr === null || !marker) continue;
      keep.push(marker.index);
      const isRec = method === recommended;
      markers.push({
        label: `${method === 'minimum' ? 'minimum/10' : method} ${formatLr(lr)}${isRec ? ' (recommended)' : ''}`,
        data: [marker.at],
        color: MARKER_STYLE[method].color,
        markers: { radius: isRec ? 8 : 5, style: MARKER_STYLE[method].style, ring: isRec },
      });
    }
    const grid = extent ? logGrid(extent.min, extent.max, this.chart.plotColumns()) : null;
    const draw = (ys: Float64Array) => (grid ? decimateCurve(curve.columns(ys), grid, keep) : []);
    const series: Series[] = [];
    if (ui.showRaw) series.push({ label: 'loss', data: draw(curve.losses()), color: 'muted', width: 1, alpha: 0.45 });
    series.push({ label: `smoothed (causal EMA, β ${effectiveBeta(run, ui.beta).toFixed(3)})`, data: draw(curve.smoothed()), color: 0, width: 2.5 }, ...markers);
    const picked = this.pickedLr();
    // Clipping must not hide a suggestion: the top makes room for every marker.
    const range = yRange(ui.showRaw ? curve.losses() : new Float64Array(0), curve.smoothed(), ui.clip);
    for (const s of markers) {
      if (!range) continue;
      const y = s.data[0]!.y;
      if (Number.isFinite(y) && y > range.max) range.max = y + 0.03 * (y - range.min);
    }
    this.chart.render(series, {
      xRange: extent,
      yRange: range,
      vlines: [
        ...(rec.lr !== null && !isSuggestionChoice(rec.rule) ? [{ x: rec.lr, label: `recommended ${formatLr(rec.lr)} (${rec.rule})` }] : []),
        ...(picked !== null ? [{ x: picked, label: `picked ${formatLr(picked)}` }] : []),
      ],
    });
  }

  private describe(run: RunSnapshot, analysis: RangeAnalysis): void {
    const rec = analysis.recommendation;
    const reading = readRun(run, analysis);
    setText(this.error, reading.error ?? '');
    show(this.error, reading.error !== null);
    setText(this.reading, reading.headline);
    show(this.hint, run.points.length > 0);
    show(this.plot, run.points.length > 0 || run.status === 'running');
    this.reading.dataset.agreement = reading.agreement ? rec.agreement : '';
    const spread = rec.spreadDecades === null ? 'n/a' : `${rec.spreadDecades.toFixed(2)} decades`;
    const items = reading.suggestions
      ? SUGGESTION_METHODS.map((m) => {
          const lr = analysis.suggestions[m];
          const isRec = rec.lr !== null && rec.rule === m;
          const text = `${m}: ${lr === null ? '—' : formatLr(lr)}${isRec ? ' ★ recommended' : ''}`;
          if (lr === null) return h('li', { class: isRec ? 'recommended' : '', attrs: { 'data-method': m } }, text);
          const take = h('button', { class: 'link suggestion', text, title: `Pick ${formatLr(lr)} (${m})`, on: { click: () => this.setPick(lr) } });
          return h('li', { class: isRec ? 'recommended' : '', attrs: { 'data-method': m } }, take);
        })
      : [];
    if (reading.suggestions && rec.lr !== null && !isSuggestionChoice(rec.rule)) {
      const lr = rec.lr;
      const take = h('button', { class: 'link suggestion', text: `${rec.rule}: ${formatLr(lr)} ★ recommended`, title: `Pick ${formatLr(lr)} (${rec.rule})`, on: { click: () => this.setPick(lr) } });
      items.push(h('li', { class: 'recommended', attrs: { 'data-rule': rec.rule } }, take));
    }
    if (reading.agreement) items.push(h('li', { class: 'agreement', attrs: { 'data-agreement': rec.agreement } }, `agreement: ${rec.agreement} (spread ${spread})`));
    setChildren(this.suggestionList, ...items);
    show(this.suggestionList, items.length > 0);
    setChildren(this.caveats, ...reading.caveats.map((c) => h('li', { attrs: { 'data-flag': c.flag } }, h('strong', { text: c.flag }), ` — ${c.text}`)));
    show(this.caveats, reading.caveats.length > 0);
    const picked = this.pickedLr();
    if (picked === null) {
      setText(this.pickedLine, '');
      show(this.pickedLine, false);
    } else {
      show(this.pickedLine, true);
      this.pickedLine.dataset.lr = String(picked);
      setChildren(
        this.pickedLine,
        `Picked LR: ${formatLr(picked)}`,
        ' ',
        h('button', {
          class: 'link',
          id: 'clear-pick',
          text: 'use the recommendation',
          on: {
            click: () => {
              this.ctx.ui.picked = null;
              this.ctx.saveUi();
              this.ctx.post({ type: 'pick', runId: run.id, lr: null });
              this.ctx.requestRender();
            },
          },
        }),
      );
    }
  }
}
