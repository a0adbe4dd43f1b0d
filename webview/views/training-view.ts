/**
 * Training: live LR and momentum per step, train loss per step (raw and smoothed), and per epoch
 * the train/validation loss and the experiment's metrics, as charts and as a table.
 */
import type { RunSnapshot } from '../../src/protocol/webview';
import { SeriesChart, type Series, type XY } from '../charts/series-chart';
import { formatLr, smoothLosses, DEFAULT_BETA } from '../core';
import { h, setChildren, setText, show } from '../dom';
import { epochsToCsv, runsToCsv, runsToJson } from '../export-data';
import { yRange } from '../clip';
import { statusText } from '../run-analysis';
import { formatShort } from '../schedule-form';
import type { Palette } from '../theme';
import type { View, ViewContext, ViewExport } from './context';

const stepFormat = (v: number) => String(Math.round(v));

export class TrainingView implements View {
  readonly root: HTMLElement;
  private readonly lrChart: SeriesChart;
  private readonly lossChart: SeriesChart;
  private readonly epochChart: SeriesChart;
  private readonly epochBox: HTMLElement;
  private readonly status: HTMLElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly latest: HTMLElement;
  private readonly table: HTMLTableElement;

  constructor(
    private readonly ctx: ViewContext,
    private readonly run: () => RunSnapshot,
  ) {
    const canvas = (id: string, label: string) => h('canvas', { id, attrs: { role: 'img', 'aria-label': label } });
    const lrCanvas = canvas('lr-chart', 'Learning rate and momentum per step');
    const lossCanvas = canvas('loss-chart', 'Training loss per step');
    const epochCanvas = canvas('epoch-chart', 'Loss and metrics per epoch');
    const p = ctx.palette();
    this.lrChart = new SeriesChart(lrCanvas, { x: { title: 'step', type: 'linear', integer: true }, y: { title: 'LR', type: 'linear' }, y2: { title: 'momentum', type: 'linear' }, xFormat: stepFormat }, p);
    this.lossChart = new SeriesChart(lossCanvas, { x: { title: 'step', type: 'linear', integer: true }, y: { title: 'loss', type: 'linear' }, xFormat: stepFormat }, p);
    this.epochChart = new SeriesChart(epochCanvas, { x: { title: 'epoch', type: 'linear', integer: true }, y: { title: 'loss', type: 'linear' }, y2: { title: 'metric', type: 'linear' }, xFormat: stepFormat }, p);
    this.status = h('p', { class: 'status', id: 'run-status' });
    this.stopButton = h('button', {
      id: 'stop',
      class: 'danger',
      text: 'Stop',
      on: {
        click: () => {
          this.stopButton.disabled = true;
          ctx.post({ type: 'stop', runId: this.run().id });
        },
      },
    });
    this.latest = h('p', { class: 'reading', id: 'latest' });
    this.table = h('table', { class: 'epochs', id: 'epoch-table' });
    this.epochBox = h('div', { class: 'chart-box chart-box--small' }, epochCanvas);
    this.root = h(
      'div',
      { class: 'view view--training' },
      h('header', { class: 'row' }, h('h1', { id: 'title' }), this.status, this.stopButton),
      this.latest,
      h('div', { class: 'grid' }, h('div', { class: 'chart-box chart-box--small' }, lrCanvas), h('div', { class: 'chart-box chart-box--small' }, lossCanvas)),
      this.epochBox,
      this.table,
    );
  }

