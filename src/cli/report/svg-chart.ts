/**
 * The range-test chart as inline SVG: raw and smoothed loss against the learning rate on a log
 * axis, with the suggestions as vertical lines. Colours come from CSS classes (the report's
 * stylesheet picks them for light and dark), so the SVG itself holds only geometry and text.
 */
import { formatLr } from '../../core/analysis/index';
import { escapeHtml } from './escape';
import { maxOf, minOf } from '../../core/extent';

export interface ChartMarker {
  label: string;
  lr: number;
  recommended: boolean;
}

export interface LossChartInput {
  lr: readonly number[];
  loss: readonly number[];
  smoothed: readonly number[];
  markers: readonly ChartMarker[];
}

export interface ChartSize {
  width?: number;
  height?: number;
}

const MARGIN = { top: 16, right: 20, bottom: 46, left: 60 };

/** Evenly spaced "nice" values (steps of 1, 2 or 5 × 10^k) covering [lo, hi], about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function formatLoss(v: number): string {
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e4 || a < 1e-3) ? v.toExponential(1) : String(Number(v.toPrecision(3)));
}

/** `M x y L x y …` for the finite runs of a series (a non-finite value breaks the line). */
function pathOf(xs: readonly number[], ys: readonly number[], sx: (v: number) => number, sy: (v: number) => number): string {
  const parts: string[] = [];
  let pen = false;
  xs.forEach((x, i) => {
    const y = ys[i];
    if (y === undefined || !Number.isFinite(y) || !(x > 0)) {
      pen = false;
      return;
    }
    parts.push(`${pen ? 'L' : 'M'}${sx(x).toFixed(1)} ${sy(y).toFixed(1)}`);
    pen = true;
  });
  return parts.join(' ');
}

/**
 * The chart as an `<svg>` element string. The y-axis is clipped like the terminal plot: from the
 * lowest loss to 1.5× the drop above it, so an early spike or the final explosion does not flatten
 * the interesting part; clipped points run off the top edge.
 */
export function lossChartSvg(input: LossChartInput, size: ChartSize = {}): string {
  const width = size.width ?? 760;
  const height = size.height ?? 380;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const lrs = input.lr.filter((x) => x > 0 && Number.isFinite(x));
  const smooth = input.smoothed.filter(Number.isFinite);
  const raw = input.loss.filter(Number.isFinite);
  if (lrs.length === 0 || smooth.length === 0) {
    return `<svg class="chart" viewBox="0 0 ${width} 60" role="img" aria-label="no finite loss to plot"><text x="${width / 2}" y="34" text-anchor="middle">No finite loss to plot.</text></svg>`;
  }

  const d0 = Math.floor(Math.log10(minOf(lrs)));
  const d1 = Math.max(d0 + 1, Math.ceil(Math.log10(maxOf(lrs))));
  const sx = (lr: number): number => MARGIN.left + ((Math.log10(lr) - d0) / (d1 - d0)) * plotW;

  const lo = minOf(smooth);
  const first = smooth[0] ?? lo;
  const top = Math.min(Math.max(maxOf(smooth), maxOf(raw)), lo + 1.5 * (first - lo));
  const bottom = Math.min(lo, minOf(raw));
  const pad = (Math.max(top, lo + 1e-9) - bottom) * 0.05 || 0.05;
  const y0 = bottom - pad;
  const y1 = Math.max(top, lo + 1e-9) + pad;
  const sy = (v: number): number => MARGIN.top + (1 - (v - y0) / (y1 - y0)) * plotH;

  const out: string[] = [];
  out.push(
    `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="chart-title">`,
    '<title id="chart-title">Loss against learning rate (log scale), raw and smoothed, with the suggested learning rates</title>',
    `<defs><clipPath id="plot-area"><rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}"/></clipPath></defs>`,
  );

  // Grid and axes.
  const decadeStep = d1 - d0 > 10 ? 2 : 1;
  for (let d = d0; d <= d1; d += decadeStep) {
    const x = sx(10 ** d).toFixed(1);
    out.push(`<line class="grid" x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + plotH}"/>`);
    out.push(`<text class="tick" x="${x}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">1e${d}</text>`);
  }
  for (const v of niceTicks(y0, y1, 5)) {
    const y = sy(v).toFixed(1);
    out.push(`<line class="grid" x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + plotW}" y2="${y}"/>`);
    out.push(`<text class="tick" x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${formatLoss(v)}</text>`);
  }
  out.push(`<rect class="frame" x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}"/>`);
  out.push(`<text class="axis-label" x="${MARGIN.left + plotW / 2}" y="${height - 8}" text-anchor="middle">learning rate (log scale)</text>`);
  out.push(`<text class="axis-label" transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">loss</text>`);

  // Suggestions: a vertical line each, labels stacked so that close values stay readable.
  const markers = [...input.markers].filter((m) => m.lr > 0 && Number.isFinite(m.lr)).sort((a, b) => a.lr - b.lr);
  markers.forEach((m, i) => {
    const x = sx(m.lr);
    if (x < MARGIN.left - 0.5 || x > MARGIN.left + plotW + 0.5) return;
    const cls = m.recommended ? 'marker recommended' : 'marker';
    const anchor = x > MARGIN.left + plotW * 0.75 ? 'end' : 'start';
    const dx = anchor === 'end' ? -4 : 4;
    out.push(`<line class="${cls}" x1="${x.toFixed(1)}" y1="${MARGIN.top}" x2="${x.toFixed(1)}" y2="${MARGIN.top + plotH}"/>`);
    out.push(
      `<text class="marker-label${m.recommended ? ' recommended' : ''}" x="${(x + dx).toFixed(1)}" y="${MARGIN.top + 14 + 14 * i}" text-anchor="${anchor}">${escapeHtml(m.label)} ${formatLr(m.lr)}</text>`,
    );
  });

  // The curves, clipped to the plot area.
  out.push(`<g clip-path="url(#plot-area)">`);
  out.push(`<path class="raw" d="${pathOf(input.lr, input.loss, sx, sy)}"/>`);
  out.push(`<path class="smoothed" d="${pathOf(input.lr, input.smoothed, sx, sy)}"/>`);
  out.push('</g>');

  out.push('</svg>');
  return out.join('\n');
}
