/**
 * One chart.js line chart, configured for speed (no animation, pre-parsed `{x, y}` data,
 * `normalized`, no per-point elements unless a series asks for them) and coloured from the
 * theme palette on every render. Every plot in the panel is one of these.
 */
import {
  Chart,
  Decimation,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
  type ChartDataset,
  type ChartOptions,
  type Plugin,
  type ScaleOptionsByType,
} from './chartjs';
import type { Palette } from '../theme';
import { withAlpha } from '../theme';
import { formatNumber } from '../schedule-form';
import { isSortedByX } from '../decimate';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip, Decimation);

export interface XY {
  x: number;
  y: number;
}

export interface Series {
  label: string;
  data: readonly XY[];
  /** Index into the palette's series colours, or 'foreground' / 'muted' / 'accent'. */
  color: number | 'foreground' | 'muted' | 'accent';
  /** Line width in px (0: markers only). */
  width?: number;
  dashed?: boolean;
  /** Opacity of the line (raw losses are drawn faint under the smoothed curve). */
  alpha?: number;
  /** Markers: radius in px and style; no line is drawn between them. */
  markers?: { radius: number; style: 'circle' | 'triangle' | 'rectRot' | 'star' | 'rect' | 'crossRot'; ring?: boolean };
  /** Right-hand axis. */
  axis?: 'y' | 'y2';
  /** Hide from the legend. */
  noLegend?: boolean;
}

export interface AxisSpec {
  title: string;
  type: 'linear' | 'logarithmic';
  /** Whole-number ticks only (steps, epochs). */
  integer?: boolean;
}

export interface ChartSpec {
  x: AxisSpec;
  y: AxisSpec;
  y2?: AxisSpec;
  /** Number formatting of the x ticks and tooltips (log axes: `1e-4` style). */
  xFormat?: (v: number) => string;
}

export interface RenderOptions {
  xRange?: { min: number; max: number } | null;
  yRange?: { min: number; max: number } | null;
  /** Vertical lines with labels (the picked LR). */
  vlines?: { x: number; label: string }[];
}

/** Tick labels for log axes: only 1, 2 and 5 × 10^k, so labels never collide. */
function logTick(value: number): string | null {
  const mantissa = value / 10 ** Math.floor(Math.log10(value) + 1e-9);
  const m = Math.round(mantissa);
  return Math.abs(mantissa - m) < 1e-6 && (m === 1 || m === 2 || m === 5) ? formatNumber(value) : null;
}

/** Fills the canvas with the editor background, so a PNG export looks like the panel. */
function backgroundPlugin(getPalette: () => Palette): Plugin<'line'> {
  return {
    id: 'lrscopeBackground',
    beforeDraw(chart) {
      const { ctx, width, height } = chart;
      ctx.save();
      ctx.globalCompositeOperation = 'destination-over';
      ctx.fillStyle = getPalette().background;
      ctx.fillRect(0, 0, width, height);
      ctx.restore();
    },
  };
}