  update(): void {
    const run = this.run();
    setText(this.root.querySelector('#title')!, run.label);
    setText(this.status, statusText(run));
    show(this.stopButton, run.status === 'running');
    if (run.status !== 'running') this.stopButton.disabled = false;

    const lr: XY[] = [];
    const momentum: XY[] = [];
    const loss: XY[] = [];
    const losses: number[] = [];
    for (const p of run.points) {
      lr.push({ x: p.step, y: p.lr });
      if (typeof p.momentum === 'number') momentum.push({ x: p.step, y: p.momentum });
      const l = typeof p.loss === 'number' && Number.isFinite(p.loss) ? p.loss : NaN;
      loss.push({ x: p.step, y: l });
      losses.push(l);
    }
    const smoothed = smoothLosses(losses, run.beta ?? DEFAULT_BETA);
    const lrSeries: Series[] = [{ label: 'LR', data: lr, color: 0, width: 2 }];
    if (momentum.length) lrSeries.push({ label: 'momentum', data: momentum, color: 1, width: 1.5, dashed: true, axis: 'y2' });
    this.lrChart.render(lrSeries);
    this.lossChart.render(
      [
        { label: 'loss', data: loss, color: 'muted', width: 1, alpha: 0.45 },
        { label: 'smoothed', data: run.points.map((p, i) => ({ x: p.step, y: smoothed[i] ?? NaN })), color: 0, width: 2 },
      ],
      { yRange: yRange(losses, smoothed, this.ctx.ui.clip) },
    );

    const metricNames = [...new Set(run.epochs.flatMap((e) => Object.keys(e.metrics)))].sort();
    const epochSeries: Series[] = [
      { label: 'train loss', data: run.epochs.map((e) => ({ x: e.epoch, y: num(e.loss) })), color: 0, width: 2 },
    ];
    if (run.epochs.some((e) => typeof e.valLoss === 'number')) {
      epochSeries.push({ label: 'validation loss', data: run.epochs.map((e) => ({ x: e.epoch, y: num(e.valLoss) })), color: 1, width: 2 });
    }
    metricNames.forEach((m, k) => {
      epochSeries.push({ label: m, data: run.epochs.map((e) => ({ x: e.epoch, y: num(e.metrics[m]) })), color: 2 + k, width: 1.5, dashed: true, axis: 'y2' });
    });
    this.epochChart.render(epochSeries);
    // a PyTorch script trained through the probe reports optimizer steps, not epochs: no empty epoch chart
    show(this.epochBox, run.backend !== 'pytorch' || run.epochs.length > 0);

    const last = run.points[run.points.length - 1];
    const lastEpoch = run.epochs[run.epochs.length - 1];
    const parts: string[] = [];
    if (last) {
      parts.push(`step ${last.step}: LR ${formatLr(last.lr)}`);
      if (typeof last.momentum === 'number') parts.push(`momentum ${formatShort(last.momentum)}`);
      parts.push(`loss ${formatShort(num(last.loss))}`);
    }
    if (lastEpoch) {
      parts.push(`epoch ${lastEpoch.epoch}: loss ${formatShort(num(lastEpoch.loss))}`);
      if (typeof lastEpoch.valLoss === 'number') parts.push(`val loss ${formatShort(lastEpoch.valLoss)}`);
      for (const m of metricNames) parts.push(`${m} ${formatShort(num(lastEpoch.metrics[m]))}`);
    }
    setText(this.latest, parts.join(' · ') || 'waiting for the first step…');
    this.renderTable(run, metricNames);
  }

  setPalette(palette: Palette): void {
    this.lrChart.setPalette(palette);
    this.lossChart.setPalette(palette);
    this.epochChart.setPalette(palette);
  }

  exports(): ViewExport {
    const run = this.run();
    return {
      label: run.label,
      chart: this.lossChart,
      csv: () => (run.epochs.length ? `${runsToCsv([run])}\n${epochsToCsv(run)}` : runsToCsv([run])),
      json: () => runsToJson([run]),
    };
  }

  charts(): Record<string, SeriesChart> {
    return { lr: this.lrChart, loss: this.lossChart, epochs: this.epochChart };
  }

  dispose(): void {
    this.lrChart.destroy();
    this.lossChart.destroy();
    this.epochChart.destroy();
  }

  private renderTable(run: RunSnapshot, metricNames: string[]): void {
    if (run.epochs.length === 0) {
      setChildren(this.table);
      return;
    }
    const head = h('tr', {}, ...['epoch', 'loss', 'val loss', ...metricNames].map((t) => h('th', { text: t, attrs: { scope: 'col' } })));
    const rows = run.epochs.map((e) =>
      h(
        'tr',
        {},
        h('td', { text: String(e.epoch) }),
        h('td', { text: formatShort(num(e.loss)) }),
        h('td', { text: typeof e.valLoss === 'number' ? formatShort(e.valLoss) : '—' }),
        ...metricNames.map((m) => h('td', { text: formatShort(num(e.metrics[m])) })),
      ),
    );
    setChildren(this.table, h('thead', {}, head), h('tbody', {}, ...rows));
  }
}

function num(v: number | null | undefined): number {
  return typeof v === 'number' ? v : NaN;
}
