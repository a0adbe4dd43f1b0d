/** A small text plot for terminals: one or more series on a character grid, optional log x-axis. */
import { maxOf, minOf } from '../core/extent';

export interface PlotSeries {
  label: string;
  /** Character drawn for this series' points. */
  mark: string;
  x: readonly number[];
  y: readonly number[];
}

export interface PlotOptions {
  width?: number;
  height?: number;
  logX?: boolean;
  /** Clip the y-axis to this range (early spikes must not flatten the curve). */
  yRange?: [number, number];
  /** Vertical markers, e.g. suggested learning rates. */
  markers?: { x: number; mark: string }[];
}

function formatNumber(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-2 ? v.toExponential(1) : v.toPrecision(3);
}

/** Renders the series as lines of text (no trailing newline). Non-finite points are skipped. */
export function renderPlot(series: readonly PlotSeries[], options: PlotOptions = {}): string {
  const width = Math.max(20, options.width ?? 64);
  const height = Math.max(5, options.height ?? 14);
  const tx = (x: number) => (options.logX ? Math.log10(x) : x);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of series) {
    s.x.forEach((x, i) => {
      const y = s.y[i];
      if (y !== undefined && Number.isFinite(tx(x)) && Number.isFinite(y)) {
        xs.push(tx(x));
        ys.push(y);
      }
    });
  }
  if (xs.length === 0) return '(no finite points to plot)';
  const x0 = minOf(xs);
  const x1 = maxOf(xs);
  const [y0, y1] = options.yRange ?? [minOf(ys), maxOf(ys)];
  const spanX = x1 - x0 || 1;
  const spanY = y1 - y0 || 1;
  const grid: string[][] = Array.from({ length: height }, () => Array<string>(width).fill(' '));
  const col = (x: number) => Math.round(((tx(x) - x0) / spanX) * (width - 1));
  for (const m of options.markers ?? []) {
    const c = col(m.x);
    if (c >= 0 && c < width) for (const row of grid) row[c] = m.mark;
  }
  for (const s of series) {
    s.x.forEach((x, i) => {
      const y = s.y[i];
      if (y === undefined || !Number.isFinite(tx(x)) || !Number.isFinite(y)) return;
      const c = col(x);
      const clipped = Math.min(Math.max(y, y0), y1);
      const r = height - 1 - Math.round(((clipped - y0) / spanY) * (height - 1));
      const row = grid[r];
      if (row && c >= 0 && c < width) row[c] = s.mark;
    });
  }
  const labels = [formatNumber(y1), formatNumber((y0 + y1) / 2), formatNumber(y0)];
  const pad = Math.max(...labels.map((l) => l.length));
  const lines = grid.map((row, r) => {
    const label = r === 0 ? labels[0] : r === Math.floor((height - 1) / 2) ? labels[1] : r === height - 1 ? labels[2] : '';
    return `${(label ?? '').padStart(pad)} │${row.join('')}`;
  });
  const left = options.logX ? formatNumber(10 ** x0) : formatNumber(x0);
  const right = options.logX ? formatNumber(10 ** x1) : formatNumber(x1);
  lines.push(`${''.padStart(pad)} └${'─'.repeat(width)}`);
  lines.push(`${''.padStart(pad)}  ${left}${right.padStart(width - left.length)}`);
  if (series.length > 1 || options.markers?.length) {
    lines.push(`${''.padStart(pad)}  ${series.map((s) => `${s.mark} ${s.label}`).join('   ')}`);
  }
  return lines.join('\n');
}
