/**
 * chart.js, loaded in one place. chart.js ships its types as an ES module while this project
 * compiles as CommonJS (`module: Node16`), so a plain `import` is refused by tsc (TS1479). The
 * types are imported with `resolution-mode: import` and the code with `require`, which esbuild
 * bundles (chart.js's own CommonJS build) into `dist/webview.js`.
 */
import type * as ChartJs from 'chart.js' with { 'resolution-mode': 'import' };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const chartjs = require('chart.js') as typeof ChartJs;

export const { Chart, Decimation, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip } = chartjs;
export type Chart<T extends ChartJs.ChartType = ChartJs.ChartType, D = ChartJs.DefaultDataPoint<T>> = ChartJs.Chart<T, D>;
export type ChartDataset<T extends ChartJs.ChartType, D> = ChartJs.ChartDataset<T, D>;
export type ChartOptions<T extends ChartJs.ChartType> = ChartJs.ChartOptions<T>;
export type Plugin<T extends ChartJs.ChartType> = ChartJs.Plugin<T>;
export type ScaleOptionsByType<T extends keyof ChartJs.CartesianScaleTypeRegistry> = ChartJs.ScaleOptionsByType<T>;
