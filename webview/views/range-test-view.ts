/**
 * Range test: raw and smoothed loss against LR (log axis), live while streaming; a marker per
 * suggestion, the recommended one ringed; the reading (agreement, caveats) in words; click or
 * drag to pick another LR; y clipping; smoothing slider; Stop; the schedule section below.
 */
import type { RunSnapshot, ScheduleDefaults } from '../../src/protocol/webview';
import { SeriesChart, type Series, type XY } from '../charts/series-chart';
import { formatLr, isSuggestionChoice, SUGGESTION_METHODS, type RangeAnalysis, type SuggestionMethod } from '../core';
import { h, setChildren, setText, show } from '../dom';
import { runsToCsv, runsToJson } from '../export-data';
import { yRange } from '../clip';
import { timePhase } from '../profile';
import { decimateLogX } from '../decimate';
import { analyzeRun, effectiveBeta, lrExtent, statusText } from '../run-analysis';
import type { Palette } from '../theme';
import type { View, ViewContext, ViewExport } from './context';
import { ScheduleSection, type MaxLrSource } from './schedule-section';

const MARKER_STYLE: Record<SuggestionMethod, { color: number; style: 'circle' | 'triangle' | 'rectRot' | 'rect' }> = {
  minimum: { color: 2, style: 'circle' },
  steep: { color: 3, style: 'triangle' },
  valley: { color: 1, style: 'rectRot' },
  slide: { color: 4, style: 'rect' },
};

/** Rounds a picked LR to two significant digits (what a person would type). */
export function roundLr(lr: number): number {
  return Number(lr.toPrecision(2));
}

/**
 * Where a suggestion's marker goes: at the suggested LR on the smoothed curve. The core's marker
 * is that point for every method but `minimum`, whose marker (fastai's) sits at the minimum, ten
 * times the suggestion; the panel marks the LR it suggests, on the curve at the nearest point.
 */
export function markerPoint(run: RunSnapshot, analysis: RangeAnalysis, method: SuggestionMethod, lr: number): XY | null {
  const marker = analysis.markers[method];
  if (marker && Math.abs(Math.log10(marker.lr / lr)) < 1e-6) return { x: marker.lr, y: marker.loss };
  let best = -1;
  run.points.forEach((p, i) => {
    if (!Number.isFinite(analysis.smoothed[i])) return;
    if (best < 0 || Math.abs(Math.log(p.lr / lr)) < Math.abs(Math.log(run.points[best]!.lr / lr))) best = i;
  });
  return best < 0 ? null : { x: lr, y: analysis.smoothed[best]! };
}

export class RangeTestView implements View {
  readonly root: HTMLElement;
  private readonly chart: SeriesChart;
  private readonly status: HTMLElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly betaInput: HTMLInputElement;
  private readonly betaValue: HTMLElement;
  private readonly clipInput: HTMLInputElement;
  private readonly rawInput: HTMLInputElement;
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

    const canvas = h('canvas', { id: 'range-chart', attrs: { role: 'img', 'aria-label': 'Loss against learning rate (log scale)' } });
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

    this.reading = h('p', { class: 'reading', id: 'recommendation' });
    this.suggestionList = h('ul', { class: 'suggestions', id: 'suggestions' });
    this.caveats = h('ul', { class: 'caveats', id: 'caveats' });
    this.pickedLine = h('p', { class: 'picked', id: 'picked' });
    this.schedule = new ScheduleSection(ctx, scheduleDefaults, () => this.maxLrSource());

    this.root = h(
      'div',
      { class: 'view view--range-test' },
      h('header', { class: 'row' }, h('h1', { id: 'title' }), this.status, this.stopButton),
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
      h('p', { class: 'hint', text: 'Click or drag on the curve to pick another learning rate.' }),
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
    setText(this.status, statusText(run));
    show(this.stopButton, run.status === 'running');
    if (run.status !== 'running') this.stopButton.disabled = false;
    if (document.activeElement !== this.betaInput) this.betaInput.value = String(beta);
    setText(this.betaValue, beta.toFixed(3));
    this.clipInput.checked = ui.clip;
    this.rawInput.checked = ui.showRaw;

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
    return { lr: null, from: 'no recommendation yet: type one or pick on the curve' };
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
    this.ctx.ui.picked = { runId: this.run().id, lr: roundLr(clamped) };
    this.ctx.ui.maxLr = null; // the schedule follows the pick
    this.ctx.saveUi();
    this.ctx.requestRender();
    return true;
  }