/** Draws the vertical lines of `RenderOptions.vlines`. */
function vlinePlugin(getLines: () => RenderOptions['vlines'], getPalette: () => Palette): Plugin<'line'> {
  return {
    id: 'lrscopeVlines',
    afterDatasetsDraw(chart) {
      const lines = getLines();
      if (!lines?.length) return;
      const { ctx, chartArea } = chart;
      const x = chart.scales.x;
      if (!x) return;
      const palette = getPalette();
      ctx.save();
      for (const line of lines) {
        const px = x.getPixelForValue(line.x);
        if (!(px >= chartArea.left && px <= chartArea.right)) continue;
        ctx.strokeStyle = palette.accent;
        ctx.lineWidth = palette.highContrast ? 2 : 1.5;
        ctx.setLineDash([5, 4]);
        ctx.beginPath();
        ctx.moveTo(px, chartArea.top);
        ctx.lineTo(px, chartArea.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = palette.accent;
        ctx.font = '12px sans-serif';
        const right = px + 4 + ctx.measureText(line.label).width < chartArea.right;
        ctx.textAlign = right ? 'left' : 'right';
        ctx.fillText(line.label, right ? px + 4 : px - 4, chartArea.top + 12);
      }
      ctx.restore();
    },
  };
}

export class SeriesChart {
  readonly chart: Chart<'line', XY[]>;
  private palette: Palette;
  private vlines: RenderOptions['vlines'] = [];
  private renders = 0;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly spec: ChartSpec,
    palette: Palette,
  ) {
    this.palette = palette;
    this.chart = new Chart<'line', XY[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: this.options(),
      plugins: [backgroundPlugin(() => this.palette), vlinePlugin(() => this.vlines, () => this.palette)],
    });
  }

  /** Number of renders so far (for tests and the benchmark). */
  get renderCount(): number {
    return this.renders;
  }

  /** Replaces the data and redraws synchronously. */
  render(series: readonly Series[], options: RenderOptions = {}): void {
    this.vlines = options.vlines ?? [];
    this.chart.data.datasets = series.map((s) => this.dataset(s));
    const scales = this.chart.options.scales as Record<string, { min?: number; max?: number }>;
    const x = scales.x!;
    const y = scales.y!;
    x.min = options.xRange?.min;
    x.max = options.xRange?.max;
    y.min = options.yRange?.min;
    y.max = options.yRange?.max;
    this.chart.update('none');
    this.renders += 1;
  }

  /** Re-colours axes, legend and tooltips (datasets are coloured on each render). */
  setPalette(palette: Palette): void {
    this.palette = palette;
    this.chart.options = this.options();
  }

  /** The x value under a canvas-relative pixel, or null outside the plot area. */
  valueAtPixel(px: number): number | null {
    const area = this.chart.chartArea;
    if (!area || px < area.left || px > area.right) return null;
    const v = this.chart.scales.x?.getValueForPixel(px);
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  }

  /** Columns to decimate a curve to: the plot area's width in device pixels (at least 100). */
  plotColumns(): number {
    const area = this.chart.chartArea;
    const css = area && area.right > area.left ? area.right - area.left : this.chart.width || 1000;
    return Math.max(100, Math.round(css * (globalThis.devicePixelRatio || 1)));
  }

  /** The canvas-relative pixel of an x value. */
  pixelForValue(x: number): number {
    return this.chart.scales.x!.getPixelForValue(x);
  }

  /** Number of points in each dataset, by label. */
  pointCounts(): Record<string, number> {
    return Object.fromEntries(this.chart.data.datasets.map((d) => [d.label ?? '', d.data.length]));
  }

  /** The chart as a PNG data URL (editor background included). */
  toPng(): string {
    return this.chart.toBase64Image('image/png');
  }

  destroy(): void {
    this.chart.destroy();
  }

  private colorOf(c: Series['color']): string {
    const p = this.palette;
    if (typeof c === 'number') return p.series[c % p.series.length]!;
    return p[c];
  }

  private dataset(s: Series): ChartDataset<'line', XY[]> {
    const base = this.colorOf(s.color);
    const color = s.alpha !== undefined && !this.palette.highContrast ? withAlpha(base, s.alpha) : base;
    const hc = this.palette.highContrast ? 1 : 0;
    const ds: ChartDataset<'line', XY[]> = {
      label: s.label,
      data: s.data as XY[],
      borderColor: color,
      backgroundColor: color,
      borderWidth: s.markers ? (s.markers.ring ? 3 : 1) : (s.width ?? 2) + hc,
      borderDash: s.dashed ? [6, 4] : [],
      yAxisID: s.axis ?? 'y',
      parsing: false,
      // chart.js may binary-search sorted data; logs imported from elsewhere need not be sorted.
      normalized: isSortedByX(s.data),
      spanGaps: false,
      pointRadius: 0,
      pointHoverRadius: 0,
      pointHitRadius: 4,
      tension: 0,
    };
    if (s.markers) {
      Object.assign(ds, {
        showLine: false,
        pointRadius: s.markers.radius + hc,
        pointHoverRadius: s.markers.radius + 2,
        pointStyle: s.markers.style,
        borderColor: s.markers.ring ? this.palette.accent : color,
        backgroundColor: color,
        order: -1,
      });
    }
    if (s.noLegend) Object.assign(ds, { lrscopeNoLegend: true });
    return ds;
  }

  private axis(a: AxisSpec, position: 'left' | 'right' | 'bottom', isX: boolean): Partial<ScaleOptionsByType<'linear' | 'logarithmic'>> {
    const p = this.palette;
    const format = isX ? this.spec.xFormat : undefined;
    return {
      type: a.type,
      position,
      title: { display: true, text: a.title, color: p.foreground },
      grid: { color: position === 'right' ? 'transparent' : p.grid, lineWidth: p.highContrast ? 1 : 0.5 },
      border: { color: p.grid },
      ticks: {
        color: p.foreground,
        maxRotation: 0,
        autoSkip: true,
        ...(a.integer ? { precision: 0 } : {}),
        callback: (value: number | string) => {
          const v = Number(value);
          if (a.type === 'logarithmic') return logTick(v);
          // Three significant digits: the clipped bounds are arbitrary numbers.
          return format ? format(v) : formatNumber(Number(v.toPrecision(3)));
        },
      },
    } as unknown as Partial<ScaleOptionsByType<'linear' | 'logarithmic'>>;
  }

  private options(): ChartOptions<'line'> {
    const p = this.palette;
    const xFormat = this.spec.xFormat ?? formatNumber;
    const scales: Record<string, unknown> = {
      x: this.axis(this.spec.x, 'bottom', true),
      y: this.axis(this.spec.y, 'left', false),
    };
    if (this.spec.y2) scales.y2 = this.axis(this.spec.y2, 'right', false);
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      color: p.foreground,
      scales: scales as ChartOptions<'line'>['scales'],
      plugins: {
        decimation: { enabled: this.spec.x.type === 'linear', algorithm: 'min-max' },
        legend: {
          labels: {
            color: p.foreground,
            usePointStyle: true,
            boxHeight: 8,
            filter: (item, data) => !(data.datasets[item.datasetIndex ?? 0] as { lrscopeNoLegend?: boolean }).lrscopeNoLegend,
          },
        },
        tooltip: {
          backgroundColor: p.background,
          titleColor: p.foreground,
          bodyColor: p.foreground,
          borderColor: p.grid,
          borderWidth: 1,
          callbacks: {
            title: (items) => (items[0] ? `${this.spec.x.title} ${xFormat(items[0].parsed.x ?? NaN)}` : ''),
            label: (item) => `${item.dataset.label ?? ''}: ${formatNumber(Number((item.parsed.y ?? NaN).toPrecision(4)))}`,
          },
        },
      },
    };
  }
}
