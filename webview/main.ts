/**
 * Entry of the webview bundle (`dist/webview.js`): connect to the host, start the app, say
 * `ready`. A small read-only `lrscopeDebug` object lets the Playwright tests and the benchmark
 * look inside (render counts, chart data, pixel positions) without scraping the canvas.
 */
import { App } from './app';
import { HostConnection } from './host';
import { lastRender } from './profile';

declare global {
  interface Window {
    lrscopeDebug?: LrScopeDebug;
  }
}

export interface LrScopeDebug {
  renderCount(): number;
  /** Phase timings of the last render, ms (build, update, analysis, chart, text, schedule). */
  lastRender(): Record<string, number>;
  droppedCount(): number;
  view(): string | undefined;
  /** Renders now if a render is pending. */
  flush(): void;
  /** Per chart: the axes' ranges, the datasets' labels, point counts, border colours and (one point) where it is, and the chart's render count. */
  charts(): Record<
    string,
    {
      renders: number;
      width: number;
      boxWidth: number;
      x: { min: number; max: number };
      y: { min: number; max: number };
      datasets: { label: string; points: number; color: string; at: { x: number; y: number } | null }[];
    }
  >;
  /** Page coordinates of an x value in a chart. */
  pagePoint(chart: string, x: number): { x: number; y: number } | null;
}

function main(): void {
  const host = new HostConnection(acquireVsCodeApi());
  const root = document.getElementById('app') ?? document.body;
  const app = new App(root, host);
  window.addEventListener('error', (e) => host.post({ type: 'log', level: 'error', message: `webview: ${e.message}` }));
  window.addEventListener('unhandledrejection', (e) => host.post({ type: 'log', level: 'error', message: `webview: ${String(e.reason)}` }));
  host.listen((message) => app.handle(message));

  const charts = () => app.currentView?.charts() ?? {};
  window.lrscopeDebug = {
    renderCount: () => app.renderCount,
    lastRender: () => ({ ...lastRender }),
    droppedCount: () => host.droppedCount,
    view: () => root.dataset.view,
    flush: () => app.flush(),
    charts: () =>
      Object.fromEntries(
        Object.entries(charts()).map(([name, c]) => [
          name,
          {
            renders: c.renderCount,
            width: c.chart.width,
            boxWidth: c.canvas.parentElement?.clientWidth ?? 0,
            x: { min: c.chart.scales.x?.min ?? NaN, max: c.chart.scales.x?.max ?? NaN },
            y: { min: c.chart.scales.y?.min ?? NaN, max: c.chart.scales.y?.max ?? NaN },
            datasets: c.chart.data.datasets.map((d) => ({
              label: d.label ?? '',
              points: d.data.length,
              color: String(d.borderColor),
              at: d.data.length === 1 ? (d.data[0] as { x: number; y: number }) : null,
            })),
          },
        ]),
      ),
    pagePoint: (name, x) => {
      const c = charts()[name];
      if (!c) return null;
      const rect = c.canvas.getBoundingClientRect();
      const area = c.chart.chartArea;
      return { x: rect.left + c.pixelForValue(x), y: rect.top + (area.top + area.bottom) / 2 };
    },
  };
  app.start();
}

main();