  private drawChart(run: RunSnapshot, analysis: RangeAnalysis): void {
    const ui = this.ctx.ui;
    const raw: XY[] = [];
    const smooth: XY[] = [];
    const rawY: number[] = [];
    run.points.forEach((p, i) => {
      const loss = typeof p.loss === 'number' && Number.isFinite(p.loss) ? p.loss : NaN;
      raw.push({ x: p.lr, y: loss });
      rawY.push(loss);
      smooth.push({ x: p.lr, y: analysis.smoothed[i] ?? NaN });
    });
    const series: Series[] = [];
    const columns = Math.max(100, Math.round(this.chart.chart.width || 1000));
    if (ui.showRaw) series.push({ label: 'loss', data: decimateLogX(raw, columns), color: 'muted', width: 1, alpha: 0.45 });
    series.push({ label: `smoothed: causal EMA (β ${effectiveBeta(run, ui.beta).toFixed(3)})`, data: decimateLogX(smooth, columns), color: 0, width: 2.5 });
    const rec = analysis.recommendation;
    const recommended = rec.lr !== null ? rec.rule : null;
    for (const method of SUGGESTION_METHODS) {
      const lr = analysis.suggestions[method];
      const at = lr === null ? null : markerPoint(run, analysis, method, lr);
      if (lr === null || !at) continue;
      const isRec = method === recommended;
      series.push({
        label: `${method === 'minimum' ? 'minimum/10' : method} ${formatLr(lr)}${isRec ? ' (recommended)' : ''}`,
        data: [at],
        color: MARKER_STYLE[method].color,
        markers: { radius: isRec ? 8 : 5, style: MARKER_STYLE[method].style, ring: isRec },
      });
    }
    const picked = this.pickedLr();
    // Clipping must not hide a suggestion: the top makes room for every marker.
    const range = yRange(ui.showRaw ? rawY : [], analysis.smoothed, ui.clip);
    for (const s of series) {
      if (!s.markers || !range) continue;
      const y = s.data[0]!.y;
      if (Number.isFinite(y) && y > range.max) range.max = y + 0.03 * (y - range.min);
    }
    this.chart.render(series, {
      xRange: lrExtent(run),
      yRange: range,
      vlines: [
        ...(rec.lr !== null && !isSuggestionChoice(rec.rule) ? [{ x: rec.lr, label: `recommended ${formatLr(rec.lr)} (${rec.rule})` }] : []),
        ...(picked !== null ? [{ x: picked, label: `picked ${formatLr(picked)}` }] : []),
      ],
    });
  }

  private describe(run: RunSnapshot, analysis: RangeAnalysis): void {
    const rec = analysis.recommendation;
    const live = run.status === 'running' ? ' (provisional: the run is still going)' : '';
    setText(this.reading, rec.message + live);
    this.reading.dataset.agreement = rec.agreement;
    const spread = rec.spreadDecades === null ? 'n/a' : `${rec.spreadDecades.toFixed(2)} decades`;
    const items = SUGGESTION_METHODS.map((m) => {
      const lr = analysis.suggestions[m];
      const isRec = rec.lr !== null && rec.rule === m;
      return h('li', { class: isRec ? 'recommended' : '', attrs: { 'data-method': m } }, `${m}: ${lr === null ? '—' : formatLr(lr)}${isRec ? ' ★ recommended' : ''}`);
    });
    if (rec.lr !== null && !isSuggestionChoice(rec.rule)) {
      items.push(h('li', { class: 'recommended', attrs: { 'data-rule': rec.rule } }, `${rec.rule}: ${formatLr(rec.lr)} ★ recommended`));
    }
    items.push(h('li', { class: 'agreement', attrs: { 'data-agreement': rec.agreement } }, `agreement: ${rec.agreement} (spread ${spread})`));
    setChildren(this.suggestionList, ...items);
    setChildren(this.caveats, ...rec.caveats.map((c) => h('li', { attrs: { 'data-flag': c.flag } }, h('strong', { text: c.flag }), ` — ${c.text}`)));
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
